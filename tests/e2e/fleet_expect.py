# SPDX-License-Identifier: Apache-2.0
"""The fleet that `nvitop --prometheus URL --json` must show, computed from the scenarios of
the nodes (tests/e2e/fleet_lib.sh), and its comparison with what nvitop printed: every node,
GPU (MIG devices included, a lost GPU left out) and process, every value.

    fleet_expect.py json SCENARIO_DIR USER FLEET.json [NODE=stale ...]
    fleet_expect.py text SCENARIO_DIR USER REPORT.txt [NODE=stale ...]
    fleet_expect.py screen SCENARIO_DIR USER SCREEN.txt [NODE=stale ...]
"""
import json
import math
import re
import sys

MIB = 1048576


def expected_gpus(scenario, user):
    gpus = []
    for i, dev in enumerate(scenario["devices"]):
        if (dev.get("errors") or {}).get("*") == "GPU_IS_LOST":
            continue  # no series at all: no row
        util = dev.get("utilization")
        migs = dev.get("mig_devices") or [] if dev.get("mig_mode") == 1 else []
        procs = list(dev.get("processes") or [])
        for m in migs:
            procs += m.get("processes") or []
        gpus.append({
            "index": str(i), "name": dev["name"], "uuid": dev["uuid"], "mig": False,
            "utilization_percent": util["gpu"] if util else None,
            "memory_used_mib": dev["memory"]["used"] / MIB,
            "memory_total_mib": dev["memory"]["total"] / MIB,
            "power_w": dev["power_usage"] / 1000, "power_limit_w": dev["power_limit"] / 1000,
            "temperature_c": dev["temperature"],
            "processes": [expected_process(p, user) for p in procs]})
        for j, m in enumerate(migs):
            gpus.append({
                "index": f"{i}:{j}", "name": m["name"], "uuid": m["uuid"], "mig": True,
                "utilization_percent": None,
                "memory_used_mib": m["memory"]["used"] / MIB,
                "memory_total_mib": m["memory"]["total"] / MIB,
                "power_w": None, "power_limit_w": None, "temperature_c": None,
                "processes": [expected_process(p, user) for p in m.get("processes") or []]})
    for g in gpus:
        g["processes"].sort(key=lambda p: p["pid"])
        g["process_count"] = len(g["processes"])
    return gpus


WORKLOADS = {}  # pid -> the workload line of its sleep (fleet_lib.sh's workloads.json)


def expected_process(p, user):
    # the simulator samples every process; one without "sm" in its scenario at 0 %
    return {"pid": p["pid"], "username": user, "gpu_memory_mib": p["used_memory"] / MIB,
            "sm_percent": p.get("sm", 0), "status": "sleeping",
            "command": "sleep 300", "workload": WORKLOADS[str(p["pid"])]}


def expected_fleet(scenario_dir, user, stale):
    WORKLOADS.update(json.load(open(f"{scenario_dir}/workloads.json")))
    nodes = []
    for name in sorted(["mig-node", "lost-node", "proc-node"]):
        scenario = json.load(open(f"{scenario_dir}/{name}.json"))
        nodes.append({"hostname": name, "stale": name in stale,
                      "stale_reason": stale.get(name),
                      "device_count": len(scenario["devices"]),
                      "driver_version": scenario["driver_version"],
                      "gpus": [] if name in stale else expected_gpus(scenario, user)})
    return nodes


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def compare(want, got, where, problems):
    if isinstance(want, dict):
        for k, v in want.items():
            if k not in got:
                problems.append(f"{where}.{k}: missing")
            else:
                compare(v, got[k], f"{where}.{k}", problems)
    elif isinstance(want, list):
        if len(want) != len(got):
            problems.append(f"{where}: {len(got)} items, expected {len(want)}: {got}")
        for i, (w, g) in enumerate(zip(want, got)):
            compare(w, g, f"{where}[{i}]", problems)
    elif not same(want, got):
        problems.append(f"{where}: expected {want!r}, got {got!r}")


def check_json(nodes, path):
    got = json.load(open(path))
    problems = []
    compare(nodes, got["nodes"], "nodes", problems)
    for n in got["nodes"]:
        fresh = not n["stale"]
        for key in ("cpu_percent", "memory_used_mib", "memory_total_mib", "load_1m"):
            if (n[key] is not None) != fresh:
                problems.append(f"{n['hostname']}.{key}: {n[key]!r} on a "
                                f"{'fresh' if fresh else 'stale'} node")
        if fresh and not n["memory_used_mib"] <= n["memory_total_mib"]:
            problems.append(f"{n['hostname']}: host memory {n['memory_used_mib']} used of "
                            f"{n['memory_total_mib']}")
    physical = [g for n in nodes for g in n["gpus"] if not g["mig"]]
    summary = {"nodes": len(nodes), "stale_nodes": sum(n["stale"] for n in nodes),
               "gpus": len(physical),
               "busy": sum(1 for g in physical
                           if g["process_count"] or (g["utilization_percent"] or 0) >= 10),
               "free_memory_mib": sum(g["memory_total_mib"] - g["memory_used_mib"]
                                      for g in physical)}
    summary["idle"] = summary["gpus"] - summary["busy"]
    compare(summary, got["summary"], "summary", problems)
    return problems


