#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/gpu-verify.sh, the one command for a machine with a real GPU, run here on the
# simulator (h100-under-load) with a stand-in nvidia-smi (tests/fixtures/gpu-verify/) in its
# quick mode, so that it cannot rot: every step passes and writes its files; a lying
# nvidia-smi is caught; what is missing is skipped; it stays shellcheck clean.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_SOURCE_DIR NVITOP_BUILD_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS NVITOP_FIXTURES
make_test_tmp

command -v shellcheck >/dev/null || fail "shellcheck is not installed (scripts/install-deps.sh installs it)"
shellcheck "$NVITOP_SOURCE_DIR/scripts/gpu-verify.sh" || fail "scripts/gpu-verify.sh is not shellcheck clean"

export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json
export GPU_VERIFY_QUICK=1 GPU_VERIFY_BENCH_ARGS="" GPU_VERIFY_BUILD=$NVITOP_BUILD_DIR
unset NVITOP_PROC_ROOT NVML_SIM_EPOCH NVML_SIM_CALLS FAKE_SMI_SKEW
path_with_smi=$NVITOP_FIXTURES/gpu-verify:$PATH
verify() { # OUT_DIR: runs the script from the repository root; sets rc
    (cd "$NVITOP_SOURCE_DIR" && scripts/gpu-verify.sh "$1") >"$TEST_TMP/out" 2>&1 && rc=0 || rc=$?
}
line() { # OUT_DIR STEP: the summary line of STEP
    grep "^$2 " "$1/summary.txt" || fail "no summary line for $2 in: $(cat "$1/summary.txt")"
}

# bench/run.sh builds its bare helpers without a sanitizer: they cannot load a sanitized
# simulator, so a sanitizer build leaves the bench step out.
steps="env abi smi bench monitor exporter record"
[ -z "${NVITOP_SANITIZE:-}" ] || steps=${steps/bench /}
PATH=$path_with_smi GPU_VERIFY_STEPS=$steps verify "$TEST_TMP/all"
[ "$rc" = 0 ] || fail "gpu-verify failed (exit $rc): $(cat "$TEST_TMP/out")"
for step in ${steps/abi /}; do
    assert_contains "$(line "$TEST_TMP/all" "$step")" " ok " "$step"
done
assert_contains "$(line "$TEST_TMP/all" abi)" "abi" # ok with CUDA's nvml.h here, else skip
assert_contains "$(line "$TEST_TMP/all" smi)" " 0 different"
assert_contains "$(line "$TEST_TMP/all" record)" " 0 different"
for f in env.txt nvitop.json nvidia-smi.xml smi-compare.txt monitor-usage.txt monitor-screen.txt \
    exporter-metrics.txt recording.json record-compare.txt; do
    [ -s "$TEST_TMP/all/$f" ] || fail "gpu-verify wrote no $f"
done
grep -q "NVITOP" "$TEST_TMP/all/monitor-screen.txt" || fail "no monitor screen"
grep -q '^gpu_utilization' "$TEST_TMP/all/exporter-metrics.txt" || fail "no exporter page"
assert_contains "$(cat "$TEST_TMP/out")" "summary in $TEST_TMP/all/summary.txt"

# A value that differs is a failure, named in the comparison.
FAKE_SMI_SKEW=1 PATH=$path_with_smi GPU_VERIFY_STEPS=smi verify "$TEST_TMP/skew"
assert_eq "$rc" 1 "exit code with a lying nvidia-smi"
assert_contains "$(line "$TEST_TMP/skew" smi)" "FAIL"
grep -q "^DIFF  GPU 0 name: nvitop 'NVIDIA H100 80GB HBM3', other 'NVIDIA Imaginary 9000'" \
    "$TEST_TMP/skew/smi-compare.txt" || fail "the name difference is not reported"

# A replay that does not match is a failure too (the recording replaced by another machine's).
GPU_VERIFY_STEPS=record verify "$TEST_TMP/replay"
assert_eq "$rc" 0 "exit code of the record step"
python3 "$NVITOP_SOURCE_DIR/scripts/gpu-verify-compare.py" replay "$TEST_TMP/replay/record-real.json" \
    "$TEST_TMP/all/nvitop.json" >/dev/null || fail "the same machine compared as different"
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/rtx4090-idle.json "$NVITOP_BUILD_DIR/src/nvitop" --json \
    >"$TEST_TMP/other.json"
python3 "$NVITOP_SOURCE_DIR/scripts/gpu-verify-compare.py" replay "$TEST_TMP/replay/record-real.json" \
    "$TEST_TMP/other.json" >"$TEST_TMP/cmp" && fail "another machine's replay passed the comparison"
grep -q "^DIFF  GPU 0 name" "$TEST_TMP/cmp" || fail "the other machine's name is not reported"

# Missing pieces are skipped, not failed: no nvidia-smi (when this machine has none), no
# exporter in the build folder.
if ! command -v nvidia-smi >/dev/null; then
    GPU_VERIFY_STEPS=smi verify "$TEST_TMP/nosmi"
    assert_eq "$rc" 0 "exit code without nvidia-smi"
    assert_contains "$(line "$TEST_TMP/nosmi" smi)" "skip  no nvidia-smi"
fi
mkdir -p "$TEST_TMP/build/src" "$TEST_TMP/build/sim"
ln -s "$NVITOP_BUILD_DIR/src/nvitop" "$TEST_TMP/build/src/nvitop"
GPU_VERIFY_BUILD=$TEST_TMP/build GPU_VERIFY_STEPS="exporter record" verify "$TEST_TMP/bare"
assert_eq "$rc" 0 "exit code with a bare build folder"
assert_contains "$(line "$TEST_TMP/bare" exporter)" "skip  nvitop-exporter not built"
assert_contains "$(line "$TEST_TMP/bare" record)" "skip  recorded (recording.json) but no simulator"

# No build folder: one line, exit 2.
GPU_VERIFY_BUILD=$TEST_TMP/none verify "$TEST_TMP/nobuild"
assert_eq "$rc" 2 "exit code without a build folder"
assert_eq "$(cat "$TEST_TMP/out")" "gpu-verify: build folder '$TEST_TMP/none' not found: run 'make build' first (or set GPU_VERIFY_BUILD)"
echo "gpu-verify: every step on the simulator, differences caught, missing pieces skipped"
