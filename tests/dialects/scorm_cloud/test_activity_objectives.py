"""ActivityResultSchema `objectives` over raw HTTP, with includeInteractionsAndObjectives: a sequenced
SCORM 2004 activity's objectives as the sequencer tracks them (Rustici's simple-remediation golf sample:
a passed test satisfies its learning objective's global, which the content activity reads), and a
SCORM 1.2 SCO's own cmi.objectives."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import package_builders as pb
from tests.dialects.scorm_cloud.test_initial_state import create, leaf, progress, sco
from tests.scorm_app import ScormApp

PACKAGE = Path(__file__).resolve().parents[3].parent / "shared" / "packages" / \
    "SequencingSimpleRemediation_SCORM20043rdEdition.zip"
GLOBAL = "com.scorm.golfsamples.sequencing.simpleremediation.20043rd.playing_satisfied"


@pytest.fixture
def scorm(world):
    return ScormApp(world)


def test_sequenced_activities_show_their_objectives_as_the_sequencer_tracks_them(scorm, world):
    if not PACKAGE.exists():
        pytest.skip(f"{PACKAGE.name} is not in shared/packages on this machine")
    assert scorm.imported(PACKAGE.read_bytes(), "remediation")["status"] == "COMPLETE"
    passed = {"completionStatus": "completed", "runtimeSuccessStatus": "PASSED", "scoreScaled": "0.9"}
    state = {"activityDetails": {"id": "golf_sample_default_org", "children": [{"id": "test_1", "runtime": passed}]}}
    assert create(scorm, state, course="remediation").status_code == 204

    body = progress(scorm)
    assert leaf(body, "test_1")["objectives"] == [{"id": "learning_objective_satisfied", "primary": True,
                                                   "score": {"scaled": 90.0}, "objectiveSuccess": "PASSED",
                                                   "objectiveCompletion": "COMPLETED"}]
    # The content activity reads the same learning objective's global: satisfied without being taken.
    playing = leaf(body, "playing_item")["objectives"]
    assert [(o["id"], o["primary"], o["objectiveSuccess"]) for o in playing] == [
        ("learning_objective_satisfied", True, "PASSED")]
    assert [(o["objectiveSuccess"]) for o in leaf(body, "handicapping_item")["objectives"]] == ["UNKNOWN"]
    assert {g["id"]: g["objectiveSuccess"] for g in body["globalObjectives"]}[GLOBAL] == "PASSED"
    # The root's primary objective has no id in the manifest: it takes its activity's.
    assert body["activityDetails"]["objectives"][0]["id"] == "golf_sample_default_org"

    plain = scorm.http.get("/registrations/r1", params={"includeChildResults": "true"}).json()
    assert "objectives" not in plain["activityDetails"] and "objectives" not in leaf(plain, "test_1")


def test_a_scorm12_sco_shows_its_own_objectives(scorm, world):
    assert scorm.imported(pb.scorm12(), "golf")["status"] == "COMPLETE"
    objectives = [{"id": "obj1", "scoreRaw": "40", "scoreMax": "50", "runtimeObjectiveSuccessStatus": "FAILED"},
                  {"id": "obj2", "runtimeObjectiveCompletionStatus": "INCOMPLETE"}]
    assert create(scorm, sco({"completionStatus": "incomplete", "runtimeObjectives": objectives})).status_code == 204
    assert leaf(progress(scorm), "item_1")["objectives"] == [
        {"id": "obj1", "primary": False, "scoreRaw": 40.0, "scoreMax": 50.0, "objectiveSuccess": "FAILED",
         "objectiveCompletion": "COMPLETED"},
        {"id": "obj2", "primary": False, "objectiveSuccess": "UNKNOWN", "objectiveCompletion": "INCOMPLETE"}]
