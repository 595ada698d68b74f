#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Proves the monitor's terminal tests stable: runs each one N times in a row (default 20) while
# two busy loops load the machine, and stops at the first failure.
#   scripts/tui-stability.sh [BUILD_DIR] [N] [REGEX]   (REGEX: only the tests it matches)
# Needs `stress` (Debian package); takes about an hour on two cores for N=20.
set -euo pipefail
build=${1:-build}
runs=${2:-20}
only=${3:-.}
command -v stress >/dev/null || { echo "tui-stability: needs stress (apt-get install stress)" >&2; exit 2; }
[ -f "$build/CTestTestfile.cmake" ] || { echo "tui-stability: no CTest tree in $build (make build first)" >&2; exit 2; }

stress -c 2 -q &
stress_pid=$!
trap 'kill "$stress_pid" 2>/dev/null || true' EXIT

cd "$build"
tests=$(ctest -N -R 'e2e/test_(monitor|layout)_' | sed -n 's/^ *Test *#[0-9]*: //p' | grep -E -- "$only")
for t in $tests; do
    start=$SECONDS
    if ctest -R "^${t}\$" --repeat "until-fail:$runs" --output-on-failure >"/tmp/tui-stability.$$.log" 2>&1; then
        echo "ok    $t  ${runs}x  $((SECONDS - start)) s"
    else
        echo "FAIL  $t  (output: /tmp/tui-stability.$$.log)"
        exit 1
    fi
done
echo "all TUI tests passed $runs times in a row under load"
