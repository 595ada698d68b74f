#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# nvisel --inherit through the CUDA driver (the simulator's libcuda.so.1): CUDA's own order,
# CUDA_DEVICE_ORDER=PCI_BUS_ID, CUDA_VISIBLE_DEVICES as indices, (abbreviated) UUIDs and MIG,
# an old driver without cuDeviceGetUuid_v2, cuInit failures, a driver that hangs (exit 3),
# no libcuda and no helper (NVML's rules), and finding nvitop-cuda-probe beside the program,
# in an installed tree and by $NVITOP_CUDA_PROBE.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BIN_DIR NVITOP_BUILD_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS NVITOP_CUDA_SIM_LIB \
    NVITOP_CUDA_SIM_V1_LIB NVITOP_CUDA_PROBE_BIN
make_test_tmp

export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVITOP_CUDA_LIBRARY=$NVITOP_CUDA_SIM_LIB LC_ALL=C.UTF-8
unset LOGLEVEL CUDA_VISIBLE_DEVICES CUDA_DEVICE_ORDER NVITOP_CUDA_TIMEOUT NVITOP_CUDA_PROBE
nvisel=$NVITOP_BIN_DIR/nvisel

run() {
    "$nvisel" "$@" </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err" && rc=0 || rc=$?
    out=$(cat "$TEST_TMP/out")
    err=$(cat "$TEST_TMP/err")
    [ "$rc" -lt 128 ] || fail "nvisel $* died with signal $((rc - 128)): $err"
}

