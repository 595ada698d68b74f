#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `nvitop -1` and `nvitop --json` on every shipped scenario (and tests/fixtures/scenarios/),
# on the fixture host tests/fixtures/proc/basic, at several widths, plain, coloured and ASCII:
# byte for byte against tests/fixtures/golden/ (the date line aside; in the JSON the time and
# the disk usage of the machine running the test). NVITOP_UPDATE_GOLDEN=1 rewrites the golden
# files instead; review the diff before committing it.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS NVITOP_FIXTURES
make_test_tmp

export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic
export TZ=UTC LOGNAME=root USER=root LC_ALL=C.UTF-8
unset NO_COLOR FORCE_COLOR ANSI_COLORS_DISABLED CUDA_VISIBLE_DEVICES NVITOP_MONITOR_MODE
unset NVITOP_GPU_UTILIZATION_THRESHOLDS NVITOP_MEMORY_UTILIZATION_THRESHOLDS LOGLEVEL
golden_dir=$NVITOP_FIXTURES/golden

# variant name, COLUMNS, extra options
variants=(
    "79 79"
    "80 80"
    "120 120"
    "200 200"
    "200-color 200 --force-color"
    "79-ascii 79 --ascii"
)
scenarios=(h100-under-load rtx4090-idle a100-mig-node node-gpu-lost node-container-pids
           unsupported-fields no-gpus node-8gpu-100proc fixture-host)
scenario_file() {
    local f=$NVITOP_SCENARIOS/$1.json
    [ -f "$f" ] || f=$NVITOP_FIXTURES/scenarios/$1.json
    echo "$f"
}

# compare NAME GOLDEN ACTUAL: checks (or with NVITOP_UPDATE_GOLDEN=1 rewrites) one golden file.
compare() {
    if [ "${NVITOP_UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$3" "$2"
    elif ! cmp -s "$3" "$2"; then
        echo "--- $1 differs from $2:" >&2
        diff "$2" "$3" >&2 || true
        failed=$((failed + 1))
    fi
    checked=$((checked + 1))
}

checked=0 failed=0
for scenario in "${scenarios[@]}"; do
    for variant in "${variants[@]}"; do
        read -r name columns options <<<"$variant"
        [ "$scenario" = node-8gpu-100proc ] && [ "$name" != 79 ] && [ "$name" != 200 ] && continue
        golden=$golden_dir/$scenario-$name.txt
        # shellcheck disable=SC2086
        NVML_SIM_SCENARIO=$(scenario_file "$scenario") COLUMNS=$columns \
            "$NVITOP_BIN_DIR/nvitop" -1 $options >"$TEST_TMP/out" 2>"$TEST_TMP/err" &&
            rc=0 || rc=$?
        [ "$rc" = 0 ] || fail "$scenario $name: exit $rc: $(cat "$TEST_TMP/err")"
        [ -s "$TEST_TMP/err" ] && fail "$scenario $name: unexpected stderr: $(cat "$TEST_TMP/err")"
        tail -n +2 "$TEST_TMP/out" >"$TEST_TMP/body"
        compare "$scenario $name" "$golden" "$TEST_TMP/body"
    done
    NVML_SIM_SCENARIO=$(scenario_file "$scenario") "$NVITOP_BIN_DIR/nvitop" --json \
        >"$TEST_TMP/json" 2>"$TEST_TMP/err" || fail "$scenario --json: $(cat "$TEST_TMP/err")"
    python3 - "$TEST_TMP/json" >"$TEST_TMP/body" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for key in ("time", "time_unix_s"):
    doc[key] = "(masked)"
doc["host"]["disk_usage"] = "(masked: the disks of the machine running the test)"
print(json.dumps(doc, indent=2))
PY
    compare "$scenario --json" "$golden_dir/$scenario.json" "$TEST_TMP/body"
done
[ "$failed" = 0 ] || fail "$failed of $checked reports differ from their golden files"
echo "$checked reports match their golden files"
