#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# nvisel's command line: the real H100 captures of reference/h100/nvitop-python/nvisel.txt
# reproduced on its scenario, the examples of spec 4.3 on their 3-GPU box, argparse's messages
# and exit 2, separators, the terminal rule of the CUDA_VISIBLE_DEVICES line, the error exits
# (no library, no driver, lost GPU) and the environment.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS NVITOP_FIXTURES
make_test_tmp

export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic
export LOGNAME=root LC_ALL=C.UTF-8
# No CUDA driver here unless a test asks for the stand-in: --inherit reads NVML's rules.
export NVITOP_CUDA_LIBRARY=/nonexistent/libcuda.so.1
unset LOGLEVEL CUDA_VISIBLE_DEVICES CUDA_DEVICE_ORDER NO_COLOR NVITOP_CUDA_TIMEOUT
nvisel=$NVITOP_BIN_DIR/nvisel

run() {
    "$nvisel" "$@" </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err" && rc=0 || rc=$?
    out=$(tr -d '\0' <"$TEST_TMP/out")
    err=$(cat "$TEST_TMP/err")
    [ "$rc" -lt 128 ] || fail "nvisel $* died with signal $((rc - 128)): $err"
}

# expect ARGS... -- STDOUT STDERR RC: exact stdout and stderr.
expect() {
    local args=()
    while [ "$1" != -- ]; do
        args+=("$1")
        shift
    done
    run "${args[@]}"
    assert_eq "$out" "$2" "stdout of nvisel ${args[*]}"
    assert_eq "$err" "$3" "stderr of nvisel ${args[*]}"
    assert_eq "$rc" "$4" "exit code of nvisel ${args[*]}"
}

# ---- reference/h100/nvitop-python/nvisel.txt, on the H100 scenario ----
export NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json
expect -- 0 'CUDA_VISIBLE_DEVICES="0"' 0
expect -n 1 -O uuid -- GPU-1de2f14b-cd12-82d1-aa10-2fa6f4e66366 \
    'CUDA_VISIBLE_DEVICES="GPU-1de2f14b-cd12-82d1-aa10-2fa6f4e66366"' 0
expect -f 100GiB -- '' 'CUDA_VISIBLE_DEVICES=""' 0
assert_eq "$(od -An -c "$TEST_TMP/out" | tr -d ' ')" '\n' "an empty selection is an empty line"
expect -c 2 -- 0 'CUDA_VISIBLE_DEVICES="0"
WARNING: Not enough devices found: 1 selected, --min-count 2.' 4

# ---- spec 4.3's box: GPU 2 has MIG on (no libcuda: NVML's rules) ----
export NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/mixed-3gpu-mig.json
expect -- 1,0 'CUDA_VISIBLE_DEVICES="1,0"' 0
expect -O uuid -- GPU-5c8f7b3e-9a21-4d6e-b0c4-7e2f1a9d8c41,GPU-3f0c1a52-7d1e-4b8a-9c66-0e5d2b7a9140 \
    'CUDA_VISIBLE_DEVICES="GPU-5c8f7b3e-9a21-4d6e-b0c4-7e2f1a9d8c41,GPU-3f0c1a52-7d1e-4b8a-9c66-0e5d2b7a9140"' 0
expect -i 0,2 -- MIG-cad5e297-d169-6006-2911-a606db427e48 \
    'CUDA_VISIBLE_DEVICES="MIG-cad5e297-d169-6006-2911-a606db427e48"' 0
expect -i MIG-a371 -- MIG-a371db42-1fc4-2e3e-0171-65409a4e9ef1 \
    'CUDA_VISIBLE_DEVICES="MIG-a371db42-1fc4-2e3e-0171-65409a4e9ef1"' 0