# visible CVD WANT [nvisel options]: nvisel -i -S with CUDA_VISIBLE_DEVICES=CVD ("-": unset)
# prints WANT, exit 0. -S: the order CUDA gives, unsorted.
visible() {
    local cvd=$1 want=$2
    shift 2
    if [ "$cvd" = - ]; then
        (unset CUDA_VISIBLE_DEVICES && run -i -S "$@" && echo "$rc|$out|$err" >"$TEST_TMP/res")
    else
        (export CUDA_VISIBLE_DEVICES=$cvd && run -i -S "$@" && echo "$rc|$out|$err" >"$TEST_TMP/res")
    fi
    local res
    res=$(cat "$TEST_TMP/res")
    assert_eq "${res%%|*}" 0 "exit code with CUDA_VISIBLE_DEVICES=$cvd ${CUDA_DEVICE_ORDER:-} $*"
    res=${res#*|}
    assert_eq "${res%%|*}" "$want" \
        "CUDA_VISIBLE_DEVICES=$cvd ${CUDA_DEVICE_ORDER:+CUDA_DEVICE_ORDER=$CUDA_DEVICE_ORDER} nvisel -i -S $*"
}

# ---- CUDA's order differs from NVML's: cuda:0 is the A100 (NVML 2), cuda:1 the A40 (3) ----
export NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/cuda-order.json
visible - 2,3,0,1
visible 0,1 2,3
visible 3,0 1,2
visible 1,9,0 3
visible 0,0 ""
visible "" ""
visible " 2 , 1 " 0,3
visible GPU-7a3c0002,GPU-c9e40003-1d2b-4a8e-9f31-6a7b8c9d0e12 1,2
visible GPU-7a3c000 "" # ambiguous: two V100s start so
visible 1,GPU-7a3c0001 3,0 # the driver takes mixed entries (NVML's rules stop at the second)
visible 0,1 GPU-c9e40003-1d2b-4a8e-9f31-6a7b8c9d0e12,GPU-c9e40004-1d2b-4a8e-9f31-6a7b8c9d0e13 -O uuid
# The value of --inherit wins over the environment.
CUDA_VISIBLE_DEVICES=0 run -i 3 -S
assert_eq "$out" 1 "--inherit VALUE over CUDA_VISIBLE_DEVICES"
# Sorted, the order no longer shows: the values decide.
CUDA_VISIBLE_DEVICES=0,1,2,3 run -i
assert_eq "$out" 2,0,3,1 "sorted selection from CUDA's devices"
export CUDA_DEVICE_ORDER=PCI_BUS_ID
visible - 0,1,2,3
visible 0,1 0,1
visible 3,0 3,0
visible 1,9,0 1
export CUDA_DEVICE_ORDER=FASTEST_FIRST
visible 0,1 2,3
unset CUDA_DEVICE_ORDER
# An old driver (no cuDeviceGetUuid_v2) gives the same answer for GPUs.
NVITOP_CUDA_LIBRARY=$NVITOP_CUDA_SIM_V1_LIB visible 3,0 1,2

# No libcuda, or no helper: NVML's rules, NVML's order (as Python nvitop falls back).
NVITOP_CUDA_LIBRARY=/nonexistent/libcuda.so.1 visible 0,1 0,1
NVITOP_CUDA_LIBRARY=/nonexistent/libcuda.so.1 visible - 0,1,2,3
NVITOP_CUDA_PROBE=/nonexistent/nvitop-cuda-probe visible 3,0 3,0
NVITOP_CUDA_LIBRARY=/nonexistent/libcuda.so.1 LOGLEVEL=DEBUG run -i 0,1
assert_contains "$err" "by no CUDA driver: the CUDA driver library: /nonexistent/libcuda.so.1"
LOGLEVEL=DEBUG run -i 0,1
assert_contains "$err" 'DEBUG: CUDA_VISIBLE_DEVICES="0,1": NVML devices [2,3] by driver'

# The helper is found beside nvisel in the build tree, or named by NVITOP_CUDA_PROBE.
[ -x "$NVITOP_BIN_DIR/nvitop-cuda-probe" ] || fail "nvitop-cuda-probe is not beside nvisel"
cp "$nvisel" "$TEST_TMP/nvisel-alone"
"$TEST_TMP/nvisel-alone" -i 0,1 -S >"$TEST_TMP/out" 2>/dev/null
assert_eq "$(cat "$TEST_TMP/out")" 0,1 "without a helper: NVML's rules"
NVITOP_CUDA_PROBE=$NVITOP_CUDA_PROBE_BIN "$TEST_TMP/nvisel-alone" -i 0,1 -S >"$TEST_TMP/out" 2>/dev/null
assert_eq "$(cat "$TEST_TMP/out")" 2,3 "NVITOP_CUDA_PROBE"

# ---- MIG through the driver (a100-mig-node: GPUs 0 and 1 have MIG on) ----
export NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/a100-mig-node.json
visible - MIG-1484f407-bc99-74b8-436f-a8a80c425b3f
visible MIG-eed69fbb MIG-eed69fbb-a5c2-f273-3459-3acd55d98c6e
visible MIG-a371db42-1fc4-2e3e-0171-65409a4e9ef1,MIG-eed69fbb MIG-a371db42-1fc4-2e3e-0171-65409a4e9ef1
visible MIG-GPU-240d84d6/2/0 MIG-a371db42-1fc4-2e3e-0171-65409a4e9ef1
visible 3,2 3,2
visible 3,1,2 MIG-cad5e297-d169-6006-2911-a606db427e48
# An old driver names a MIG device by its GPU's UUID: read again, that is the GPU's first
# instance (what Python nvitop gets from such a driver too).
NVITOP_CUDA_LIBRARY=$NVITOP_CUDA_SIM_V1_LIB visible MIG-eed69fbb MIG-1484f407-bc99-74b8-436f-a8a80c425b3f
NVITOP_CUDA_LIBRARY=$NVITOP_CUDA_SIM_V1_LIB visible 3,2 3,2

# ---- cuInit failures ----
python3 - "$NVITOP_SCENARIOS/cuda-order.json" "$TEST_TMP" <<'PY'
import json, sys
base = json.load(open(sys.argv[1]))
for name, cuda in {"nodev": {"init_error": "NO_DEVICE"}, "mismatch": {"init_error": "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH"},
                   "unknown": {"init_error": "UNKNOWN"}, "slow": {"order": [2, 3, 0, 1], "init_latency_us": 2000000},
                   "lost": {"order": [2, 3, 0, 1]}, "lost-handle": {"order": [2, 3, 0, 1]},
                   "no-handle": {"order": [2, 3, 0, 1]}}.items():
    doc = json.loads(json.dumps(dict(base, cuda=cuda)))
    if name == "lost":
        doc["devices"][2]["errors"] = {"*": "GPU_IS_LOST"}
    if name == "lost-handle":  # the common lost GPU: no handle at all
        doc["devices"][2]["errors"] = {"nvmlDeviceGetHandleByIndex": "GPU_IS_LOST"}
    if name == "no-handle":  # a GPU whose device node this user may not open
        doc["devices"][0]["errors"] = {"nvmlDeviceGetHandleByIndex": "NO_PERMISSION"}
    json.dump(doc, open(f"{sys.argv[2]}/{name}.json", "w"))
PY
# "No device" from cuInit is an answer: CUDA sees nothing.
NVML_SIM_SCENARIO=$TEST_TMP/nodev.json visible - ""
NVML_SIM_SCENARIO=$TEST_TMP/mismatch.json visible 0,1 ""
# Any other failure: NVML's rules.
NVML_SIM_SCENARIO=$TEST_TMP/unknown.json visible 3,0 3,0
NVML_SIM_SCENARIO=$TEST_TMP/unknown.json LOGLEVEL=DEBUG run -i 0
assert_contains "$err" "by CUDA driver error: cuInit: CUDA_ERROR_UNKNOWN (999)"
# A lost GPU is not enumerated by CUDA, and never selected.
NVML_SIM_SCENARIO=$TEST_TMP/lost.json visible - 3,0,1
NVML_SIM_SCENARIO=$TEST_TMP/lost.json visible 0 3
# Nor is a GPU NVML cannot get a handle for (lost already there, or not to be opened).
NVML_SIM_SCENARIO=$TEST_TMP/lost-handle.json visible - 3,0,1
NVML_SIM_SCENARIO=$TEST_TMP/lost-handle.json visible 0 3
NVML_SIM_SCENARIO=$TEST_TMP/no-handle.json visible - 2,3,1
NVML_SIM_SCENARIO=$TEST_TMP/no-handle.json visible 2 1
# A driver that does not answer: killed after NVITOP_CUDA_TIMEOUT, one clear error, exit 3.
start=$(date +%s%N)
NVML_SIM_SCENARIO=$TEST_TMP/slow.json NVITOP_CUDA_TIMEOUT=0.5 run -i 0,1,99
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
assert_eq "$rc" 3 "exit code when the driver hangs"
assert_eq "$out" "" "stdout when the driver hangs"
assert_eq "$err" "CUDA ERROR: the CUDA driver did not answer within 0.5 s (nvitop-cuda-probe was stopped); set NVITOP_CUDA_TIMEOUT (seconds) to wait longer." \
    "stderr when the driver hangs"
[ "$elapsed_ms" -lt 4000 ] || fail "the hung driver was waited for ${elapsed_ms} ms"
pgrep -f "nvitop-cuda-probe --library $NVITOP_CUDA_SIM_LIB --visible 0,1,99" >/dev/null &&
    fail "the helper survived its timeout"
NVML_SIM_SCENARIO=$TEST_TMP/slow.json NVITOP_CUDA_TIMEOUT=30 visible 0,1 2,3

# ---- an installed tree: the helper in libexec/nvitop, found relative to bin/nvisel ----
cmake --install "$NVITOP_BUILD_DIR" --prefix "$TEST_TMP/prefix" >"$TEST_TMP/log" 2>&1 ||
    fail "cmake --install: $(cat "$TEST_TMP/log")"
probe=$(find "$TEST_TMP/prefix" -name nvitop-cuda-probe -type f)
case "$probe" in
*/libexec/nvitop/nvitop-cuda-probe) ;;
*) fail "nvitop-cuda-probe installed at '$probe'" ;;
esac
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/cuda-order.json CUDA_VISIBLE_DEVICES=0,1 \
    "$TEST_TMP/prefix/bin/nvisel" -i -S >"$TEST_TMP/out" 2>/dev/null
assert_eq "$(cat "$TEST_TMP/out")" 2,3 "the installed nvisel finds the installed helper"
echo "nvisel cuda: ok"
