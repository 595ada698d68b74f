#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `nvitop -1` on every shipped scenario, on the fixture host tests/fixtures/proc/basic, at
# several widths, plain, coloured and ASCII: byte for byte against tests/fixtures/golden/
# (the date line aside). NVITOP_UPDATE_GOLDEN=1 rewrites the golden files instead; review the
# diff before committing it.
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
    "120 120"
    "200 200"
    "200-color 200 --force-color"
    "79-ascii 79 --ascii"
)
scenarios=(h100-under-load rtx4090-idle a100-mig-node node-gpu-lost node-container-pids
           unsupported-fields no-gpus node-8gpu-100proc)

checked=0 failed=0
for scenario in "${scenarios[@]}"; do
    for variant in "${variants[@]}"; do
        read -r name columns options <<<"$variant"
        [ "$scenario" = node-8gpu-100proc ] && [ "$name" != 79 ] && [ "$name" != 200 ] && continue
        golden=$golden_dir/$scenario-$name.txt
        # shellcheck disable=SC2086
        NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/$scenario.json COLUMNS=$columns \
            "$NVITOP_BIN_DIR/nvitop" -1 $options >"$TEST_TMP/out" 2>"$TEST_TMP/err" &&
            rc=0 || rc=$?
        [ "$rc" = 0 ] || fail "$scenario $name: exit $rc: $(cat "$TEST_TMP/err")"
        [ -s "$TEST_TMP/err" ] && fail "$scenario $name: unexpected stderr: $(cat "$TEST_TMP/err")"
        tail -n +2 "$TEST_TMP/out" >"$TEST_TMP/body"
        if [ "${NVITOP_UPDATE_GOLDEN:-}" = 1 ]; then
            cp "$TEST_TMP/body" "$golden"
        elif ! cmp -s "$TEST_TMP/body" "$golden"; then
            echo "--- $scenario $name differs from $golden:" >&2
            diff "$golden" "$TEST_TMP/body" >&2 || true
            failed=$((failed + 1))
        fi
        checked=$((checked + 1))
    done
done
[ "$failed" = 0 ] || fail "$failed of $checked reports differ from their golden files"
echo "$checked reports match their golden files"
