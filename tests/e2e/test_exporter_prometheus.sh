#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A real Prometheus server (on loopback, generated config, temporary data directory) scrapes
# nvitop-exporter running on the simulator, and the series are read back through its HTTP API:
# devices, MIG devices, NVLink links, real host processes (user, command, status), host
# metrics; every query of grafana/dashboard.json returns data; a process that ends and a GPU
# that is lost (the scenario rewritten while both run) leave no series behind.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exporter_lib.sh"
require_env NVITOP_SOURCE_DIR
command -v prometheus >/dev/null || fail "prometheus is not installed (scripts/install-deps.sh)"

# Three real processes for the simulated GPUs to run.
for name in a b c; do
    sleep 300 &
    STARTED_PIDS+=($!)
    printf -v "pid_$name" '%s' "$!"
done

scenario=$TEST_TMP/scenario.json
# make_scenario [without_a] [lost_gpu1]: GPU 0 an H100 with 4 NVLinks running a; GPU 1 an H100
# running c; GPU 2 an A100 in MIG mode whose MIG device 2:0 runs b.
make_scenario() {
    write_scenario "$scenario" "$(python3 - "$NVITOP_SCENARIOS" "$pid_a" "$pid_b" "$pid_c" "$@" <<'PY'
import copy, json, sys
src, a, b, c = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
flags = sys.argv[5:]
h100 = json.load(open(f"{src}/h100-under-load.json"))
a100 = json.load(open(f"{src}/a100-mig-node.json"))
gpu0 = copy.deepcopy(h100["devices"][0])
gpu0.pop("latency_us", None)
gpu0["nvlink"] = {"links": 4, "tx_kib_s": 4096, "rx_kib_s": 2048}
gpu0["processes"] = [] if "without_a" in flags else [
    {"pid": a, "type": "C", "used_memory": 3332374528, "sm": 81, "mem": 26, "enc": 0, "dec": 0}]
gpu1 = copy.deepcopy(h100["devices"][0])
gpu1["uuid"] = "GPU-1de2f14b-cd12-82d1-aa10-000000000001"
gpu1["bus_id"] = "00000000:00:07.0"
gpu1["processes"] = [{"pid": c, "type": "C", "used_memory": 1073741824, "sm": 5, "mem": 1,
                      "enc": 0, "dec": 0}]
if "lost_gpu1" in flags:
    gpu1["errors"] = {"*": "GPU_IS_LOST"}
gpu2 = copy.deepcopy(a100["devices"][0])
gpu2["mig_devices"] = gpu2["mig_devices"][:2]
gpu2["mig_devices"][0]["processes"] = [{"pid": b, "type": "C", "used_memory": 4718592000}]
gpu2["mig_devices"][1]["processes"] = []
out = {k: v for k, v in h100.items() if k not in ("devices", "latency_us")}
out["devices"] = [gpu0, gpu1, gpu2]
print(json.dumps(out))
PY
)"
}
make_scenario
export NVML_SIM_SCENARIO=$scenario
start_exporter exporter --hostname test-node --interval 0.25

prom_port=$(free_port)
cat >"$TEST_TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: nvitop
    static_configs:
      - targets: ['127.0.0.1:$EXPORTER_PORT']
EOF
prometheus --config.file="$TEST_TMP/prometheus.yml" --storage.tsdb.path="$TEST_TMP/tsdb" \
    --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$TEST_TMP/prometheus.log" 2>&1 &
STARTED_PIDS+=($!)
wait_for 20 curl -sf "http://127.0.0.1:$prom_port/-/ready"

# q EXPR: the result of an instant query, one line per series: {labels} value (sorted).
q() {
    python3 - "http://127.0.0.1:$prom_port/api/v1/query" "$1" <<'PY'
import json, sys, urllib.parse, urllib.request
url = sys.argv[1] + "?" + urllib.parse.urlencode({"query": sys.argv[2]})
reply = json.load(urllib.request.urlopen(url, timeout=5))
if reply.get("status") != "success":
    sys.exit(f"query failed: {sys.argv[2]}: {reply}")
rows = []
for r in reply["data"]["result"]:
    labels = ",".join(f'{k}="{v}"' for k, v in sorted(r["metric"].items()) if k not in ("job", "instance"))
    rows.append("{" + labels + "} " + r["value"][1])
print("\n".join(sorted(rows)))
PY
}
count() { q "$1" | grep -c . || true; }
has() { [ "$(count "$1")" -gt 0 ]; }
has_none() { [ "$(count "$1")" = 0 ]; }

wait_for 20 has 'up{job="nvitop"} == 1'
wait_for 20 has 'process_info_info{hostname="test-node"}'
# The slow thread's counters arrive after its first round (4 NVLinks, PCIe per device).
wait_for 20 has 'gpu_nvlink_tx_throughput_MiBps{index="0",link="3"}'
wait_for 20 has 'gpu_pcie_rx_throughput_MiBps{index="1"}'

