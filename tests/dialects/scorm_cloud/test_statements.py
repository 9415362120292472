"""getCourseStatements and getCourseVersionStatements over HTTP and through the vendor client:
statement shape, learnerId/since/until filters, `more` paging that keeps the filters, errors."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from courseport.core.packages import statements
from courseport.core.packages.scorm_courses import packaged_version
from courseport.core.packages.statements import RuntimeState
from tests import package_builders as pb
from tests.scorm_app import ScormApp

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def scorm(world):
    app = ScormApp(world)
    assert app.imported(pb.scorm12(), "golf")["status"] == "COMPLETE"
    assert app.imported(pb.scorm12(), "golf", mayCreateNewVersion="True")["status"] == "COMPLETE"
    return app


def store(world, learner: str, sessions: int, *, version: int = 1, start: datetime = T0) -> None:
    """`sessions` SCO sessions of one launch: 'attempted' once, then one 'initialized' a second apart."""
    with world.tx() as db:
        _, row = packaged_version(db, world.admin, "golf", version)
        facts = statements.launch_facts(db, row, "item_1", "Playing the game", str(uuid.uuid4()), learner,
                                        learner.title(), None)
        for n in range(1, sessions + 1):
            when = start + timedelta(seconds=n)
            statements.store_statements(db, row, learner, statements.runtime_statements(
                facts, "initialize", n, RuntimeState(), when), when)


def verbs(body: dict) -> list[str]:
    return [s["verb"]["display"]["en-US"] for s in body["statements"]]


def test_no_statements_is_an_empty_list_without_more(scorm):
    answer = scorm.http.get("/courses/golf/xAPIStatements")
    assert (answer.status_code, answer.json()) == (200, {"statements": []})


def test_statements_in_scorm_clouds_shape_oldest_first(scorm, world):
    store(world, "ada", 1)
    body = scorm.http.get("/courses/golf/xAPIStatements").json()
    assert verbs(body) == ["attempted", "initialized"]
    first = body["statements"][0]
    assert first["stored"] == "2026-03-01T09:00:01.000Z" and first["timestamp"] == "2026-03-01T09:00:01.000Z"
    assert first["actor"] == {"objectType": "Agent", "name": "Ada",
                              "account": {"homePage": "urn:courseport", "name": "ada"}}
    assert first["objectActivity"] == {
        "objectType": "Activity", "id": "urn:courseport:course:golf/item_1",
        "definition": {"name": {"und": "Playing the game"}, "type": "http://adlnet.gov/expapi/activities/lesson"}}
    assert first["context"]["contextActivities"]["parent"][0]["id"] == "urn:courseport:course:golf"
    assert set(first) == {"id", "actor", "verb", "objectActivity", "context", "timestamp", "stored"}


def test_learner_since_and_until_filter(scorm, world):
    store(world, "ada", 3)
    store(world, "bob", 2, start=T0 + timedelta(minutes=1))
    body = scorm.http.get("/courses/golf/xAPIStatements", params={"learnerId": "bob"}).json()
    assert {s["actor"]["account"]["name"] for s in body["statements"]} == {"bob"} and len(body["statements"]) == 3
    body = scorm.http.get("/courses/golf/xAPIStatements", params={
        "since": "2026-03-01T09:00:01Z", "until": "2026-03-01T09:00:03.000001+00:00"}).json()
    # since and until are both inclusive at the millisecond `stored` is shown in: 'attempted' (stored at
    # 09:00:01 exactly), the first 'initialized' (a microsecond later) and the next two sessions are in
    assert [(s["verb"]["display"]["en-US"], s["stored"]) for s in body["statements"]] == [
        ("attempted", "2026-03-01T09:00:01.000Z"), ("initialized", "2026-03-01T09:00:01.000Z"),
        ("initialized", "2026-03-01T09:00:02.000Z"),
        ("initialized", "2026-03-01T09:00:03.000Z")]


def test_a_statements_own_stored_time_is_within_since_and_until(scorm, world):
    store(world, "ada", 1, start=T0 + timedelta(microseconds=456789))  # stored at 09:00:01.456789
    shown = scorm.http.get("/courses/golf/xAPIStatements").json()["statements"]
    assert [s["stored"] for s in shown] == ["2026-03-01T09:00:01.456Z", "2026-03-01T09:00:01.456Z"]
    for stamp in shown:
        body = scorm.http.get("/courses/golf/xAPIStatements",
                              params={"since": stamp["stored"], "until": stamp["stored"]}).json()
        assert len(body["statements"]) == 2
    later = scorm.http.get("/courses/golf/xAPIStatements", params={"since": "2026-03-01T09:00:01.457Z"}).json()
    earlier = scorm.http.get("/courses/golf/xAPIStatements", params={"until": "2026-03-01T09:00:01.455Z"}).json()
    assert later["statements"] == [] and earlier["statements"] == []


def test_more_pages_keep_the_filters(scorm, world):
    store(world, "ada", 120)
    store(world, "bob", 1)
    first = scorm.http.get("/courses/golf/xAPIStatements", params={"learnerId": "ada"}).json()
    assert len(first["statements"]) == 100 and first["more"]
    second = scorm.http.get("/courses/golf/xAPIStatements", params={"more": first["more"]}).json()
    assert len(second["statements"]) == 21 and "more" not in second
    listed = first["statements"] + second["statements"]
    assert len({s["id"] for s in listed}) == 121
    assert {s["actor"]["account"]["name"] for s in listed} == {"ada"}
    assert [s["stored"] for s in listed] == sorted(s["stored"] for s in listed)


def test_version_statements_are_that_versions(scorm, world):
    store(world, "ada", 1, version=0)
    store(world, "bob", 2, version=1)
    assert verbs(scorm.http.get("/courses/golf/versions/0/xAPIStatements").json()) == ["attempted", "initialized"]
    assert len(scorm.http.get("/courses/golf/versions/1/xAPIStatements").json()["statements"]) == 3
    assert len(scorm.http.get("/courses/golf/xAPIStatements").json()["statements"]) == 5


@pytest.mark.parametrize(("path", "params", "status", "message"), [
    ("/courses/nope/xAPIStatements", {}, 404, "Course 'nope' not found"),
    ("/courses/golf/versions/9/xAPIStatements", {}, 404, "Course 'golf' has no version 9"),
    ("/courses/golf/xAPIStatements", {"since": "yesterday"}, 400,
     "since must be an ISO 8601 timestamp, got 'yesterday'"),
    ("/courses/golf/xAPIStatements", {"more": "bm90IGEgdG9rZW4"}, 400, "more is not a token this service issued"),
    ("/courses/golf/xAPIStatements", {"more": "e30"}, 400, "more is not a token this service issued"),
])
def test_errors(scorm, path, params, status, message):
    answer = scorm.http.get(path, params=params)
    assert (answer.status_code, answer.json()) == (status, {"message": message})


def test_read_scope_is_required(scorm, world):
    token = scorm.http.post("/oauth/authenticate/application/token",
                            data={"scope": "write:course", "expiration": "300"}).json()["access_token"]
    answer = httpx.get(world.base_url + "/api/v2/courses/golf/xAPIStatements",
                       headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403


def test_the_vendor_client_reads_and_pages_statements(scorm, world):
    from rustici_software_cloud_v2 import ApiClient, Configuration, CourseApi

    store(world, "ada", 110)
    config = Configuration()
    config.host, config.username, config.password = world.base_url + "/api/v2/", scorm.app_id, scorm.secret
    api = CourseApi(ApiClient(config))
    first = api.get_course_statements("golf", learner_id="ada", since=T0)
    assert len(first.statements) == 100 and first.more
    rest = api.get_course_statements("golf", more=first.more)
    assert len(rest.statements) == 11 and rest.more is None
    assert rest.statements[-1].verb.id == "http://adlnet.gov/expapi/verbs/initialized"
    assert rest.statements[-1].stored == T0 + timedelta(seconds=110)
    assert api.get_course_version_statements("golf", 0).statements == []
    assert len(api.get_course_version_statements("golf", 1, until=T0 + timedelta(seconds=2)).statements) == 3
