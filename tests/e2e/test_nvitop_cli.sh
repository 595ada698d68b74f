#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# nvitop's command line and environment: argparse's messages and exit codes, the device and
# process filters, colour rules, and the monitor-mode decision off a terminal.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS NVITOP_FIXTURES
make_test_tmp

export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic
export NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json
export TZ=UTC LOGNAME=root USER=root COLUMNS=79 LC_ALL=C.UTF-8
unset NO_COLOR FORCE_COLOR ANSI_COLORS_DISABLED CUDA_VISIBLE_DEVICES NVITOP_MONITOR_MODE
unset NVITOP_GPU_UTILIZATION_THRESHOLDS NVITOP_MEMORY_UTILIZATION_THRESHOLDS LOGLEVEL
nvitop=$NVITOP_BIN_DIR/nvitop

# run ARGS...: runs nvitop with stdin from /dev/null; sets $rc, $out, $err.
run() {
    "$nvitop" "$@" </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err" && rc=0 || rc=$?
    out=$(cat "$TEST_TMP/out")
    err=$(cat "$TEST_TMP/err")
}

# expect_error CODE MESSAGE ARGS...: exit CODE and MESSAGE on stderr; argparse errors also
# print the usage first and nothing on stdout.
expect_error() {
    local code=$1 message=$2
    shift 2
    run "$@"
    assert_eq "$rc" "$code" "exit code of nvitop $*"
    assert_contains "$err" "$message" "stderr of nvitop $*"
    if [ "$code" = 2 ]; then
        assert_contains "$err" "usage: nvitop" "usage of nvitop $*"
        assert_eq "$out" "" "stdout of nvitop $*"
        assert_eq "$(grep -c 'error:' "$TEST_TMP/err")" 1 "one error line for nvitop $*"
    fi
}

# ---- argparse validation (exit 2) ----
expect_error 2 "nvitop: error: argument --interval: invalid positive float value: '0'" --interval 0
expect_error 2 "argument --interval: invalid positive float value: '-1'" --interval=-1
expect_error 2 "argument --interval: invalid positive float value: 'x'" --interval x
expect_error 2 "argument --interval: expected one argument" --interval
expect_error 2 "the interval 0.1s is too short, which may cause performance issues. Expected 1/4 or higher." --interval 0.1
expect_error 2 "argument --monitor/-m: invalid choice: 'foo' (choose from 'auto', 'full', 'compact')" -m foo
expect_error 2 "argument --monitor/-m: not allowed with argument --once/-1" -1 -m
expect_error 2 "argument --once/-1: not allowed with argument --monitor/-m" --monitor full --once
expect_error 2 "argument --json: not allowed with argument --monitor/-m" -m --json
expect_error 2 "argument --gpu-util-thresh: invalid choice: 100 (choose from 1, 2, 3, ..., 97, 98, 99)" --gpu-util-thresh 100 20
expect_error 2 "argument --gpu-util-thresh: expected 2 arguments" --gpu-util-thresh 10
expect_error 2 "argument --mem-util-thresh: invalid int value: 'a'" --mem-util-thresh a 2
expect_error 2 "argument --only/-o: invalid int value: 'x'" --only x
expect_error 2 "argument --only/-o: expected at least one argument" --only
expect_error 2 "argument --pid/-p: expected at least one argument" -p -1
expect_error 2 "unrecognized arguments: --bogus" -1 --bogus
expect_error 2 "unrecognized arguments: stray" -1 stray
expect_error 2 "ambiguous option: --on could match --once, --only, --only-visible, --only-compute, --only-graphics" --on
expect_error 2 "argument --once/-1: ignored explicit argument 'x'" -1x
# no count of options or values at which the checks stop
many_flags=()
for _ in $(seq 80); do many_flags+=(-U); done
expect_error 2 "argument --monitor/-m: not allowed with argument --once/-1" "${many_flags[@]}" -1 -m

