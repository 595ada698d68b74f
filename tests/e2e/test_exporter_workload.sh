#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# nvitop-exporter's process_workload_info (ours) on the workload fixtures: the family's lines
# byte for byte against tests/fixtures/golden/workloads-exporter.txt (NVITOP_UPDATE_GOLDEN=1
# rewrites it), after every family of nvitop-exporter, whose series are the same as on a page
# without workloads.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exporter_lib.sh"
require_env NVITOP_FIXTURES
wl=$NVITOP_FIXTURES/workloads/host
export NVITOP_PROC_ROOT=$wl/proc NVITOP_RUNTIME_ROOT=$wl/root
export NVML_SIM_SCENARIO=$NVITOP_FIXTURES/scenarios/workloads.json
golden=$NVITOP_FIXTURES/golden/workloads-exporter.txt

start_exporter wl --hostname fixture-node
has_workloads() { curl -sf "$(metrics_url)" | grep -q '^process_workload_info{'; }
wait_for 20 has_workloads
curl -sf "$(metrics_url)" >"$TEST_TMP/page"
grep '^process_workload_info{' "$TEST_TMP/page" >"$TEST_TMP/ours"
if [ "${NVITOP_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$TEST_TMP/ours" "$golden"
elif ! cmp -s "$TEST_TMP/ours" "$golden"; then
    diff "$golden" "$TEST_TMP/ours" >&2 || true
    fail "process_workload_info differs from $golden"
fi
# ours is the last family: nothing of nvitop-exporter's comes after it
last=$(grep '^# HELP' "$TEST_TMP/page" | tail -1)
assert_contains "$last" "# HELP process_workload_info" "the last family"
# one info sample per exported process
assert_eq "$(grep -c '^process_info_info{' "$TEST_TMP/page")" "$(wc -l <"$TEST_TMP/ours")" \
    "workload samples"
echo "process_workload_info matches its golden file"
