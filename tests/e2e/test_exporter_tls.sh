#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# nvitop-exporter over HTTPS with certificates made here by openssl: a self-signed server
# certificate; mutual TLS with a client CA file and with a CA directory (a client with a
# certificate of that CA is served, one without a certificate or with another CA's is refused
# by the handshake); and a real Prometheus scraping over mutual TLS.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exporter_lib.sh"
source "$(dirname "$0")/tls_certs.sh"
export NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json
cd "$TEST_TMP"

san="subjectAltName=IP:127.0.0.1,DNS:localhost"
# a self-signed server certificate
openssl req -x509 "${tls_ec[@]}" -keyout self.key -out self.crt -days 2 -subj /CN=127.0.0.1 \
    -addext "$san" 2>/dev/null
# a CA, a server and a client certificate it signs, and a client of another CA
tls_cas ca rogue
tls_cert server ca "$san"
tls_cert client ca "extendedKeyUsage=clientAuth"
tls_cert intruder rogue "extendedKeyUsage=clientAuth"
mkdir cadir && cp ca.crt cadir/clients.pem && echo "not a certificate" >cadir/README

get() { # curl options...: prints the HTTP code, or "refused" when the connection failed
    local code
    code=$(curl -s -o body -w '%{http_code}' --max-time 5 "$@") || code="refused"
    echo "$code"
}

# --- HTTPS with a self-signed certificate
start_exporter self --certfile self.crt --keyfile self.key
assert_contains "$(cat self.err)" "at https://127.0.0.1:$EXPORTER_PORT/metrics."
assert_eq "$(get --cacert self.crt "https://127.0.0.1:$EXPORTER_PORT/metrics")" 200 "HTTPS scrape"
assert_contains "$(cat body)" 'gpu_memory_total_MiB{devicename="NVIDIA H100 80GB HBM3"'
assert_eq "$(get "https://127.0.0.1:$EXPORTER_PORT/metrics")" refused "HTTPS with an unknown CA"
assert_eq "$(get "http://127.0.0.1:$EXPORTER_PORT/metrics")" refused "plain HTTP to the TLS port"
stop_exporter TERM
assert_eq "$STOP_RC" 0 "HTTPS exporter exit"

# --- mutual TLS, CA bundle file
start_exporter mtls --certfile server.crt --keyfile server.key --client-cafile ca.crt \
    --client-auth-required
url="https://127.0.0.1:$EXPORTER_PORT/metrics"
assert_eq "$(get --cacert ca.crt --cert client.crt --key client.key "$url")" 200 "mTLS with a client certificate"
assert_contains "$(cat body)" "nvitop_info{"
assert_eq "$(get --cacert ca.crt "$url")" refused "mTLS without a client certificate"
assert_eq "$(get --cacert ca.crt --cert intruder.crt --key intruder.key "$url")" refused \
    "mTLS with another CA's certificate"
assert_eq "$(get --cacert ca.crt --cert client.crt --key client.key "${url%/metrics}/healthz")" 200 "mTLS /healthz"

# --- a real Prometheus scraping over mutual TLS
prom_port=$(free_port)
cat >prometheus.yml <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: nvitop-tls
    scheme: https
    tls_config:
      ca_file: $TEST_TMP/ca.crt
      cert_file: $TEST_TMP/client.crt
      key_file: $TEST_TMP/client.key
    static_configs:
      - targets: ['127.0.0.1:$EXPORTER_PORT']
EOF
prometheus --config.file=prometheus.yml --storage.tsdb.path=tsdb \
    --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >prometheus.log 2>&1 &
STARTED_PIDS+=($!)
wait_for 20 curl -sf "http://127.0.0.1:$prom_port/-/ready"
scraped() {
    curl -sf "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode 'query=gpu_temperature_C' |
        grep -q '"hostname"'
}
wait_for 20 scraped
stop_exporter INT
assert_eq "$STOP_RC" 0 "mTLS exporter exit"

# --- mutual TLS, CA directory
start_exporter capath --certfile server.crt --keyfile server.key --client-capath cadir \
    --client-auth-required
url="https://127.0.0.1:$EXPORTER_PORT/metrics"
assert_eq "$(get --cacert ca.crt --cert client.crt --key client.key "$url")" 200 "mTLS (--client-capath)"
assert_eq "$(get --cacert ca.crt "$url")" refused "mTLS (--client-capath) without a certificate"
stop_exporter TERM

# --- a CA directory without certificates, a key that does not match: one line, exit 1
mkdir empty && echo "not a certificate" >empty/README
"$exporter" --port 0 --certfile server.crt --keyfile server.key --client-capath empty \
    --client-auth-required >out 2>err && rc=0 || rc=$?
assert_eq "$rc" 1 "empty CA directory exit"
assert_contains "$(tail -n 1 err)" "ERROR: Failed to load client CA bundle from \`empty\`: "
"$exporter" --port 0 --certfile server.crt --keyfile self.key >out 2>err && rc=0 || rc=$?
assert_eq "$rc" 1 "mismatched key exit"
assert_contains "$(tail -n 1 err)" "ERROR: Failed to load TLS certificate/key from \`server.crt\` / \`self.key\`: "
echo PASS
