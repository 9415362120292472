"""The State, Activity Profile and Agent Profile resources over raw HTTP with a launch's credentials:
PUT/POST (JSON merge)/GET/DELETE, ids lists with `since`, ETags with If-Match / If-None-Match (412),
profile PUT without either over an existing document (409), scope (403) and missing parameters (400)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from courseport.schema import LrsDocument
from tests import package_builders as pb
from tests.dialects.xapi.test_statements import registered
from tests.scorm_app import ScormApp


@pytest.fixture
def launch(world):
    scorm = ScormApp(world)
    assert scorm.imported(pb.tincan(), "tc")["status"] == "COMPLETE"
    return registered(scorm)


def state(launch, **extra) -> dict:
    return {"activityId": launch.activity, "agent": json.dumps(launch.actor), "registration": launch.registration,
            **extra}


def documents(world) -> int:
    with world.tx() as db:
        return db.scalar(select(func.count()).select_from(LrsDocument))


def test_state_put_merge_get_list_and_delete(launch, world):
    lrs = launch.lrs
    put = lrs.put("/activities/state", params=state(launch, stateId="bookmark"), content=b"page-3",
                  headers={"Content-Type": "text/plain"})
    assert put.status_code == 204 and put.headers["etag"].startswith('"')
    got = lrs.get("/activities/state", params=state(launch, stateId="bookmark"))
    assert (got.status_code, got.content, got.headers["content-type"]) == (200, b"page-3", "text/plain; charset=utf-8")
    assert got.headers["etag"] == put.headers["etag"]
    assert lrs.post("/activities/state", params=state(launch, stateId="progress"), json={"a": 1}).status_code == 204
    assert lrs.post("/activities/state", params=state(launch, stateId="progress"), json={"b": 2}).status_code == 204
    assert lrs.get("/activities/state", params=state(launch, stateId="progress")).json() == {"a": 1, "b": 2}
    assert sorted(lrs.get("/activities/state", params=state(launch)).json()) == ["bookmark", "progress"]
    assert lrs.get("/activities/state", params=state(launch, since="2999-01-01T00:00:00Z")).json() == []
    merge_text = lrs.post("/activities/state", params=state(launch, stateId="bookmark"), json={"c": 3})
    assert (merge_text.status_code, merge_text.json()["message"]) == (
        400, "the stored document is not a JSON object, so the two cannot be merged")
    assert lrs.delete("/activities/state", params=state(launch, stateId="bookmark")).status_code == 204
    assert lrs.get("/activities/state", params=state(launch, stateId="bookmark")).status_code == 404
    assert lrs.delete("/activities/state", params=state(launch)).status_code == 204
    assert documents(world) == 0


def test_state_of_another_learner_or_registration_is_403(launch, world):
    other = state(launch, stateId="s", agent=json.dumps({"mbox": "mailto:eve@example.com"}))
    answer = launch.lrs.put("/activities/state", params=other, content=b"x")
    assert (answer.status_code, answer.json()["message"]) == (
        403, "agent: these credentials reach documents of their launch's learner only")
    no_registration = {k: v for k, v in state(launch, stateId="s").items() if k != "registration"}
    assert launch.lrs.get("/activities/state", params=no_registration).status_code == 403
    assert documents(world) == 0


def test_missing_parameters_are_400_naming_them(launch, world):
    answer = launch.lrs.get("/activities/state", params={"agent": json.dumps(launch.actor)})
    assert (answer.status_code, answer.json()) == (400, {"error": True,
                                                         "message": "the activityId parameter is required"})
    answer = launch.lrs.put("/activities/profile", params={"activityId": launch.activity}, content=b"x")
    assert (answer.status_code, answer.json()["message"]) == (400, "the profileId parameter is required")
    answer = launch.lrs.get("/activities/state", params=state(launch, agent="not json"))
    assert (answer.status_code, answer.json()["message"]) == (400, "agent must be an Agent as JSON")


def test_profiles_follow_etags(launch, world):
    params = {"activityId": launch.activity, "profileId": "p"}
    first = launch.lrs.put("/activities/profile", params=params, json={"v": 1}, headers={"If-None-Match": "*"})
    assert first.status_code == 204
    again = launch.lrs.put("/activities/profile", params=params, json={"v": 2}, headers={"If-None-Match": "*"})
    assert (again.status_code, again.json()["message"]) == (412, "If-None-Match: the document exists")
    blind = launch.lrs.put("/activities/profile", params=params, json={"v": 2})
    assert blind.status_code == 409
    stale = launch.lrs.put("/activities/profile", params=params, json={"v": 2}, headers={"If-Match": '"0000"'})
    assert stale.status_code == 412
    ok = launch.lrs.put("/activities/profile", params=params, json={"v": 2},
                        headers={"If-Match": first.headers["etag"]})
    assert ok.status_code == 204
    assert launch.lrs.get("/activities/profile", params=params).json() == {"v": 2}
    agent = {"agent": json.dumps(launch.actor), "profileId": "prefs"}
    assert launch.lrs.put("/agents/profile", params=agent, json={"lang": "en"}).status_code == 204
    assert launch.lrs.get("/agents/profile", params=agent).json() == {"lang": "en"}
    assert launch.lrs.get("/agents/profile", params={"agent": json.dumps(launch.actor)}).json() == ["prefs"]
    assert documents(world) == 2


def test_head_answers_as_get_without_a_body(launch, world):
    params = state(launch, stateId="bookmark")
    put = launch.lrs.put("/activities/state", params=params, content=b"page-3", headers={"Content-Type": "text/plain"})
    answer = launch.lrs.head("/activities/state", params=params)
    assert (answer.status_code, answer.content, answer.headers["etag"]) == (200, b"", put.headers["etag"])
    listed = launch.lrs.head("/statements")
    assert (listed.status_code, listed.content, listed.headers["x-experience-api-version"]) == (200, b"", "1.0.3")
    assert launch.lrs.head("/activities/state", params=state(launch, stateId="none")).status_code == 404
