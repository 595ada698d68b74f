#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The monitor's workloads (ours) in a real terminal (tmux), on the workload fixtures: w shows and
# hides the WORKLOAD column between TIME and COMMAND, W lists the workloads with their GPU
# memory summed instead of the processes and goes back, --workload starts with the column, and
# in a container's view another container's process reads "other container", with or without
# --workload.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/tmux.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_FIXTURES
make_test_tmp
wl=$NVITOP_FIXTURES/workloads
export NVITOP_PROC_ROOT=$wl/host/proc NVITOP_RUNTIME_ROOT=$wl/host/root TZ=UTC
sim_env "$NVITOP_FIXTURES/scenarios/workloads.json"
head=$(printf 'TIME  %-26s  COMMAND' WORKLOAD)
row() { printf '0:32  %-26s  python3 train.py' "$1"; } # a row's TIME, WORKLOAD and COMMAND

tmux_start 140 50 "$NVITOP_BIN_DIR/nvitop" --interval 0.5
wait_for "3014 C    root  5120MiB" "start"
screen | grep -qF "WORKLOAD" && fail "a WORKLOAD column before w"
keys w
wait_for "$head" "w: the column's header"
wait_for "$(row "pod team-a/train-7c9f")" "w: a pod's row"
wait_for "$(row "slurm 812347.1 (alice)")" "w: a Slurm job from the environment"
wait_for "$(row "pod c0ffee00-1111-4222-8..")" "w: a long label cut"
keys w
wait_gone "WORKLOAD" "w again: the column goes"
wait_for "0:32  python3 train.py" "w again: the rows as before"

keys W
wait_for "GPU-MEM    GPUS      PROCS  WORKLOAD" "W: the group view"
wait_for "7168MiB    0,1           2  pod team-a/train-7c9f" "W: a pod on two GPUs, summed"
wait_for "22.00GiB   1             4  N/A" "W: the processes of no known workload"
screen | grep -qF "python3 train.py" && fail "W: process rows under the group view"
keys W
wait_for "python3 train.py" "W again: the processes"
wait_gone "PROCS  WORKLOAD" "W again: no group view"
keys q
assert_eq "$(wait_exit)" "0" "exit code"

# --workload: the column from the start
tmux_start 140 50 "$NVITOP_BIN_DIR/nvitop" --interval 0.5 --workload
wait_for "$(row "docker web-1")" "--workload"
keys q
assert_eq "$(wait_exit)" "0" "exit code with --workload"

# a container's view: pids mapped through NSpid, another container's process said so
export NVITOP_PROC_ROOT=$wl/container/proc
sim_env "$NVITOP_FIXTURES/scenarios/workloads-container.json"
tmux_start 140 50 "$NVITOP_BIN_DIR/nvitop" --interval 0.5 --workload
wait_for "other container" "the container view"
wait_for "     15 C    root  8192MiB" "host pid 48213 shown as this container's 15"
screen | grep -qF "No Such Process" && fail "another container's process reads No Such Process"
keys q
assert_eq "$(wait_exit)" "0" "exit code in the container view"
# without --workload too: nvitop runs in a nested PID namespace (the fixture's self/ns/pid)
tmux_start 140 50 "$NVITOP_BIN_DIR/nvitop" --interval 0.5
wait_for "other container" "the container view without --workload"
screen | grep -qF "No Such Process" && fail "No Such Process without --workload"
screen | grep -qF "WORKLOAD" && fail "a WORKLOAD column without --workload"
keys q
assert_eq "$(wait_exit)" "0" "exit code in the container view without --workload"
echo "the monitor's workloads work"
