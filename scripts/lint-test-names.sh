#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The unit tests' naming rule (docs/architecture.md "Tests"): tests/unit/test_<folder>_<file>.c
# tests src/<folder>/<file>.c, where a file named after its folder drops the repeat
# (test_nvml_calls.c for src/nvml/nvml_calls.c), so a module's test is found from its name.
# The simulator's tests are test_sim_*; a test of a topic spanning several files of a folder
# must be in TOPICS below. Fails naming every test that breaks the rule.
#   scripts/lint-test-names.sh [SOURCE_DIR]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

# test_<folder>_<topic>: what each one covers that no single file holds.
TOPICS="
core_api_null         every public function given NULL pointers
core_collector_threads the collector, its daemon and many threads at once
host_hostile          proc roots built to hurt every parser
render_pieces         the report's pieces: bars, cutting, colours, widths
tui_scroll            every process reachable in every order and mode
tui_widths            the main screen at every width
"

module_of() { # test name without test_ and .c -> the src/ file it names, or nothing
    local rest=$1 folder file
    for dir in src/*/; do
        folder=$(basename "$dir")
        [[ $rest == "${folder}_"* ]] || continue
        file=${rest#"${folder}_"}
        for candidate in "src/$folder/$file.c" "src/$folder/${folder}_$file.c"; do
            [[ -f $candidate ]] && { echo "$candidate"; return; }
        done
    done
}

bad=0
for path in tests/unit/test_*.c; do
    name=$(basename "$path" .c)
    rest=${name#test_}
    [[ $rest == sim_* ]] && continue
    grep -qE "^$rest( |$)" <<<"$TOPICS" && continue
    if [[ -z $(module_of "$rest") ]]; then
        echo "lint-test-names: $path names no src/<folder>/<file>.c (rule: docs/architecture.md \"Tests\")" >&2
        bad=1
    fi
done
exit $bad
