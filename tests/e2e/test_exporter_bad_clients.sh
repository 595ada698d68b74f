#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Slow, broken and hostile clients against nvitop-exporter while a well-behaved client keeps
# scraping: many idle connections, slowloris (headers a line a second), huge headers, garbage
# bytes, readers that never read (small receive buffers, so pages stay in flight) and readers
# that trickle. Each kind comes from its own loopback address (127.0.0.2-7), as attackers come
# from their own hosts. Every scrape of the good client must be answered, complete, and memory
# must stay bounded. The timings are printed, not asserted (a loaded CI machine is slow).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exporter_lib.sh"
export NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/node-8gpu-100proc.json
start_exporter bad --interval 0.25

python3 - "$EXPORTER_PORT" "$EXPORTER_PID" >"$TEST_TMP/report" <<'PY'
import http.client, os, random, socket, sys, threading, time

port, pid = int(sys.argv[1]), int(sys.argv[2])
stop = threading.Event()
held = []          # sockets kept open until the end
results = {}       # kind -> list of outcomes
lock = threading.Lock()

def note(kind, what):
    with lock:
        results.setdefault(kind, []).append(what)

def memory_kib(field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0

def connect(src, rcvbuf=None):
    s = socket.socket()
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((src, 0))
    s.settimeout(5)
    s.connect(("127.0.0.1", port))
    return s

def status_of(s):
    try:
        data = s.recv(64)
        return data.split(b" ")[1].decode() if data.startswith(b"HTTP/") else "closed"
    except OSError:
        return "closed"

def idle():  # many connections that never send a byte
    socks = []
    for _ in range(100):
        try:
            socks.append(connect("127.0.0.2"))
        except OSError:
            note("idle", "refused")
    time.sleep(1.0)
    for s in socks:  # the kernel accepts them all; the server closes those over its limit
        s.setblocking(False)
        try:
            note("idle", "refused" if s.recv(1) == b"" else "open")
        except BlockingIOError:
            note("idle", "open")
        except OSError:
            note("idle", "refused")
    held.extend(socks)

def slowloris():  # a header line a second, never finishing the request
    socks = []
    for _ in range(40):
        try:
            s = connect("127.0.0.3")
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        except OSError:
            note("slowloris", "refused")
    held.extend(socks)
    while not stop.wait(1.0):
        for s in socks:
            try:
                s.sendall(b"X-Slow: %d\r\n" % random.randrange(1000))
            except OSError:
                pass

def huge_headers():  # a 1 MiB header line
    for _ in range(10):
        try:
            s = connect("127.0.0.4")
            try:
                s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n")
            except OSError:
                pass  # the server may close while we still send
            note("huge", status_of(s))
            s.close()
        except OSError:
            note("huge", "refused")

def garbage():  # random bytes, and lines that are not HTTP
    for i in range(40):
        try:
            s = connect("127.0.0.5")
            s.settimeout(2)
            payload = os.urandom(4096) + b"\r\n\r\n" if i % 2 else b"\x00\x01 NOT HTTP\r\n\r\n"
            try:
                s.sendall(payload)
            except OSError:
                pass
            note("garbage", status_of(s))
            s.close()
        except OSError:
            note("garbage", "refused")

def never_read():  # ask for the page with a tiny receive window, never read it
    for _ in range(30):
        try:
            s = connect("127.0.0.6", rcvbuf=4096)
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            held.append(s)
            note("never-read", "open")
        except OSError:
            note("never-read", "refused")
        time.sleep(0.1)  # spread over several page versions

def trickle():  # read 64 bytes a second
    socks = []
    for _ in range(10):
        try:
            s = connect("127.0.0.7", rcvbuf=4096)
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            socks.append(s)
        except OSError:
            note("trickle", "refused")
    held.extend(socks)
    while not stop.wait(1.0):
        for s in socks:
            try:
                s.recv(64)
            except OSError:
                pass

base_rss = memory_kib("VmRSS")
attackers = [threading.Thread(target=f, daemon=True)
             for f in (idle, slowloris, huge_headers, garbage, never_read, trickle)]
for t in attackers:
    t.start()
times, bad = [], []
deadline = time.monotonic() + 8
conn = None
while time.monotonic() < deadline:
    start = time.monotonic()
    try:
        if conn is None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/metrics")
        r = conn.getresponse()
        body = r.read()
        if r.status != 200 or not body.endswith(b"\n") or b"process_info_info{" not in body \
                or len(body) != int(r.getheader("Content-Length")):
            bad.append(f"status {r.status}, {len(body)} bytes")
    except Exception as e:  # noqa: BLE001
        bad.append(repr(e))
        conn = None
    times.append(time.monotonic() - start)
    time.sleep(0.05)
stop.set()
peak = memory_kib("VmHWM")
times.sort()
print(f"scrapes {len(times)}")
print(f"failed {len(bad)} {bad[:3]}")
print(f"p50_ms {1000 * times[len(times) // 2]:.2f}")
print(f"max_ms {1000 * times[-1]:.2f}")
print(f"base_rss_kib {base_rss}")
print(f"peak_rss_kib {peak}")
for kind, outcomes in sorted(results.items()):
    counts = {o: outcomes.count(o) for o in sorted(set(outcomes))}
    print(f"kind {kind} {counts}")
for s in held:
    s.close()
PY
cat "$TEST_TMP/report"
get() { sed -n "s/^$1 //p" "$TEST_TMP/report"; }
[ "$(get scrapes)" -ge 10 ] || fail "the good client got only $(get scrapes) scrapes in 8 s"
assert_eq "$(get failed)" "0 []" "failed scrapes of the good client"
# attackers were limited, not served without bound
assert_contains "$(get 'kind idle')" "'refused'" "idle connections beyond the per-address limit"
assert_contains "$(get 'kind huge')" "'431'" "huge headers"
! grep -q "'200'" <<<"$(get 'kind garbage')" || fail "garbage got a 200"
# memory stays bounded: connection pools, pages held by readers that never read
if [ -z "${NVITOP_SANITIZE:-}" ]; then
    growth=$(($(get peak_rss_kib) - $(get base_rss_kib)))
    [ "$growth" -lt 65536 ] || fail "RSS grew by $growth KiB under attack"
fi
kill -0 "$EXPORTER_PID" || fail "the exporter died"
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$(metrics_url /healthz)")" 200 "healthz after"
stop_exporter TERM
assert_eq "$STOP_RC" 0 "exit code after SIGTERM with connections open"
echo PASS
