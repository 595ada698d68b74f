#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Workloads of real processes, no container runtime needed (root only): sleeps the test moves
# into cgroups laid out as docker's and Slurm's, and a PID namespace (unshare) in which nvitop
# runs while the driver (the simulator) reports host pids. `nvitop --json --workload` must name
# each one right.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB
make_test_tmp
[ "$(id -u)" = 0 ] || skip "needs root (cgroups, unshare)"
command -v unshare >/dev/null || skip "no unshare"
cg=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
if [ -z "$cg" ] || [ ! -w "$cg" ]; then skip "no writable cgroup2 mount"; fi
export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVITOP_RUNTIME_ROOT=$TEST_TMP/root
unset NVITOP_PROC_ROOT CUDA_VISIBLE_DEVICES

id=$(printf 'nvitop-test-%s' "$$" | sha256sum | cut -c1-64)
job=$((400000 + $$ % 1000))
docker_cg=$cg/nvitop-test-$$.slice/docker-$id.scope
slurm_cg=$cg/nvitop-test-$$.slice/slurmstepd.scope/job_$job/step_0
pids=()
cleanup_all() {
    local p
    # SIGKILL: a namespace's init (the unshared sleep) ignores SIGTERM
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for d in "$slurm_cg" "$cg/nvitop-test-$$.slice/slurmstepd.scope/job_$job" \
        "$cg/nvitop-test-$$.slice/slurmstepd.scope" "$docker_cg" "$cg/nvitop-test-$$.slice"; do
        rmdir "$d" 2>/dev/null || true
    done
    rm -rf "$TEST_TMP"
}
trap cleanup_all EXIT
mkdir -p "$docker_cg" "$slurm_cg" "$NVITOP_RUNTIME_ROOT/var/lib/docker/containers/$id" ||
    skip "cannot create cgroups under $cg"
echo '{"ID": "'"$id"'", "Name": "/real-check"}' \
    >"$NVITOP_RUNTIME_ROOT/var/lib/docker/containers/$id/config.v2.json"

start_in() { # CGROUP: a sleep moved into it; its pid in $started
    sleep 60 >/dev/null &
    started=$!
    pids+=("$started")
    echo "$started" >"$1/cgroup.procs" || skip "cannot move a process into $1"
}
start_in "$docker_cg"
docker_pid=$started
start_in "$slurm_cg"
slurm_pid=$started
child_of() { # PID: its child, found in /proc (no procps needed)
    local stat line ppid dir
    for stat in /proc/[0-9]*/stat; do
        line=$(cat "$stat" 2>/dev/null) || continue
        read -r _ ppid _ <<<"${line##*) }"
        if [ "$ppid" = "$1" ]; then
            dir=${stat%/stat}
            echo "${dir#/proc/}"
            return
        fi
    done
}
unshare --pid --fork sleep 60 &
pids+=($!)
ns_pid=""
for _ in $(seq 50); do
    ns_pid=$(child_of "${pids[2]}")
    [ -n "$ns_pid" ] && break
    sleep 0.1
done
[ -n "$ns_pid" ] || fail "the namespaced sleep did not start"
pids+=("$ns_pid")

cat >"$TEST_TMP/scenario.json" <<JSON
{"devices": [{"name": "NVIDIA H100 80GB HBM3", "uuid": "GPU-00000000-0000-4000-8000-000000000000",
  "memory": {"total": 85520809984, "used": 3221225472}, "processes": [
  {"pid": $docker_pid, "type": "C", "used_memory": 1073741824},
  {"pid": $slurm_pid, "type": "C", "used_memory": 1073741824},
  {"pid": $ns_pid, "type": "C", "used_memory": 1073741824}]}]}
JSON
export NVML_SIM_SCENARIO=$TEST_TMP/scenario.json

workloads() { # nvitop ARGS...: "pid kind label driver_pid namespace_pid" lines
    "$@" --json --workload | python3 -c '
import json, sys
for p in json.load(sys.stdin)["processes"]:
    w = p["workload"]
    print(p["pid"], w["kind"], w["label"], w["driver_pid"], w["namespace_pid"], sep="|")'
}
out=$(workloads "$NVITOP_BIN_DIR/nvitop")
assert_contains "$out" "$docker_pid|container|docker real-check|$docker_pid|$docker_pid" "docker"
assert_contains "$out" "$slurm_pid|slurm|slurm $job.0 (root)|$slurm_pid" "slurm v2"
# a process in its own PID namespace, seen from the host: its pid there is 1
assert_contains "$out" "$ns_pid|" "namespaced"
grep -q "^$ns_pid|.*|1\$" <<<"$out" || fail "the namespaced sleep's inner pid: $out"

# nvitop inside a PID namespace with its own /proc: the driver's host pids are not there, and
# they read as another container's, not as gone processes
out=$(workloads unshare --pid --fork --mount-proc "$NVITOP_BIN_DIR/nvitop")
assert_contains "$out" "$docker_pid|other-namespace|other container|$docker_pid" "from inside"
report=$(unshare --pid --fork --mount-proc "$NVITOP_BIN_DIR/nvitop" -1 --workload)
assert_contains "$report" "other container" "the report from inside"
grep -q "No Such Process" <<<"$report" && fail "No Such Process from inside: $report"
# without --workload too: the rule is nvitop's running in a nested PID namespace
report=$(unshare --pid --fork --mount-proc "$NVITOP_BIN_DIR/nvitop" -1)
assert_contains "$report" "other container" "the report from inside without --workload"
grep -q "No Such Process" <<<"$report" && fail "No Such Process from inside without --workload: $report"
kinds=$(unshare --pid --fork --mount-proc "$NVITOP_BIN_DIR/nvitop" --json | python3 -c '
import json, sys
print(sorted({p["workload"]["kind"] for p in json.load(sys.stdin)["processes"]}))')
assert_eq "$kinds" "['other-namespace']" "--json from inside without --workload"
echo "real processes: docker, Slurm and PID-namespace workloads named right"