expect -i 0,0 -- '' 'CUDA_VISIBLE_DEVICES=""' 0
expect -c 5 -- 1,0 'CUDA_VISIBLE_DEVICES="1,0"
WARNING: Not enough devices found: 2 selected, --min-count 5.' 4
# More of the MIG rule: enough GPUs for --min-count keep the GPUs; the MIG GPU alone gives
# its best instance; --inherit from the environment; with the MIG device ranked first.
expect -c 2 -- 1,0 'CUDA_VISIBLE_DEVICES="1,0"' 0
CUDA_VISIBLE_DEVICES=2 expect -i -- MIG-cad5e297-d169-6006-2911-a606db427e48 \
    'CUDA_VISIBLE_DEVICES="MIG-cad5e297-d169-6006-2911-a606db427e48"' 0
CUDA_VISIBLE_DEVICES=1 expect -i -- 1 'CUDA_VISIBLE_DEVICES="1"' 0
expect -i 1 -f 24GiB --tol 0 -- '' 'CUDA_VISIBLE_DEVICES=""' 0
expect -f 18GiB --tol 0 -- 1 'CUDA_VISIBLE_DEVICES="1"' 0 # the best MIG device has 19.6 GiB
expect -i MIG-cad5 -- MIG-cad5e297-d169-6006-2911-a606db427e48 \
    'CUDA_VISIBLE_DEVICES="MIG-cad5e297-d169-6006-2911-a606db427e48"' 0
expect -i '' -- '' 'CUDA_VISIBLE_DEVICES=""' 0
expect -i '1, 0' -S -- 1,0 'CUDA_VISIBLE_DEVICES="1,0"' 0
expect -i 0,7,1 -- 0 'CUDA_VISIBLE_DEVICES="0"' 0

# ---- formatting ----
expect -s ' ' -- '1 0' 'CUDA_VISIBLE_DEVICES="1,0"' 0
expect --separator=:: -- '1::0' 'CUDA_VISIBLE_DEVICES="1,0"' 0
expect --newline -- $'1\n0' 'CUDA_VISIBLE_DEVICES="1,0"' 0
run -0 -O uuid
assert_eq "$(tr '\0' '@' <"$TEST_TMP/out")" \
    "GPU-5c8f7b3e-9a21-4d6e-b0c4-7e2f1a9d8c41@GPU-3f0c1a52-7d1e-4b8a-9c66-0e5d2b7a9140@" \
    "--null: NUL between and after"
run --null -C 0
assert_eq "$(od -An -tx1 "$TEST_TMP/out" | tr -d ' ')" 00 "--null with nothing selected"
expect -S -- 0,1 'CUDA_VISIBLE_DEVICES="0,1"' 0
expect -n 0 -- '' 'CUDA_VISIBLE_DEVICES=""' 0
expect -n 1 -c 3 -C 3 -- 1 'CUDA_VISIBLE_DEVICES="1"' 0 # --count wins, wherever it is
expect -C 1 -- 1 'CUDA_VISIBLE_DEVICES="1"' 0

# On a terminal, no CUDA_VISIBLE_DEVICES line (stdout is a pty here, stderr a file).
python3 - "$nvisel" "$TEST_TMP/tty" <<'PY' && rc=0 || rc=$?
import os, pty, subprocess, sys
master, slave = pty.openpty()
with open(sys.argv[2] + ".err", "w") as err:
    rc = subprocess.run([sys.argv[1], "-c", "3"], stdout=slave, stderr=err).returncode
os.close(slave)
data = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
open(sys.argv[2], "wb").write(data)
sys.exit(rc)
PY
assert_eq "$rc" 4 "exit code on a terminal"
assert_eq "$(tr -d '\r' <"$TEST_TMP/tty")" 1,0 "stdout on a terminal"
assert_eq "$(cat "$TEST_TMP/tty.err")" "WARNING: Not enough devices found: 2 selected, --min-count 3." \
    "stderr when stdout is a terminal"

