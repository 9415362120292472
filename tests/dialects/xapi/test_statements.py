"""The xAPI endpoint's Statements resource over raw HTTP with a launch's credentials: PUT/POST/GET,
the query and `more`, voiding, conflicts, the version header, scope (401/403) and exact error bodies,
and the statements read back through the SCORM Cloud face under the registration."""

from __future__ import annotations

import base64
import uuid

import httpx
import pytest
from sqlalchemy import func, select

from courseport.schema import XapiStatement
from tests import package_builders as pb
from tests.dialects.xapi.lrs_launch import VERSION, Launch
from tests.scorm_app import ScormApp

LEARNER = {"id": "ada", "firstName": "Ada", "lastName": "Lovelace"}


@pytest.fixture
def scorm(world):
    app = ScormApp(world)
    assert app.imported(pb.tincan(), "tc")["status"] == "COMPLETE"
    return app


def registered(scorm, reg_id: str = "r1") -> Launch:
    answer = scorm.http.post("/registrations", json={"courseId": "tc", "registrationId": reg_id, "learner": LEARNER})
    assert answer.status_code == 204, answer.text
    link = scorm.http.post(f"/registrations/{reg_id}/launchLink", json={"redirectOnExitUrl": "message"})
    return Launch(link.json()["launchLink"])


def stored(world) -> int:
    with world.tx() as db:
        return db.scalar(select(func.count()).select_from(XapiStatement))


def test_the_launch_url_carries_endpoint_auth_actor_registration_and_activity(scorm, world):
    launch = registered(scorm)
    assert launch.url.startswith(f"{world.base_url}/xapi-launch/") and "/files/index.html?" in launch.url
    assert launch.params["endpoint"] == f"{world.base_url}/xapi/"
    assert launch.actor == {"objectType": "Agent", "name": "Lovelace, Ada",
                            "account": {"homePage": "urn:courseport", "name": "ada"}}
    assert launch.activity == "http://example.com/xapi/course"
    assert scorm.http.get("/registrations/r1").json()["xapiRegistrationId"] == launch.registration
    page = httpx.get(launch.url)
    assert page.status_code == 200 and f"connect-src {launch.url.split('index.html')[0]} {world.base_url}/xapi/" in \
        page.headers["content-security-policy"]


def test_post_put_get_and_the_registration_reads_them_back(scorm, world):
    launch = registered(scorm)
    first = launch.statement("experienced")
    answer = launch.send(first, launch.statement("completed", {"completion": True, "score": {"scaled": 0.9}}))
    assert answer.status_code == 200 and answer.headers["x-experience-api-version"] == "1.0.3"
    assert answer.json()[0] == first["id"] and len(answer.json()) == 2
    given = str(uuid.uuid4())
    assert launch.lrs.put("/statements", params={"statementId": given}, json=launch.statement("passed", {
        "success": True}) | {"id": given}).status_code == 204
    one = launch.lrs.get("/statements", params={"statementId": first["id"]}).json()
    assert one["id"] == first["id"] and one["authority"]["name"] == "courseport" and one["version"] == "1.0.0"
    assert one["stored"] and one["timestamp"]
    listed = launch.lrs.get("/statements", params={"limit": 2, "ascending": "true"}).json()
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in listed["statements"]] == ["experienced", "completed"]
    rest = httpx.get(world.base_url + listed["more"], headers={"Authorization": launch.auth, **VERSION}).json()
    assert [s["id"] for s in rest["statements"]] == [given] and rest["more"] == ""
    by_verb = launch.lrs.get("/statements", params={"verb": "http://adlnet.gov/expapi/verbs/passed"}).json()
    assert [s["id"] for s in by_verb["statements"]] == [given]
    ids = launch.lrs.get("/statements", params={"statementId": first["id"], "format": "ids"}).json()
    assert ids["actor"] == {"objectType": "Agent", "account": {"homePage": "urn:courseport", "name": "ada"}}
    cloud = scorm.http.get("/registrations/r1/xAPIStatements").json()
    assert {s["id"] for s in cloud["statements"]} >= {first["id"], given}
    progress = scorm.http.get("/registrations/r1").json()
    assert (progress["registrationCompletion"], progress["registrationSuccess"], progress["score"]) == (
        "COMPLETED", "PASSED", {"scaled": 90.0})


def test_same_id_same_content_is_kept_other_content_is_409(scorm, world):
    launch = registered(scorm)
    statement = launch.statement("experienced")
    assert launch.send(statement).status_code == 200
    assert launch.send(statement).status_code == 200 and stored(world) == 1
    changed = launch.send(statement | {"verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"}})
    assert changed.status_code == 409
    assert changed.json() == {"error": True, "message": f"statement {statement['id']} is stored already with other "
                                                        "content"}
    assert stored(world) == 1


def test_voiding_hides_a_statement_from_queries_and_statement_id(scorm, world):
    launch = registered(scorm)
    target = launch.statement("experienced")
    assert launch.send(target).status_code == 200
    voiding = launch.statement("voided") | {"verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
                                            "object": {"objectType": "StatementRef", "id": target["id"]}}
    assert launch.send(voiding).status_code == 200
    assert launch.lrs.get("/statements", params={"statementId": target["id"]}).status_code == 404
    assert launch.lrs.get("/statements", params={"voidedStatementId": target["id"]}).json()["id"] == target["id"]
    listed = launch.lrs.get("/statements").json()["statements"]
    assert [s["id"] for s in listed] == [voiding["id"]]
    void_again = launch.statement("voided") | {"verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
                                               "object": {"objectType": "StatementRef", "id": voiding["id"]}}
    assert launch.send(void_again).status_code == 400


