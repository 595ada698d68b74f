# SPDX-License-Identifier: Apache-2.0
# Helpers of the fleet view's end-to-end tests (sourced after lib.sh and exporter_lib.sh, never
# run): three nvitop-exporters on three scenarios (MIG, a lost GPU, processes of this test)
# scraped by a real Prometheus on loopback, and the expected fleet computed from the scenarios.
require_env NVITOP_BIN_DIR NVITOP_SCENARIOS
command -v prometheus >/dev/null || fail "prometheus is not installed (scripts/install-deps.sh)"
nvitop=$NVITOP_BIN_DIR/nvitop
FLEET_NODES=(mig-node lost-node proc-node)

# fleet_wait SECONDS COMMAND...: exporter_lib.sh's wait_for under a name of its own (tmux.sh
# has a wait_for of the screen).
eval "$(declare -f wait_for | sed '1s/wait_for/fleet_wait/')"

# make_fleet_scenarios: writes $TEST_TMP/<node>.json for each node, the simulator's values made
# constant (each sequence's first value) and every GPU process one of 14 real `sleep`s of ours,
# so users and commands are real. Each sleep is a Slurm job of its own by its environment (the
# workload's fallback source), so the exporters' process_workload_info tells the processes
# apart: $TEST_TMP/workloads.json maps each pid to its workload line.
FLEET_SLURM_USER=fleet
make_fleet_scenarios() {
    local pids=() i
    for i in $(seq 14); do
        SLURM_JOB_ID=$((9100 + i)) SLURM_STEP_ID=0 SLURM_JOB_USER=$FLEET_SLURM_USER sleep 300 &
        STARTED_PIDS+=($!)
        pids+=($!)
    done
    python3 - "$NVITOP_SCENARIOS" "$TEST_TMP" "$FLEET_SLURM_USER" "${pids[@]}" <<'PY'
import copy, json, sys
src, out, slurm_user = sys.argv[1:4]
json.dump({p: f"slurm {9101 + i}.0 ({slurm_user})" for i, p in enumerate(sys.argv[4:])},
          open(f"{out}/workloads.json", "w"))
pids = iter(int(p) for p in sys.argv[4:])
def flat(x):
    if isinstance(x, dict):
        if "seq" in x and "step_s" in x:
            return flat(x["seq"][0])
        return {k: flat(v) for k, v in x.items() if k != "latency_us"}
    if isinstance(x, list):
        return [flat(v) for v in x]
    return x
def real_pids(dev):
    for p in dev.get("processes") or []:
        p["pid"] = next(pids)
    for m in dev.get("mig_devices") or []:
        real_pids(m)
def load(name):
    return flat(json.load(open(f"{src}/{name}.json")))
mig = load("a100-mig-node")
mig["devices"] = mig["devices"][:3]
lost = load("node-gpu-lost")
proc = load("h100-under-load")
gpu1 = copy.deepcopy(proc["devices"][0])
gpu1["uuid"] = "GPU-1de2f14b-cd12-82d1-aa10-000000000001"
gpu1["bus_id"] = "00000000:00:07.0"
gpu1["utilization"] = {"gpu": 5, "memory": 1}
gpu1["temperature"] = 38
gpu1["power_usage"] = 98765
gpu1["processes"] = [{"pid": 0, "type": "C", "used_memory": m, "sm": sm, "mem": 1, "enc": 0,
                      "dec": 0} for m, sm in ((1073741824, 5), (2147483648, 0), (524288000, 1))]
proc["devices"].append(gpu1)
for name, scenario in (("mig-node", mig), ("lost-node", lost), ("proc-node", proc)):
    for dev in scenario["devices"]:
        real_pids(dev)
    json.dump(scenario, open(f"{out}/{name}.json", "w"))
PY
}

# start_fleet: the three exporters (ports in PORT_<node>) and Prometheus scraping them every
# $SCRAPE_S seconds (PROM_URL); waits until every node has been scraped with its processes.
SCRAPE_S=${SCRAPE_S:-1}
start_fleet() {
    local node targets=""
    for node in "${FLEET_NODES[@]}"; do
        start_fleet_exporter "$node" "$(free_port)"
        targets+="'127.0.0.1:$EXPORTER_PORT',"
    done
    PROM_PORT=$(free_port)
    PROM_URL=http://127.0.0.1:$PROM_PORT
    cat >"$TEST_TMP/prometheus.yml" <<EOC
global:
  scrape_interval: ${SCRAPE_S}s
  scrape_timeout: ${SCRAPE_S}s
scrape_configs:
  - job_name: nvitop
    static_configs:
      - targets: [${targets%,}]
EOC
    prometheus --config.file="$TEST_TMP/prometheus.yml" --storage.tsdb.path="$TEST_TMP/tsdb" \
        --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn \
        >"$TEST_TMP/prometheus.log" 2>&1 &
    PROM_PID=$!
    STARTED_PIDS+=($!)
    fleet_wait 30 curl -sf "$PROM_URL/-/ready"
    fleet_wait 30 fleet_has 'count(up{job="nvitop"} == 1) == 3'
    fleet_wait 30 fleet_has 'count(count by (hostname) (process_info_info)) == 3'
}

# start_fleet_exporter NODE PORT: the exporter of NODE on its scenario (EXPORTER_PID,
# EXPORTER_PORT; PID_<node> remembers it). Each start has files of its own: a restart that
# reused the last one's stderr could be read before the new exporter truncated it.
start_fleet_exporter() {
    FLEET_STARTS=$((${FLEET_STARTS:-0} + 1))
    NVML_SIM_SCENARIO=$TEST_TMP/$1.json start_exporter "$1.$FLEET_STARTS" --hostname "$1" \
        --interval 0.25 --port "$2"
    printf -v "PID_${1//-/_}" '%s' "$EXPORTER_PID"
    printf -v "PORT_${1//-/_}" '%s' "$EXPORTER_PORT"
}

# fleet_has EXPR: whether Prometheus' instant query EXPR has a series.
fleet_has() {
    curl -sf --get --data-urlencode "query=$1" "$PROM_URL/api/v1/query" |
        python3 -c 'import json, sys; sys.exit(0 if json.load(sys.stdin)["data"]["result"] else 1)'
}
