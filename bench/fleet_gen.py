# SPDX-License-Identifier: Apache-2.0
"""OpenMetrics text of a fleet as nvitop-exporter's series would be in Prometheus (bench/
fleet.sh backfills it with `promtool tsdb create-blocks-from openmetrics`): NODES nodes of GPUS
GPUs with PROCS processes each, the families the fleet view asks for plus `up`, a sample every
STEP seconds from BEFORE seconds ago to AFTER seconds ahead (so the fleet stays fresh while the
bench runs).

    fleet_gen.py NODES GPUS PROCS STEP BEFORE AFTER > fleet.om
"""
import random
import sys
import time

nodes, gpus, procs, step, before, after = (int(a) for a in sys.argv[1:7])
now = int(time.time())
times = list(range(now - before, now + after + 1, step))
rand = random.Random(7)
out = sys.stdout
w = out.write


def labels(**kv):
    return "{" + ",".join(f'{k}="{v}"' for k, v in kv.items()) + "}"


def target(n):
    return {"job": "nvitop", "instance": f"10.0.{n // 250}.{n % 250}:5050"}


def host(n):
    return dict(target(n), hostname=f"gpu-node-{n:03d}")


def gpu(n, g):
    return dict(host(n), index=str(g), devicename="NVIDIA H100 80GB HBM3",
                uuid=f"GPU-{n:08x}-{g:04x}-4000-8000-000000000000")


def proc(n, g, p):
    return dict(gpu(n, g), pid=str(100000 + g * 100 + p), username=f"user{(n + p) % 37}")


def family(name, series):
    """series: (labels dict, value function of time)"""
    w(f"# TYPE {name} gauge\n")
    for lab, value in series:
        text = labels(**lab)
        for t in times:
            w(f"{name}{text} {value(t)} {t}\n")


family("up", [(target(n), lambda t: 1) for n in range(nodes)])
family("nvitop_info", [(dict(host(n), device_count=str(gpus), driver_version="580.159.04",
                             cuda_driver_version="13.0"), lambda t: 1) for n in range(nodes)])
family("host_cpu_percent_Percentage",
       [(host(n), lambda t, n=n: round(20 + (n * 7 + t) % 60, 1)) for n in range(nodes)])
family("host_virtual_memory_used_MiB", [(host(n), lambda t: 123456) for n in range(nodes)])
family("host_virtual_memory_total_MiB", [(host(n), lambda t: 2063790) for n in range(nodes)])
family("host_load_average_1m_Percentage",
       [(host(n), lambda t, n=n: round(1 + n % 50 / 7, 2)) for n in range(nodes)])
all_gpus = [(n, g) for n in range(nodes) for g in range(gpus)]
family("gpu_memory_total_MiB", [(gpu(n, g), lambda t: 81559) for n, g in all_gpus])
family("gpu_memory_used_MiB",
       [(gpu(n, g), lambda t, u=rand.randrange(81559): u) for n, g in all_gpus])
family("gpu_utilization_Percentage",
       [(gpu(n, g), lambda t, u=rand.randrange(101): u) for n, g in all_gpus])
family("gpu_power_usage_W",
       [(gpu(n, g), lambda t, u=rand.randrange(70, 700): u + 0.123) for n, g in all_gpus])
family("gpu_power_limit_W", [(gpu(n, g), lambda t: 700) for n, g in all_gpus])
family("gpu_temperature_C",
       [(gpu(n, g), lambda t, u=rand.randrange(30, 85): u) for n, g in all_gpus])
all_procs = [(n, g, p) for n, g in all_gpus for p in range(procs)]
family("process_info_info",
       [(dict(proc(n, g, p), status="running", command=f"python train.py --rank {g}"),
         lambda t: 1) for n, g, p in all_procs])
family("process_gpu_memory_MiB",
       [(proc(n, g, p), lambda t, u=rand.randrange(40000): u) for n, g, p in all_procs])
family("process_gpu_sm_utilization_Percentage",
       [(proc(n, g, p), lambda t, u=rand.randrange(101): u) for n, g, p in all_procs])
w("# EOF\n")
