#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# nvitop-exporter's command line end to end: --version, --help, every option check with
# nvitop-exporter 1.7's message and exit 2, startup errors (no library, no driver, no GPU, port
# in use, address not local, bad name, bad certificate) with exit 1, the startup lines, the
# HTTP endpoints, the page checked by promtool, and a clean stop on SIGINT and SIGTERM.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exporter_lib.sh"

h100=$NVITOP_SCENARIOS/h100-under-load.json
export NVML_SIM_SCENARIO=$h100

run() {
    "$exporter" "$@" </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err" && rc=0 || rc=$?
    out=$(cat "$TEST_TMP/out")
    err=$(cat "$TEST_TMP/err")
    [ "$rc" -lt 128 ] || fail "nvitop-exporter $* died with signal $((rc - 128)): $err"
}

# usage_error MESSAGE ARG...: exit 2, the usage and "nvitop-exporter: error: MESSAGE".
usage_error() {
    local want=$1
    shift
    run "$@"
    assert_eq "$rc" 2 "exit code of $*"
    assert_eq "$out" "" "stdout of $*"
    assert_contains "$err" "usage: nvitop-exporter [--help] [--version]"
    assert_eq "$(tail -n 1 "$TEST_TMP/err")" "nvitop-exporter: error: $want" "message of $*"
}

# startup_error MESSAGE ARG...: exit 1 and MESSAGE as the last line of stderr.
startup_error() {
    local want=$1
    shift
    run "$@"
    assert_eq "$rc" 1 "exit code of $*"
    assert_eq "$out" "" "stdout of $*"
    assert_contains "$(tail -n 1 "$TEST_TMP/err")" "$want"
}

# --- version and help
run --version
assert_eq "$rc" 0 "--version exit"
assert_eq "$out" "nvitop-exporter 1.7.0 (nvitop 1.7.0)" "--version"
run -V
assert_eq "$out" "nvitop-exporter 1.7.0 (nvitop 1.7.0)" "-V"
run --help
assert_eq "$rc" 0 "--help exit"
for text in "Prometheus exporter built on top of \`nvitop\`." "--hostname HOSTNAME, --host HOSTNAME, -H HOSTNAME" \
    "--bind-address ADDRESS, --bind ADDRESS, -B ADDRESS" "Local address to bind to. (default: 127.0.0.1)" \
    "--port PORT, -p PORT  Port to listen on. (default: 8000)" \
    "--interval SEC        Interval between updates in seconds. (default: 1.0)" "TLS / mTLS options:" \
    "--certfile PATH" "--keyfile PATH" "--client-cafile PATH" "--client-capath PATH" \
    "--client-auth-required"; do
    assert_contains "$out" "$text" "--help"
done

# --- option checks (nvitop-exporter 1.7's words)
usage_error "the interval 0.1s is too short, which may cause performance issues. Expected 1/4 or higher." --interval 0.1
usage_error "argument --interval: invalid positive float value: '0'" --interval 0
usage_error "argument --interval: invalid positive float value: 'soon'" --interval soon
usage_error "argument --port/-p: invalid int value: 'http'" --port http
usage_error "argument --hostname/--host/-H: expected one argument" --hostname
usage_error "unrecognized arguments: --verbose" --verbose
touch "$TEST_TMP/cert.pem" "$TEST_TMP/key.pem" "$TEST_TMP/ca.pem"
mkdir "$TEST_TMP/cadir"
usage_error "\`--certfile\` and \`--keyfile\` must be specified together." --certfile "$TEST_TMP/cert.pem"
usage_error "\`--certfile\` and \`--keyfile\` must be specified together." --keyfile "$TEST_TMP/key.pem"
usage_error "\`--certfile\` not found: $TEST_TMP/none.pem" --certfile "$TEST_TMP/none.pem" --keyfile "$TEST_TMP/key.pem"
usage_error "\`--keyfile\` not found: $TEST_TMP/cadir" --certfile "$TEST_TMP/cert.pem" --keyfile "$TEST_TMP/cadir"
usage_error "\`--client-cafile\` not found: $TEST_TMP/none.pem" --certfile "$TEST_TMP/cert.pem" \
    --keyfile "$TEST_TMP/key.pem" --client-cafile "$TEST_TMP/none.pem" --client-auth-required
