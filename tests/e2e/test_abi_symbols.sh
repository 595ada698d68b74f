#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ABI discipline of libnvitop.so: it exports nvitop_* symbols only (everything else is hidden
# by -fvisibility=hidden), exactly the functions the public headers declare with NVITOP_API,
# and its SONAME carries the major version.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BUILD_DIR NVITOP_SOURCE_DIR
make_test_tmp
command -v nm >/dev/null || skip "nm is not installed"
lib=$NVITOP_BUILD_DIR/src/libnvitop.so
[ -e "$lib" ] || fail "$lib not built"

nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | sort -u >"$TEST_TMP/exported"
[ -s "$TEST_TMP/exported" ] || fail "nm -D shows no symbol in $lib"
others=$(grep -v '^nvitop_' "$TEST_TMP/exported" || true)
[ -z "$others" ] || fail "libnvitop.so exports symbols outside nvitop_*: $(echo "$others" | head -20)"

# The declarations: "NVITOP_API <type> <name>(" possibly with the name on the next line.
cat "$NVITOP_SOURCE_DIR"/include/nvitop/*.h | tr '\n' ' ' | grep -oE 'NVITOP_API [^;(]*\(' |
    grep -oE 'nvitop_[a-z0-9_]+ *\($' | tr -d ' (' | sort -u >"$TEST_TMP/declared"
[ "$(wc -l <"$TEST_TMP/declared")" -gt 50 ] || fail "too few NVITOP_API declarations found"
missing=$(comm -23 "$TEST_TMP/declared" "$TEST_TMP/exported")
[ -z "$missing" ] || fail "declared but not exported: $missing"
extra=$(comm -13 "$TEST_TMP/declared" "$TEST_TMP/exported")
[ -z "$extra" ] || fail "exported but not declared in a public header: $extra"

soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
assert_eq "$soname" "libnvitop.so.1" "SONAME"
echo "abi: $(wc -l <"$TEST_TMP/exported") nvitop_* symbols, all declared: ok"