# --- what Prometheus holds
assert_eq "$(q 'nvitop_info')" '{__name__="nvitop_info",cuda_driver_version="13.0",device_count="3",driver_version="580.159.04",hostname="test-node"} 1'
assert_eq "$(q 'gpu_memory_total_MiB{index="0"}')" '{__name__="gpu_memory_total_MiB",devicename="NVIDIA H100 80GB HBM3",hostname="test-node",index="0",uuid="GPU-1de2f14b-cd12-82d1-aa10-2fa6f4e66366"} 81559'
assert_eq "$(count 'gpu_utilization_Percentage')" 2 "GPU utilization series (GPU 0, 1; none for MIG mode)"
assert_eq "$(count '{__name__=~"gpu_memory_total_MiB",index=~"2:[01]"}')" 2 "MIG devices 2:0 and 2:1"
assert_contains "$(q 'gpu_memory_total_MiB{index="2:0"}')" 'devicename="NVIDIA A100-SXM4-40GB MIG 3g.20gb"'
assert_eq "$(count 'gpu_nvlink_tx_throughput_MiBps{index="0"}')" 4 "NVLink links of GPU 0"
# 4 links of 4096 KiB/s each: 16 MiB/s, measured from counter deltas
has 'gpu_nvlink_total_tx_throughput_MiBps{index="0"} > 15 < 17' ||
    fail "NVLink total: $(q 'gpu_nvlink_total_tx_throughput_MiBps{index="0"}')"
has_none 'gpu_fan_speed_Percentage' || fail "the H100 has no fan: no fan series, never 0"
user=$(id -un)
for p in "$pid_a" "$pid_b" "$pid_c"; do
    has "process_info_info{pid=\"$p\",username=\"$user\",command=\"sleep 300\",status=\"sleeping\"}" ||
        fail "no process_info_info of pid $p: $(q "process_info_info{pid=\"$p\"}")"
    has "process_running_time_Second{pid=\"$p\"}" || fail "no running time of $p"
    has "process_rss_memory_MiB{pid=\"$p\"} > 0" || fail "no RSS of $p"
done
assert_eq "$(q "process_gpu_memory_MiB{pid=\"$pid_a\"}")" "{__name__=\"process_gpu_memory_MiB\",devicename=\"NVIDIA H100 80GB HBM3\",hostname=\"test-node\",index=\"0\",pid=\"$pid_a\",username=\"$user\",uuid=\"GPU-1de2f14b-cd12-82d1-aa10-2fa6f4e66366\"} 3178"
assert_eq "$(q "process_gpu_sm_utilization_Percentage{pid=\"$pid_a\"}" | sed 's/.* //')" 81 "SM % of pid a"
# b runs on MIG device 2:0 and is listed under GPU 2 too, as nvitop-exporter lists it
assert_eq "$(q "process_gpu_memory_MiB{pid=\"$pid_b\"}" | grep -o 'index="[^"]*"' | sort | tr '\n' ' ')" 'index="2" index="2:0" ' "devices of pid b"
for m in host_uptime_Second host_cpu_percent_Percentage host_virtual_memory_total_MiB \
    host_load_average_15m_Percentage host_swap_memory_total_MiB; do
    has "$m{hostname=\"test-node\"}" || fail "no $m"
done
has 'host_net_io_rx_packets_Packet{interface="lo"}' || fail "no loopback counters"

# --- every query of the dashboard returns data ($hostname, $username: All)
python3 - "$NVITOP_SOURCE_DIR/grafana/dashboard.json" >"$TEST_TMP/queries" <<'PY'
import json, sys
for panel in json.load(open(sys.argv[1]))["panels"]:
    for t in panel.get("targets", []):
        e = t["expr"].replace("$hostname", ".*").replace("$username", ".*")
        print(e.replace("$__rate_interval", "10s"))
PY
n=0
while IFS= read -r expr; do
    n=$((n + 1))
    has "$expr" || fail "dashboard query returns nothing: $expr"
done <"$TEST_TMP/queries"
[ "$n" -ge 30 ] || fail "only $n dashboard queries"

# --- a process ends: its series go, the others stay
make_scenario without_a
wait_for 15 has_none "{pid=\"$pid_a\"}"
has "process_info_info{pid=\"$pid_b\"}" || fail "pid b went too"

# --- GPU 1 falls off the bus: its values and processes go, GPU 0 and the MIG devices stay
make_scenario without_a lost_gpu1
wait_for 15 has_none 'gpu_utilization_Percentage{index="1"}'
wait_for 15 has_none "{pid=\"$pid_c\"}"
# The scrape that lost utilization may still hold a value the exporter read just before the
# loss (each value is read at its own moment): wait for the last to go, then make sure none
# comes back over the next scrapes (test_exporter_gpu_lost checks each page of the exporter).
wait_for 15 has_none '{__name__=~"gpu_.*",index="1"}'
for _ in 1 2 3 4 5 6; do
    sleep 0.5
    has_none '{__name__=~"gpu_.*",index="1"}' || fail "lost GPU has series again: $(q '{__name__=~"gpu_.*",index="1"}')"
done
has 'gpu_utilization_Percentage{index="0"}' || fail "GPU 0 went with GPU 1"
has 'gpu_memory_total_MiB{index="2:1"}' || fail "MIG device 2:1 went with GPU 1"
assert_contains "$(q nvitop_info)" 'device_count="3"'
has 'up{job="nvitop"} == 1' || fail "the exporter stopped answering"
stop_exporter TERM
assert_eq "$STOP_RC" 0 "exit code after SIGTERM"
echo "PASS ($n dashboard queries)"