usage_error "\`--client-capath\` not a directory: $TEST_TMP/ca.pem" --certfile "$TEST_TMP/cert.pem" \
    --keyfile "$TEST_TMP/key.pem" --client-capath "$TEST_TMP/ca.pem" --client-auth-required
usage_error "Mutual TLS options require \`--certfile\` and \`--keyfile\`." --client-auth-required
usage_error "Mutual TLS options require \`--certfile\` and \`--keyfile\`." --client-capath "$TEST_TMP/cadir"
mtls_set="\`--client-cafile\` / \`--client-capath\` and \`--client-auth-required\` must be specified together to enable mutual TLS."
usage_error "$mtls_set" --certfile "$TEST_TMP/cert.pem" --keyfile "$TEST_TMP/key.pem" --client-cafile "$TEST_TMP/ca.pem"
usage_error "$mtls_set" --certfile "$TEST_TMP/cert.pem" --keyfile "$TEST_TMP/key.pem" --client-auth-required

# --- startup errors: one message, exit 1
NVITOP_NVML_LIBRARY=/nonexistent/libnvidia-ml.so.1 startup_error \
    "FATAL ERROR: NVIDIA Management Library (NVML) not found" --port 0
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/driver-not-loaded.json startup_error \
    "NVML ERROR: The NVIDIA driver is not loaded" --port 0
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/no-gpus.json startup_error "NVML ERROR: No NVIDIA devices found." --port 0
assert_eq "$(wc -l <"$TEST_TMP/err")" 1 "no-GPU lines"
startup_error "ERROR: bind(): port must be 0-65535." --port 70000
startup_error "ERROR: [Errno " --bind-address "no such host.invalid" --port 0
port=$(free_port)
startup_error "ERROR: Cannot assign requested address at http://198.51.100.7:$port. Please specify a different address via \`--bind-address <ADDRESS>\`." \
    --bind-address 198.51.100.7 --port "$port"
start_exporter busy
busy_port=$EXPORTER_PORT
startup_error "ERROR: Address http://127.0.0.1:$busy_port is already in use. Please specify a different port via \`--port <PORT>\`." \
    --port "$busy_port"
assert_contains "$err" "INFO: Found 1 device(s)." "lines before the bind error"
echo "not a certificate" >"$TEST_TMP/cert.pem"
startup_error "ERROR: Failed to load TLS certificate/key from \`$TEST_TMP/cert.pem\` / \`$TEST_TMP/key.pem\`: " \
    --port 0 --certfile "$TEST_TMP/cert.pem" --keyfile "$TEST_TMP/key.pem"

# --- startup lines, colours when asked for
err=$(cat "$TEST_TMP/busy.err")
assert_eq "$(sed -n 1p <<<"$err")" "INFO: Found 1 device(s)."
assert_eq "$(sed -n 2p <<<"$err")" "INFO: GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-1de2f14b-cd12-82d1-aa10-2fa6f4e66366)"
default_host=$(sed -n 's/^INFO: Start the exporter on \(.*\) at http:.*/\1/p' <<<"$err")
[ -n "$default_host" ] || fail "no Start line: $err"
assert_eq "$(sed -n 3p <<<"$err")" "INFO: Start the exporter on $default_host at http://127.0.0.1:$busy_port/metrics."
page=$(curl -sf "$(metrics_url)")
assert_contains "$page" "nvitop_info{cuda_driver_version=\"13.0\",device_count=\"1\",driver_version=\"580.159.04\",hostname=\"$default_host\"} 1.0"
stop_exporter TERM
assert_eq "$STOP_RC" 0 "exit code after SIGTERM"

NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/a100-mig-node.json FORCE_COLOR=1 start_exporter mig --hostname 'node "7"'
err=$(cat "$TEST_TMP/mig.err")
esc=$'\033'
assert_eq "$(sed -n 1p <<<"$err")" "${esc}[1m${esc}[33mINFO:${esc}[0m Found ${esc}[1m${esc}[32m8${esc}[0m physical device(s) and ${esc}[1m${esc}[34m5${esc}[0m MIG device(s)."
assert_eq "$(sed -n 3p <<<"$err")" "${esc}[1m${esc}[33mINFO:${esc}[0m   MIG 3g.20gb     Device  0: (UUID: MIG-1484f407-bc99-74b8-436f-a8a80c425b3f)"
assert_contains "$err" "Start the exporter on ${esc}[1m${esc}[35mnode \"7\"${esc}[0m at ${esc}[4m${esc}[1m${esc}[32mhttp://127.0.0.1:$EXPORTER_PORT/metrics${esc}[0m."
page=$(curl -sf "$(metrics_url)")
assert_contains "$page" 'gpu_memory_total_MiB{devicename="NVIDIA A100-SXM4-40GB MIG 3g.20gb",hostname="node \"7\"",index="0:0",uuid="MIG-1484f407-bc99-74b8-436f-a8a80c425b3f"} 20096.0'
# a process of MIG device 0:0 is listed under GPU 0 too, as nvitop-exporter lists it
assert_contains "$page" 'process_gpu_memory_MiB{devicename="NVIDIA A100-SXM4-40GB",hostname="node \"7\"",index="0",pid="21000",username="N/A",uuid="GPU-254a9493-75a3-7476-f3a3-2cbcc5521660"} 4500.0'
assert_contains "$page" 'index="0:0",pid="21000",username="N/A"'

