# SPDX-License-Identifier: Apache-2.0
# What every bench script starts with (sourced, not run): die, and the directories checked.

die() {
    echo "bench: $*" >&2
    exit 1
}

# bench_dirs BUILD_DIR: sets root (the source tree), build (BUILD_DIR, absolute) and simlib (the
# NVML simulator built there), or dies naming what is missing.
bench_dirs() {
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    [[ -d $1 ]] || die "build directory '$1' not found: run 'make build' first"
    build=$(cd "$1" && pwd)
    simlib=$build/sim/libnvidia-ml.so.1
}

# bench_need_sim: dies unless the NVML simulator was built.
bench_need_sim() {
    [[ -f $simlib ]] || die "$simlib (the NVML simulator) is missing: run 'make build'"
}
