"""The player's navigation endpoint over HTTP (`/player/{session}/navigation`): a SCORM 2004 preview
starts, checks without changing anything, is refused with a reason, keeps its sequencer state per
session and hears the runtime's commits; bad input is a 400, a bad session a 403, and a course
without sequencing (SCORM 1.2) is refused."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import select

from courseport.schema import PreviewSequencing
from tests import package_builders as pb
from tests.scorm_app import ScormApp
from tests.web.test_player import launch, open_player


@pytest.fixture
def scorm(world):
    app = ScormApp(world)
    assert app.imported(pb.scorm2004("4th"), "multi")["status"] == "COMPLETE"
    assert app.imported(pb.scorm12(), "golf")["status"] == "COMPLETE"
    return app


def navigate(config: dict, body: object) -> httpx.Response:
    return httpx.post(config["navigationUrl"], content=json.dumps(body), headers={"Content-Type": "application/json"})


def test_a_2004_preview_starts_checks_refuses_and_keeps_its_state(scorm, world):
    answer, config = open_player(world, launch(scorm, course="multi"))
    base = config["runtimeUrl"][: -len("/runtime")]
    assert config["navigationUrl"] == f"{base}/navigation"
    assert f"connect-src {base}/runtime {base}/navigation;" in answer.headers["content-security-policy"]
    assert f'src="{world.base_url}/player/scorm_navigation.js"' in answer.text
    assert httpx.get(f"{world.base_url}/player/scorm_navigation.js").status_code == 200
    assert httpx.get(f"{world.base_url}/player/other.js").status_code == 404

    started = navigate(config, {"request": "start"})
    assert (started.status_code, started.headers["content-type"]) == (200, "application/json")
    body = started.json()
    assert (body["deliver"], body["ended"], body["refused"]) == ("sco_1", False, None)
    assert body["availability"]["current"] == "sco_1" and body["availability"]["previous"] is False

    # The course does not flow (SCORM's default): Continue is refused, with the reason; choice is free.
    flow = navigate(config, {"request": "continue"}).json()
    assert flow["refused"] and flow["deliver"] is None and flow["availability"]["current"] == "sco_1"
    # A check changes nothing; the real request does.
    checked = navigate(config, {"request": "choice", "target": "sco_2", "check": True}).json()
    assert (checked["deliver"], checked["availability"]["current"]) == ("sco_2", "sco_1")
    assert navigate(config, {"request": "_none_"}).json()["availability"]["current"] == "sco_1"
    moved = navigate(config, {"request": "choice", "target": "sco_2"}).json()
    assert (moved["deliver"], moved["availability"]["current"]) == ("sco_2", "sco_2")

    # A start while an activity is still current (its window went away) resumes that activity.
    again = navigate(config, {"request": "start"}).json()
    assert (again["refused"], again["deliver"], again["availability"]["current"]) == (None, "sco_2", "sco_2")

    commit = httpx.post(config["runtimeUrl"], content=json.dumps({
        "event": "commit", "sco": "sco_2", "session": 1, "data": {"cmi.completion_status": "completed"}}))
    assert commit.status_code == 204
    with world.tx() as db:
        rows = db.scalars(select(PreviewSequencing)).all()
    assert len(rows) == 1 and rows[0].state


@pytest.mark.parametrize(("body", "message"), [
    ({"request": "sideways"}, "request must be one of start, "), ({"request": 3}, "request must be one of"),
    ([], "the player sends a JSON object"), ({"request": "choice", "target": ["sco_2"]}, "target names an activity"),
    ({"request": "start", "check": "yes"}, "check is true or false"),
    ({"request": "choice", "target": "nowhere"}, "activity &#x27;nowhere&#x27; is not in this course"),
])
def test_bad_navigation_bodies_are_400s(scorm, world, body, message):
    _, config = open_player(world, launch(scorm, course="multi"))
    answer = navigate(config, body)
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/html") and message in answer.text


def test_a_bad_session_is_403_and_a_scorm12_course_is_not_sequenced(scorm, world):
    forged = httpx.post(f"{world.base_url}/player/nonsense/navigation", json={"request": "start"})
    assert forged.status_code == 403
    _, config = open_player(world, launch(scorm, course="golf"))
    assert "navigationUrl" not in config
    refused = httpx.post(config["runtimeUrl"][: -len("/runtime")] + "/navigation", json={"request": "start"})
    assert refused.status_code == 400 and "not sequenced" in refused.text
