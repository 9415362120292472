"""rustici-software-cloud-v2, unmodified: a registration's progress read with the client moves to a new
registration as its `initial_registration_state` (what an integration moving learners between systems
does), and the new one reads back the same and resumes where the first left off."""

from __future__ import annotations

import httpx

from tests import package_builders as pb
from tests.clients.test_scorm_cloud_registrations import MESSAGE, apis, commit, launch, registration  # noqa: F401
from tests.scorm_app import ScormApp

FULL = {"include_child_results": True, "include_runtime": True, "include_interactions_and_objectives": True}


def test_a_played_registration_moves_to_a_new_one(world, apis):  # noqa: F811
    regs, _, _ = apis
    regs.create_registration(registration("from"))
    config, runtime = launch(world, regs.build_registration_launch_link("from", MESSAGE).launch_link)
    sco = config["scos"][0]["id"]
    commit(runtime, "commit", sco, {
        "cmi.core.lesson_status": "failed", "cmi.core.score.raw": "35", "cmi.core.score.max": "50",
        "cmi.core.score.min": "0", "cmi.core.lesson_location": "quiz", "cmi.suspend_data": "answers=a,c",
        "cmi.core.exit": "suspend", "cmi.core.session_time": "0000:02:30",
        "cmi.interactions.0.id": "q1", "cmi.interactions.0.type": "true-false",
        "cmi.interactions.0.student_response": "t", "cmi.interactions.0.result": "correct",
        "cmi.objectives.0.id": "obj1", "cmi.objectives.0.status": "failed", "cmi.objectives.0.score.raw": "35"})
    source = regs.get_registration_progress("from", **FULL)

    regs.create_registration(registration("to", learner_id="ada-2", initial_registration_state=source))
    moved = regs.get_registration_progress("to", **FULL)
    assert (moved.registration_completion, moved.registration_success, moved.score.scaled,
            moved.total_seconds_tracked) == ("COMPLETED", "FAILED", 70.0, 150.0)
    assert (moved.first_access_date, moved.suspended_activity_id) == (source.first_access_date, sco)
    assert moved.activity_details.to_dict() == source.activity_details.to_dict()
    assert moved.learner.id == "ada-2" and moved.id == "to"

    again, _ = launch(world, regs.build_registration_launch_link("to", MESSAGE).launch_link)
    assert again["resume"][sco] == {
        "cmi.core.lesson_location": "quiz", "cmi.suspend_data": "answers=a,c", "cmi.core.score.raw": "35",
        "cmi.core.score.min": "0", "cmi.core.score.max": "50", "cmi.core.lesson_status": "failed",
        "cmi.core.entry": "resume", "cmi.core.total_time": "0000:02:30.00"}


def test_a_played_sequenced_registration_moves_with_its_rollup(world, apis):  # noqa: F811
    regs, _, _ = apis
    assert ScormApp(world).imported(pb.scorm2004("3rd"), "multi")["status"] == "COMPLETE"
    regs.create_registration(registration("seq-from", course_id="multi"))
    config, runtime = launch(world, regs.build_registration_launch_link("seq-from", MESSAGE).launch_link)
    assert httpx.post(config["navigationUrl"], json={"request": "start"}).json()["deliver"] == "sco_1"
    commit(runtime, "terminate", "sco_1", {"cmi.completion_status": "completed", "cmi.score.scaled": "0.9",
                                           "cmi.session_time": "PT10S"})
    commit(runtime, "terminate", "sco_2", {"cmi.completion_status": "completed", "cmi.score.scaled": "0.5",
                                           "cmi.location": "p4", "cmi.session_time": "PT5S"})
    assert httpx.post(config["navigationUrl"], json={"request": "choice", "target": "glossary"}).json()[
        "deliver"] == "glossary"  # delivered, an asset is done
    source = regs.get_registration_progress("seq-from", **FULL)
    assert (source.registration_completion, source.score.scaled) == ("COMPLETED", 35.0)

    regs.create_registration(registration("seq-to", course_id="multi", initial_registration_state=source))
    moved = regs.get_registration_progress("seq-to", **FULL)
    assert (moved.registration_completion, moved.registration_success, moved.score.scaled,
            moved.total_seconds_tracked) == ("COMPLETED", "UNKNOWN", 35.0, 15.0)
    assert moved.activity_details.to_dict() == source.activity_details.to_dict()
