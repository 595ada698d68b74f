#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The tree view shows the processes the command line's filters keep, as nvitop 1.7's does (it
# builds the tree from the process panel's filtered snapshots): --pid and --only-compute.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_FIXTURES
make_test_tmp
export NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic TZ=UTC
scenario=$TEST_TMP/scenario.json
cat >"$scenario" <<'JSON'
{"devices": [
 {"name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-0", "bus_id": "00000000:18:00.0",
  "memory": {"total": 85899345920, "used": 10737418240},
  "processes": [{"pid": 1045, "type": "C", "used_memory": 3332374528, "sm": 81},
                {"pid": 1046, "type": "C", "used_memory": 7627341824, "sm": 16}]},
 {"name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-1", "bus_id": "00000000:19:00.0",
  "memory": {"total": 85899345920, "used": 2147483648},
  "processes": [{"pid": 2001, "type": "G", "used_memory": 1073741824}]}]}
JSON
sim_env "$scenario"

# tree_commands: the COMMAND column of the tree's rows (from where the header names it), trimmed.
tree_commands() {
    local head col
    head=$(screen_line 0)
    head=${head%%COMMAND*}
    col=$((${#head} + 1))
    screen | sed -n '2,$p' | cut -c"$col"- | sed -e 's/ *$//' -e '/^$/d'
}

tmux_start 140 30 "$NVITOP_BIN_DIR/nvitop" --interval 0.5 --pid 1046
wait_for "python3 bench/mm.py 120 0.4" "start"
keys t
wait_for "PID  USER  DEVICE  NLWP  %CPU  %MEM  TIME  COMMAND" "t: the header"
wait_for "bash run-experiments.sh" "t: the filtered tree"
cat >"$TEST_TMP/expected" <<'TEXT'
/sbin/init
└─ bash
   └─ bash
      └─ bash
         └─ bash run-experiments.sh
            └─ python3 bench/mm.py 120 0.4 6442450944
TEXT
tree_commands >"$TEST_TMP/shown"
diff -u "$TEST_TMP/expected" "$TEST_TMP/shown" || fail "--pid 1046: the tree differs"
keys q q
assert_eq "$(wait_exit)" "0" "exit code"

tmux_start 140 30 "$NVITOP_BIN_DIR/nvitop" --interval 0.5 --only-compute
wait_for "python3 bench/mm.py 120 0.4" "start"
keys t
wait_for "bash run-experiments.sh" "t: the filtered tree"
case "$(screen)" in *" 2001 "*) fail "--only-compute: the graphics process 2001 is in the tree" ;; esac
screen | grep -q "^1045 " || fail "--only-compute: 1045 is missing"
keys q q
assert_eq "$(wait_exit)" "0" "exit code"
echo "monitor tree filter: ok"
