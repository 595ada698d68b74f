#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NVML_SIM_CALLS is also written when a process exits without nvmlShutdown (counting calls made
# before init too), atomically: complete JSON, no temporary file left behind.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
require_env NVITOP_SIM_LIB NVITOP_SCENARIOS
make_test_tmp

py_env=$(python_sanitizer_env) || skip "python3 cannot load a library built with NVITOP_SANITIZE=$NVITOP_SANITIZE"

calls="$TEST_TMP/calls.json"
env $py_env NVML_SIM_SCENARIO="$NVITOP_SCENARIOS/h100-under-load.json" NVML_SIM_CALLS="$calls" \
    python3 - "$NVITOP_SIM_LIB" <<'PY'
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
n = ctypes.c_uint()
assert lib.nvmlDeviceGetCount_v2(ctypes.byref(n)) == 1  # before init: UNINITIALIZED
assert lib.nvmlInit_v2() == 0
assert lib.nvmlDeviceGetCount_v2(ctypes.byref(n)) == 0 and n.value == 1
assert lib.nvmlDeviceGetCount_v2(ctypes.byref(n)) == 0
PY
[ -f "$calls" ] || fail "no $calls after exit"
python3 - "$calls" <<'PY' || fail "unexpected call counts: $(cat "$calls")"
import json, sys
calls = json.load(open(sys.argv[1]))
assert calls == {"nvmlInit_v2": 1, "nvmlDeviceGetCount_v2": 3}, calls
PY
leftovers=$(find "$TEST_TMP" -name 'calls.json.tmp.*')
assert_eq "$leftovers" "" "temporary files left"
echo "ok: calls written at exit"
