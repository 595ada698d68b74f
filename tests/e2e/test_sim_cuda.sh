#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The libcuda stand-in read by an independent client (Python ctypes, the way Python nvitop
# binds libcuda): every entry point, its error codes, versions and bus ids, the v1 library's
# missing cuDeviceGetUuid_v2, and the helper's own output on it.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_CUDA_SIM_LIB NVITOP_CUDA_SIM_V1_LIB NVITOP_SCENARIOS NVITOP_CUDA_PROBE_BIN
make_test_tmp
unset CUDA_VISIBLE_DEVICES CUDA_DEVICE_ORDER NVITOP_CUDA_LIBRARY
sanitizer_env=$(python_sanitizer_env) || skip "a Python client cannot load a $NVITOP_SANITIZE build"

client() { # scenario, python code reading `cuda` (the library) and `v1`
    # shellcheck disable=SC2086
    env $sanitizer_env NVML_SIM_SCENARIO="$1" python3 - "$NVITOP_CUDA_SIM_LIB" \
        "$NVITOP_CUDA_SIM_V1_LIB" <<PY
import ctypes, sys
cuda = ctypes.CDLL(sys.argv[1])
v1 = ctypes.CDLL(sys.argv[2])
def check(got, want, what):
    if got != want:
        sys.exit(f"FAIL: {what}: expected {want!r}, got {got!r}")
def uuid(lib, fn, dev):
    buf = (ctypes.c_ubyte * 16)()
    rc = getattr(lib, fn)(buf, dev)
    return rc, bytes(buf).hex() if rc == 0 else None
$2
PY
}

client "$NVITOP_SCENARIOS/cuda-order.json" '
n = ctypes.c_int(-1)
check(cuda.cuDeviceGetCount(ctypes.byref(n)), 3, "count before cuInit: NOT_INITIALIZED")
v = ctypes.c_int(-1)
check((cuda.cuDriverGetVersion(ctypes.byref(v)), v.value), (0, 13000), "driver version")
check(cuda.cuInit(1), 1, "cuInit(1): INVALID_VALUE")
check(cuda.cuInit(0), 0, "cuInit")
check(cuda.cuInit(0), 0, "cuInit again")
check((cuda.cuDeviceGetCount(ctypes.byref(n)), n.value), (0, 4), "count")
check(cuda.cuDeviceGetCount(None), 1, "count NULL")
d = ctypes.c_int(-1)
check((cuda.cuDeviceGet(ctypes.byref(d), 3), d.value), (0, 3), "cuDeviceGet")
check(cuda.cuDeviceGet(ctypes.byref(d), 4), 101, "cuDeviceGet out of range")
check(uuid(cuda, "cuDeviceGetUuid_v2", 0), (0, "c9e400031d2b4a8e9f316a7b8c9d0e12"), "cuda:0 is the A100")
check(uuid(cuda, "cuDeviceGetUuid", 2), (0, "7a3c00015e214f0b8d2a3b9e1c4d5f60"), "cuda:2 is V100 #0")
bus = ctypes.create_string_buffer(32)
check((cuda.cuDeviceGetPCIBusId(bus, 32, 1), bus.value), (0, b"0000:3E:00.0"), "bus id of cuda:1")
name = ctypes.c_char_p()
check((cuda.cuGetErrorName(100, ctypes.byref(name)), name.value), (0, b"CUDA_ERROR_NO_DEVICE"), "error name")
check(cuda.cuGetErrorName(12345, ctypes.byref(name)), 1, "unknown error name")
check(hasattr(v1, "cuDeviceGetUuid_v2"), False, "the v1 library has no cuDeviceGetUuid_v2")
check(hasattr(v1, "cuDeviceGetUuid"), True, "the v1 library has cuDeviceGetUuid")
' || fail "the stand-in on cuda-order.json"

# MIG: _v2 gives the MIG device's UUID, the old call its GPU's.
CUDA_VISIBLE_DEVICES=MIG-eed69fbb client "$NVITOP_SCENARIOS/a100-mig-node.json" '
check(cuda.cuInit(0), 0, "cuInit")
check(uuid(cuda, "cuDeviceGetUuid_v2", 0), (0, "eed69fbba5c2f27334593acd55d98c6e"), "MIG UUID")
check(uuid(cuda, "cuDeviceGetUuid", 0), (0, "254a949375a37476f3a32cbcc5521660"), "its GPU UUID")
' || fail "the stand-in on MIG"

# Without a scenario or with a broken one: cuInit fails, and says why for a broken one.
client "" 'check(cuda.cuInit(0), 100, "no scenario: NO_DEVICE")' || fail "no scenario"
echo '{"devices": 5}' >"$TEST_TMP/bad.json"
client "$TEST_TMP/bad.json" 'check(cuda.cuInit(0), 999, "bad scenario: UNKNOWN")' \
    2>"$TEST_TMP/err" || fail "bad scenario"
assert_contains "$(cat "$TEST_TMP/err")" "cuda-sim: nvml-sim: $TEST_TMP/bad.json:1: devices: expected an array"
echo '{"cuda": {"order": [0, 0]}, "devices": [{}, {}]}' >"$TEST_TMP/dup.json"
client "$TEST_TMP/dup.json" 'check(cuda.cuInit(0), 999, "duplicate order")' \
    2>"$TEST_TMP/err" || fail "duplicate order"
assert_contains "$(cat "$TEST_TMP/err")" "cuda.order[1]: GPU 0 is listed twice"
echo '{"cuda": {"init_error": "SUCCESS"}, "devices": []}' >"$TEST_TMP/succ.json"
client "$TEST_TMP/succ.json" 'check(cuda.cuInit(0), 999, "init_error SUCCESS is refused")' \
    2>"$TEST_TMP/err" || fail "init_error SUCCESS"
assert_contains "$(cat "$TEST_TMP/err")" "cuda.init_error: expected a CUresult name"

# The helper's whole answer on the stand-in.
out=$(NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/cuda-order.json "$NVITOP_CUDA_PROBE_BIN" \
    --library "$NVITOP_CUDA_SIM_LIB" --visible 1,0)
assert_eq "$out" "nvitop-cuda-probe 1
driver 13000
count 2
device 0 c9e40004-1d2b-4a8e-9f31-6a7b8c9d0e13 0000:3E:00.0
device 1 c9e40003-1d2b-4a8e-9f31-6a7b8c9d0e12 0000:3D:00.0
ok" "nvitop-cuda-probe --visible 1,0"
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/cuda-order.json "$NVITOP_CUDA_PROBE_BIN" \
    --library "$NVITOP_CUDA_SIM_LIB" --visible 0,0 >"$TEST_TMP/out" && rc=0 || rc=$?
assert_eq "$rc $(tail -n1 "$TEST_TMP/out")" "1 error cuda cuInit 100 CUDA_ERROR_NO_DEVICE" "helper: no device"
"$NVITOP_CUDA_PROBE_BIN" --library /nonexistent/libcuda.so.1 >"$TEST_TMP/out" && rc=0 || rc=$?
assert_eq "$rc $(tail -n1 "$TEST_TMP/out" | cut -d: -f1)" "1 error library /nonexistent/libcuda.so.1" \
    "helper: no library"
"$NVITOP_CUDA_PROBE_BIN" --bogus >/dev/null 2>&1 && rc=0 || rc=$?
assert_eq "$rc" 2 "helper: bad argument"
echo "sim cuda: ok"
