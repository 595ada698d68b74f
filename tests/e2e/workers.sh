# SPDX-License-Identifier: Apache-2.0
# Real worker processes for the signal tests: start_worker NAME runs `python3 worker.py NAME`
# (sleeping 600 s, SIGINT at its default) in $TEST_TMP and records its pid in pid[NAME].
cat >"$TEST_TMP/worker.py" <<'PY'
import signal, time
signal.signal(signal.SIGINT, signal.SIG_DFL)  # a background job of a script ignores it
time.sleep(600)
PY
python=$(command -v /usr/bin/python3 || command -v python3) # not a shim: argv must settle
declare -A pid
start_worker() { # NAME
    (cd "$TEST_TMP" && exec -a python3 "$python" worker.py "$1") &
    pid[$1]=$!
}

# workers_scenario FILE NAME...: one H100 whose processes are these workers (pids_scenario)
workers_scenario() {
    local file=$1 pids=() w
    shift
    for w in "$@"; do pids+=("${pid[$w]}"); done
    pids_scenario "$file" "${pids[@]}"
}

# expect_death NAME SIGNAL-NUMBER: waits until the worker ended and checks the signal that
# ended it (exit status 128 + its number)
expect_death() {
    local status=0 end=$((SECONDS + TMUX_WAIT))
    while kill -0 "${pid[$1]}" 2>/dev/null; do
        ((SECONDS < end)) || fail "worker $1 is still alive"
        sleep 0.05
    done
    wait "${pid[$1]}" || status=$?
    assert_eq "$status" "$((128 + $2))" "exit status of worker $1"
}

alive() { kill -0 "${pid[$1]}" 2>/dev/null; } # NAME

# kill_workers: ends every worker still running (for the EXIT trap)
kill_workers() {
    local w
    for w in "${!pid[@]}"; do kill -9 "${pid[$w]}" 2>/dev/null || true; done
}
