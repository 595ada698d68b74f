#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `nvitop --prometheus URL` on a real Prometheus (loopback, 1 s scrapes) of three
# nvitop-exporters on three scenarios (MIG, a lost GPU, processes): the report and the JSON
# show every value of the scenarios (tests/e2e/fleet_expect.py); --only-node narrows both; an
# exporter that stops turns its node stale within two scrape intervals, with no value shown;
# started again, the node recovers.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exporter_lib.sh"
source "$(dirname "$0")/fleet_lib.sh"
expect=$(dirname "$0")/fleet_expect.py
user=$(id -un)

make_fleet_scenarios
start_fleet

# fleet_json [NODE=REASON ...]: nvitop's JSON matches the scenarios, those nodes stale.
fleet_json() {
    "$nvitop" --prometheus "$PROM_URL" --json >"$TEST_TMP/fleet.json" 2>"$TEST_TMP/fleet.err" || return 1
    python3 "$expect" json "$TEST_TMP" "$user" "$TEST_TMP/fleet.json" "$@" >"$TEST_TMP/diff"
}
fleet_text() {
    "$nvitop" --prometheus "$PROM_URL" -1 >"$TEST_TMP/fleet.txt" 2>"$TEST_TMP/fleet.err" || return 1
    python3 "$expect" text "$TEST_TMP" "$user" "$TEST_TMP/fleet.txt" "$@" >"$TEST_TMP/diff"
}

fleet_json || fail "the JSON differs from the scenarios: $(cat "$TEST_TMP/diff" "$TEST_TMP/fleet.err")"
fleet_text || fail "the report differs from the scenarios: $(cat "$TEST_TMP/diff" "$TEST_TMP/fleet.err")
$(cat "$TEST_TMP/fleet.txt")"
[ ! -s "$TEST_TMP/fleet.err" ] || fail "stderr: $(cat "$TEST_TMP/fleet.err")"
head -1 "$TEST_TMP/fleet.txt" | grep -q "^Fleet of $PROM_URL: 3 nodes, 8 GPUs: 7 busy, 1 idle, [0-9.]* GiB free$" ||
    fail "summary: $(head -1 "$TEST_TMP/fleet.txt")"

# --- --only-node narrows the report and the JSON
out=$("$nvitop" --prometheus "$PROM_URL" -1 --only-node 'lost-*')
assert_eq "$(grep -c '^NODE ' <<<"$out")" 1 "nodes with --only-node lost-*"
assert_contains "$out" "NODE lost-node ("
assert_contains "$(head -1 <<<"$out")" ": 1 node, 3 GPUs:"
n=$("$nvitop" --prometheus "$PROM_URL" --json --only-node '*:'"$PORT_mig_node" |
    python3 -c 'import json, sys; print(",".join(n["hostname"] for n in json.load(sys.stdin)["nodes"]))')
assert_eq "$n" "mig-node" "--only-node on the instance"

# --- an exporter stops: stale within two scrape intervals, no value of it shown. The node is
# stale from the first scrape that failed (its time is the node's last_scrape): that scrape
# must come within two intervals of the stop, whatever time this test's polling takes.
EXPORTER_PID=$PID_proc_node
stop_exporter TERM
stopped=$(date +%s.%N)
wait_for 10 fleet_json proc-node="exporter down"
elapsed=$(python3 -c "import json; n = [n for n in json.load(open('$TEST_TMP/fleet.json'))['nodes']
    if n['hostname'] == 'proc-node'][0]; print(round(n['last_scrape'] - $stopped, 2))")
python3 -c "import sys; sys.exit(0 if $elapsed <= 2 * $SCRAPE_S else 1)" ||
    fail "the node turned stale at a scrape $elapsed s after the stop (interval $SCRAPE_S s)"
fleet_text proc-node="exporter down" || fail "stale report: $(cat "$TEST_TMP/diff")"
grep -q "^NODE proc-node (127.0.0.1:$PORT_proc_node)  STALE: exporter down, last scrape " "$TEST_TMP/fleet.txt" ||
    fail "stale line: $(cat "$TEST_TMP/fleet.txt")"
head -1 "$TEST_TMP/fleet.txt" | grep -q ": 3 nodes (1 stale), 6 GPUs:" ||
    fail "summary of a stale fleet: $(head -1 "$TEST_TMP/fleet.txt")"

# --- started again: fresh, every value back
start_fleet_exporter proc-node "$PORT_proc_node"
wait_for 15 fleet_json
fleet_text || fail "the report after the restart: $(cat "$TEST_TMP/diff")"
echo "PASS (stale after $elapsed s)"
