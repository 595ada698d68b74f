# SPDX-License-Identifier: Apache-2.0
# Helpers of the nvitop-exporter end-to-end tests (sourced after lib.sh, never run): start the
# exporter (or Prometheus) in the background on a free port, wait for it with a timeout instead
# of a fixed sleep, and kill whatever was started when the test exits, however it exits.

require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS
exporter=$NVITOP_BIN_DIR/nvitop-exporter
export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB
unset NO_COLOR FORCE_COLOR LOGLEVEL CUDA_VISIBLE_DEVICES NVITOP_PROC_ROOT

STARTED_PIDS=()
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/nvitop-exporter-e2e.XXXXXX")

cleanup() {
    local pid
    for pid in "${STARTED_PIDS[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$TEST_TMP"
}
trap cleanup EXIT

# free_port: prints a TCP port nobody listens on at this moment.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for SECONDS COMMAND...: polls COMMAND every 50 ms until it succeeds; fails the test after
# SECONDS.
wait_for() {
    local limit=$1 start=$SECONDS
    shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS - start < limit)) || fail "timed out after ${limit}s waiting for: $*"
        sleep 0.05
    done
}

# start_exporter NAME ARG...: starts nvitop-exporter on a free port (--port 0) with stderr in
# $TEST_TMP/NAME.err and waits for its "Start the exporter" line; sets EXPORTER_PID and
# EXPORTER_PORT.
start_exporter() {
    local name=$1
    shift
    "$exporter" --port 0 "$@" </dev/null >"$TEST_TMP/$name.out" 2>"$TEST_TMP/$name.err" &
    EXPORTER_PID=$!
    STARTED_PIDS+=("$EXPORTER_PID")
    local start=$SECONDS
    until grep -q "Start the exporter on" "$TEST_TMP/$name.err"; do
        kill -0 "$EXPORTER_PID" 2>/dev/null || fail "nvitop-exporter $* exited: $(cat "$TEST_TMP/$name.err")"
        ((SECONDS - start < 20)) || fail "nvitop-exporter $* did not start in 20 s"
        sleep 0.05
    done
    EXPORTER_PORT=$(sed 's/\x1b\[[0-9]*m//g' "$TEST_TMP/$name.err" |
        sed -n 's/.*at https\{0,1\}:\/\/[^ ]*:\([0-9]*\)\/metrics\./\1/p')
    [ -n "$EXPORTER_PORT" ] || fail "no port in: $(cat "$TEST_TMP/$name.err")"
}

# stop_exporter SIGNAL: sends SIGNAL and waits (10 s at most) for a clean exit; sets STOP_RC.
stop_exporter() {
    kill "-$1" "$EXPORTER_PID"
    local start=$SECONDS
    while kill -0 "$EXPORTER_PID" 2>/dev/null; do
        ((SECONDS - start < 10)) || fail "nvitop-exporter did not stop within 10 s of SIG$1"
        sleep 0.05
    done
    wait "$EXPORTER_PID" && STOP_RC=0 || STOP_RC=$?
}

# metrics_url [PATH]: the exporter's URL.
metrics_url() {
    echo "http://127.0.0.1:$EXPORTER_PORT${1:-/metrics}"
}

# write_scenario FILE JSON: replaces FILE atomically (a new file, then mv), so the simulator
# never reads it half written.
write_scenario() {
    printf '%s\n' "$2" >"$1.tmp.$$"
    mv -f "$1.tmp.$$" "$1"
}
