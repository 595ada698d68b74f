# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Certificates for the TLS tests, made by openssl in the current directory: EC P-256 keys,
# valid for 2 days. Sourced after lib.sh.
command -v openssl >/dev/null || fail "openssl is not installed (scripts/install-deps.sh)"
tls_ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)

# tls_cas NAME...: a self-signed CA for each name (NAME.key, NAME.crt).
tls_cas() {
    local ca
    for ca in "$@"; do
        openssl req -x509 "${tls_ec[@]}" -keyout "$ca.key" -out "$ca.crt" -days 2 \
            -subj "/CN=$ca CA" 2>/dev/null
    done
}

# tls_cert NAME CA EXTENSION: NAME.key and NAME.crt, signed by CA, with the x509v3 EXTENSION.
tls_cert() {
    openssl req "${tls_ec[@]}" -keyout "$1.key" -out "$1.csr" -subj "/CN=$1" 2>/dev/null
    printf '%s\n' "$3" >"$1.ext"
    openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 2 \
        -extfile "$1.ext" -out "$1.crt" 2>/dev/null
}
