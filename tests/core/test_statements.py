"""Statements from runtime data (pure mapping) and the statement listing over a real database."""

from __future__ import annotations

from datetime import UTC, datetime

from courseport.core.packages.statements import (
    Activity,
    LaunchFacts,
    RuntimeState,
    runtime_state,
    runtime_statements,
    timespan_as_duration,
)

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
FACTS = LaunchFacts(registration="3f9a2b1c-0000-4000-8000-000000000001", learner_id="ada", learner_name="Ada",
                    course=Activity("urn:courseport:course:c1", "Course", "http://adlnet.gov/expapi/activities/course"),
                    sco=Activity("urn:courseport:course:c1/sco-1", "Lesson"), culture="en-GB")


def test_scorm12_state_reads_status_score_and_time():
    state = runtime_state("scorm12", {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "85",
                                      "cmi.core.session_time": "0001:02:03.5"})
    assert state == RuntimeState(completed=True, success=True, score_raw=85.0, score_scaled=0.85,
                                 duration="PT1H2M3.5S")


def test_scorm12_failed_is_completed_and_browsed_is_not():
    assert runtime_state("scorm12", {"cmi.core.lesson_status": "failed"}) == RuntimeState(completed=True, success=False)
    assert runtime_state("scorm12", {"cmi.core.lesson_status": "browsed"}) == RuntimeState()


def test_scorm12_mastery_score_decides_success_when_the_sco_does_not():
    data = {"cmi.core.lesson_status": "completed", "cmi.core.score.raw": "70"}
    assert runtime_state("scorm12", data, mastery_score=80).success is False
    assert runtime_state("scorm12", data, mastery_score=70).success is True
    assert runtime_state("scorm12", {**data, "cmi.core.lesson_status": "passed"}, mastery_score=80).success is True


def test_scorm12_scaled_score_follows_min_and_max():
    state = runtime_state("scorm12", {"cmi.core.score.raw": "15", "cmi.core.score.min": "10",
                                      "cmi.core.score.max": "20"})
    assert (state.score_raw, state.score_min, state.score_max, state.score_scaled) == (15, 10, 20, 0.5)


def test_scorm2004_state_and_passing_score():
    data = {"cmi.completion_status": "completed", "cmi.success_status": "unknown", "cmi.score.scaled": "0.6",
            "cmi.session_time": "PT5M"}
    assert runtime_state("scorm2004", data) == RuntimeState(completed=True, success=None, score_scaled=0.6,
                                                           duration="PT5M")
    assert runtime_state("scorm2004", data, scaled_passing_score=0.7).success is False
    assert runtime_state("scorm2004", {**data, "cmi.success_status": "passed"},
                         scaled_passing_score=0.7).success is True


def test_timespans():
    assert timespan_as_duration("0000:00:30") == "PT0H0M30S"
    assert timespan_as_duration("12:30:00.25") == "PT12H30M0.25S"
    assert timespan_as_duration("soon") is None