# ---- argparse: messages and exit 2 ----
# bad_arg ARGS... -- LAST-LINE: usage on stderr, then "nvisel: error: LAST-LINE"; exit 2.
bad_arg() {
    local args=()
    while [ "$1" != -- ]; do
        args+=("$1")
        shift
    done
    run "${args[@]}"
    assert_eq "$rc" 2 "exit code of nvisel ${args[*]}"
    assert_eq "$out" "" "stdout of nvisel ${args[*]}"
    assert_eq "$(head -n1 <<<"$err")" \
        "usage: nvisel [--help] [--version] [--inherit [CUDA_VISIBLE_DEVICES]]" "usage"
    assert_eq "$(tail -n1 <<<"$err")" "nvisel: error: $2" "error of nvisel ${args[*]}"
}
bad_arg --min-count=-1 -- "argument --min-count/-c: invalid non-negative integer value: '-1'"
bad_arg -c-1 -- "argument --min-count/-c: invalid non-negative integer value: '-1'"
bad_arg -c -1 -- "argument --min-count/-c: expected one argument" # -1 looks like an option
bad_arg -C x -- "argument --max-count/-C: invalid non-negative integer value: 'x'"
bad_arg -n 1.5 -- "argument --count/-n: invalid non-negative integer value: '1.5'"
bad_arg -t 1XB -- "argument --min-total-memory/-t: invalid human2bytes value: '1XB'"
bad_arg -f -- "argument --min-free-memory/-f: expected one argument"
bad_arg -f GiB -- "argument --min-free-memory/-f: invalid human2bytes value: 'GiB'"
bad_arg -G -5 -- "argument --max-gpu-utilization/-G: expected one argument"
bad_arg -M=-5 -- "argument --max-memory-utilization/-M: invalid non-negative integer value: '-5'"
bad_arg --tol=-1 -- "argument --tolerance/--tol: invalid non-negative integer value: '-1'"
bad_arg -O name -- "argument --format/-O: invalid choice: 'name' (choose from 'index', 'uuid')"
bad_arg --sep : --newline -- "argument --newline: not allowed with argument --sep/--separator/-s"
bad_arg -0 --newline -- "argument --newline: not allowed with argument --null/-0"
bad_arg --newline -0 -- "argument --null/-0: not allowed with argument --newline"
bad_arg --foo 3 -- "unrecognized arguments: --foo 3"
bad_arg --m 1 -- "ambiguous option: --m could match --min-count, --max-count, --min-free-memory, --min-total-memory, --max-gpu-utilization, --max-memory-utilization"
bad_arg -c 3 -C 2 -- "argument --max-count/-C: must be no less than --min-count/-c (got 2 < 3)"
# The environment is advice: an unusable value is ignored with one warning, the default stands.
run -i 1,0
selected=$out said=$err
LOGLEVEL=loud expect -i 1,0 -- "$selected" "nvisel: warning: environment variable LOGLEVEL='loud': unknown level ignored (choose from DEBUG, INFO, WARNING, ERROR, CRITICAL); using WARNING
$said" 0
NVITOP_CUDA_TIMEOUT=0 expect -i 1,0 -- "$selected" "nvisel: warning: environment variable NVITOP_CUDA_TIMEOUT='0': ignored (expected a number of seconds > 0, at most 86400); using 60
$said" 0
# Python's int(): spaces, a sign, underscores.
expect -c ' +1_0 ' -- 1,0 'CUDA_VISIBLE_DEVICES="1,0"
WARNING: Not enough devices found: 2 selected, --min-count 10.' 4
expect --min-c 1 --max-c=1 -- 1 'CUDA_VISIBLE_DEVICES="1"' 0 # unique prefixes

run --version
assert_eq "$out $rc" "nvisel 1.7.0 0" "--version"
run -h
assert_eq "$rc" 0 "--help exit"
assert_contains "$out" "CUDA visible devices selection tool."
assert_contains "$out" "The constraints tolerance (in percentage). (default: 10)"
assert_contains "$out" "[--sep SEP | --newline | --null]"

# ---- the driver ----
NVITOP_NVML_LIBRARY=/nonexistent/libnvidia-ml.so.1 run
assert_eq "$rc" 1 "no NVML: exit"
assert_eq "$out" "" "no NVML: stdout"
assert_contains "$err" "FATAL ERROR: NVIDIA Management Library (NVML) not found"
assert_eq "$(wc -l <"$TEST_TMP/err")" 1 "no NVML: one line"
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/driver-not-loaded.json run -i
assert_eq "$rc $out" "2 " "no driver: exit 2, nothing on stdout"
assert_contains "$err" "NVML ERROR: The NVIDIA driver is not loaded"
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/version-mismatch.json run
assert_eq "$rc" 2 "version mismatch"
assert_contains "$err" "NVML ERROR: The NVIDIA driver and libnvidia-ml.so have different versions"
NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/no-gpus.json expect -c 1 -- '' 'CUDA_VISIBLE_DEVICES=""
WARNING: Not enough devices found: 0 selected, --min-count 1.' 4

