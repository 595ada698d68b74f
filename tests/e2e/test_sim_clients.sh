#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Two independent NVML clients (C through dlopen, Python through ctypes as pynvml binds NVML)
# read seeded random scenarios through the simulator and must print exactly what each scenario
# holds, N/A and injected errors included; both also run on every shipped scenario, find the
# library through the loader's search path, and report init failures.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
require_env NVITOP_SIM_LIB NVITOP_CLIENTS_DIR NVITOP_SCENARIOS NVITOP_SOURCE_DIR
make_test_tmp

gen="$here/test_sim_clients_gen.py"
c_client="$NVITOP_CLIENTS_DIR/nvml_client"
py_client="$NVITOP_SOURCE_DIR/tests/clients/nvml_client.py"
[ -x "$c_client" ] || fail "$c_client was not built"
seeds=${NVITOP_SIM_CLIENT_SEEDS:-12}

run_python=1
if ! py_env=$(python_sanitizer_env); then
    run_python=0
    echo "NOTE: the Python client is skipped: a library built with NVITOP_SANITIZE=$NVITOP_SANITIZE cannot be loaded into python3"
elif [ -n "$py_env" ]; then
    echo "NOTE: the Python client runs with $py_env (sanitized simulator)"
fi

# run_clients SCENARIO NAME: writes $TEST_TMP/NAME.c.json and NAME.py.json.
run_clients() {
    NVML_SIM_SCENARIO="$1" "$c_client" "$NVITOP_SIM_LIB" >"$TEST_TMP/$2.c.json" \
        || fail "C client failed on $1"
    if [ "$run_python" = 1 ]; then
        env $py_env NVML_SIM_SCENARIO="$1" python3 "$py_client" "$NVITOP_SIM_LIB" \
            >"$TEST_TMP/$2.py.json" || fail "Python client failed on $1"
    fi
}

for seed in $(seq 1 "$seeds"); do
    python3 "$gen" gen "$seed" "$TEST_TMP/s$seed.json" "$TEST_TMP/s$seed.expected.json"
    run_clients "$TEST_TMP/s$seed.json" "s$seed"
    python3 "$gen" compare "$TEST_TMP/s$seed.expected.json" "$TEST_TMP/s$seed.c.json" \
        "C client, seed $seed" || fail "the C client read other values than scenario seed $seed holds"
    if [ "$run_python" = 1 ]; then
        python3 "$gen" compare "$TEST_TMP/s$seed.expected.json" "$TEST_TMP/s$seed.py.json" \
            "Python client, seed $seed" || fail "the Python client read other values than scenario seed $seed holds"
    fi
done
echo "ok: $seeds random scenarios read back exactly"

# Every shipped scenario, its sequences frozen at their first value (a slow scenario's read
# crosses a step): both clients run, print JSON and read the same values, apart from the NVLink
# counters, which grow while they read (the number of links must agree).
freeze=$NVITOP_SOURCE_DIR/tests/python/differential/_frozen.py
for scenario in "$NVITOP_SCENARIOS"/*.json; do
    name=$(basename "$scenario" .json)
    python3 "$freeze" "$scenario" "$TEST_TMP/$name.frozen.json" || fail "cannot freeze $scenario"
    run_clients "$TEST_TMP/$name.frozen.json" "$name"
    for out in "$TEST_TMP/$name".*.json; do
        python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" || fail "$out is not JSON"
    done
    [ "$run_python" = 1 ] || continue
    python3 - "$TEST_TMP/$name.c.json" "$TEST_TMP/$name.py.json" <<'PY' ||
import json, re, sys
def differences(x, y, path=""):
    if type(x) is not type(y):
        return [path]
    if isinstance(x, dict):
        return [d for k in sorted(set(x) | set(y)) for d in differences(x.get(k), y.get(k), f"{path}.{k}")]
    if isinstance(x, list):
        if len(x) != len(y):
            return [f"{path} (length)"]
        return [d for i, (a, b) in enumerate(zip(x, y)) for d in differences(a, b, f"{path}[{i}]")]
    counter = re.search(r"nvlink\.links\[\d+\]\.(tx|rx)$", path)
    return [] if x == y or counter else [f"{path}: {x!r} vs {y!r}"]
found = differences(*(json.load(open(f)) for f in sys.argv[1:3]))
sys.exit("\n".join(found[:10]) if found else 0)
PY
        fail "the C and Python clients disagree on $name (above)"
done
echo "ok: every shipped scenario read alike by both clients"

# Init failures, and the library found through the loader's search path (no path given).
out=$(env -u NVML_SIM_SCENARIO LD_LIBRARY_PATH="$(dirname "$NVITOP_SIM_LIB")" "$c_client")
assert_contains "$out" '"error": "NVML_ERROR_DRIVER_NOT_LOADED"' "C client without a scenario"
out=$(NVML_SIM_SCENARIO="$NVITOP_SCENARIOS/version-mismatch.json" \
    LD_LIBRARY_PATH="$(dirname "$NVITOP_SIM_LIB")" "$c_client")
assert_contains "$out" '"error": "NVML_ERROR_LIB_RM_VERSION_MISMATCH"' "C client, version mismatch"
if [ "$run_python" = 1 ]; then
    out=$(env $py_env NVML_SIM_SCENARIO="$NVITOP_SCENARIOS/version-mismatch.json" \
        LD_LIBRARY_PATH="$(dirname "$NVITOP_SIM_LIB")" python3 "$py_client")
    assert_contains "$out" '"error": "NVML_ERROR_LIB_RM_VERSION_MISMATCH"' "Python client"
fi
echo "ok: init failures reported"
