"""cmi5 launches over raw HTTP: the fetch URL (once), LMS.LaunchData, the launched statement, the
masteryScore rule, moveOn satisfaction and the satisfied statement, progress read through SCORM Cloud."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests import package_builders as pb
from tests.dialects.xapi.lrs_launch import ADL, Launch
from tests.scorm_app import ScormApp

AU1, AU2 = "https://example.com/cmi5/au1", "https://example.com/cmi5/au2"


@pytest.fixture
def scorm(world):
    app = ScormApp(world)
    assert app.imported(pb.cmi5(), "c5")["status"] == "COMPLETE"
    answer = app.http.post("/registrations", json={"courseId": "c5", "registrationId": "r1", "learner": {"id": "ada"}})
    assert answer.status_code == 204
    return app


def launched(scorm, start: str = AU1) -> Launch:
    link = scorm.http.post("/registrations/r1/launchLink", json={"redirectOnExitUrl": "https://lms.example/back",
                                                                  "startSco": start})
    return Launch(link.json()["launchLink"])


def test_the_fetch_url_answers_once_and_launch_data_is_in_the_state(scorm, world):
    launch = launched(scorm)
    assert launch.activity == AU1 and "auth" not in launch.params
    again = httpx.post(launch.params["fetch"])
    assert (again.status_code, again.json()) == (400, {"error-code": "1",
                                                      "error-text": "This fetch URL has given its token already."})
    data = launch.lrs.get("/activities/state", params={"activityId": AU1, "agent": json.dumps(launch.actor),
                                                       "registration": launch.registration,
                                                       "stateId": "LMS.LaunchData"}).json()
    session = data["contextTemplate"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/sessionid"]
    assert data == {"contextTemplate": data["contextTemplate"], "launchMode": "Normal", "launchMethod": "AnyWindow",
                    "moveOn": "CompletedOrPassed", "masteryScore": 0.8, "returnURL": "https://lms.example/back"}
    statements = launch.lrs.get("/statements").json()["statements"]
    assert [s["verb"]["id"] for s in statements] == [ADL + "launched"]
    assert statements[0]["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/sessionid"] == session


def test_mastery_score_decides_passed_and_moveon_satisfies_the_course(scorm, world):
    launch = launched(scorm)
    low = launch.send(launch.statement("passed", {"success": True, "score": {"scaled": 0.5}}))
    assert (low.status_code, low.json()["message"]) == (
        403, "cmi5: passed with a scaled score of 0.5, below the masteryScore 0.8")
    assert launch.send(launch.statement("passed", {"success": True, "score": {"scaled": 0.9}})).status_code == 200
    twice = launch.send(launch.statement("passed", {"success": True, "score": {"scaled": 0.95}}))
    assert twice.status_code == 403
    verbs = [s["verb"]["id"] for s in launch.lrs.get("/statements", params={"ascending": "true"}).json()["statements"]]
    # AU2 (moveOn NotApplicable) is not launched: passing AU1 satisfies the course
    assert verbs[-2:] == [ADL + "passed", "https://w3id.org/xapi/adl/verbs/satisfied"]
    progress = scorm.http.get("/registrations/r1").json()
    assert (progress["registrationCompletion"], progress["registrationSuccess"]) == ("COMPLETED", "PASSED")


def test_a_retry_is_kept_and_nothing_follows_terminated(scorm, world):
    launch = launched(scorm)
    passed = launch.statement("passed", {"success": True, "score": {"scaled": 0.9}})
    assert launch.send(passed).status_code == 200
    assert launch.send(passed).status_code == 200  # the same statement again: stored once, no rule broken
    data = launch.lrs.get("/activities/state", params={"activityId": AU1, "agent": json.dumps(launch.actor),
                                                       "registration": launch.registration,
                                                       "stateId": "LMS.LaunchData"}).json()
    context = {**data["contextTemplate"], "registration": launch.registration}
    assert launch.send(launch.statement("terminated", context=context)).status_code == 200
    late = launch.send(launch.statement("experienced", context=context))
    assert (late.status_code, late.json()["message"]) == (
        403, "cmi5: this AU session has terminated; a new launch starts a new session")
    assert launched(scorm).send(launched(scorm).statement("experienced")).status_code == 200  # a new session


ABANDONED = "https://w3id.org/xapi/adl/verbs/abandoned"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"


def _session_context(launch: Launch) -> dict:
    data = launch.lrs.get("/activities/state", params={"activityId": AU1, "agent": json.dumps(launch.actor),
                                                       "registration": launch.registration,
                                                       "stateId": "LMS.LaunchData"}).json()
    return {**data["contextTemplate"], "registration": launch.registration}


def test_a_new_launch_states_the_unterminated_session_abandoned_once(scorm, world):
    first = launched(scorm)
    left = _session_context(first)
    assert first.send(first.statement("initialized", context=left)).status_code == 200
    second = launched(scorm)  # the learner closed the window: no terminated
    kept = _session_context(second)
    assert second.send(second.statement("initialized", context=kept),
                       second.statement("terminated", context=kept)).status_code == 200
    launched(scorm)  # the second session terminated: nothing is abandoned by this launch
    statements = second.lrs.get("/statements", params={"verb": ABANDONED}).json()["statements"]
    assert len(statements) == 1
    [abandoned] = statements
    assert abandoned["object"]["id"] == AU1 and abandoned["actor"] == first.actor
    assert abandoned["context"]["extensions"][SESSION] == left["extensions"][SESSION]
    assert abandoned["context"]["registration"] == first.registration
    assert abandoned["result"]["duration"].startswith("PT") and abandoned["result"]["duration"].endswith("S")
    late = first.send(first.statement("experienced", context=left))
    assert late.status_code == 200  # an abandoned session's late statement is still stored (not refused)


MULTI_AU = Path(__file__).resolve().parents[3].parent / "shared" / "packages" / "multi_au_framed.zip"


def test_a_course_is_satisfied_only_once_every_au_is(world):
    if not MULTI_AU.exists():
        pytest.skip(f"the shared sample packages are not at {MULTI_AU.parent}")
    app = ScormApp(world)
    assert app.imported(MULTI_AU.read_bytes(), "multi")["status"] == "COMPLETE"
    assert app.http.post("/registrations", json={"courseId": "multi", "registrationId": "m1",
                                                 "learner": {"id": "ada"}}).status_code == 204
    aus = [c["id"] for c in app.http.get("/registrations/m1", params={"includeChildResults": "true"}).json()[
        "activityDetails"]["children"]]
    assert len(aus) > 1
    for au in aus:
        link = app.http.post("/registrations/m1/launchLink", json={"startSco": au}).json()["launchLink"]
        launch = Launch(link)
        assert launch.activity == au and "?pages=" in launch.url and "&endpoint=" in launch.url
        assert launch.send(launch.statement("completed", {"completion": True})).status_code == 200
        assert app.http.get("/registrations/m1").json()["registrationCompletion"] == "INCOMPLETE"
    # the last AU, the quiz, moves on when completed and passed
    assert launch.send(launch.statement("passed", {"success": True, "score": {"scaled": 1.0}})).status_code == 200
    progress = app.http.get("/registrations/m1").json()
    assert (progress["registrationCompletion"], progress["registrationSuccess"]) == ("COMPLETED", "PASSED")
    verbs = [s["verb"]["id"] for s in app.http.get("/registrations/m1/xAPIStatements").json()["statements"]]
    assert verbs.count("https://w3id.org/xapi/adl/verbs/satisfied") == 1 and verbs[-1].endswith("/satisfied")