def test_initialize_says_attempted_and_initialized():
    made = runtime_statements(FACTS, "initialize", 1, RuntimeState(), NOW)
    assert [s["verb"] for s in made] == [
        {"id": "http://adlnet.gov/expapi/verbs/attempted", "display": {"en-US": "attempted"}},
        {"id": "http://adlnet.gov/expapi/verbs/initialized", "display": {"en-US": "initialized"}}]
    assert made[0] == {
        "id": made[0]["id"],
        "actor": {"objectType": "Agent", "name": "Ada", "account": {"homePage": "urn:courseport", "name": "ada"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted", "display": {"en-US": "attempted"}},
        "object": {"objectType": "Activity", "id": "urn:courseport:course:c1/sco-1",
                           "definition": {"name": {"und": "Lesson"},
                                          "type": "http://adlnet.gov/expapi/activities/lesson"}},
        "context": {"registration": FACTS.registration, "platform": "courseport", "language": "en-GB",
                    "contextActivities": {
                        "parent": [{"objectType": "Activity", "id": "urn:courseport:course:c1",
                                    "definition": {"name": {"und": "Course"},
                                                   "type": "http://adlnet.gov/expapi/activities/course"}}],
                        "grouping": [{"objectType": "Activity", "id": "urn:courseport:course:c1",
                                      "definition": {"name": {"und": "Course"},
                                                     "type": "http://adlnet.gov/expapi/activities/course"}}]}},
        "timestamp": "2026-05-01T12:00:00.000Z",
    }
    assert made[1]["timestamp"] == "2026-05-01T12:00:00.000Z"  # microseconds apart, ordered when stored


def test_a_finished_scored_sco_says_completed_passed_scored_terminated_with_results():
    state = RuntimeState(completed=True, success=True, score_raw=85, score_scaled=0.85, duration="PT1M")
    made = runtime_statements(FACTS, "terminate", 1, state, NOW)
    assert [(s["verb"]["display"]["en-US"], s["result"]) for s in made] == [
        ("completed", {"score": {"scaled": 0.85, "raw": 85}, "success": True, "completion": True}),
        ("passed", {"score": {"scaled": 0.85, "raw": 85}, "success": True, "completion": True}),
        ("scored", {"score": {"scaled": 0.85, "raw": 85}}),
        ("terminated", {"score": {"scaled": 0.85, "raw": 85}, "success": True, "completion": True,
                        "duration": "PT1M"}),
    ]


def test_a_sco_left_without_completion_was_experienced():
    made = runtime_statements(FACTS, "terminate", 2, RuntimeState(duration="PT10S"), NOW)
    assert [(s["verb"]["display"]["en-US"], s["result"]) for s in made] == [
        ("experienced", {"completion": False}), ("terminated", {"completion": False, "duration": "PT10S"})]


def test_statement_ids_repeat_for_the_same_facts_and_differ_otherwise():
    state = RuntimeState(completed=True, score_raw=50, score_scaled=0.5)
    first = {s["verb"]["display"]["en-US"]: s["id"] for s in runtime_statements(FACTS, "commit", 1, state, NOW)}
    again = {s["verb"]["display"]["en-US"]: s["id"] for s in runtime_statements(FACTS, "commit", 1, state, NOW)}
    rescored = {s["verb"]["display"]["en-US"]: s["id"] for s in runtime_statements(
        FACTS, "commit", 1, RuntimeState(completed=True, score_raw=60, score_scaled=0.6), NOW)}
    assert first == again
    assert rescored["completed"] == first["completed"] and rescored["scored"] != first["scored"]
    other_launch = LaunchFacts(**{**FACTS.__dict__, "registration": "another"})
    assert runtime_statements(other_launch, "commit", 1, state, NOW)[0]["id"] != first["completed"]
    sessions = [runtime_statements(FACTS, "initialize", n, RuntimeState(), NOW) for n in (1, 2)]
    assert sessions[0][0]["id"] == sessions[1][0]["id"]  # attempted: once per launch
    assert sessions[0][1]["id"] != sessions[1][1]["id"]  # initialized: once per SCO session


# --- over a real database ---------------------------------------------------------------------

def test_storing_the_same_statements_twice_stores_them_once(world):
    from sqlalchemy import func, select

    from courseport.core.packages import statements
    from courseport.core.packages.scorm_courses import packaged_version
    from courseport.schema import XapiStatement
    from tests import package_builders as pb
    from tests.scorm_app import ScormApp

    assert ScormApp(world).imported(pb.scorm12(), "golf")["status"] == "COMPLETE"
    state = RuntimeState(completed=True, success=True, score_raw=90, score_scaled=0.9)
    with world.tx() as db:
        _, version = packaged_version(db, world.admin, "golf")
        facts = statements.launch_facts(db, version, "item_1", "Lesson", "reg-1", "ada", "Ada", None)
        assert facts.course.id == "urn:courseport:course:golf"
        made = runtime_statements(facts, "commit", 1, state, NOW)
        assert statements.store_statements(db, version, "ada", made, NOW) == 3
        assert statements.store_statements(db, version, "ada", made, NOW) == 0
        rescored = runtime_statements(facts, "commit", 1, RuntimeState(completed=True, success=True, score_raw=95,
                                                                      score_scaled=0.95), NOW)
        later = NOW.replace(second=1)
        assert statements.store_statements(db, version, "ada", rescored, later) == 1  # only the new score
        assert db.scalar(select(func.count()).select_from(XapiStatement)) == 4
        page, following = statements.list_statements(db, world.admin, "golf", None, statements.StatementFilter(),
                                                     limit=3)
        assert [s["verb"]["display"]["en-US"] for s in page] == ["completed", "passed", "scored"]
        rest, done = statements.list_statements(db, world.admin, "golf", 0, following, limit=3)
        assert ([s["result"]["score"]["raw"] for s in rest], done) == ([95], None)
