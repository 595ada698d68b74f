#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What nvitop -1 and --json cost the driver, counted by the simulator: every per-device NVML
# question at most once per device (MIG devices included), system functions once, and never
# the slow PCIe/NVLink throughput counters (about 20 ms a call on an H100). A function taking a
# selector (clock type, threshold, ECC counter) asks one question per selector the output
# shows: the report shows the SM and memory clocks and the volatile ECC count.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS NVITOP_FIXTURES
make_test_tmp

export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic
export LOGNAME=root LC_ALL=C.UTF-8
unset NVITOP_MONITOR_MODE LOGLEVEL CUDA_VISIBLE_DEVICES

checked=0
for scenario in h100-under-load rtx4090-idle a100-mig-node node-gpu-lost node-container-pids \
    unsupported-fields no-gpus node-8gpu-100proc node-64gpu-4000proc; do
    for args in "-1" "-1 -U" "--json"; do
        for columns in 79 200; do
            [ "$args" = "--json" ] && [ "$columns" = 200 ] && continue
            calls=$TEST_TMP/calls.json
            # shellcheck disable=SC2086
            NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/$scenario.json NVML_SIM_CALLS=$calls \
                COLUMNS=$columns "$NVITOP_BIN_DIR/nvitop" $args >/dev/null 2>"$TEST_TMP/err" ||
                fail "$scenario nvitop $args: $(cat "$TEST_TMP/err")"
            python3 - "$NVITOP_SCENARIOS/$scenario.json" "$calls" "$scenario nvitop $args ($columns columns)" <<'PY' ||
import json, sys
scenario, calls, what = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
devices = scenario.get("devices", [])
physical = len(devices)
leaves = sum(len(d.get("mig_devices") or []) or 1 for d in devices)
every = physical + sum(len(d.get("mig_devices") or []) for d in devices)
slow = ("nvmlDeviceGetPcieThroughput", "nvmlDeviceGetFieldValues", "nvmlDeviceGetNvLinkState")
report = "--json" not in what
selectors = {"nvmlDeviceGetClockInfo": 2 if report else 4, "nvmlDeviceGetMaxClockInfo": 4,
             "nvmlDeviceGetTemperatureThreshold": 2,
             "nvmlDeviceGetTotalEccErrors": 1 if report else 2}
problems = []
for name, count in calls.items():
    if name.startswith(slow):
        problems.append(f"{name} called {count} times (slow counters)")
    elif name.startswith("nvmlSystem") or name in ("nvmlInit_v2", "nvmlShutdown",
                                                    "nvmlDeviceGetCount_v2"):
        if count > 1:
            problems.append(f"{name} called {count} times")
    elif name.startswith(("nvmlDeviceGetComputeRunningProcesses",
                          "nvmlDeviceGetGraphicsRunningProcesses",
                          "nvmlDeviceGetProcessUtilization")):
        if count > leaves:
            problems.append(f"{name} called {count} times for {leaves} leaf devices")
    elif count > every * selectors.get(name, 1):
        problems.append(f"{name} called {count} times for {every} devices")
if problems:
    sys.exit(f"{what}:\n  " + "\n  ".join(problems))
PY
                fail "NVML call bound exceeded"
            checked=$((checked + 1))
        done
    done
done
echo "$checked runs within their NVML call bounds"
