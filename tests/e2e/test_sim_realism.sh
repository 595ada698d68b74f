#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scenarios a real driver could answer (tests/e2e/scenario_realism.py on every shipped one and
# on the test fixtures), the generated ones equal to what gen-large.py writes today, and the
# programs on a driver without the R510+ symbols (build/sim/pre-r510/): memory from
# nvmlDeviceGetMemoryInfo (used includes the reserved memory), the temperature from
# nvmlDeviceGetTemperature, processes from the _v2 lists.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_SIM_PRE_R510_LIB NVITOP_SCENARIOS NVITOP_FIXTURES \
    NVITOP_SOURCE_DIR
make_test_tmp

python3 "$NVITOP_SOURCE_DIR/tests/e2e/scenario_realism.py" "$NVITOP_SCENARIOS"/*.json \
    "$NVITOP_FIXTURES"/scenarios/*.json || fail "scenarios a driver would not answer (above)"
echo "ok: shipped scenarios are realistic"

python3 "$NVITOP_SCENARIOS/gen-large.py" "$TEST_TMP" || fail "gen-large.py"
for name in node-64gpu-4000proc node-8gpu-100proc; do
    cmp -s "$TEST_TMP/$name.json" "$NVITOP_SCENARIOS/$name.json" ||
        fail "$name.json differs from what gen-large.py writes (rerun it)"
done
echo "ok: generated scenarios are up to date"

exported() { nm -D --defined-only "$1" | awk '{print $3}' | sort; }
exported "$NVITOP_SIM_LIB" >"$TEST_TMP/full"
exported "$NVITOP_SIM_PRE_R510_LIB" >"$TEST_TMP/old"
missing=$(comm -23 "$TEST_TMP/full" "$TEST_TMP/old" | tr '\n' ' ')
assert_eq "$missing" "nvmlDeviceGetAddressingMode nvmlDeviceGetComputeRunningProcesses_v3 \
nvmlDeviceGetConfComputeMemSizeInfo nvmlDeviceGetCurrentClocksEventReasons \
nvmlDeviceGetGraphicsRunningProcesses_v3 nvmlDeviceGetMPSComputeRunningProcesses_v3 \
nvmlDeviceGetMemoryInfo_v2 nvmlDeviceGetRunningProcessDetailList nvmlDeviceGetTemperatureV " \
    "symbols the pre-R510 build leaves out"
echo "ok: the pre-R510 build lacks the R510+ symbols"

export NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic LOGNAME=root LC_ALL=C.UTF-8 TZ=UTC
unset NVITOP_MONITOR_MODE LOGLEVEL CUDA_VISIBLE_DEVICES
for scenario in h100-under-load unsupported-fields; do
    for lib in full old; do
        path=$NVITOP_SIM_LIB
        [ "$lib" = old ] && path=$NVITOP_SIM_PRE_R510_LIB
        NVITOP_NVML_LIBRARY=$path NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/$scenario.json \
            "$NVITOP_BIN_DIR/nvitop" --json >"$TEST_TMP/$scenario-$lib.json" 2>"$TEST_TMP/err" ||
            fail "nvitop --json on $scenario with the $lib driver: $(cat "$TEST_TMP/err")"
        NVITOP_NVML_LIBRARY=$path NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/$scenario.json \
            "$NVITOP_BIN_DIR/nvitop" -1 >"$TEST_TMP/$scenario-$lib.txt" 2>&1 ||
            fail "nvitop -1 on $scenario with the $lib driver"
    done
done
python3 - "$TEST_TMP" "$NVITOP_SCENARIOS" <<'PY' || fail "values on the pre-R510 driver"
import json, sys
tmp, scenarios = sys.argv[1:3]
for name in ("h100-under-load", "unsupported-fields"):
    full_doc = json.load(open(f"{tmp}/{name}-full.json"))
    old_doc = json.load(open(f"{tmp}/{name}-old.json"))
    pids = lambda doc: [p["pid"] for p in doc["processes"]]
    assert pids(old_doc) == pids(full_doc), name
    full, old = full_doc["devices"], old_doc["devices"]
    sc = json.load(open(f"{scenarios}/{name}.json"))["devices"]
    for f, o, s in zip(full, old, sc):
        mem = s.get("memory") or {}
        reserved = mem.get("reserved") or 0
        if f["memory_used_bytes"] is None:
            continue
        assert f["memory_used_bytes"] == mem["used"], (name, f["memory_used_bytes"])
        # v1 counts the reserved memory as used and cannot tell it apart.
        assert o["memory_used_bytes"] == mem["used"] + reserved, (name, o["memory_used_bytes"])
        assert o["memory_total_bytes"] == f["memory_total_bytes"], name
        assert o["temperature_c"] == f["temperature_c"], (name, o["temperature_c"])
# One sensor: both temperature calls answer on unsupported-fields' first GPU.
assert json.load(open(f"{tmp}/unsupported-fields-full.json"))["devices"][0]["temperature_c"] == 41
PY
echo "ok: the programs fall back to the pre-R510 calls"
