# SPDX-License-Identifier: Apache-2.0
# Shared helpers for the end-to-end tests (sourced, never run). Paths come from the environment
# ctest sets (NVITOP_BUILD_DIR, NVITOP_SIM_LIB, NVITOP_SCENARIOS, ...); nothing here is specific
# to one test.
set -euo pipefail

# Stops the test with a message on stderr.
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Ends the test as passed with a note (ctest shows it with --output-on-failure -V).
skip() {
    echo "SKIP: $*"
    exit 0
}

# assert_eq ACTUAL EXPECTED [WHAT]
assert_eq() {
    [ "$1" == "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

# assert_contains TEXT NEEDLE [WHAT]
assert_contains() {
    case "$1" in
    *"$2"*) ;;
    *) fail "${3:-output}: '$2' not found in: $1" ;;
    esac
}

# require_env VAR...: fails unless every variable is set (run the test through ctest).
require_env() {
    local v
    for v in "$@"; do
        [ -n "${!v:-}" ] || fail "$v is not set (run the tests through ctest)"
    done
}

# Creates $TEST_TMP, removed when the test exits however it exits.
make_test_tmp() {
    TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/nvitop-e2e.XXXXXX")
    trap 'rm -rf "$TEST_TMP"' EXIT
}

# Prints the environment prefix a Python process needs to load a library built with
# $NVITOP_SANITIZE (ASan must come first in the process); returns 1 when that cannot work.
python_sanitizer_env() {
    case "${NVITOP_SANITIZE:-}" in
    "") ;;
    *thread* | *memory*) return 1 ;;
    *address*)
        local asan
        asan=$("${NVITOP_C_COMPILER:-cc}" -print-file-name=libasan.so)
        [ -f "$asan" ] || return 1
        echo "LD_PRELOAD=$asan ASAN_OPTIONS=detect_leaks=0"
        ;;
    esac
}
