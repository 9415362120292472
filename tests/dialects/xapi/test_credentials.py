"""The xAPI endpoint with an application's xAPI credentials (made on the SCORM Cloud face) over raw HTTP:
statements outside any launch written and read back, permissions (READONLY, WRITEONLY), refusals
(disabled, deleted, unknown, wrong secret: 401 with the LRS's body and challenge), State documents of
any agent and registration, another tenant's statements and documents invisible, and launch credentials
reading only their own registration."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from courseport.schema import Account, LrsDocument, XapiCredential, XapiStatement
from tests import package_builders as pb
from tests.dialects.xapi.lrs_launch import ADL, VERSION, Launch
from tests.scorm_app import ScormApp

REFUSED = {"error": True, "message": "These credentials are not valid here"}
CHALLENGE = 'Basic realm="courseport xAPI"'
ACTOR = {"objectType": "Agent", "name": "Grace", "mbox": "mailto:grace@example.com"}


@pytest.fixture
def scorm(world):
    return ScormApp(world)


def credential(scorm: ScormApp | httpx.Client, **fields) -> tuple[str, str]:
    """A credential made on the SCORM Cloud face (by a ScormApp, or any client of the face): (id, secret)."""
    body = {"name": "tool", "secret": "tool-secret", **fields}
    made = (scorm.http if isinstance(scorm, ScormApp) else scorm).post("/xapi/credentials", json=body)
    assert made.status_code == 200, made.text
    return made.json()["result"], body["secret"]


def lrs(world, user: str, password: str) -> httpx.Client:
    return httpx.Client(base_url=world.base_url + "/xapi", auth=(user, password), headers=VERSION, timeout=30)


def statement(registration: str | None = None, verb: str = "experienced") -> dict:
    made = {"id": str(uuid.uuid4()), "actor": ACTOR, "verb": {"id": ADL + verb, "display": {"en-US": verb}},
            "object": {"objectType": "Activity", "id": "http://example.com/tool/page"}}
    if registration:
        made["context"] = {"registration": registration}
    return made


def rows(world) -> list[tuple]:
    with world.tx() as db:
        return [(r.id, r.course_id, r.version, r.tenant_id, r.learner_id)
                for r in db.scalars(select(XapiStatement).order_by(XapiStatement.stored))]


def test_a_credential_writes_a_statement_of_no_registration_and_reads_it_back(scorm, world):
    client = lrs(world, *credential(scorm))
    sent = statement()
    answer = client.post("/statements", json=sent)
    assert answer.status_code == 200 and answer.json() == [sent["id"]]
    assert rows(world) == [(sent["id"], None, None, 1, "mbox:mailto:grace@example.com")]
    other = statement(str(uuid.uuid4()), "completed")
    assert client.put("/statements", params={"statementId": other["id"]}, json=other).status_code == 204
    one = client.get("/statements", params={"statementId": sent["id"]}).json()
    assert one["actor"] == ACTOR and one["authority"]["name"] == "courseport" and "context" not in one
    listed = client.get("/statements", params={"ascending": "true"}).json()
    assert [s["id"] for s in listed["statements"]] == [sent["id"], other["id"]] and listed["more"] == ""
    by_registration = client.get("/statements", params={"registration": other["context"]["registration"]}).json()
    assert [s["id"] for s in by_registration["statements"]] == [other["id"]]
    voiding = statement(verb="voided") | {"object": {"objectType": "StatementRef", "id": sent["id"]},
                                          "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"}}
    assert client.post("/statements", json=voiding).status_code == 200
    assert [s["id"] for s in client.get("/statements").json()["statements"]] == [voiding["id"], other["id"]]


def test_readonly_reads_only_and_writeonly_writes_only(scorm, world):
    writer = lrs(world, *credential(scorm, name="writer", secret="writer-secret", permissionsLevel="WRITEONLY"))
    reader = lrs(world, *credential(scorm, name="reader", secret="reader-secret", permissionsLevel="READONLY"))
    sent = statement()
    assert writer.post("/statements", json=sent).status_code == 200
    refused = writer.get("/statements")
    assert (refused.status_code, refused.json()) == (403, {
        "error": True, "message": "these credentials are write-only: they may not read here"})
    assert reader.get("/statements").json()["statements"][0]["id"] == sent["id"]
    before = rows(world)
    refused = reader.post("/statements", json=statement())
    assert (refused.status_code, refused.json()) == (403, {
        "error": True, "message": "these credentials are read-only: they may not write here"})
    assert rows(world) == before


@pytest.mark.parametrize("case", ["disabled", "deleted", "wrong secret", "unknown id"])
def test_refused_credentials_answer_401_with_the_lrs_body(scorm, world, case):
    cred_id, secret = credential(scorm)
    if case == "disabled":
        assert scorm.http.put(f"/xapi/credentials/{cred_id}", json={"name": "tool", "isEnabled": False}) \
            .status_code == 204
    if case == "deleted":
        assert scorm.http.delete(f"/xapi/credentials/{cred_id}").status_code == 204
    user, password = {"wrong secret": (cred_id, "not-the-secret"), "unknown id": ("NOSUCHCREDENTIAL", secret)}.get(
        case, (cred_id, secret))
    client = lrs(world, user, password)
    for answer in (client.post("/statements", json=statement()), client.get("/statements")):
        assert (answer.status_code, answer.json()) == (401, REFUSED)
        assert answer.headers["www-authenticate"] == CHALLENGE
        assert answer.headers["x-experience-api-version"] == "1.0.3"
    assert rows(world) == []


def test_a_credential_keeps_state_of_any_agent_and_registration_in_its_tenant(scorm, world):
    client = lrs(world, *credential(scorm))
    registration = str(uuid.uuid4())
    params = {"activityId": "http://example.com/tool/page", "agent": '{"mbox": "mailto:someone@example.com"}',
              "registration": registration, "stateId": "bookmark"}
    assert client.put("/activities/state", params=params, json={"page": 3}).status_code == 204
    assert client.post("/activities/state", params=params, json={"done": False}).status_code == 204
    found = client.get("/activities/state", params=params)
    assert found.status_code == 200 and found.json() == {"page": 3, "done": False} and found.headers["etag"]
    no_registration = {k: v for k, v in params.items() if k != "registration"}
    assert client.put("/activities/state", params=no_registration, content=b"x").status_code == 204
    listed = client.get("/activities/state", params={k: v for k, v in params.items() if k != "stateId"})
    assert listed.json() == ["bookmark"]
    with world.tx() as db:
        assert {(d.course_id, d.tenant_id, d.registration) for d in db.scalars(select(LrsDocument))} == {
            (None, 1, registration), (None, 1, "")}
    reader = lrs(world, *credential(scorm, name="reader", secret="reader-secret", permissionsLevel="READONLY"))
    assert reader.get("/activities/state", params=params).json() == {"page": 3, "done": False}
    refused = reader.delete("/activities/state", params=params)
    assert (refused.status_code, refused.json()) == (403, {
        "error": True, "message": "these credentials are read-only: they may not write here"})
    assert client.delete("/activities/state", params=params).status_code == 204
    assert client.get("/activities/state", params=params).status_code == 404
    with world.tx() as db:
        assert [d.registration for d in db.scalars(select(LrsDocument))] == [""]


def test_another_tenants_statements_are_invisible(scorm, world):
    with world.client(world.admin_token) as c:
        made = c.post("/_courseport/tenants", json={"name": "Suite B"})
    assert made.status_code == 201, made.text
    keys = made.json()["credentials"]["scorm_cloud"]
    other = httpx.Client(base_url=world.base_url + "/api/v2", auth=(keys["app_id"], keys["secret_key"]))
    theirs_id, theirs_secret = credential(other)
    ours, theirs = lrs(world, *credential(scorm)), lrs(world, theirs_id, theirs_secret)
    mine, their_statement = statement(), statement()
    assert ours.post("/statements", json=mine).status_code == 200
    assert theirs.post("/statements", json=their_statement).status_code == 200
    assert [s["id"] for s in ours.get("/statements").json()["statements"]] == [mine["id"]]
    assert [s["id"] for s in theirs.get("/statements").json()["statements"]] == [their_statement["id"]]
    missing = ours.get("/statements", params={"statementId": their_statement["id"]})
    assert (missing.status_code, missing.json()) == (404, {
        "error": True, "message": f"No statement has id {their_statement['id']}"})
    assert scorm.http.get(f"/xapi/credentials/{theirs_id}").status_code == 404
    state = {"activityId": "http://example.com/tool/page", "agent": '{"mbox": "mailto:grace@example.com"}',
             "stateId": "s"}
    assert ours.put("/activities/state", params=state, json={"a": 1}).status_code == 204
    unseen = theirs.get("/activities/state", params=state)
    assert (unseen.status_code, unseen.json()) == (404, {"error": True, "message": "No document has the id s"})
    voiding = statement(verb="voided") | {"object": {"objectType": "StatementRef", "id": their_statement["id"]},
                                          "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"}}
    refused = ours.post("/statements", json=voiding)
    assert (refused.status_code, refused.json()) == (403, {
        "error": True, "message": "object: these credentials void statements of their application only"})
    with world.tx() as db:
        tenants = {r.id: r.tenant_id for r in db.scalars(select(XapiStatement))}
        assert tenants[their_statement["id"]] == made.json()["id"] != tenants[mine["id"]]
    with world.client(world.admin_token) as c:  # the tenant's credentials and statements go with it
        assert c.delete(f"/_courseport/tenants/{made.json()['id']}").status_code in (200, 204)
    with world.tx() as db:
        assert db.get(Account, made.json()["id"]) is None and db.get(XapiCredential, theirs_id) is None
        assert set(db.scalars(select(XapiStatement.id))) == {mine["id"]}


def test_a_credential_reads_the_applications_launch_statements_and_launches_stay_scoped(scorm, world):
    assert scorm.imported(pb.tincan(), "tc")["status"] == "COMPLETE"
    assert scorm.http.post("/registrations", json={"courseId": "tc", "registrationId": "r1", "learner": {
        "id": "ada", "firstName": "Ada", "lastName": "Lovelace"}}).status_code == 204
    launch = Launch(scorm.http.post("/registrations/r1/launchLink", json={}).json()["launchLink"])
    launched = launch.statement("experienced")
    assert launch.send(launched).status_code == 200
    client = lrs(world, *credential(scorm))
    outside = statement(launch.registration)
    assert client.post("/statements", json=outside).status_code == 200
    seen = {s["id"] for s in client.get("/statements").json()["statements"]}
    assert seen == {launched["id"], outside["id"]}
    # the launch reads its own statements only, as before: the credential's one is outside the launch
    assert [s["id"] for s in launch.lrs.get("/statements").json()["statements"]] == [launched["id"]]
    refused = launch.send(statement(launch.registration))
    assert (refused.status_code, refused.json()) == (403, {"error": True, "message": (
        "statement.actor: these credentials write statements of their launch's learner only")})
    cloud = scorm.http.get("/registrations/r1/xAPIStatements").json()
    assert [s["id"] for s in cloud["statements"]] == [launched["id"]]
