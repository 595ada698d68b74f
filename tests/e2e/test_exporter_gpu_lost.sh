#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A GPU lost while nvitop-exporter runs leaves /metrics without a stale number: no page may
# hold its PCIe counters (the slow thread's, read before the loss) once the fast round has found
# it lost, and once it is gone it stays gone. The PCIe counters are made slow (0.3 s a call), so
# the slow thread's values stay from before the loss for several fast rounds, and every page
# served meanwhile is checked. (One page may still hold values the fast round read just before
# the loss, the simulator switching scenario between two calls of a round: each value is read
# at its own moment, as nvitop-exporter reads it.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exporter_lib.sh"

scenario=$TEST_TMP/scenario.json
# make_scenario [lost_gpu1]: two H100s; PCIe throughput takes 0.3 s a call.
make_scenario() {
    write_scenario "$scenario" "$(python3 - "$NVITOP_SCENARIOS" "$@" <<'PY'
import copy, json, sys
h100 = json.load(open(f"{sys.argv[1]}/h100-under-load.json"))
gpu1 = copy.deepcopy(h100["devices"][0])
gpu1["uuid"] = "GPU-1de2f14b-cd12-82d1-aa10-000000000001"
gpu1["bus_id"] = "00000000:00:07.0"
if "lost_gpu1" in sys.argv[2:]:
    gpu1["errors"] = {"*": "GPU_IS_LOST"}
h100["devices"].append(gpu1)
h100["latency_us"] = {"nvmlDeviceGetPcieThroughput": 300000}
print(json.dumps(h100))
PY
)"
}
make_scenario
export NVML_SIM_SCENARIO=$scenario
start_exporter exporter --interval 0.25

# has_pcie_of_gpu1: the slow thread's first round has reached the page.
has_pcie_of_gpu1() {
    curl -sf "$(metrics_url)" | grep -q '^gpu_pcie_rx_throughput_MiBps{.*index="1"'
}
wait_for 20 has_pcie_of_gpu1

make_scenario lost_gpu1
# Every page for 3 s (a slow round is 1.2 s); GPU 0 stays in every page.
python3 - "$(metrics_url)" <<'PY' || fail "GPU 1 did not leave /metrics cleanly"
import re, sys, time, urllib.request
lost_pages, gone = 0, False
end = time.monotonic() + 3.0
while time.monotonic() < end:
    page = urllib.request.urlopen(sys.argv[1], timeout=5).read().decode()
    gpu1 = sorted({m.group(1) for m in re.finditer(r'^(gpu_\w+)\{[^}]*index="1"', page, re.M)})
    if not re.search(r'^gpu_utilization_Percentage\{[^}]*index="0"', page, re.M):
        sys.exit("GPU 0 went with GPU 1")
    if "gpu_utilization_Percentage" in gpu1:
        if lost_pages:
            sys.exit("GPU 1's utilization came back after it went")
        continue
    lost_pages += 1
    slow = [m for m in gpu1 if m.startswith(("gpu_pcie_", "gpu_nvlink_"))]
    if slow:
        sys.exit(f"page {lost_pages} after the loss still has GPU 1's {' '.join(slow)}")
    if gone and gpu1:
        sys.exit(f"page {lost_pages}: GPU 1's {' '.join(gpu1)} came back after it went")
    gone = gone or not gpu1
if lost_pages < 10 or not gone:
    sys.exit(f"{lost_pages} pages after the loss, GPU 1 gone: {gone}")
print(f"{lost_pages} pages after the loss, none with a stale number")
PY
stop_exporter TERM
assert_eq "$STOP_RC" 0 "exit code after SIGTERM"
echo PASS
