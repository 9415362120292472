"""A small HTTP server on a loopback thread: serves canned answers and records what it is sent."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class LocalHttp:
    def __init__(self) -> None:
        self.routes: dict[str, Answer | Callable[[], Answer]] = {}
        self.received: list[tuple[str, str, bytes]] = []  # (method, path, body)
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                owner.received.append((self.command, self.path, self.rfile.read(length) if length else b""))
                route = owner.routes.get(self.path, Answer(404, b"not found"))
                answer = route() if callable(route) else route
                self.send_response(answer.status)
                for name, value in {"Content-Length": str(len(answer.body)), **answer.headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LocalHttp:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class SlowPeer:
    """A loopback server that answers one byte every `interval` seconds, for as long as the client
    waits (at most `limit` seconds, or until closed): in an endless header (`stage="headers"`), or
    in the body after prompt headers (`stage="body"`). Records each request it read in full."""

    def __init__(self, stage: str = "body", interval: float = 0.2, limit: float = 30.0):
        self.stage, self.interval, self.limit = stage, interval, limit
        self.requests: list[bytes] = []  # each request's body
        self.stopped = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> SlowPeer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.sock.close()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _read_request(self, conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        while len(body) < length:
            body += conn.recv(65536)
        self.requests.append(body)

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            self._read_request(conn)
            head = b"HTTP/1.1 200 OK\r\n" + (b"X-Slow: " if self.stage == "headers" else
                                             b"Content-Length: 100000000\r\n\r\n")
            deadline = time.monotonic() + self.limit
            try:
                conn.sendall(head)
                while not self.stopped.wait(self.interval) and time.monotonic() < deadline:
                    conn.sendall(b"x")
            except OSError:
                return
