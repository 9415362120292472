"""The Activities and Agents resources over raw HTTP with a launch's credentials: an activity's definition
as the launch's statements gave it (later fields win, languages add up), an activity no statement defined,
the learner as a Person, another agent as given, and the errors that name the parameter."""

from __future__ import annotations

import json

import pytest

from tests import package_builders as pb
from tests.dialects.xapi.test_statements import registered
from tests.scorm_app import ScormApp

QUIZ = "http://example.com/xapi/course/quiz"


@pytest.fixture
def launch(world):
    scorm = ScormApp(world)
    assert scorm.imported(pb.tincan(), "tc")["status"] == "COMPLETE"
    return registered(scorm)


def _about(launch, definition: dict, **extra) -> dict:
    made = launch.statement("experienced", **extra)
    made["object"] = {"objectType": "Activity", "id": QUIZ, "definition": definition}
    return made


def test_an_activity_is_defined_by_the_launch_statements(launch):
    first = _about(launch, {"name": {"en-US": "Quiz"}, "type": "http://adlnet.gov/expapi/activities/assessment"})
    later = _about(launch, {"name": {"fr-FR": "Quiz (fr)"}, "description": {"en-US": "Ten questions"}})
    assert launch.send(first, later).status_code == 200
    got = launch.lrs.get("/activities", params={"activityId": QUIZ})
    assert got.status_code == 200 and got.headers["x-experience-api-version"] == "1.0.3"
    assert got.json() == {"objectType": "Activity", "id": QUIZ, "definition": {
        "name": {"en-US": "Quiz", "fr-FR": "Quiz (fr)"}, "description": {"en-US": "Ten questions"},
        "type": "http://adlnet.gov/expapi/activities/assessment"}}
    head = launch.lrs.head("/activities", params={"activityId": QUIZ})
    assert (head.status_code, head.content) == (200, b"")


def test_an_activity_no_statement_defined_is_answered_with_its_id(launch):
    got = launch.lrs.get("/activities", params={"activityId": "http://example.com/never"})
    assert (got.status_code, got.json()) == (200, {"objectType": "Activity", "id": "http://example.com/never"})


def test_the_learner_is_a_person_with_the_name_and_account_the_lrs_knows(launch):
    account_only = {"account": launch.actor["account"]}
    got = launch.lrs.get("/agents", params={"agent": json.dumps(account_only)})
    assert (got.status_code, got.json()) == (200, {"objectType": "Person", "name": ["Lovelace, Ada"],
                                                   "account": [{"homePage": "urn:courseport", "name": "ada"}]})


def test_another_agent_is_a_person_with_what_was_given(launch):
    agent = {"objectType": "Agent", "name": "Eve", "mbox": "mailto:eve@example.com"}
    got = launch.lrs.get("/agents", params={"agent": json.dumps(agent)})
    assert got.json() == {"objectType": "Person", "name": ["Eve"], "mbox": ["mailto:eve@example.com"]}


@pytest.mark.parametrize(("path", "params", "named"), [
    ("/activities", {}, "activityId"), ("/agents", {}, "agent"), ("/agents", {"agent": "{not json"}, "agent"),
    ("/agents", {"agent": json.dumps({"name": "no identifier"})}, "agent")])
def test_a_missing_or_bad_parameter_is_400_naming_it(launch, path, params, named):
    got = launch.lrs.get(path, params=params)
    assert got.status_code == 400 and got.json()["error"] is True and named in got.json()["message"]


def test_without_credentials_is_401(launch):
    got = launch.lrs.get("/activities", params={"activityId": QUIZ}, headers={"Authorization": "Basic eDp5"})
    assert got.status_code == 401 and got.json()["error"] is True
