#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/check-nvml-abi.sh finds layout differences: it passes on an identical header and
# fails, naming the field, on one with a moved field or a changed constant. Where CUDA's own
# nvml.h is installed, our declarations must match it.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_SOURCE_DIR
make_test_tmp
check=$NVITOP_SOURCE_DIR/scripts/check-nvml-abi.sh
ours=$NVITOP_SOURCE_DIR/src/nvml/nvml_abi.h

mkdir -p "$TEST_TMP/same" "$TEST_TMP/moved" "$TEST_TMP/constant"
cp "$ours" "$TEST_TMP/same/nvml.h"
"$check" "$TEST_TMP/same/nvml.h" >"$TEST_TMP/out" 2>&1 || fail "identical header: $(cat "$TEST_TMP/out")"
assert_contains "$(cat "$TEST_TMP/out")" "match"

# Swap two fields of nvmlMemory_v2_t: reserved after free.
python3 - "$ours" "$TEST_TMP/moved/nvml.h" <<'PY'
import sys
s = open(sys.argv[1]).read()
a = "    unsigned long long reserved;\n    unsigned long long free;\n"
assert a in s
open(sys.argv[2], "w").write(s.replace(a, "    unsigned long long free;\n    unsigned long long reserved;\n"))
PY
"$check" "$TEST_TMP/moved/nvml.h" >"$TEST_TMP/out" 2>&1 && fail "a moved field went unnoticed"
assert_contains "$(cat "$TEST_TMP/out")" "nvmlMemory_v2_t.reserved: offset"

sed 's/#define NVML_FI_DEV_NVLINK_LINK_COUNT 91/#define NVML_FI_DEV_NVLINK_LINK_COUNT 92/' \
    "$ours" >"$TEST_TMP/constant/nvml.h"
"$check" "$TEST_TMP/constant/nvml.h" >"$TEST_TMP/out" 2>&1 && fail "a changed constant went unnoticed"
assert_contains "$(cat "$TEST_TMP/out")" "NVML_FI_DEV_NVLINK_LINK_COUNT = 92"

rc=0
"$check" >"$TEST_TMP/out" 2>&1 || rc=$?
case $rc in
0) echo "our NVML declarations match CUDA's nvml.h: $(cat "$TEST_TMP/out")" ;;
77) echo "no CUDA nvml.h on this machine: the real-header comparison runs on GPU machines" ;;
*) fail "our NVML declarations differ from CUDA's nvml.h: $(cat "$TEST_TMP/out")" ;;
esac
