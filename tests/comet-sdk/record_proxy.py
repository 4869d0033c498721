"""A recording HTTP proxy for SDK sessions: forwards every request to the server and appends one JSON line per call
(method, path with query, request headers that matter, the request body as sent — gzip kept, base64 — and the
status and body of the answer) to the recording. Usage: record_proxy.py LISTEN_PORT TARGET_BASE RECORDING.jsonl"""
import base64
import http.server
import json
import sys
import threading
import urllib.error
import urllib.request

PORT, TARGET, OUT = int(sys.argv[1]), sys.argv[2].rstrip("/"), sys.argv[3]
KEPT_HEADERS = ("content-type", "content-encoding", "authorization")
lock = threading.Lock()


class Recorder(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length", "connection", "accept-encoding")}
        request = urllib.request.Request(TARGET + self.path, data=body if self.command != "GET" else None, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                status, answer_headers, answer_body = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            status, answer_headers, answer_body = error.code, error.headers, error.read()
        with lock, open(OUT, "a") as out:
            out.write(json.dumps({
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items() if k.lower() in KEPT_HEADERS},
                "body": base64.b64encode(body).decode(),
                "status": status,
                "response": answer_body.decode("utf-8", "replace"),
            }) + "\n")
        self.send_response(status)
        for key, value in answer_headers.items():
            if key.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(answer_body)))
        self.end_headers()
        self.wfile.write(answer_body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Recorder).serve_forever()
