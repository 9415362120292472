"""Completion callbacks: CopyJobComplete and the import job block posted to a loopback receiver the
allow-list names; a private address it does not name is refused and the job still completes."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select

from courseport.core import job_callbacks
from courseport.schema import Job
from tests.dialects.d2l.cartridge import cartridge

LE = "/d2l/api/le/1.5"


class Receiver:
    """An HTTP server on 127.0.0.1 that records what is posted to it."""

    def __init__(self, status: int = 200):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers["content-length"])
                received.append((self.path, json.loads(self.rfile.read(length))))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(world, monkeypatch):
    monkeypatch.setattr(world.services, "settings", world.services.settings.with_changes(outbound_allow=("127.0.0.1",)))
    monkeypatch.setattr(job_callbacks, "RETRY_DELAYS", (0.0, 0.0, 0.0))
    server = Receiver()
    yield server
    server.close()


def callback_results(world):
    with world.tx() as db:
        return [j.result for j in db.scalars(select(Job).where(Job.kind == job_callbacks.KIND).order_by(Job.id))]


def test_copy_complete_is_posted_with_the_query_kept(world, receiver):
    source, target = world.course("Source"), world.course("Target")
    with world.client(world.admin_token) as http:
        token = http.post(f"{LE}/import/{target.id}/copy/", json={
            "SourceOrgUnitId": source.id, "Components": None, "CallbackUrl": receiver.url + "/done?ours=1"}).json()[
            "JobToken"]
    assert world.run_jobs() == 2
    assert receiver.received == [("/done?ours=1", {"JobToken": token, "SourceOrgUnitId": source.id,
                                                    "TargetOrgUnitId": target.id, "Status": "COMPLETE"})]
    assert callback_results(world)[0]["delivered"] is True


def test_import_job_block_is_posted(world, receiver):
    target = world.course("Target")
    with world.client(world.admin_token) as http:
        token = http.post(f"{LE}/import/{target.id}/imports/?callbackUrl={receiver.url}/imported",
                          files={"file": ("c.imscc", cartridge())}).json()["JobToken"]
    world.run_jobs()
    assert receiver.received == [("/imported", {"JobToken": token, "TargetOrgUnitId": target.id,
                                                "Status": "COMPLETED"})]


def test_a_failing_receiver_is_tried_again(world, receiver):
    receiver.close()
    failing = Receiver(status=500)
    source, target = world.course("Source"), world.course("Target")
    with world.client(world.admin_token) as http:
        http.post(f"{LE}/import/{target.id}/copy/", json={"SourceOrgUnitId": source.id, "CallbackUrl": failing.url})
    world.run_jobs()
    failing.close()
    assert len(failing.received) == 3
    assert callback_results(world)[0]["delivered"] is False
    assert callback_results(world)[0]["attempts"] == 3


@pytest.mark.parametrize("url", ["http://10.1.2.3/cb", "http://192.168.0.1/cb", "http://169.254.169.254/latest"])
def test_private_address_not_allow_listed_is_refused_and_the_copy_completes(world, receiver, url):
    source, target = world.course("Source"), world.course("Target")
    with world.client(world.admin_token) as http:
        token = http.post(f"{LE}/import/{target.id}/copy/", json={"SourceOrgUnitId": source.id,
                                                                  "CallbackUrl": url}).json()["JobToken"]
        world.run_jobs()
        assert http.get(f"{LE}/import/{target.id}/copy/{token}").json() == {"Status": "COMPLETE"}
    (result,) = callback_results(world)
    assert result["delivered"] is False and result["attempts"] == 1 and result["refused"]


def test_loopback_is_refused_without_the_allow_list(world, monkeypatch):
    server = Receiver()
    source, target = world.course("Source"), world.course("Target")
    with world.client(world.admin_token) as http:
        http.post(f"{LE}/import/{target.id}/copy/", json={"SourceOrgUnitId": source.id, "CallbackUrl": server.url})
    world.run_jobs()
    server.close()
    assert server.received == []
    assert callback_results(world)[0]["refused"]
