"""Content Vault (LaunchLinkRequestSchema `launchAuth` of type "vault") over HTTP: a launch's files,
runtime commits and navigation answer only the browser that opened it (its IP address, its user agent),
within the link's expiry and sliding expiry; the default ("cookies") binds nothing more; bad options are a
400 naming the field as sent."""

from __future__ import annotations

import json
import time
from types import SimpleNamespace

import httpx
import pytest
from sqlalchemy import func, select

from courseport.schema import Attempt, LaunchVaultVisit
from courseport.web import launch_access
from tests import package_builders as pb
from tests.web.test_player import launch, open_player, statement_count
from tests.web.test_player_navigation import scorm  # noqa: F401  (golf, SCORM 1.2; multi, SCORM 2004)

A, B = {"User-Agent": "Browser A"}, {"User-Agent": "Browser B"}
COMMIT = json.dumps({"event": "commit", "sco": "item_1", "session": 1, "data": {"cmi.core.lesson_status": "passed"}})


def vaulted(scorm, world, course: str = "golf", **options) -> dict:
    """A preview opened by Browser A under a vault with `options`: the player's launch configuration."""
    link = launch(scorm, {"launchAuth": {"type": "vault", "options": options}}, course=course)
    page = httpx.get(link, headers=A)
    assert page.status_code == 200, page.text
    return open_player_text(page.text)


def open_player_text(text: str) -> dict:
    start = text.index('type="application/json">') + len('type="application/json">')
    return json.loads(text[start:text.index("</script>", start)])


def refused(answer: httpx.Response, message: str) -> bool:
    return answer.status_code == 403 and message in answer.text


def test_a_vaulted_launch_answers_only_the_browser_that_opened_it(scorm, world):
    config = vaulted(scorm, world, ipAddress=True, fingerprint=True)
    page = config["filesUrl"] + "index.html"
    assert httpx.get(page, headers=A).content == pb.SCO_HTML
    assert refused(httpx.get(page, headers=B), "This launch was opened in another browser.")
    other_address = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), headers=A)
    assert refused(other_address.get(page), "This launch was opened from another IP address.")
    assert refused(httpx.post(config["runtimeUrl"], content=COMMIT, headers=B), "another browser")
    assert statement_count(world) == 0  # the refused commit made nothing
    assert httpx.post(config["runtimeUrl"], content=COMMIT, headers=A).status_code == 204
    assert statement_count(world) > 0


def test_navigation_of_a_vaulted_2004_launch_answers_only_its_browser(scorm, world):
    config = vaulted(scorm, world, course="multi", fingerprint=True)
    assert refused(httpx.post(config["navigationUrl"], json={"request": "start"}, headers=B), "another browser")
    started = httpx.post(config["navigationUrl"], json={"request": "start"}, headers=A)
    assert (started.status_code, started.json()["deliver"]) == (200, "sco_1")


def test_without_a_vault_any_browser_with_the_session_url_is_served(scorm, world):
    for body in ({}, {"launchAuth": {"type": "cookies", "options": {"ipAddress": True}}}):
        _, config = open_player(world, launch(scorm, body))
        assert httpx.get(config["filesUrl"] + "index.html", headers=B).content == pb.SCO_HTML


def test_a_vaulted_registration_launch_expires_after_its_expiry(scorm, world, monkeypatch):
    scorm.http.post("/registrations", json={"courseId": "golf", "registrationId": "r1", "learner": {"id": "ada"}})
    vault = {"type": "VAULT", "options": {"expiry": 60}}
    link = scorm.http.post("/registrations/r1/launchLink", json={
        "redirectOnExitUrl": "message", "launchAuth": vault}).json()["launchLink"]
    config = open_player_text(httpx.get(link, headers=A).text)
    page = config["filesUrl"] + "index.html"
    assert httpx.get(page, headers=B).content == pb.SCO_HTML  # no fingerprint asked: only the expiry binds
    # the server runs in this process: its access check reads a clock 61 s ahead (no sleep a busy CI outlasts)
    monkeypatch.setattr(launch_access, "time", SimpleNamespace(time=lambda: time.time() + 61))
    assert refused(httpx.get(page, headers=A), "This launch has expired.")
    assert refused(httpx.post(config["runtimeUrl"], content=COMMIT, headers=A), "This launch has expired.")
    with world.tx() as db:
        assert db.scalars(select(Attempt)).one().completion == "unknown"  # the refused commit was not kept


def test_a_sliding_expiry_lasts_while_the_launch_keeps_asking(scorm, world, monkeypatch):
    config = vaulted(scorm, world, slidingExpiry=60)
    page = config["filesUrl"] + "index.html"
    ahead = [0.0]  # seconds the in-process server's access clock is moved ahead of this one
    monkeypatch.setattr(launch_access, "time", SimpleNamespace(time=lambda: time.time() + ahead[0]))
    for _ in range(4):  # 160 s in all, never 60 s idle
        ahead[0] += 40
        assert httpx.get(page, headers=A).content == pb.SCO_HTML
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(LaunchVaultVisit)) == 1
    ahead[0] += 61
    assert refused(httpx.get(page, headers=A), "This launch has expired: it was idle too long.")


@pytest.mark.parametrize(("auth", "message"), [
    ({"type": "magic"}, "launchAuth.type must be one of cookies, vault"),
    ({"type": 5}, "launchAuth.type must be a string"),
    ({"type": "vault", "options": "all"}, "launchAuth.options must be an object"),
    ({"type": "vault", "options": {"expiry": "soon"}}, "launchAuth.options.expiry must be an integer"),
    ({"type": "vault", "options": {"ipAddress": "yes"}}, "launchAuth.options.ipAddress must be true or false"),
    ({"type": "vault", "options": {"slidingExpiry": -1}}, "launchAuth.options.slidingExpiry must be from 0 to 604800 "
                                                          "seconds"),
    ("vault", "launchAuth must be an object"),
])
def test_bad_launch_auth_is_a_400_naming_the_field(scorm, auth, message):
    answer = scorm.http.post("/courses/golf/preview", json={"launchAuth": auth})
    assert (answer.status_code, answer.json()["message"]) == (400, message)
