#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `nvitop --prometheus URL -1` / `--json` when Prometheus cannot answer: nobody listening, a
# wrong URL, 401/403, a page that is not JSON, an answer cut short, a huge one, a slow one,
# Prometheus' own error (tests/e2e/fleet_stub.py answers each), credentials from files, and a
# real Prometheus over TLS (certificates made here by openssl) with a wrong CA, without and
# with a client certificate. Each failure is one line naming the problem on stderr, nothing on
# stdout, exit code 1; never a crash.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exporter_lib.sh"
require_env NVITOP_BIN_DIR
source "$(dirname "$0")/tls_certs.sh"
command -v prometheus >/dev/null || fail "prometheus is not installed (scripts/install-deps.sh)"
nvitop=$NVITOP_BIN_DIR/nvitop
cd "$TEST_TMP"
# libcurl is loaded by --prometheus only: nvitop itself does not need it
if ldd "$nvitop" | grep -q libcurl; then fail "nvitop links libcurl: $(ldd "$nvitop" | grep curl)"; fi

python3 "$(dirname "$0")/fleet_stub.py" stub.port &
STARTED_PIDS+=($!)
wait_for 10 test -f stub.port
stub=http://127.0.0.1:$(cat stub.port)

# refused URL WORDS [OPTIONS...]: -1 and --json both fail with one line holding WORDS.
refused() {
    local url=$1 words=$2 mode rc
    shift 2
    for mode in -1 --json; do
        rc=0
        "$nvitop" --prometheus "$url" "$mode" "$@" >out 2>err || rc=$?
        assert_eq "$rc" 1 "exit code of $url $mode $*"
        [ ! -s out ] || fail "$url $mode printed: $(head -3 out)"
        assert_eq "$(wc -l <err)" 1 "lines on stderr for $url $mode: $(cat err)"
        assert_contains "$(cat err)" "ERROR: " "$url"
        assert_contains "$(cat err)" "$words" "$url $mode"
    done
}

refused "http://127.0.0.1:$(free_port)" "cannot connect (" # Prometheus down
refused "$stub/nope" "HTTP 404 Not Found for /api/v1/query: is this Prometheus' base URL"
refused "$stub/401" "HTTP 401 Unauthorized: credentials are missing or wrong"
refused "$stub/403" "HTTP 403 Forbidden: these credentials may not query Prometheus"
refused "$stub/html" "the answer is not Prometheus' JSON"
refused "$stub/html" 'begins "<html><body>Please log in</body></html>"'
refused "$stub/cut" "the answer was cut short"
refused "$stub/half" "the answer was cut short after"
refused "$stub/huge" "the answer is larger than 64 MiB"
refused "$stub/empty" "the answer is empty"
refused "$stub/matrix" "Prometheus answered a matrix, not an instant vector"
refused "$stub/error" 'HTTP 400: Prometheus answered with an error: bad_data: invalid parameter "query"'
start=$SECONDS
refused "$stub/slow" "no answer within 1 s (--prometheus-timeout)" --prometheus-timeout 1
((SECONDS - start <= 8)) || fail "two 1 s timeouts took $((SECONDS - start)) s"
refused "$stub/" "Prometheus at $stub:" # every message names the server
# credentials: in files, never in the messages
printf 'alice:s3cret\n' >auth
printf 'wrong:guess\n' >badauth
printf ' t0ken \n' >token
refused "$stub/auth" "HTTP 401" --prometheus-basic-auth-file badauth
"$nvitop" --prometheus "$stub/auth" -1 --prometheus-basic-auth-file auth >out || fail "basic auth: $(cat out)"
assert_contains "$(cat out)" "Fleet of $stub/auth: 0 nodes, 0 GPUs"
"$nvitop" --prometheus "$stub/auth" --json --prometheus-token-file token >out || fail "bearer token"
assert_contains "$(cat out)" '"nodes": 0'
"$nvitop" --prometheus "http://alice:s3cret@127.0.0.1:$(cat stub.port)/auth" -1 >out 2>err ||
    fail "credentials in the URL"
assert_contains "$(cat out)" "Fleet of $stub/auth:"
refused "http://alice:s3cret@127.0.0.1:$(cat stub.port)/401" "at $stub/401:"
grep -q s3cret err && fail "the password is in the message: $(cat err)"
refused "$stub/auth" "cannot read --prometheus-token-file missing:" --prometheus-token-file missing
printf '\n' >blank
refused "$stub/auth" "--prometheus-token-file blank is empty" --prometheus-token-file blank
refused "$stub/auth" "expected user:password" --prometheus-basic-auth-file token
# bad option values: argparse's exit code 2
for args in "--prometheus-timeout 0" "--stale-after x" "--only-node x" "--prometheus-cafile x"; do
    rc=0
    # shellcheck disable=SC2086
    "$nvitop" $args -1 >out 2>err || rc=$?
    assert_eq "$rc" 2 "exit code of $args"
done
rc=0
"$nvitop" --prometheus "$stub" --prometheus-certfile x -1 2>err || rc=$?
assert_eq "$rc" 2 "a certificate without its key"
rc=0
"$nvitop" --prometheus "ftp://127.0.0.1/" -1 2>err || rc=$?
assert_eq "$rc" 1 "an ftp:// URL"
assert_contains "$(cat err)" "unsupported scheme 'ftp'"

# --- a real Prometheus over TLS, client certificates required
tls_cas ca rogue
tls_cert server ca "subjectAltName=IP:127.0.0.1,DNS:localhost"
tls_cert client ca "extendedKeyUsage=clientAuth"
cat >web.yml <<EOF2
tls_server_config:
  cert_file: $TEST_TMP/server.crt
  key_file: $TEST_TMP/server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: $TEST_TMP/ca.crt
EOF2
printf 'global:\n  scrape_interval: 1s\n' >prometheus.yml
port=$(free_port)
prometheus --config.file=prometheus.yml --storage.tsdb.path=tsdb --web.config.file=web.yml \
    --web.listen-address="127.0.0.1:$port" --log.level=warn >prometheus.log 2>&1 &
STARTED_PIDS+=($!)
wait_for 20 curl -sf --cacert ca.crt --cert client.crt --key client.key "https://127.0.0.1:$port/-/ready"
tls=https://127.0.0.1:$port
mtls=(--prometheus-certfile client.crt --prometheus-keyfile client.key)
refused "$tls" "its TLS certificate is not trusted" "${mtls[@]}"                     # no CA given
refused "$tls" "its TLS certificate is not trusted" --prometheus-cafile rogue.crt "${mtls[@]}"
refused "$tls" "does the server want a client certificate (--prometheus-certfile)?" \
    --prometheus-cafile ca.crt # TLS 1.3: the server refuses after the handshake
refused "$tls" "cannot use the CA file missing.crt" --prometheus-cafile missing.crt
refused "http://127.0.0.1:$port" "HTTP 400 from /api/v1/query: Client sent an HTTP request to an HTTPS server"
"$nvitop" --prometheus "$tls" --prometheus-cafile ca.crt "${mtls[@]}" -1 >out 2>err ||
    fail "mutual TLS: $(cat err)"
assert_contains "$(cat out)" "Fleet of $tls: 0 nodes, 0 GPUs: 0 busy, 0 idle, 0.0 GiB free"
echo PASS
