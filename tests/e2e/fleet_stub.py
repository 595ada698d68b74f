# SPDX-License-Identifier: Apache-2.0
"""A stand-in for Prometheus that answers badly, one way per path prefix (tests/e2e/
test_fleet_errors.sh): /401, /403, /404 (anything unknown), /html (a login page), /cut (a
Content-Length longer than the body), /half (half a JSON answer, complete as HTTP), /huge
(65 MiB of a vector), /slow (no answer for 30 s), /error (Prometheus' own error), /matrix,
/empty, and /auth (an empty fleet for the right basic auth or bearer token only).

    fleet_stub.py PORT_FILE
"""
import base64
import http.server
import json
import socketserver
import sys
import time

EMPTY = json.dumps({"status": "success", "data": {"resultType": "vector", "result": []}}).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, code, body, ctype="application/json", length=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        kind = self.path.split("/")[1]
        if kind == "401":
            self.send(401, b"Unauthorized\n", "text/plain")
        elif kind == "403":
            self.send(403, b"Forbidden\n", "text/plain")
        elif kind == "html":
            self.send(200, b"<html><body>Please log in</body></html>", "text/html")
        elif kind == "cut":
            self.send(200, EMPTY[:20], length=len(EMPTY))
            self.close_connection = True
        elif kind == "half":
            self.send(200, EMPTY[: len(EMPTY) // 2])
        elif kind == "huge":
            self.huge()
        elif kind == "slow":
            time.sleep(30)
        elif kind == "error":
            self.send(400, json.dumps({"status": "error", "errorType": "bad_data",
                                       "error": "invalid parameter \"query\""}).encode())
        elif kind == "matrix":
            self.send(200, json.dumps({"status": "success", "data": {
                "resultType": "matrix", "result": []}}).encode())
        elif kind == "empty":
            self.send(200, b"")
        elif kind == "auth":
            good = {"Basic " + base64.b64encode(b"alice:s3cret").decode(), "Bearer t0ken"}
            if self.headers.get("Authorization") in good:
                self.send(200, EMPTY)
            else:
                self.send(401, b"Unauthorized\n", "text/plain")
        else:
            self.send(404, b"404 page not found\n", "text/plain")

    def huge(self):
        series = b'{"metric":{"__name__":"gpu_memory_total_MiB","hostname":"' + b"x" * 200 + \
            b'"},"value":[1,"1"]},'
        count = (65 << 20) // len(series) + 1
        head = b'{"status":"success","data":{"resultType":"vector","result":['
        tail = b'{"metric":{},"value":[1,"1"]}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(head) + count * len(series) + len(tail)))
        self.end_headers()
        try:
            self.wfile.write(head)
            for _ in range(count // 1000):
                self.wfile.write(series * 1000)
            self.wfile.write(series * (count % 1000) + tail)
        except (BrokenPipeError, ConnectionResetError):
            pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
