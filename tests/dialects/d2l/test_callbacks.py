"""Completion callbacks: CopyJobComplete and the import job block posted to a loopback receiver the
allow-list names; a private address it does not name is refused and the job still completes."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select

from courseport.core.jobs import job_callbacks, jobs
from courseport.schema import Job
from courseport.worker import JobRunner
from tests.dialects.d2l.cartridge import cartridge
from tests.dialects.d2l.org_ids import ou
from tests.local_http import SlowPeer

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
    source_ou, target_ou = ou(world, source), ou(world, target)
    with world.client(world.admin_token) as http:
        token = http.post(f"{LE}/import/{target_ou}/copy/", json={
            "SourceOrgUnitId": source_ou, "Components": None, "CallbackUrl": receiver.url + "/done?ours=1"}).json()[
            "JobToken"]
    with world.tx() as db:  # nothing waits for the copy: its delivery is queued when it finishes
        assert db.scalars(select(Job.kind)).all() == ["course_copy"]
    assert world.run_jobs() == 2
    assert receiver.received == [("/done?ours=1", {"JobToken": token, "SourceOrgUnitId": source_ou,
                                                    "TargetOrgUnitId": target_ou, "Status": "COMPLETE"})]
    assert callback_results(world)[0]["delivered"] is True


def test_import_job_block_is_posted(world, receiver):
    target = world.course("Target")
    target_ou = ou(world, target)
    with world.client(world.admin_token) as http:
        token = http.post(f"{LE}/import/{target_ou}/imports/?callbackUrl={receiver.url}/imported",
                          files={"file": ("c.imscc", cartridge())}).json()["JobToken"]
    world.run_jobs()
    assert receiver.received == [("/imported", {"JobToken": token, "TargetOrgUnitId": target_ou,
                                                "Status": "COMPLETED"})]


def test_a_failing_receiver_is_tried_a_bounded_number_of_times_and_the_copy_stays_complete(world, receiver):
    receiver.close()
    failing = Receiver(status=500)
    source, target = world.course("Source"), world.course("Target")
    source_ou, target_ou = ou(world, source), ou(world, target)
    with world.client(world.admin_token) as http:
        token = http.post(f"{LE}/import/{target_ou}/copy/", json={
            "SourceOrgUnitId": source_ou, "CallbackUrl": failing.url}).json()["JobToken"]
        assert world.run_jobs() == 2  # the copy, then its delivery
        assert http.get(f"{LE}/import/{target_ou}/copy/{token}").json() == {"Status": "COMPLETE"}
    failing.close()
    assert [body for _, body in failing.received] == [{
        "JobToken": token, "SourceOrgUnitId": source_ou, "TargetOrgUnitId": target_ou, "Status": "COMPLETE"}] * 3
    assert callback_results(world) == [{"delivered": False, "error": "the receiver answered 500", "attempts": 3}]
    with world.tx() as db:
        copy = db.get(Job, int(token))
        assert (copy.state, copy.attempts, copy.error) == ("completed", 1, None)


@pytest.mark.parametrize("url", ["http://10.1.2.3/cb", "http://192.168.0.1/cb", "http://169.254.169.254/latest",
                                 "http://012.0.0.1/cb", "http://167772161/cb", "http://[::ffff:10.0.0.1]/cb"])
def test_a_private_address_not_allow_listed_is_refused_at_once(world, receiver, url):
    source, target = world.course("Source"), world.course("Target")
    source_ou, target_ou = ou(world, source), ou(world, target)
    with world.client(world.admin_token) as http:
        answer = http.post(f"{LE}/import/{target_ou}/copy/", json={"SourceOrgUnitId": source_ou, "CallbackUrl": url})
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("CallbackUrl may not point at ")
    assert world.run_jobs() == 0


def test_a_name_for_loopback_is_refused_without_the_allow_list_and_the_copy_completes(world):
    server = Receiver()
    source, target = world.course("Source"), world.course("Target")
    source_ou, target_ou = ou(world, source), ou(world, target)
    with world.client(world.admin_token) as http:
        token = http.post(f"{LE}/import/{target_ou}/copy/", json={
            "SourceOrgUnitId": source_ou, "CallbackUrl": f"http://localhost:{server.server.server_port}/cb"}).json()[
            "JobToken"]
        world.run_jobs()
        assert http.get(f"{LE}/import/{target_ou}/copy/{token}").json() == {"Status": "COMPLETE"}
    server.close()
    assert server.received == []
    (result,) = callback_results(world)
    assert result["delivered"] is False and result["attempts"] == 1
    assert result["refused"].startswith("refused to connect to localhost: 127.0.0.1 is a loopback address")


def _wait_for(condition, what: str, seconds: float = 30.0) -> None:  # noqa: ANN001
    """Poll `condition` until it holds; bounded, and fails saying what never happened."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds} s"
        time.sleep(0.05)