# --- promtool: the page parses; its only remarks are about nvitop-exporter's own names
printf '%s\n' "$page" >"$TEST_TMP/page.txt"
promtool check metrics <"$TEST_TMP/page.txt" >"$TEST_TMP/lint" 2>&1 && prc=0 || prc=$?
[ "$prc" = 0 ] || [ "$prc" = 3 ] || fail "promtool check metrics failed ($prc): $(cat "$TEST_TMP/lint")"
if grep -v "metric names should be written in 'snake_case' not 'camelCase'" "$TEST_TMP/lint" | grep -q .; then
    fail "promtool: $(cat "$TEST_TMP/lint")"
fi

# --- HTTP endpoints
code() { curl -s -o "$TEST_TMP/body" -D "$TEST_TMP/headers" -w '%{http_code}' "$@"; }
assert_eq "$(code "$(metrics_url /)")" 200 "GET /"
assert_contains "$(cat "$TEST_TMP/body")" '<a href="/metrics">'
assert_eq "$(code "$(metrics_url /healthz)")" 200 "GET /healthz"
assert_eq "$(cat "$TEST_TMP/body")" "ok" "/healthz body"
assert_eq "$(code "$(metrics_url /metrics/)")" 404 "GET /metrics/"
assert_eq "$(code "$(metrics_url /favicon.ico)")" 404 "GET /favicon.ico"
assert_eq "$(code -X POST -d x=1 "$(metrics_url)")" 405 "POST /metrics"
assert_contains "$(cat "$TEST_TMP/headers")" "Allow: GET, HEAD, OPTIONS"
assert_eq "$(code -X DELETE "$(metrics_url /)")" 405 "DELETE /"
assert_eq "$(code -X OPTIONS "$(metrics_url)")" 200 "OPTIONS /metrics"
assert_eq "$(code -I "$(metrics_url)")" 200 "HEAD /metrics"
! grep -q "# HELP" "$TEST_TMP/body" || fail "HEAD /metrics sent the page"
assert_eq "$(code -g "$(metrics_url)?name[]=gpu_memory_total_MiB&name%5B%5D=nvitop_info")" 200 "GET with name[]"
assert_eq "$(grep -v '^#' "$TEST_TMP/body" | sed 's/{.*//' | sort | uniq -c | tr -s ' \n' '  ')" \
    " 13 gpu_memory_total_MiB 1 nvitop_info " "name[] filter (8 GPUs and 5 MIG devices)"
assert_contains "$(cat "$TEST_TMP/headers")" "Content-Type: text/plain; version=0.0.4; charset=utf-8"
len=$(sed -n 's/^Content-Length: \([0-9]*\).*/\1/p' "$TEST_TMP/headers")
assert_eq "$len" "$(wc -c <"$TEST_TMP/body")" "Content-Length"

# --- the dashboard is what its generator writes
require_env NVITOP_SOURCE_DIR
python3 "$NVITOP_SOURCE_DIR/grafana/make_dashboard.py" --check || fail "grafana/dashboard.json is stale"

# --- Ctrl-C: a blank line, "INFO: Interrupted by user.", exit 0
stop_exporter INT
assert_eq "$STOP_RC" 0 "exit code after SIGINT"
assert_eq "$(tail -n 2 "$TEST_TMP/mig.err" | head -n 1)" "" "blank line before the last one"
assert_eq "$(tail -n 1 "$TEST_TMP/mig.err")" "${esc}[1m${esc}[33mINFO:${esc}[0m Interrupted by user."
echo "PASS"
