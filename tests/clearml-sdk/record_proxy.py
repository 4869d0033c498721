"""A recording HTTP proxy for ClearML client sessions (the SDK, clearml-data, clearml-agent): forwards every request to
the server and appends one JSON line per call to the recording, in the format ClearMl/Fixtures/*.jsonl use:
  method, path (with query), content_type, worker (the X-ClearML-Worker header, when sent), body (text; body_base64
  instead when it is not UTF-8, e.g. a zip upload), status, and for API calls response = the answer's `data`; for file
  downloads response_base64 = the bytes.
No other header is kept, and tokens and secrets in answers are blanked (a replay logs in with its own key pair).
Usage: record_proxy.py LISTEN_PORT TARGET_BASE RECORDING.jsonl"""
import base64
import http.server
import json
import sys
import threading
import urllib.error
import urllib.request

PORT, TARGET, OUT = int(sys.argv[1]), sys.argv[2].rstrip("/"), sys.argv[3]
lock = threading.Lock()
SECRETS = ("token", "secret_key")


def redact(data):
    if isinstance(data, dict):
        return {k: "<redacted>" if k in SECRETS and isinstance(v, str) else redact(v) for k, v in data.items()}
    if isinstance(data, list):
        return [redact(v) for v in data]
    return data


class Recorder(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
                if size == 0:
                    return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _forward(self):
        body = self._body()
        dropped = ("host", "content-length", "transfer-encoding", "connection", "accept-encoding")
        headers = {k: v for k, v in self.headers.items() if k.lower() not in dropped}
        request = urllib.request.Request(TARGET + self.path, data=body or None, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=300) as answer:
                status, answer_headers, answer_body = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            status, answer_headers, answer_body = error.code, error.headers, error.read()
        call = {"method": self.command, "path": self.path, "content_type": self.headers.get("Content-Type", "")}
        if self.headers.get("X-ClearML-Worker"):
            call["worker"] = self.headers["X-ClearML-Worker"]
        try:
            call["body"] = body.decode("utf-8")
        except UnicodeDecodeError:
            call["body_base64"] = base64.b64encode(body).decode()
        call["status"] = status
        if self.path.startswith("/files"):
            if self.command == "GET" and status == 200:
                call["response_base64"] = base64.b64encode(answer_body).decode()
        else:
            try:
                call["response"] = redact(json.loads(answer_body).get("data", {}))
            except ValueError:
                call["response"] = None
        with lock, open(OUT, "a") as out:
            out.write(json.dumps(call) + "\n")
        self.send_response(status)
        for key, value in answer_headers.items():
            if key.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                self.send_header(key, value)
        # a HEAD answer tells the length of what a GET would send
        self.send_header("Content-Length", answer_headers.get("Content-Length", "0") if self.command == "HEAD" else str(len(answer_body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer_body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client closing its keep-alive connection is normal
            super().handle_error(request, client_address)


Server(("127.0.0.1", PORT), Recorder).serve_forever()
