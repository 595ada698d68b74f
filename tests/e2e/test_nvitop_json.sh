#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# nvitop --json: the documented schema (docs/json.md), values equal to what the scenario and
# the fixture host hold, null plus a reason for what is not available, and the filters.
source "$(dirname "$0")/lib.sh"
require_env NVITOP_BIN_DIR NVITOP_SIM_LIB NVITOP_SCENARIOS NVITOP_FIXTURES NVITOP_SOURCE_DIR
make_test_tmp

export NVITOP_NVML_LIBRARY=$NVITOP_SIM_LIB NVITOP_PROC_ROOT=$NVITOP_FIXTURES/proc/basic
export LOGNAME=root LC_ALL=C.UTF-8 TZ=UTC
unset NVITOP_MONITOR_MODE LOGLEVEL CUDA_VISIBLE_DEVICES

json() { # json SCENARIO ARGS... > file
    local scenario=$1
    shift
    NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/$scenario.json "$NVITOP_BIN_DIR/nvitop" --json "$@"
}

for scenario in h100-under-load a100-mig-node unsupported-fields node-gpu-lost \
    node-container-pids rtx4090-idle no-gpus; do
    json "$scenario" >"$TEST_TMP/$scenario.json" || fail "nvitop --json on $scenario"
done
json h100-under-load -p 1046 >"$TEST_TMP/filtered.json"
json h100-under-load --workload >"$TEST_TMP/workload.json" # the documented "workload" object
json a100-mig-node -o 1 >"$TEST_TMP/only1.json"

python3 - "$TEST_TMP" "$NVITOP_SCENARIOS" "$NVITOP_SOURCE_DIR/docs/json.md" <<'PY'
import json, re, sys
tmp, scenarios, doc_path = sys.argv[1:4]
load = lambda name: json.load(open(f"{tmp}/{name}.json"))
scenario = lambda name: json.load(open(f"{scenarios}/{name}.json"))

# Every key the documentation lists (`key` in its tables) is in the output and vice versa.
documented = set(re.findall(r"^\| `([a-z0-9_]+)`", open(doc_path).read(), re.M))
def keys(obj, out):
    for k, v in obj.items():
        out.add(k)
        if isinstance(v, dict) and k != "unavailable":
            keys(v, out)
        if isinstance(v, list):
            for item in v:
                if isinstance(item, dict):
                    keys(item, out)
    return out
with_workload = keys(load("workload"), set())
for name in ("h100-under-load", "a100-mig-node"):
    seen = keys(load(name), set()) | with_workload
    assert not seen - documented, f"undocumented keys: {sorted(seen - documented)}"
    assert not documented - seen, f"documented but missing: {sorted(documented - seen)}"

doc = load("h100-under-load")
src = scenario("h100-under-load")["devices"][0]
assert doc["schema_version"] == 1 and doc["nvitop_version"] == "1.7.0"
assert doc["driver_version"] == "580.159.04" and doc["cuda_driver_version"] == "13.0"
d = doc["devices"][0]
assert d["index"] == "0" and d["is_mig"] is False and d["mig_index"] is None
for key, want in [("name", src["name"]), ("uuid", src["uuid"]), ("bus_id", src["bus_id"]),
                  ("serial", src["serial"]), ("memory_total_bytes", src["memory"]["total"]),
                  ("memory_used_bytes", src["memory"]["used"]),
                  ("memory_reserved_bytes", src["memory"]["reserved"]),
                  ("power_limit_mw", src["power_limit"]), ("temperature_c", src["temperature"]),
                  ("performance_state", 0), ("persistence_mode", 1), ("memory_percent", 12.8)]:
    assert d[key] == want, (key, d[key], want)
assert d["fan_speed_percent"] is None and d["unavailable"]["fan_speed_percent"] == "not supported"
assert d["pcie_tx_kibps"] is None and d["unavailable"]["pcie_tx_kibps"] == "not sampled"
assert d["mig_devices"] == []
procs = {p["pid"]: p for p in doc["processes"]}
assert sorted(procs) == [1045, 1046]
p = procs[1045]
assert p["device_index"] == "0" and p["type"] == "C" and p["gpu_memory_bytes"] == 3332374528
assert p["gpu_sm_utilization_percent"] == 81 and p["gpu_memory_utilization_percent"] == 26
h = p["host"]
assert h["username"] == "root" and h["status"] == "running" and h["ppid"] == 1018, h
assert h["cmdline"] == ["python3", "bench/mm.py", "120", "1.0", "2147483648"], h["cmdline"]
assert h["command"] == "python3 bench/mm.py 120 1.0 2147483648"
assert h["num_threads"] == 18 and h["rss_bytes"] > 0 and h["running_time_s"] > 0
host = doc["host"]
assert host["hostname"] == "vm" and host["cpu_count"] == 16
assert host["memory_total_bytes"] == 135148564480 and host["memory_used_bytes"] == 1635000320
assert host["swap_total_bytes"] == 0 and host["load_average_1m"] == 0.66
assert host["uptime_s"] == 152.4
assert [n["interface"] for n in host["network"]] == ["lo", "ifb0", "ifb1", "eth0"]
assert any(x["partition"] == "vda" and x["read_bytes"] == 1674829824 for x in host["disk_io"])

mig = load("a100-mig-node")
gpu0 = mig["devices"][0]
assert gpu0["mig_mode"] == 1 and len(gpu0["mig_devices"]) == 3
m = gpu0["mig_devices"][0]
assert m["index"] == "0:0" and m["is_mig"] and m["gpu_instance_id"] == 2
assert m["uuid"].startswith("MIG-") and m["mig_mode"] is None
assert m["unavailable"]["mig_mode"] == "not applicable"
assert {p["device_index"] for p in mig["processes"]} >= {"0:0", "0:1", "1:0"}
assert all(p["gpu_instance_id"] is not None for p in mig["processes"] if ":" in p["device_index"])

lost = load("node-gpu-lost")["devices"][2]
assert all(lost[k] is None for k in ("name", "temperature_c", "memory_used_bytes"))
reasons = set(lost["unavailable"].values())
assert reasons <= {"GPU is lost", "not sampled", "not applicable"}, reasons
assert lost["unavailable"]["temperature_c"] == "GPU is lost"

ghosts = load("node-container-pids")["processes"]
assert all(g["host"]["status"] == "no such process" and g["host"]["username"] is None
           for g in ghosts)
assert any(g["gpu_memory_bytes"] is None and g["unavailable"]["gpu_memory_bytes"]
           for g in ghosts)

unsup = load("unsupported-fields")["devices"]
assert all(v is None or isinstance(v, (int, float, str, bool, list, dict)) for d in unsup
           for v in d.values())
assert load("no-gpus")["devices"] == [] and load("no-gpus")["processes"] == []
assert [p["pid"] for p in load("filtered")["processes"]] == [1046]
only = load("only1")
assert [d["index"] for d in only["devices"]] == ["1"]
assert [m["index"] for m in only["devices"][0]["mig_devices"]] == ["1:0", "1:1"]
print("nvitop --json: ok")
PY
