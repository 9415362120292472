"""Starting courseport for a test session: in this process, as a subprocess, or using one that runs.

Each way answers a `Server`: its base URL and the installation administrator's token, which makes and
deletes tenants through the admin API (`/_courseport/tenants`).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

START_SECONDS = 60.0


@dataclass
class Server:
    base_url: str
    admin_token: str
    stop: Callable[[], None] = field(default=lambda: None, repr=False)

    def admin(self) -> httpx.Client:
        """An HTTP client for the admin API, with the administrator's token."""
        return httpx.Client(base_url=self.base_url, headers={"Authorization": f"Bearer {self.admin_token}"},
                            timeout=60)

    def create_tenant(self, name: str) -> dict[str, Any]:
        """A new tenant: its id, name and credentials (shaped as credentials.json holds them)."""
        with self.admin() as http:
            answer = http.post("/_courseport/tenants", json={"name": name})
        if answer.status_code != 201:
            raise RuntimeError(f"courseport refused to make a tenant: {answer.status_code} {answer.text}")
        return answer.json()

    def delete_tenant(self, tenant_id: int) -> None:
        with self.admin() as http:
            answer = http.delete(f"/_courseport/tenants/{tenant_id}")
        if answer.status_code not in (200, 404):
            raise RuntimeError(f"courseport did not delete tenant {tenant_id}: {answer.status_code} {answer.text}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(base_url: str, alive: Callable[[], bool]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError("courseport stopped while starting")
        try:
            if httpx.get(base_url + "/_courseport/health", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"courseport did not answer at {base_url} within {START_SECONDS:.0f} s")


def start_in_process(data_dir: Path, database_url: str | None) -> Server:
    """Migrate and bootstrap the store, then serve it from uvicorn in a daemon thread of this process."""
    import uvicorn

    from courseport.app import build_services, create_app
    from courseport.cli import prepare_store
    from courseport.settings import Settings

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    settings = Settings(data_dir=data_dir, database_url=database_url, port=port, public_url=base_url,
                        auth_failure_limit=0)
    creds, _ = prepare_store(settings, base_url, seed_demo=False)
    services = build_services(settings)
    server = uvicorn.Server(uvicorn.Config(create_app(settings, services), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on", ws="none"))
    thread = threading.Thread(target=server.run, name="courseport", daemon=True)
    thread.start()
    _wait_healthy(base_url, thread.is_alive)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=15)

    return Server(base_url, creds["canvas"]["token"], stop)


def start_subprocess(data_dir: Path, database_url: str | None) -> Server:
    """`courseport serve` in a process of its own, on a free port; its credentials.json gives the token."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "courseport.cli", "serve", "--workers", "1", "--no-demo", "--port", str(port),
               "--data-dir", str(data_dir), "--auth-failure-limit", "0"]
    if database_url:
        command += ["--database-url", database_url]
    log = (data_dir / "server.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ})
    try:
        _wait_healthy(base_url, lambda: process.poll() is None)
    except RuntimeError as exc:
        process.kill()
        raise RuntimeError(f"{exc}; its output is in {data_dir / 'server.log'}") from None

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()

    creds = json.loads((data_dir / "credentials.json").read_text())
    return Server(base_url, creds["canvas"]["token"], stop)


def running(base_url: str, admin_token: str | None) -> Server:
    """A courseport someone else started: the installation administrator's token is needed."""
    if not admin_token:
        raise RuntimeError("--courseport-url needs --courseport-admin-token (or COURSEPORT_TESTING_ADMIN_TOKEN): "
                           "the canvas token in that server's credentials.json")
    _wait_healthy(base_url.rstrip("/"), lambda: True)
    return Server(base_url.rstrip("/"), admin_token)