# A lost GPU is never chosen (Python nvitop would rank it first: 2,3,1,0).
export NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/node-gpu-lost.json
expect -- 3,1,0 'CUDA_VISIBLE_DEVICES="3,1,0"' 0
expect -S -O uuid -n 2 -- GPU-0a1b2c3d-0000-4000-8000-000000000000,GPU-0a1b2c3d-0000-4000-8000-000000000001 \
    'CUDA_VISIBLE_DEVICES="GPU-0a1b2c3d-0000-4000-8000-000000000000,GPU-0a1b2c3d-0000-4000-8000-000000000001"' 0
expect -i 2,3 -- 3 'CUDA_VISIBLE_DEVICES="3"' 0
expect -c 4 -- 3,1,0 'CUDA_VISIBLE_DEVICES="3,1,0"
WARNING: Not enough devices found: 3 selected, --min-count 4.' 4

# Busy GPUs: utilisation limits with and without the tolerance (GPU 0 87%/41%, 1 85%/40%).
expect -G 80 --tol 0 -- 3 'CUDA_VISIBLE_DEVICES="3"' 0
expect -G 80 --tol 5 -- 3,1 'CUDA_VISIBLE_DEVICES="3,1"' 0 # 85 <= 85 but 87 > 85
expect -G 77 -- 3,1,0 'CUDA_VISIBLE_DEVICES="3,1,0"' 0     # 87 <= 77 + 10
expect -M 30 --tol 0 -c 2 -- 3 'CUDA_VISIBLE_DEVICES="3"
WARNING: Not enough devices found: 1 selected, --min-count 2.' 4

# --account-as-free: bare means the current user ($LOGNAME here).
cat >"$TEST_TMP/accounts.json" <<'EOF'
{"devices": [
 {"memory": {"total": 85899345920, "used": 42949672960}, "utilization": {"gpu": 30, "memory": 10},
  "processes": [{"pid": 1045, "used_memory": 32212254720}, {"pid": 2001, "used_memory": 5368709120}]},
 {"memory": {"total": 85899345920, "used": 21474836480}, "utilization": {"gpu": 30, "memory": 10},
  "processes": [{"pid": 2001, "used_memory": 21474836480}]}]}
EOF
export NVML_SIM_SCENARIO=$TEST_TMP/accounts.json
expect -f 70GiB -- '' 'CUDA_VISIBLE_DEVICES=""' 0
expect -f 70GiB --account-as-free -- 0 'CUDA_VISIBLE_DEVICES="0"' 0
expect -f 70GiB --account-as-free 4242 -- 1 'CUDA_VISIBLE_DEVICES="1"' 0
expect -f 75GiB --account-as-free root 4242 --tol 0 -- 1,0 'CUDA_VISIBLE_DEVICES="1,0"' 0
LOGNAME=nobody USER=nobody expect -f 70GiB --account-as-free -- '' 'CUDA_VISIBLE_DEVICES=""' 0

