#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes grafana/dashboard.json: the panels and queries of Python nvitop-exporter 1.7's
dashboard (title nvitop-dashboard, variables hostname and username), written anew for this
project. Run it after changing a panel; tests/e2e/test_exporter_prometheus.sh runs every query
of the result against a real Prometheus.

    python3 grafana/make_dashboard.py            # rewrites grafana/dashboard.json
    python3 grafana/make_dashboard.py --check    # exit 1 if the file is not up to date
"""

import json
import os
import sys

DS = {"type": "prometheus", "uid": "${datasource}"}
HOST = 'hostname=~"$hostname"'
PROC = 'hostname=~"$hostname", username=~"$username"'

_ids = iter(range(1, 1000))


def target(expr, legend="__auto", ref="A", instant=False, table=False):
    t = {"datasource": DS, "expr": expr, "legendFormat": legend, "refId": ref,
         "instant": instant, "range": not instant, "editorMode": "code"}
    if table:
        t["format"] = "table"
    return t


def thresholds(mode, steps):
    return {"mode": mode, "steps": [{"color": c, "value": v} for c, v in steps]}


PCT_STEPS = thresholds("percentage", [("green", None), ("yellow", 70), ("red", 90)])


def row(title, y):
    return {"type": "row", "id": next(_ids), "title": title, "collapsed": False,
            "gridPos": {"h": 1, "w": 24, "x": 0, "y": y}, "panels": []}


def gauge(title, expr, legend, pos):
    return {"type": "gauge", "id": next(_ids), "title": title, "datasource": DS,
            "gridPos": pos, "targets": [target(expr, legend)],
            "fieldConfig": {"defaults": {"unit": "percent", "min": 0, "max": 100,
                                         "color": {"mode": "thresholds"},
                                         "thresholds": PCT_STEPS}, "overrides": []},
            "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                        "showThresholdMarkers": True, "showThresholdLabels": False,
                        "orientation": "auto", "sizing": "auto"}}


def stat(title, targets, pos, no_value, steps, overrides=()):
    return {"type": "stat", "id": next(_ids), "title": title, "datasource": DS,
            "gridPos": pos, "targets": targets,
            "fieldConfig": {"defaults": {"unit": "none", "decimals": 0, "min": 0,
                                         "noValue": no_value, "color": {"mode": "thresholds"},
                                         "thresholds": steps},
                            "overrides": list(overrides)},
            "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                        "colorMode": "background", "graphMode": "area", "justifyMode": "auto",
                        "orientation": "auto", "textMode": "value_and_name", "wideLayout": True}}


def timeseries(title, targets, unit, pos, max_value=None):
    defaults = {"unit": unit, "min": 0, "color": {"mode": "palette-classic"},
                "custom": {"drawStyle": "line", "lineWidth": 1, "fillOpacity": 10,
                           "showPoints": "never", "spanNulls": False}}
    if max_value is not None:
        defaults["max"] = max_value
    return {"type": "timeseries", "id": next(_ids), "title": title, "datasource": DS,
            "gridPos": pos, "targets": targets,
            "fieldConfig": {"defaults": defaults, "overrides": []},
            "options": {"legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
                        "tooltip": {"mode": "multi", "sort": "desc"}}}


# The process table: one instant query per column, merged and grouped per process.
TABLE_COLUMNS = [
    # refId, metric, header
    ("cpu percent", "process_cpu_percent_Percentage", "%CPU"),
    ("rss memory", "process_rss_memory_MiB", "RSS MEMORY"),
    ("gpu memory", "process_gpu_memory_MiB", "GPU MEMORY"),
    ("gpu sm utilization", "process_gpu_sm_utilization_Percentage", "%SM"),
    ("gpu memory bandwidth utilization", "process_gpu_memory_utilization_Percentage", "%GMBW"),
    ("gpu encoder utilization", "process_gpu_encoder_utilization_Percentage", "%ENC"),
    ("gpu decoder utilization", "process_gpu_decoder_utilization_Percentage", "%DEC"),
    ("running time", "process_running_time_Second", "TIME"),
]


def process_table(pos):
    targets = [target(f"{metric}{{{PROC}}}", ref=ref, instant=True, table=True)
               for ref, metric, _ in TABLE_COLUMNS]
    targets.append(target(f"process_info_info{{{PROC}}}", ref="command", instant=True, table=True))
    targets.append(target(f"host_virtual_memory_total_MiB{{{HOST}}}", ref="host memory total",
                          instant=True, table=True))
    # nvitop-exporter 1.7 asks hostname!~ here (a slip: the total of the other hosts' GPUs)
    targets.append(target(f"gpu_memory_total_MiB{{{HOST}}}", ref="gpu memory total",
                          instant=True, table=True))
    group = {"hostname": {"operation": "groupby", "aggregations": []},
             "pid": {"operation": "groupby", "aggregations": []},
             "username": {"operation": "groupby", "aggregations": []},
             "index": {"operation": "groupby", "aggregations": []},
             "uuid": {"operation": "groupby", "aggregations": []},
             "status": {"operation": "aggregate", "aggregations": ["lastNotNull"]},
             "command": {"operation": "aggregate", "aggregations": ["lastNotNull"]}}
    for ref, _, _ in TABLE_COLUMNS:
        group[f"Value #{ref}"] = {"operation": "aggregate", "aggregations": ["lastNotNull"]}
    order = ["hostname", "pid", "username", "index", "status (lastNotNull)"] + \
        [f"Value #{ref} (lastNotNull)" for ref, _, _ in TABLE_COLUMNS] + ["command (lastNotNull)"]
    rename = {"hostname": "HOSTNAME", "pid": "PID", "username": "USERNAME", "index": "DEVICE",
              "status (lastNotNull)": "STATUS", "command (lastNotNull)": "COMMAND"}
    for ref, _, header in TABLE_COLUMNS:
        rename[f"Value #{ref} (lastNotNull)"] = header
    gauge_cell = {"type": "gauge", "mode": "lcd", "valueDisplayMode": "color"}
    bar_cell = {"type": "gauge", "mode": "gradient", "valueDisplayMode": "color"}
    overrides = [
        {"matcher": {"id": "byRegexp", "options": "/^%.*$/"},
         "properties": [{"id": "custom.cellOptions", "value": gauge_cell},
                        {"id": "min", "value": 0}, {"id": "max", "value": 100},
                        {"id": "unit", "value": "percent"}]},
        {"matcher": {"id": "byName", "options": "RSS MEMORY"},
         "properties": [{"id": "unit", "value": "mbytes"},
                        {"id": "custom.cellOptions", "value": bar_cell},
                        {"id": "custom.minWidth", "value": 150}]},
        {"matcher": {"id": "byName", "options": "GPU MEMORY"},
         "properties": [{"id": "unit", "value": "mbytes"},
                        {"id": "custom.cellOptions", "value": bar_cell},
                        {"id": "custom.minWidth", "value": 150}]},
        {"matcher": {"id": "byName", "options": "TIME"},
         "properties": [{"id": "unit", "value": "s"}]},
        {"matcher": {"id": "byName", "options": "COMMAND"},
         "properties": [{"id": "custom.align", "value": "left"}]},
    ]
    return {
        "type": "table", "id": next(_ids), "title": "GPU Processes", "datasource": DS,
        "gridPos": pos, "targets": targets,
        "fieldConfig": {"defaults": {"min": 0, "noValue": "No Running Processes",
                                     "custom": {"align": "right", "filterable": True,
                                                "minWidth": 50,
                                                "cellOptions": {"type": "auto"}},
                                     "thresholds": PCT_STEPS},
                        "overrides": overrides},
        "options": {"showHeader": True, "cellHeight": "sm",
                    "sortBy": [{"displayName": "GPU MEMORY", "desc": True}],
                    "footer": {"show": True, "reducer": ["sum"],
                               "fields": ["Value #gpu memory (lastNotNull)"]}},
        "transformations": [
            {"id": "configFromData",
             "options": {"configRefId": "host memory total",
                         "applyTo": {"id": "byType", "options": "number"},
                         "mappings": [{"fieldName": "Value #rss memory", "handlerKey": "max"}]}},
            {"id": "configFromData",
             "options": {"configRefId": "gpu memory total",
                         "applyTo": {"id": "byType", "options": "number"},
                         "mappings": [{"fieldName": "Value #gpu memory", "handlerKey": "max"}]}},
            {"id": "merge", "options": {}},
            {"id": "groupBy", "options": {"fields": group}},
            {"id": "organize",
             "options": {"excludeByName": {"uuid": True},
                         "indexByName": {name: i for i, name in enumerate(order)},
                         "renameByName": rename}},
        ],
    }


def variable(name, label):
    return {"name": name, "label": label, "type": "query", "datasource": DS,
            "definition": f"label_values({name})",
            "query": {"query": f"label_values({name})", "refId": f"{name}-values"},
            "refresh": 2, "multi": True, "includeAll": True, "allValue": ".*",
            "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
            "sort": 1, "hide": 0, "options": []}


def dashboard():
    rate = "[$__rate_interval]"
    panels = [
        row("Overview", 0),
        gauge("CPU Utilization", f"host_cpu_percent_Percentage{{{HOST}}}", "{{hostname}} CPU",
              {"h": 9, "w": 4, "x": 0, "y": 1}),
        gauge("GPU Utilization", f"gpu_utilization_Percentage{{{HOST}}}",
              "{{hostname}} GPU {{index}}", {"h": 18, "w": 10, "x": 4, "y": 1}),
        gauge("GPU Memory", f"gpu_memory_percent_Percentage{{{HOST}}}",
              "{{hostname}} GPU {{index}}", {"h": 18, "w": 10, "x": 14, "y": 1}),
        gauge("Host Virtual Memory", f"host_virtual_memory_percent_Percentage{{{HOST}}}",
              "{{hostname}} MEM", {"h": 9, "w": 4, "x": 0, "y": 10}),
        row("Process", 19),
        stat("Number of GPUs",
             [target(f"count(group by(uuid) (process_gpu_memory_MiB{{{PROC}}}))",
                     ref="number of occupied gpus", instant=True, table=True),
              target(f"count(gpu_memory_total_MiB{{{HOST}}})", ref="number of gpus",
                     instant=True, table=True)],
             {"h": 4, "w": 5, "x": 0, "y": 20}, "0",
             thresholds("percentage", [("green", None), ("yellow", 70), ("orange", 80),
                                       ("red", 90), ("dark-red", 95)]),
             [{"matcher": {"id": "byName", "options": "Value #number of gpus"},
               "properties": [{"id": "displayName", "value": "total"},
                              {"id": "color", "value": {"mode": "fixed", "fixedColor": "gray"}}]},
              {"matcher": {"id": "byName", "options": "Value #number of occupied gpus"},
               "properties": [{"id": "displayName", "value": "occupied"}]}]),
        stat("Number of Running GPU Processes",
             [target(f"count by(hostname, index) (process_gpu_memory_MiB{{{PROC}}})",
                     "{{hostname}} GPU {{index}}", ref="number of gpu processes", instant=True)],
             {"h": 8, "w": 19, "x": 5, "y": 20}, "No Running Processes",
             thresholds("absolute", [("green", None), ("yellow", 4), ("orange", 6), ("red", 8)])),
        stat("Number of Running GPU Processes",
             [target(f"count by(hostname) (count by(hostname, pid) (process_info_info{{{PROC}}}))",
                     "{{hostname}}", ref="number of gpu processes", instant=True)],
             {"h": 4, "w": 5, "x": 0, "y": 24}, "No Running Processes",
             thresholds("absolute", [("green", None), ("yellow", 8), ("orange", 16),
                                     ("red", 32)])),
        process_table({"h": 13, "w": 24, "x": 0, "y": 28}),
        row("System", 41),
        timeseries("CPU Utilization",
                   [target(f"host_cpu_percent_Percentage{{{HOST}}}", "{{hostname}}")],
                   "percent", {"h": 8, "w": 12, "x": 0, "y": 42}, 100),
        timeseries("CPU Load Average",
                   [target(f"host_load_average_{m}_Percentage{{{HOST}}}", f"{{{{hostname}}}} ({m})",
                           ref=ref) for m, ref in (("1m", "A"), ("5m", "B"), ("15m", "C"))],
                   "none", {"h": 8, "w": 12, "x": 12, "y": 42}),
        timeseries("Host Virtual Memory",
                   [target(f"host_virtual_memory_used_MiB{{{HOST}}}", "{{hostname}}")],
                   "mbytes", {"h": 8, "w": 12, "x": 0, "y": 50}),
        timeseries("Host Swap Memory",
                   [target(f"host_swap_memory_used_MiB{{{HOST}}}", "{{hostname}}")],
                   "mbytes", {"h": 8, "w": 12, "x": 12, "y": 50}),
        row("System I/O", 58),
        timeseries("Host Network I/O",
                   [target(f"sum by(hostname) (rate(host_net_io_rx_data_MiB{{{HOST}}}{rate}))",
                           "{{hostname}} RX", ref="A"),
                    target(f"sum by(hostname) (rate(host_net_io_tx_data_MiB{{{HOST}}}{rate}))",
                           "{{hostname}} TX", ref="B")],
                   "MiBs", {"h": 8, "w": 12, "x": 0, "y": 59}),
        timeseries("Host Disk I/O",
                   [target(f"sum by(hostname) (rate(host_disk_io_read_data_MiB{{{HOST}}}{rate}))",
                           "{{hostname}} Read", ref="A"),
                    target(f"sum by(hostname) (rate(host_disk_io_write_data_MiB{{{HOST}}}{rate}))",
                           "{{hostname}} Write", ref="B")],
                   "MiBs", {"h": 8, "w": 12, "x": 12, "y": 59}),
        row("Device", 67),
    ]
    device = [
        ("GPU Utilization", "gpu_utilization_Percentage", "percent", 100),
        ("GPU Memory", "gpu_memory_used_MiB", "mbytes", None),
        ("GPU PCIe RX Throughput", "gpu_pcie_rx_throughput_MiBps", "MiBs", None),
        ("GPU PCIe TX Throughput", "gpu_pcie_tx_throughput_MiBps", "MiBs", None),
        ("GPU NVLink RX Throughput", "gpu_nvlink_total_rx_throughput_MiBps", "MiBs", None),
        ("GPU NVLink TX Throughput", "gpu_nvlink_total_tx_throughput_MiBps", "MiBs", None),
        ("GPU Power Usage", "gpu_power_usage_W", "watt", None),
        ("GPU Temperature", "gpu_temperature_C", "celsius", None),
    ]
    for i, (title, metric, unit, top) in enumerate(device):
        panels.append(timeseries(title, [target(f"{metric}{{{HOST}}}", "{{hostname}} GPU {{index}}")],
                                 unit, {"h": 8, "w": 12, "x": 12 * (i % 2), "y": 68 + 8 * (i // 2)},
                                 top))
    return {
        "title": "nvitop-dashboard",
        "uid": "bdl3vqwxprhtsa",
        "description": "GPU, process and host metrics of nvitop-exporter (C port, same metrics "
                       "as Python nvitop-exporter 1.7).",
        "tags": ["nvitop", "gpu", "nvidia"],
        "editable": True,
        "graphTooltip": 1,
        "refresh": "5s",
        "time": {"from": "now-24h", "to": "now"},
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "fiscalYearStartMonth": 0,
        "liveNow": False,
        "links": [],
        "annotations": {"list": [{"builtIn": 1, "datasource": {"type": "grafana",
                                                               "uid": "-- Grafana --"},
                                  "enable": True, "hide": True, "name": "Annotations & Alerts",
                                  "iconColor": "rgba(0, 211, 255, 1)", "type": "dashboard"}]},
        "templating": {"list": [
            {"name": "datasource", "label": "Data source", "type": "datasource",
             "query": "prometheus", "current": {}, "hide": 0, "refresh": 1, "options": []},
            variable("hostname", "Hostname"),
            variable("username", "Username"),
        ]},
        "panels": panels,
    }


def main():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dashboard.json")
    text = json.dumps(dashboard(), indent=2) + "\n"
    if sys.argv[1:] == ["--check"]:
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                print(f"{path} is out of date: run python3 grafana/make_dashboard.py",
                      file=sys.stderr)
                return 1
        return 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
