#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# nvitop-exporter on the common lost GPU (node-gpu-lost-handle: nvmlDeviceGetHandleByIndex
# already answers GPU_IS_LOST): it starts, serves GPUs 0, 1 and 3 as usual, GPU 2 without a
# value, and the page is the one it serves when only the calls on GPU 2 fail (node-gpu-lost).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exporter_lib.sh"

# page SCENARIO: one /metrics page, GPU lines only, the throughputs left out (neither scenario
# has them; they would come with the slow thread's later rounds).
page() {
    export NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/$1.json
    start_exporter "$1" --interval 0.25
    has_gpu3() { curl -sf "$(metrics_url)" | grep -q '^gpu_utilization_Percentage{.*index="3"'; }
    wait_for 20 has_gpu3
    curl -sf "$(metrics_url)" >"$TEST_TMP/$1.page" || fail "no page on $1"
    stop_exporter TERM
    assert_eq "$STOP_RC" 0 "the exporter's exit code on $1"
    grep '^gpu_' "$TEST_TMP/$1.page" | grep -v '^gpu_\(pcie\|nvlink\)_' | sort
}
lost=$(page node-gpu-lost-handle)
for index in 0 1 3; do
    grep -q "^gpu_utilization_Percentage{.*index=\"$index\"" <<<"$lost" ||
        fail "GPU $index is not served: $lost"
done
! grep -q 'index="2"' <<<"$lost" || fail "GPU 2 has values: $(grep 'index="2"' <<<"$lost")"
assert_eq "$lost" "$(page node-gpu-lost)" "the pages of the two lost GPUs"
echo "ok: nvitop-exporter serves the other GPUs, GPU 2 without a value"
