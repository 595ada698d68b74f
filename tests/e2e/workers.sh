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
