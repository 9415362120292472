"""CreateRegistrationSchema's initialRegistrationState over raw HTTP: a registration starts from the
results and run-time data another system had (SCORM 1.2 and a sequenced SCORM 2004 course), the next
launch resumes from them, and a bad value is a 400 naming the field as sent, with nothing stored."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from courseport.schema import Attempt, Registration
from tests import package_builders as pb
from tests.web.test_player import open_player
from tests.web.test_player_navigation import scorm  # noqa: F401  (golf, SCORM 1.2; multi, SCORM 2004)

LEARNER = {"id": "ada", "firstName": "Ada", "lastName": "Lovelace"}


def create(scorm, state: dict, course: str = "golf", reg_id: str = "r1") -> httpx.Response:
    return scorm.http.post("/registrations", json={"courseId": course, "registrationId": reg_id, "learner": LEARNER,
                                                   "initialRegistrationState": state})


def progress(scorm, reg_id: str = "r1") -> dict:
    answer = scorm.http.get(f"/registrations/{reg_id}", params={"includeChildResults": "true",
                                                                "includeRuntime": "true",
                                                                "includeInteractionsAndObjectives": "true"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def resume_of(scorm, world, reg_id: str = "r1") -> dict:
    """What the player's runtime starts each SCO from on the registration's next launch."""
    link = scorm.http.post(f"/registrations/{reg_id}/launchLink", json={"redirectOnExitUrl": "message"})
    assert link.status_code == 200, link.text
    return open_player(world, link.json()["launchLink"])[1]["resume"]


def leaf(body: dict, sco: str) -> dict:
    def walk(node: dict) -> dict | None:
        if node["id"] == sco:
            return node
        return next((found for kid in node.get("children") or [] if (found := walk(kid))), None)

    found = walk(body["activityDetails"])
    assert found is not None
    return found


def test_scorm12_results_for_the_whole_course_go_to_its_one_sco(scorm, world):
    answer = create(scorm, {"registrationCompletion": "COMPLETED", "registrationSuccess": "PASSED",
                            "score": {"scaled": 72}, "totalSecondsTracked": 300,
                            "firstAccessDate": "2026-01-05T10:00:00Z", "completedDate": "2026-01-06T11:30:00.000Z"})
    assert (answer.status_code, answer.content) == (204, b"")
    body = progress(scorm)
    assert (body["registrationCompletion"], body["registrationSuccess"], body["score"],
            body["totalSecondsTracked"]) == ("COMPLETED", "PASSED", {"scaled": 72.0}, 300.0)
    assert (body["firstAccessDate"], body["lastAccessDate"], body["completedDate"]) == (
        "2026-01-05T10:00:00.000Z", "2026-01-05T10:00:00.000Z", "2026-01-06T11:30:00.000Z")
    runtime = leaf(body, "item_1")["runtime"]
    assert (runtime["completionStatus"], runtime["scoreRaw"], runtime["scoreMax"], runtime["timeTracked"]) == (
        "passed", "72", "100", "0000:05:00.00")
    assert resume_of(scorm, world)["item_1"] == {
        "cmi.core.score.raw": "72", "cmi.core.score.min": "0", "cmi.core.score.max": "100",
        "cmi.core.lesson_status": "passed", "cmi.core.entry": "", "cmi.core.total_time": "0000:05:00.00"}


def test_scorm12_runtime_data_is_kept_as_the_sco_would_have_committed_it(scorm, world):
    state = {"activityDetails": {"id": "golf_org", "children": [{"id": "item_1", "runtime": {
        "completionStatus": "incomplete", "location": "page-7", "suspendData": "seen=1..7", "exit": "suspend",
        "timeTracked": "0001:02:03.50",
        "runtimeObjectives": [{"id": "obj1", "scoreRaw": "40", "runtimeObjectiveSuccessStatus": "FAILED"}],
        "runtimeInteractions": [{"id": "q1", "type": "Choice", "learnerResponse": "a", "result": "incorrect",
                                 "correctResponses": ["b"], "objectives": ["obj1"]}]}}]}}
    assert create(scorm, state).status_code == 204
    body = progress(scorm)
    assert (body["registrationCompletion"], body["registrationSuccess"], body["totalSecondsTracked"]) == (
        "INCOMPLETE", "UNKNOWN", 3723.5)
    assert body["suspendedActivityId"] == "item_1" and body["firstAccessDate"]
    runtime = leaf(body, "item_1")["runtime"]
    assert (runtime["location"], runtime["suspendData"], runtime["exit"]) == ("page-7", "seen=1..7", "suspend")
    assert runtime["runtimeObjectives"] == [{"id": "obj1", "scoreRaw": "40", "runtimeObjectiveSuccessStatus": "FAILED",
                                             "runtimeObjectiveCompletionStatus": "COMPLETED"}]
    assert runtime["runtimeInteractions"] == [{"id": "q1", "type": "Choice", "objectives": ["obj1"],
                                               "correctResponses": ["b"], "learnerResponse": "a",
                                               "result": "incorrect"}]
    resume = resume_of(scorm, world)["item_1"]
    assert (resume["cmi.core.lesson_location"], resume["cmi.suspend_data"], resume["cmi.core.entry"]) == (
        "page-7", "seen=1..7", "resume")


def test_a_sequenced_2004_course_hears_the_data_as_past_attempts(scorm, world):
    state = {"activityDetails": {"id": "org", "children": [{"id": "module_1", "children": [
        {"id": "sco_1", "runtime": {"completionStatus": "completed", "runtimeSuccessStatus": "PASSED",
                                    "scoreScaled": "0.9", "location": "p2", "timeTracked": "0000:00:42"}},
        {"id": "sco_2", "activityCompletion": "INCOMPLETE"}]}]},
        "globalObjectives": [{"id": "shared_1", "objectiveSuccess": "PASSED", "score": {"scaled": 50}}],
        "sharedData": [{"id": "notes", "value": "hello"}]}
    assert create(scorm, state, course="multi").status_code == 204
    body = progress(scorm)
    first, second = leaf(body, "sco_1"), leaf(body, "sco_2")
    assert (first["activityCompletion"], first["activitySuccess"], first["score"]) == (
        "COMPLETED", "PASSED", {"scaled": 90.0})
    assert (second["activityCompletion"], second["activitySuccess"]) == ("INCOMPLETE", "UNKNOWN")
    assert body["registrationCompletion"] == "INCOMPLETE" and body["totalSecondsTracked"] == 42.0
    assert body["sharedData"] == [{"id": "notes", "value": "hello"}]
    assert body["globalObjectives"] == [{"id": "shared_1", "primary": False, "score": {"scaled": 50.0},
                                         "objectiveSuccess": "PASSED", "objectiveCompletion": "UNKNOWN"}]
    with world.tx() as db:
        sequencing = db.scalars(select(Attempt)).one().sequencing
    assert sequencing["state"]["activities"]["sco_1"]["attempts"] == 1
    assert sequencing["state"]["activities"]["module_1"]["attempts"] == 1
    assert resume_of(scorm, world)["sco_1"]["cmi.location"] == "p2"

    # Deleting the registration's global data forgets the shared objectives and data, not what was done.
    assert scorm.http.delete("/registrations/r1/globalData").status_code == 204
    after = progress(scorm)
    assert (after["globalObjectives"], after["sharedData"]) == ([], [])
    assert (leaf(after, "sco_1")["activityCompletion"], leaf(after, "sco_1")["activitySuccess"]) == (
        "COMPLETED", "PASSED")


def count(world, table) -> int:
    with world.tx() as db:
        return db.scalar(select(func.count()).select_from(table))


def sco(runtime: dict, sco_id: str = "item_1") -> dict:
    return {"activityDetails": {"id": "golf_org", "children": [{"id": sco_id, "runtime": runtime}]}}


BAD = "initialRegistrationState.activityDetails.children[0]"


@pytest.mark.parametrize(("course", "state", "field", "message"), [
    ("golf", sco({"location": "x"}, "nope"), f"{BAD}.id",
     f"{BAD}.id: 'nope' is not a SCO of this course (its SCOs: item_1)"),
    ("golf", sco({"exit": "timeout"}), f"{BAD}.runtime.exit",
     f"{BAD}.runtime.exit must be one of '', 'time-out', 'suspend', 'logout', got 'timeout'"),
    ("golf", sco({"location": "x" * 256}), f"{BAD}.runtime.location",
     f"{BAD}.runtime.location holds at most 255 characters in this course's data model"),
    ("golf", sco({"scoreScaled": "2"}), f"{BAD}.runtime.scoreScaled",
     f"{BAD}.runtime.scoreScaled must be from -1 to 1, got 2"),
    ("golf", sco({"scoreRaw": "lots"}), f"{BAD}.runtime.scoreRaw",
     f"{BAD}.runtime.scoreRaw must be a number, got 'lots'"),
    ("golf", sco({"timeTracked": "soon"}), f"{BAD}.runtime.timeTracked",
     f"{BAD}.runtime.timeTracked must be a time span (HHHH:MM:SS.SS or PT1M30S), got 'soon'"),
    ("golf", sco({"completionStatus": "finished"}), f"{BAD}.runtime.completionStatus",
     f"{BAD}.runtime.completionStatus must be one of 'completed', 'incomplete', 'not attempted', 'browsed', "
     "'unknown', got 'finished'"),
    ("golf", sco({"runtimeInteractions": [{"id": "q", "type": "Essay"}]}), f"{BAD}.runtime.runtimeInteractions[0].type",
     f"{BAD}.runtime.runtimeInteractions[0].type must be one of TrueFalse, Choice, FillIn, LongFillIn, Likert, "
     "Matching, Performance, Sequencing, Numeric, Other, got 'Essay'"),
    ("golf", sco({"runtimeObjectives": [{"scoreRaw": "1"}]}), f"{BAD}.runtime.runtimeObjectives[0].id",
     f"{BAD}.runtime.runtimeObjectives[0].id: an objective needs an id"),
    ("golf", sco({"runtimeObjectives": [{"id": f"o{n}"} for n in range(4100)]}), f"{BAD}",
     f"{BAD} holds more than 4096 data model values"),
    ("golf", sco({"runtimeObjectives": ["obj"]}), f"{BAD}.runtime.runtimeObjectives[0]",
     f"{BAD}.runtime.runtimeObjectives[0] must be an object"),
    ("golf", {"sharedData": [{"id": "d", "value": "v"}]}, "initialRegistrationState.sharedData",
     "initialRegistrationState.sharedData: a SCORM 1.2 course has no shared objectives or data"),
    ("multi", {"sharedData": [{"id": 5, "value": "v"}]}, "initialRegistrationState.sharedData[0].id",
     "initialRegistrationState.sharedData[0].id must be a string"),
    ("multi", {"sharedData": [{"value": "v"}]}, "initialRegistrationState.sharedData[0]",
     "initialRegistrationState.sharedData[0] needs an id and at most 64000 characters"),
    ("golf", {"firstAccessDate": "yesterday", "registrationCompletion": "COMPLETED"},
     "initialRegistrationState.firstAccessDate",
     "initialRegistrationState.firstAccessDate must be an ISO 8601 timestamp, got 'yesterday'"),
    ("golf", {"activityDetails": "done"}, "initialRegistrationState.activityDetails",
     "initialRegistrationState.activityDetails must be an object"),
    ("golf", {"globalObjectives": [{"id": "g", "objectiveSuccess": "PASSED"}], "registrationCompletion": "COMPLETED"},
     "initialRegistrationState.globalObjectives",
     "initialRegistrationState.globalObjectives: a SCORM 1.2 course has no shared objectives or data"),
    ("multi", {"registrationCompletion": "COMPLETED"}, "initialRegistrationState",
     "initialRegistrationState: a course of 2 SCOs takes its initial results per activity"),
    ("golf", {"totalSecondsTracked": "long", "registrationCompletion": "COMPLETED"},
     "initialRegistrationState.totalSecondsTracked", "initialRegistrationState.totalSecondsTracked must be a number"),
])
def test_bad_initial_state_is_400_naming_the_field_and_stores_nothing(scorm, world, course, state, field, message):
    answer = create(scorm, state, course=course)
    assert answer.status_code == 400, answer.text
    assert answer.json()["message"].endswith(message) or answer.json()["message"] == message
    assert field in answer.json()["message"]
    assert (count(world, Registration), count(world, Attempt)) == (0, 0)


def test_a_course_without_scos_takes_no_initial_runtime_data(scorm, world):
    assert scorm.imported(pb.cmi5(), "au")["status"] == "COMPLETE"
    answer = create(scorm, {"registrationCompletion": "COMPLETED"}, course="au")
    assert answer.status_code == 400, answer.text
    assert answer.json()["message"].startswith("initialRegistrationState: a ")
    assert answer.json()["message"].endswith(" course keeps no SCO run-time data to start from")
    assert (count(world, Registration), count(world, Attempt)) == (0, 0)
    assert create(scorm, {}, course="au").status_code == 204  # an empty state is no state
    assert scorm.http.get("/registrations/r1").json()["registrationCompletion"] == "UNKNOWN"