def fmt(v, digits, unit=""):
    return "N/A" if v is None else f"{v:.{digits}f}{unit}"


def check_text(nodes, path):
    text = open(path).read()
    problems = []
    for n in nodes:
        m = re.search(rf"^NODE {re.escape(n['hostname'])} \(127\.0\.0\.1:\d+\)  (.*)$", text, re.M)
        if not m:
            problems.append(f"no line of node {n['hostname']}")
            continue
        line = m.group(1)
        if n["stale"]:
            if not line.startswith(f"STALE: {n['stale_reason']}, last scrape "):
                problems.append(f"{n['hostname']}: not stale: {line}")
            continue
        physical = sum(1 for g in n["gpus"] if not g["mig"])
        if not re.match(rf"CPU [\d.]+%  MEM [\d.]+ / [\d.]+ GiB  LOAD [\d.]+  GPUs {physical} "
                        rf"of {n['device_count']}  scraped (now|\d+ s ago)$", line):
            problems.append(f"{n['hostname']}: {line}")
        block = text[m.end():].split("\nNODE ")[0] + "\n"
        for g in n["gpus"]:
            row = (f"  {g['index']:<5} {g['name'][:33]:<33} {fmt(g['utilization_percent'], 0, '%'):>5} "
                   f"{fmt(g['memory_used_mib'], 0) + ' / ' + fmt(g['memory_total_mib'], 0, 'MiB'):>19} "
                   f"{fmt(g['power_w'], 0) + ' / ' + fmt(g['power_limit_w'], 0, 'W'):>13} "
                   f"{fmt(g['temperature_c'], 0, 'C'):>5} {g['process_count']:>5}\n")
            if row not in block:
                problems.append(f"{n['hostname']}: no row {row!r} in:\n{block}")
            for p in g["processes"]:
                prow = (f"        pid {p['pid']:<8} {p['username']:<12} "
                        f"{fmt(p['gpu_memory_mib'], 0, 'MiB'):>10}  SM {fmt(p['sm_percent'], 0, '%'):>4}  "
                        f"{p['workload']:<24}  sleep 300\n")
                if prow not in block:
                    problems.append(f"{n['hostname']} GPU {g['index']}: no process row {prow!r}")
    return problems


def check_screen(nodes, path):
    """The fleet screen as tmux shows it: a node line per node (marked ▪, or × when stale;
    * and x in ASCII), its GPU rows under it."""
    lines = open(path).read().split("\n")
    problems = []
    for n in nodes:
        at = [i for i, l in enumerate(lines) if re.match(rf"^[▪×*x] {re.escape(n['hostname'])} \(", l)]
        if not at:
            problems.append(f"no line of node {n['hostname']}")
            continue
        line = lines[at[0]]
        if n["stale"] != ("STALE: " in line):
            problems.append(f"{n['hostname']}: {line}")
        block = []
        for l in lines[at[0] + 1:]:
            if re.match(r"^[▪×*x] ", l) or not l.strip():
                break
            block.append(l)
        if len(block) != len(n["gpus"]):
            problems.append(f"{n['hostname']}: {len(block)} GPU rows, expected {len(n['gpus'])}")
        for g in n["gpus"]:
            want = (rf"^  {re.escape(g['index'])} +{re.escape(g['name'])} +"
                    rf"{re.escape(fmt(g['utilization_percent'], 0, '%'))} +"
                    rf"{re.escape(fmt(g['memory_used_mib'], 0))}/{re.escape(fmt(g['memory_total_mib'], 0, 'MiB'))} "
                    rf".* {re.escape(fmt(g['power_w'], 0))}/{re.escape(fmt(g['power_limit_w'], 0, 'W'))} +"
                    rf"{re.escape(fmt(g['temperature_c'], 0, 'C'))} +{g['process_count']} *$")
            if not any(re.match(want, l) for l in block):
                problems.append(f"{n['hostname']}: no row matching {want} in:\n" + "\n".join(block))
    return problems


def main():
    mode, scenario_dir, user, path = sys.argv[1:5]
    stale = dict(a.split("=", 1) for a in sys.argv[5:])
    nodes = expected_fleet(scenario_dir, user, stale)
    problems = {"json": check_json, "text": check_text, "screen": check_screen}[mode](nodes, path)
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


main()
