#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The model test_monitor_sorting.sh checks the monitor against.

procroot SCENARIO BASIC OUT: a /proc stand-in at OUT, the fixture BASIC plus one process for
    each pid of the simulator's SCENARIO, with host values that stay the same from one sample
    to the next (no CPU time, so %CPU is 0; the fixture's uptime is fixed, so are the running
    times), a few users, and values repeated so that ties go on to the next key.
last JSON: for each sort key the monitor binds (o + letter, upper case reversed), the pid of
    the process the sorted list ends with, computed from `nvitop --json` with the key tuples of
    docs/monitor.md and spec section 3.5: N/A greater than any number, gone processes last in
    both directions (ours), the natural order by device first. Prints "LETTER PID" lines.
"""
import functools
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fixtures", "proc"))
import generate  # noqa: E402  (the fixtures' writer: stat, status, cmdline of a pid)

UIDS = (0, 1, 2, 65534)  # root, daemon, bin, nobody: in every Debian passwd


def procroot(scenario, basic, out):
    shutil.copytree(basic, out, symlinks=True)
    with open(scenario) as f:
        pids = [p["pid"] for d in json.load(f)["devices"] for p in d.get("processes", [])]
    for i, pid in enumerate(sorted(set(pids))):
        start, rss, uid = 100 * ((i * 37) % 150), 4096 * (1 + (i * 11) % 7), UIDS[(i * 5) % 4]
        files = {  # what the host reader needs, no more: thousands of pids on a busy disk
            "stat": generate.stat_line(pid, "python3", "S", 1, 0, 0, 4, start, rss, 1 << 30),
            "status": generate.status_text("python3", "S", pid, 1, uid, 4, rss, 1 << 20),
            "cmdline": generate.nul("python3", "train.py", f"--rank={i}"),
        }
        os.makedirs(os.path.join(out, str(pid)), exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(out, str(pid), name), "wb") as f:
                f.write(data if isinstance(data, bytes) else data.encode())


def number(value):
    """N/A (None) compares greater than any number."""
    return (1, 0) if value is None else (0, value)


KEYS = {  # letter: (default descending, key after `gone`)
    "n": (False, lambda p: (p["user"], p["pid"])),
    "p": (False, lambda p: (p["pid"], p["dev"])),
    "u": (False, lambda p: (p["user"], p["pid"], p["dev"])),
    "g": (True, lambda p: (p["mem"], p["sm"], p["cpu"], p["pid"], p["dev"])),
    "s": (True, lambda p: (p["sm"], p["mem"], p["cpu"], p["pid"], p["dev"])),
    "b": (True, lambda p: (p["bw"], p["mem"], p["cpu"], p["pid"], p["dev"])),
    "c": (True, lambda p: (p["cpu"], p["hmem"], p["pid"], p["dev"])),
    "m": (True, lambda p: (p["hmem"], p["cpu"], p["pid"], p["dev"])),
    "t": (True, lambda p: (p["time"], p["pid"], p["dev"])),
}


def row(p):
    h = p["host"]
    gone = h.get("status") == "no such process"
    host = (lambda k: None) if gone else h.get
    return {
        "pid": p["pid"], "dev": tuple(int(x) for x in p["device_index"].split(":")),
        "gone": gone, "user": (None if gone else h.get("username")) or "N/A",
        "mem": number(p.get("gpu_memory_bytes")), "sm": number(p.get("gpu_sm_utilization_percent")),
        "bw": number(p.get("gpu_memory_utilization_percent")),
        "cpu": number(host("cpu_percent")), "hmem": number(host("memory_percent")),
        "time": number(host("running_time_s")),
    }


def compare(letter, descending, a, b):
    sign = -1 if descending else 1
    if letter == "n" and a["dev"] != b["dev"]:  # the device first, in the order's direction
        return sign * (1 if a["dev"] > b["dev"] else -1)
    if a["gone"] != b["gone"]:  # gone last either way
        return 1 if a["gone"] else -1
    ka, kb = KEYS[letter][1](a), KEYS[letter][1](b)
    return sign * ((ka > kb) - (ka < kb))


def last(path):
    with open(path) as f:
        procs = [row(p) for p in json.load(f)["processes"]]
    for letter, (descending, _) in KEYS.items():
        for reverse in (False, True):
            cmp = functools.partial(compare, letter, descending != reverse)
            ordered = sorted(procs, key=functools.cmp_to_key(cmp))
            print(letter.upper() if reverse else letter, ordered[-1]["pid"])


if __name__ == "__main__":
    if sys.argv[1] == "procroot":
        procroot(*sys.argv[2:5])
    else:
        last(sys.argv[2])