# ---- the environment is advice: an unusable value is ignored (one warning line naming it),
# the default stands and the report is the one without it ----
undated() { tail -n +2 <<<"$1"; } # the report without its date line, which ticks
run -1 --force-color
default_report=$(undated "$out")
env_ignored() { # VAR=VALUE WHY
    local var=${1%%=*} value=${1#*=}
    env "$1" "$nvitop" -1 --force-color </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err" && rc=0 || rc=$?
    assert_eq "$rc" 0 "exit code with $1"
    assert_eq "$(cat "$TEST_TMP/err")" "nvitop: warning: environment variable $var='$value': $2" "stderr with $1"
    assert_eq "$(undated "$(cat "$TEST_TMP/out")")" "$default_report" "report with $1"
}
env_ignored NVITOP_MONITOR_MODE=fulll "unknown word 'fulll' ignored (known: auto, full, compact, colorful, plain, light, dark, readonly)"
env_ignored NVITOP_MONITOR_MODE=full,compact "several of auto, full and compact: using auto"
env_ignored NVITOP_GPU_UTILIZATION_THRESHOLDS=10 "ignored (expected th1,th2 with 1 <= th1, th2 <= 99, e.g. 10,75); using 10,75"
env_ignored NVITOP_MEMORY_UTILIZATION_THRESHOLDS=5,abc "ignored (expected th1,th2 with 1 <= th1, th2 <= 99, e.g. 10,75); using 10,80"
env_ignored NVITOP_GPU_UTILIZATION_THRESHOLDS=0,50 "ignored (expected th1,th2 with 1 <= th1, th2 <= 99, e.g. 10,75); using 10,75"
env_ignored LOGLEVEL=chatty "unknown level ignored (choose from DEBUG, INFO, WARNING, ERROR, CRITICAL); using WARNING"
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/a100-mig-node.json run -1 --force-color
a100_report=$(undated "$out")
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/a100-mig-node.json NVITOP_GPU_UTILIZATION_THRESHOLDS=1,2 run -1 --force-color
[ "$(undated "$out")" != "$a100_report" ] || fail "usable thresholds change the colours"
assert_eq "$err" "" "usable thresholds: nothing said"
# options are still orders
LOGLEVEL=chatty expect_error 2 "argument --gpu-util-thresh: invalid choice: 0" --gpu-util-thresh 0 50

# ---- accepted spellings ----
run --version
assert_eq "$rc" 0 "--version exit"
assert_eq "$out" "nvitop 1.7.0" "--version output"
run -h
assert_eq "$rc" 0 "-h exit"
assert_contains "$out" "usage: nvitop [--help] [--version] [--once | --monitor [{auto,full,compact}]"
assert_contains "$out" "process filtering:"
for args in "-1" "--once" "--on" "--onc" "-1U" "-U1" "--inter 2 -1" "--interval=0.25 -1" \
    "-1 --gpu-util-thresh 50 50" "-1 --mem-util-thresh 90 5" "-1 -o 0" "-1 -ov" "-1 -u" \
    "-1 -p 1 2 3" "-1 -cCgG" "-1 --light --colorful --readonly"; do
    [ "$args" = "--on" ] && continue # ambiguous, checked above
    # shellcheck disable=SC2086
    run $args
    assert_eq "$rc" 0 "exit code of nvitop $args (stderr: $err)"
    assert_contains "$out" "NVITOP 1.7.0" "report of nvitop $args"
done
NVITOP_GPU_UTILIZATION_THRESHOLDS="10,75,99" LOGLEVEL=warning run -1
assert_eq "$rc" 0 "extra threshold values are ignored, as nvitop does"
LOGLEVEL=DEBUG run -1
assert_contains "$err" "DEBUG: nvitop_init: success" "LOGLEVEL=DEBUG"

# ---- device filters ----
export NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/a100-mig-node.json
run -1 --only 7 7 3
assert_eq "$rc" 0 "--only 7 7 3"
assert_eq "$(grep -c 'A100-SXM4-40GB' <<<"$out")" 2 "two devices shown"
assert_contains "$out" "│   3  A100" "GPU 3 shown"
run -1 --only 0 9 12
assert_eq "$rc" 1 "invalid --only indices"
assert_contains "$err" "ERROR: Invalid device indices: [9, 12]."
run -1 --only 12 0 9 12
assert_contains "$err" "ERROR: Invalid device indices: [9, 12]." "invalid indices sorted, as nvitop"
assert_contains "$out" "│ 0:2 " "MIG devices come with their parent"
zeros=()
for _ in $(seq 300); do zeros+=(0); done
run -1 --only "${zeros[@]}" 3
assert_eq "$rc" 0 "--only with 301 values (stderr: $err)"
assert_contains "$out" "│   3  A100" "the 301st value of --only counts"
run -1 -o 8
assert_eq "$rc" 1 "invalid --only index"
assert_contains "$err" "ERROR: Invalid device index: 8."
assert_contains "$out" "No visible devices found" "no device left"
CUDA_VISIBLE_DEVICES=5,3 run -1 -ov
assert_eq "$(grep -cE '│   [35]  A100' <<<"$out")" 2 "-ov shows GPUs 3 and 5"
assert_eq "$(grep -c 'A100-SXM4-40GB' <<<"$out")" 2 "-ov shows only them"
CUDA_VISIBLE_DEVICES= run -1 -ov
assert_contains "$out" "No visible devices found" "empty CUDA_VISIBLE_DEVICES"

# ---- process filters: the RTX scenario has C, G and C+G processes ----
export NVML_SIM_SCENARIO=$TEST_TMP/mixed.json
cat >"$NVML_SIM_SCENARIO" <<'JSON'
{"driver_version": "580.1", "cuda_driver_version": 13000, "devices": [{
  "name": "NVIDIA GeForce RTX 4090", "uuid": "GPU-00000000-0000-0000-0000-000000000000",
  "memory": {"total": 25757220864, "used": 3145728000},
  "processes": [
    {"pid": 1045, "type": "C", "used_memory": 1048576000},
    {"pid": 1046, "type": "G", "used_memory": 1048576000},
    {"pid": 2001, "type": "C+G", "used_memory": 1048576000}]}]}
JSON
rows() { grep -cE '^│   0 +[0-9]+ [CGX] ' <<<"$out" || true; }
run -1
assert_eq "$(rows)" 3 "no filter"
run -1 -c
assert_eq "$(rows)" 2 "-c keeps C and C+G"
assert_contains "$out" " 2001 X " "-c keeps C+G (X)"
run -1 -C
assert_eq "$(rows)" 1 "-C keeps C only"
assert_contains "$out" " 1045 C " "-C keeps 1045"
run -1 -g
assert_eq "$(rows)" 2 "-g keeps G and C+G"
run -1 -G
assert_eq "$(rows)" 1 "-G keeps G only"
assert_contains "$out" " 1046 G " "-G keeps 1046"
run -1 -p 1046 2001
assert_eq "$(rows)" 2 "-p"
run -1 -u
assert_eq "$(rows)" 2 "-u (root) keeps 1045 and 1046"
many=()
for i in $(seq 300); do many+=("$((100000 + i))"); done
run -1 -p "${many[@]}" 1046
assert_eq "$rc" 0 "--pid with 301 values (stderr: $err)"
assert_eq "$(rows)" 1 "the 301st value of --pid counts"
many=()
for i in $(seq 300); do many+=("nobody-$i"); done
run -1 --user "${many[@]}" root
assert_eq "$rc" 0 "--user with 301 values (stderr: $err)"
assert_eq "$(rows)" 2 "the 301st value of --user counts"
run -1 --user nobody-here
assert_contains "$out" "No running processes found" "-u with an unknown user"
run -1 -c -p 1046
assert_contains "$out" "No running processes found" "filters are ANDed"

# ---- colours ----
run -1
[[ "$out" == *$'\e['* ]] && fail "no colour when piped"
run -1 --force-color
assert_contains "$out" $'\e[33m' "--force-color colours a piped report (moderate load: yellow)"
NO_COLOR=1 run -1
[[ "$out" == *$'\e['* ]] && fail "NO_COLOR"
NO_COLOR=1 run -1 --force-color
assert_contains "$out" $'\e[' "--force-color beats NO_COLOR"
ANSI_COLORS_DISABLED=1 run -1 --force-color
[[ "$out" == *$'\e['* ]] && fail "ANSI_COLORS_DISABLED wins, as in termcolor"
run --json --force-color
[[ "$out" == *$'\e['* ]] && fail "JSON is never coloured"

# ---- monitor mode off a terminal ----
run -m
assert_eq "$rc" 1 "-m without a terminal"
assert_contains "$err" "ERROR: You must run monitor mode from a TTY terminal."
assert_contains "$out" "NVITOP 1.7.0" "the report is printed instead"
run
assert_eq "$rc" 0 "no option, no terminal: the report once"
assert_contains "$out" "NVITOP 1.7.0"

# ---- ASCII when no UTF-8 locale can be set is covered by -U; width from COLUMNS ----
COLUMNS=garbage run -1
assert_eq "$rc" 0 "an unusable COLUMNS is ignored, as shutil does"
assert_eq "$(head -2 <<<"$out" | tail -1 | wc -m)" 80 "79 columns + newline"
echo "nvitop command line: ok"