@pytest.mark.parametrize(("change", "status", "message"), [
    ({"actor": {"mbox": "ada@example.com"}}, 400, "statement.actor.mbox: must be a mailto: IRI"),
    ({"verb": {"id": "passed"}}, 400, "statement.verb.id: must be an IRI (an absolute identifier such as http://...)"),
    ({"id": "nope"}, 400, "statement.id: must be a UUID"),
    ({"result": {"score": {"scaled": 2}}}, 400, "statement.result.score.scaled: must be between -1 and 1"),
    ({"colour": "red"}, 400, "statement.colour: is not a statement property"),
    ({"timestamp": "yesterday"}, 400, "statement.timestamp: must be an ISO 8601 timestamp"),
    ({"actor": {"objectType": "Agent", "mbox": "mailto:eve@example.com"}}, 403,
     "statement.actor: these credentials write statements of their launch's learner only"),
])
def test_bad_statements_are_refused_naming_the_property(scorm, world, change, status, message):
    launch = registered(scorm)
    answer = launch.send(launch.statement("experienced") | change)
    assert (answer.status_code, answer.json()) == (status, {"error": True, "message": message})
    assert stored(world) == 0


def test_another_registration_is_403_and_bad_credentials_401(scorm, world):
    launch = registered(scorm)
    other = launch.statement("experienced")
    other["context"]["registration"] = str(uuid.uuid4())
    answer = launch.send(other)
    assert answer.status_code == 403 and "context.registration" in answer.json()["message"]
    assert launch.lrs.get("/statements", params={"registration": str(uuid.uuid4())}).status_code == 403
    for auth in (None, "Basic " + base64.b64encode(b"courseport:forged.token").decode(), "Bearer x"):
        headers = {**VERSION, **({"Authorization": auth} if auth else {})}
        refused = httpx.get(f"{world.base_url}/xapi/statements", headers=headers)
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Basic")
        assert refused.headers["x-experience-api-version"] == "1.0.3"
    assert stored(world) == 0


def test_the_version_header_is_required_except_on_about(scorm, world):
    launch = registered(scorm)
    answer = httpx.get(f"{world.base_url}/xapi/statements", headers={"Authorization": launch.auth})
    assert (answer.status_code, answer.json()) == (400, {
        "error": True, "message": "the X-Experience-API-Version header is required"})
    about = httpx.get(f"{world.base_url}/xapi/about")
    assert about.status_code == 200 and about.json()["version"][0] == "1.0.3"


def test_query_parameters_are_checked(scorm, world):
    launch = registered(scorm)
    for params, message in (({"format": "fancy"}, "format must be one of exact, ids, canonical"),
                            ({"limit": "ten"}, "limit must be a whole number, got 'ten'"),
                            ({"agent": "{}"}, "agent must be an Agent with one identifier (mbox, mbox_sha1sum, "
                                              "openid or account)"),
                            ({"statementId": str(uuid.uuid4()), "verb": "x:y"}, "verb cannot be combined with "
                                                                                "statementId")):
        answer = launch.lrs.get("/statements", params=params)
        assert (answer.status_code, answer.json()["message"]) == (400, message)


def test_a_preview_launches_with_its_own_registration_and_its_statements_are_the_courses(scorm, world):
    link = scorm.http.post("/courses/tc/preview", json={"redirectOnExitUrl": "message"}).json()["launchLink"]
    launch = Launch(link)
    assert launch.actor["account"]["name"] == "preview" and launch.params["auth"].startswith("Basic ")
    statement = launch.statement("experienced")
    assert launch.send(statement).status_code == 200
    listed = scorm.http.get("/courses/tc/xAPIStatements").json()["statements"]
    assert [s["id"] for s in listed] == [statement["id"]]
    assert listed[0]["context"]["registration"] == launch.registration


def test_since_and_until_compare_at_the_millisecond_stored_is_shown(scorm, world):
    launch = registered(scorm)
    statement = launch.statement("experienced")
    assert launch.send(statement).status_code == 200
    got = launch.lrs.get("/statements", params={"statementId": statement["id"]})
    stored = got.json()["stored"]
    assert got.headers["last-modified"].endswith(" GMT")
    assert [s["id"] for s in launch.lrs.get("/statements", params={"until": stored}).json()["statements"]] == [
        statement["id"]]
    assert launch.lrs.get("/statements", params={"since": stored}).json()["statements"] == []


def test_content_from_another_origin_may_call_with_its_credentials(scorm, world):
    launch = registered(scorm)
    preflight = httpx.options(f"{world.base_url}/xapi/statements", headers={
        "Origin": "https://content.example", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == "*"
    assert "X-Experience-API-Version" in preflight.headers["access-control-allow-headers"]
    answer = launch.send(launch.statement("experienced"))
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "ETag" in answer.headers["access-control-expose-headers"]


def test_identifiers_longer_than_the_store_keeps_are_400_not_500(scorm, world):
    launch = registered(scorm)
    long_activity = launch.statement("experienced") | {"object": {"id": "http://example.com/" + "a" * 1000}}
    answer = launch.send(long_activity)
    assert (answer.status_code, answer.json()["message"]) == (
        400, "statement.object.id: is longer than the 1000 characters this LRS keeps")
    long_verb = launch.statement("experienced") | {"verb": {"id": "http://example.com/" + "v" * 500}}
    assert launch.send(long_verb).status_code == 400
    state = launch.lrs.get("/activities/state", params={"activityId": "x" * 20, "agent": '{"mbox": "a"}',
                                                        "registration": launch.registration, "stateId": "s"})
    assert (state.status_code, state.json()["message"]) == (400, "agent.mbox: must be a mailto: IRI")
    assert stored(world) == 0