def test_slow_receivers_do_not_hold_the_job_threads(world, receiver, monkeypatch):
    """Four copies whose receivers answer a byte at a time, two job threads: an unrelated copy still
    runs while every receiver is still trickling (each try is cut at its deadline)."""
    monkeypatch.setattr(job_callbacks, "DEADLINE_SECONDS", 0.5, raising=False)
    monkeypatch.setattr(job_callbacks, "RETRY_DELAYS", (0.0, 0.1))
    settings = world.services.settings.with_changes(job_mode="threads", job_threads=2)
    runner = JobRunner(dataclasses.replace(world.services, settings=settings))
    source, other, target = world.course("Source"), world.course("Other"), world.course("Target")
    source_ou, other_ou, target_ou = ou(world, source), ou(world, other), ou(world, target)
    with SlowPeer("headers", interval=0.1, limit=120) as peer, world.client(world.admin_token) as http:
        for _ in range(4):
            http.post(f"{LE}/import/{target_ou}/copy/", json={"SourceOrgUnitId": source_ou, "CallbackUrl": peer.url})
        runner.start()
        try:
            _wait_for(lambda: len(peer.requests) >= 2, "two deliveries reaching the slow receiver")
            token = http.post(f"{LE}/import/{other_ou}/copy/", json={"SourceOrgUnitId": source_ou}).json()["JobToken"]
            _wait_for(lambda: http.get(f"{LE}/import/{other_ou}/copy/{token}").json()["Status"] == "COMPLETE",
                      "the unrelated copy completing")
            assert not peer.stopped.is_set()  # the receiver is still trickling
        finally:
            runner.stop()


def test_a_callback_queued_by_the_older_version_is_still_delivered(world, receiver):
    """Before, a callback was a job of its own queued with the copy, waiting for it to finish."""
    source, target = world.course("Source"), world.course("Target")
    source_ou, target_ou = ou(world, source), ou(world, target)
    with world.client(world.admin_token) as http:
        token = http.post(f"{LE}/import/{target_ou}/copy/", json={"SourceOrgUnitId": source_ou}).json()["JobToken"]
    spec = {"job_id": int(token), "url": receiver.url + "/old", "body": {"JobToken": token, "Status": "PENDING"},
            "status_field": "Status", "states": {"completed": "COMPLETE"}, "allow": ["127.0.0.1"]}
    with world.tx() as db:
        jobs.enqueue(db, job_callbacks.KIND, spec, context_type="Job", context_id=int(token), max_attempts=1)
        copy = db.get(Job, int(token))
        copy.state = "waiting"  # held back, so the old callback runs first and finds it unfinished
    world.run_jobs()
    assert receiver.received == []
    with world.tx() as db:
        db.get(Job, int(token)).state = "queued"
    world.run_jobs()
    assert receiver.received == [("/old", {"JobToken": token, "Status": "COMPLETE"})]
