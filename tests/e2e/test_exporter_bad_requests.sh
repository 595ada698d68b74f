#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Malformed requests get an HTTP answer, not a silent close or a hang: garbage 400, a request
# target too long (or with too many query parameters) 414, headers too large 431, and a good
# request right after each shows the server is unharmed. Loopback only.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exporter_lib.sh"
export NVML_SIM_SCENARIO=$NVITOP_SCENARIOS/h100-under-load.json
start_exporter requests

python3 - "$EXPORTER_PORT" >"$TEST_TMP/answers" <<'PY'
import random, socket, sys

port = int(sys.argv[1])
rng = random.Random(13)

def status_of(payload):
    """The status code answered to payload, 'closed' or 'timeout'."""
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    try:
        s.sendall(payload)
    except OSError:
        pass  # the server may answer and close while we still send
    try:
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        return "timeout"
    except OSError:
        data = data if data else b""
    finally:
        s.close()
    return data.split(b" ")[1].decode() if data.startswith(b"HTTP/1.1 ") else "closed"

def get(target, headers=b""):
    return b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n"

cases = [
    ("good", get(b"/metrics")),
    ("64 name[] parameters", get(b"/metrics?" + b"&".join([b"name[]=gpu_utilization_Percentage"] * 64))),
    ("garbage word", b"garbage\r\n\r\n"),
    ("garbage NUL", b"\x00\x01 NOT HTTP\r\n\r\n"),
    ("garbage leading space", b" GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("garbage binary", bytes(rng.randrange(256) for _ in range(4096)).replace(b" ", b"") + b"\r\n\r\n"),
    ("garbage version", b"GET / HTTQ/1.1\r\nHost: x\r\n\r\n"),
    ("garbage header", get(b"/metrics", b"no colon here\r\n")),
    ("query 30 kB", get(b"/metrics?" + b"a" * 30000)),
    ("query 30 kB of parameters", get(b"/metrics?" + b"&".join([b"a=1"] * 7500))),
    ("path 9 KiB", get(b"/" + b"p" * 9 * 1024)),
    ("200 parameters", get(b"/metrics?" + b"&".join([b"name[]=x"] * 200))),
    ("request line 40 kB", get(b"/metrics?" + b"a" * 40000)),
    ("headers 40 kB", get(b"/metrics", b"X-Big: " + b"a" * 40000 + b"\r\n")),
]
for name, payload in cases:
    print(f"{name}: {status_of(payload)} then {status_of(get(b'/healthz'))}")

# Half a request line, then the client closes (half the time after a shutdown): more of them
# than one address may hold waiting. Each must be let go, or the address is locked out.
for i in range(80):
    s = socket.create_connection(("127.0.0.1", port), timeout=3)
    s.sendall(b"GET /metr")
    if i % 2:
        s.shutdown(socket.SHUT_WR)
    s.close()
print(f"80 cut lines: closed then {status_of(get(b'/healthz'))}")
PY
cat "$TEST_TMP/answers"
expect() {
    assert_eq "$(sed -n "s/^$1: //p" "$TEST_TMP/answers")" "$2 then 200" "$1"
}
expect "good" 200
expect "64 name\[\] parameters" 200
expect "garbage word" 400
expect "garbage NUL" 400
expect "garbage leading space" 400
expect "garbage binary" 400
expect "garbage version" 400
expect "garbage header" 400
expect "query 30 kB" 414
expect "query 30 kB of parameters" 414
expect "path 9 KiB" 414
expect "200 parameters" 414
expect "request line 40 kB" 414
expect "headers 40 kB" 431
expect "80 cut lines" closed
kill -0 "$EXPORTER_PID" || fail "the exporter died"
stop_exporter TERM
assert_eq "$STOP_RC" 0 "exit code after SIGTERM"
echo PASS
