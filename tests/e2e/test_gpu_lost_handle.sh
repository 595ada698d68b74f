#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The common lost GPU (node-gpu-lost-handle): already nvmlDeviceGetHandleByIndex answers
# GPU_IS_LOST. Every program shows that GPU as lost and the others as usual, exits 0, and says
# exactly what it says when the handle still works but every call on it fails (node-gpu-lost):
# nvitop -1 and --json, nvisel, the library (examples/devices), the Python package, the monitor.
# (The exporter: test_exporter_gpu_lost_handle.sh.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_BUILD_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS NVITOP_FIXTURES \
    NVITOP_SOURCE_DIR
make_test_tmp
export NVITOP_LIBRARY=$NVITOP_BIN_DIR/libnvitop.so
export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic
export LOGNAME=root LC_ALL=C.UTF-8 TZ=UTC COLUMNS=120
unset NVITOP_MONITOR_MODE LOGLEVEL CUDA_VISIBLE_DEVICES NVML_SIM_CALLS NVML_SIM_EPOCH NO_COLOR

# run NAME SCENARIO COMMAND...: stdout in $TEST_TMP/SCENARIO.NAME; fails on a non-zero exit.
run() {
    local name=$1 scenario=$2
    shift 2
    NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/$scenario.json "$@" >"$TEST_TMP/$scenario.$name" \
        2>"$TEST_TMP/err" || fail "$name on $scenario: exit $?: $(cat "$TEST_TMP/err")"
}
py_env=$(python_sanitizer_env) || py_env=
for scenario in node-gpu-lost node-gpu-lost-handle; do
    run json "$scenario" "$NVITOP_BIN_DIR/nvitop" --json
    run once "$scenario" "$NVITOP_BIN_DIR/nvitop" -1 --ascii
    run nvisel "$scenario" "$NVITOP_BIN_DIR/nvisel" --min-count 1
    run library "$scenario" "$NVITOP_BUILD_DIR/examples/devices"
    if [ -n "$py_env" ] || python_sanitizer_env >/dev/null; then
        run python "$scenario" env $py_env PYTHONPATH="$NVITOP_SOURCE_DIR/python" python3 -c '
from nvitop import Device
for d in Device.all():
    print(d.index, d.name(), d.uuid(), d.memory_used(), d.gpu_utilization())'
    fi
done

lost=node-gpu-lost-handle
grep -q '^  - Processes: N/A (GPU is lost)$' "$TEST_TMP/$lost.library" ||
    fail "the library example does not show GPU 2 as lost: $(cat "$TEST_TMP/$lost.library")"
assert_eq "$(grep -c 'name="NVIDIA H100 80GB HBM3"' "$TEST_TMP/$lost.library")" 3 "GPUs shown"
assert_eq "$(cat "$TEST_TMP/$lost.nvisel")" "3,1,0" "nvisel's choice"
grep -q '^|   2  ERROR: GPU is Lost ' "$TEST_TMP/$lost.once" || fail "nvitop -1: no lost GPU 2"
assert_eq "$(grep -c 'H100 80GB HBM3' "$TEST_TMP/$lost.once")" 3 "nvitop -1: GPUs shown"
if [ -f "$TEST_TMP/$lost.python" ]; then
    assert_eq "$(sed -n 3p "$TEST_TMP/$lost.python")" "2 N/A N/A N/A N/A" "Python's GPU 2"
    assert_eq "$(grep -c ' NVIDIA H100 80GB HBM3 GPU-' "$TEST_TMP/$lost.python")" 3 \
        "Python's other GPUs"
fi
python3 - "$TEST_TMP/$lost.json" <<'PY' || fail "nvitop --json on $lost"
import json, sys
doc = json.load(open(sys.argv[1]))
devices = doc["devices"]
assert [d["index"] for d in devices] == ["0", "1", "2", "3"], devices
assert devices[2]["name"] is None and devices[2]["unavailable"]["name"] == "GPU is lost"
assert devices[2]["unavailable"]["memory_used_bytes"] == "GPU is lost"
assert all(devices[i]["name"] == "NVIDIA H100 80GB HBM3" for i in (0, 1, 3))
assert sorted(p["pid"] for p in doc["processes"]) == [52011, 52012], doc["processes"]
PY
# The same words as when only the calls fail (the time and the host's load aside).
strip_json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
[d.pop(k) for k in ("time", "time_unix_s", "host")]; print(json.dumps(d, indent=1))' "$1"; }
assert_eq "$(strip_json "$TEST_TMP/$lost.json")" "$(strip_json "$TEST_TMP/node-gpu-lost.json")" \
    "--json on the two lost GPUs"
assert_eq "$(sed -n '3,16p' "$TEST_TMP/$lost.once")" "$(sed -n '3,16p' "$TEST_TMP/node-gpu-lost.once")" \
    "nvitop -1's device table on the two lost GPUs"
for name in nvisel library python; do
    [ -f "$TEST_TMP/$lost.$name" ] || continue
    assert_eq "$(cat "$TEST_TMP/$lost.$name")" "$(cat "$TEST_TMP/node-gpu-lost.$name")" \
        "$name on the two lost GPUs"
done
echo "ok: nvitop -1, --json, nvisel, the library and Python show GPU 2 lost, the rest as usual"

sim_env "$NVITOP_SCENARIOS/$lost.json"
tmux_start 160 50 "$NVITOP_BIN_DIR/nvitop" -m full --interval 0.5
wait_for "│   2  ERROR: GPU is Lost" "the lost GPU"
wait_for "│   3  H100 80GB HBM3" "the GPU after it"
wait_for "   52012 C" "GPU 1's process"
keys q
assert_eq "$(wait_exit)" 0 "the monitor's exit code"
echo "ok: the monitor shows GPU 2 lost and the others"
