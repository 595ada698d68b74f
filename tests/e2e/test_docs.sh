#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The API reference (docs/Doxyfile, `make docs`) builds without a single warning: every public
# function, type, field and macro of include/nvitop/*.h is documented (WARN_AS_ERROR). The
# reference holds the library guide (docs/library.md) as its main page.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_SOURCE_DIR
make_test_tmp
command -v doxygen >/dev/null || fail "doxygen is not installed (scripts/install-deps.sh installs it)"

cd "$NVITOP_SOURCE_DIR"
status=0
NVITOP_DOCS_OUTPUT=$TEST_TMP doxygen docs/Doxyfile >"$TEST_TMP/out" 2>"$TEST_TMP/err" || status=$?
[ ! -s "$TEST_TMP/err" ] || fail "doxygen warned:
$(head -40 "$TEST_TMP/err")"
assert_eq "$status" 0 "doxygen's exit status"
html=$TEST_TMP/html
[ -f "$html/index.html" ] || fail "no html/index.html"
for name in nvitop_take_snapshots nvitop_collector_collect nvitop_select_devices nvitop_version; do
    grep -rlq "$name" "$html" || fail "$name is not in the reference"
done
grep -q "Linking" "$html/index.html" || fail "the main page is not docs/library.md"
echo "docs: the reference builds without warnings"