# A GPU that cannot be opened (NVML refuses its handle) or, for UUID output, identified is
# never selected: Python nvitop would rank the first one first (its memory is N/A) and print
# "N/A" as a UUID (CUDA_VISIBLE_DEVICES="N/A"). GPU 0: no handle; GPU 1: no UUID in the
# scenario; GPU 2: its UUID query fails; GPU 3: all fine.
cat >"$TEST_TMP/unidentified.json" <<'EOF'
{"devices": [
 {"uuid": "GPU-00000000-0000-4000-8000-000000000000", "errors": {"nvmlDeviceGetHandleByIndex": "NO_PERMISSION"},
  "memory": {"total": 85899345920, "used": 0}, "utilization": {"gpu": 0, "memory": 0}},
 {"memory": {"total": 85899345920, "used": 1073741824}, "utilization": {"gpu": 0, "memory": 0}},
 {"uuid": "GPU-22222222-0000-4000-8000-000000000000", "errors": {"nvmlDeviceGetUUID": "UNKNOWN"},
  "memory": {"total": 85899345920, "used": 2147483648}, "utilization": {"gpu": 0, "memory": 0}},
 {"uuid": "GPU-33333333-0000-4000-8000-000000000000",
  "memory": {"total": 85899345920, "used": 3221225472}, "utilization": {"gpu": 0, "memory": 0}}]}
EOF
export NVML_SIM_SCENARIO=$TEST_TMP/unidentified.json
expect -- 1,2,3 'CUDA_VISIBLE_DEVICES="1,2,3"' 0
expect -O uuid -- GPU-33333333-0000-4000-8000-000000000000 \
    'CUDA_VISIBLE_DEVICES="GPU-33333333-0000-4000-8000-000000000000"' 0
expect -O uuid -c 2 -- GPU-33333333-0000-4000-8000-000000000000 \
    'CUDA_VISIBLE_DEVICES="GPU-33333333-0000-4000-8000-000000000000"
WARNING: Not enough devices found: 1 selected, --min-count 2.' 4
expect -S -- 1,2,3 'CUDA_VISIBLE_DEVICES="1,2,3"' 0
expect -i 0,3 -- 3 'CUDA_VISIBLE_DEVICES="3"' 0

# LOGLEVEL=DEBUG: what nvisel did, on stderr only.
export NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/mixed-3gpu-mig.json
LOGLEVEL=debug run -i 1,0
assert_eq "$out" 1,0 "stdout with LOGLEVEL=DEBUG"
assert_contains "$err" "DEBUG: nvitop_init: success"
assert_contains "$err" 'DEBUG: CUDA_VISIBLE_DEVICES="1,0": NVML devices [1,0] by no CUDA driver'
assert_contains "$err" "DEBUG: 2 candidate devices, 2 selected"
# Cost: one question of each kind per device (memory, utilisation, MIG mode), UUIDs only for
# the UUID format and MIG devices (each candidate's: one that has none is never selected), MIG
# handles only on GPUs with MIG on.
calls() { # scenario, nvisel options...
    local scenario=$1
    shift
    NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/$scenario.json NVML_SIM_CALLS=$TEST_TMP/calls.json \
        "$nvisel" "$@" >/dev/null 2>&1 || true
    python3 -c 'import json, sys; print(" ".join(f"{k}={v}" for k, v in json.load(open(sys.argv[1])).items()))' \
        "$TEST_TMP/calls.json"
}
common="nvmlInit_v2=1 nvmlShutdown=1 nvmlDeviceGetCount_v2=1 nvmlDeviceGetHandleByIndex_v2=8"
assert_eq "$(calls node-8gpu-100proc)" "$common nvmlDeviceGetMemoryInfo_v2=8 nvmlDeviceGetUtilizationRates=8 nvmlDeviceGetMigMode=8 nvmlDeviceGetMaxMigDeviceCount=8" \
    "NVML calls of nvisel"
assert_eq "$(calls node-8gpu-100proc -O uuid -n 2)" "$common nvmlDeviceGetUUID=8 nvmlDeviceGetMemoryInfo_v2=8 nvmlDeviceGetUtilizationRates=8 nvmlDeviceGetMigMode=8 nvmlDeviceGetMaxMigDeviceCount=8" \
    "NVML calls of nvisel -O uuid -n 2"
assert_eq "$(calls a100-mig-node)" "$common nvmlDeviceGetUUID=5 nvmlDeviceGetMemoryInfo_v2=11 nvmlDeviceGetUtilizationRates=11 nvmlDeviceGetMigMode=8 nvmlDeviceGetMaxMigDeviceCount=8 nvmlDeviceGetMigDeviceHandleByIndex=7" \
    "NVML calls of nvisel with MIG"
echo "nvisel cli: ok"
