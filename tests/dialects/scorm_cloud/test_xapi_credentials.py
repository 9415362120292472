"""The xAPI Service's credentials over raw HTTP: the exact XapiCredentialSchema, the defaults a POST
fills in (a strong secret made, enabled, DEFAULT permissions), PUT replacing the writable fields, and
every refusal with its exact body and nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from courseport.schema import XapiCredential
from tests.scorm_app import ScormApp, refused_callers


@pytest.fixture
def scorm(world):
    return ScormApp(world)


def count(world) -> int:
    with world.tx() as db:
        return db.scalar(select(func.count()).select_from(XapiCredential))


def test_a_post_with_only_a_name_gets_the_defaults_and_a_strong_secret(scorm, world):
    made = scorm.http.post("/xapi/credentials", json={"name": "tool"})
    assert made.status_code == 200 and set(made.json()) == {"result"}
    found = scorm.http.get(f"/xapi/credentials/{made.json()['result']}").json()
    secret = found.pop("secret")
    assert found == {"id": made.json()["result"], "name": "tool", "isEnabled": True, "auth": "BASICAUTH",
                     "permissionsLevel": "DEFAULT"}
    assert len(secret) >= 40
    with world.tx() as db:
        assert db.get(XapiCredential, found["id"]).secret == secret
    listed = scorm.http.get("/xapi/credentials").json()
    assert listed == {"xapiCredentials": [found | {"secret": secret}]}


def test_enum_values_in_their_schema_objects_are_read_too(scorm, world):
    made = scorm.http.post("/xapi/credentials", json={
        "name": "tool", "secret": "abc", "auth": {"xapiCredentialAuthType": "BASICAUTH"},
        "permissionsLevel": {"xapiCredentialPermissionsLevel": "ROOT"}})
    assert made.status_code == 200, made.text
    with world.tx() as db:
        assert db.get(XapiCredential, made.json()["result"]).permissions == "root"


def test_put_replaces_the_writable_fields_and_keeps_the_secret_when_none_is_given(scorm, world):
    cred_id = scorm.http.post("/xapi/credentials", json={
        "name": "tool", "info": "about it", "secret": "first-secret", "permissionsLevel": "USER"}).json()["result"]
    assert scorm.http.put(f"/xapi/credentials/{cred_id}", json={"id": cred_id, "name": "renamed"}).status_code == 204
    assert scorm.http.get(f"/xapi/credentials/{cred_id}").json() == {
        "id": cred_id, "name": "renamed", "secret": "first-secret", "isEnabled": True, "auth": "BASICAUTH",
        "permissionsLevel": "DEFAULT"}


@pytest.mark.parametrize(("body", "message"), [
    ({}, "name is required"),
    ({"name": "tool", "auth": "OAUTH"}, "auth must be BASICAUTH: OAuth xAPI credentials are not supported"),
    ({"name": "tool", "auth": "SAML"}, "auth must be one of BASICAUTH, OAUTH"),
    ({"name": "tool", "permissionsLevel": "ADMIN"},
     "permissionsLevel must be one of DEFAULT, USER, ROOT, READONLY, WRITEONLY"),
    ({"name": "tool", "isEnabled": "yes"}, "isEnabled must be true or false"),
    ({"name": "tool", "secret": ""}, "secret must be 1 to 255 characters (or absent: one is made)"),
    ({"name": 5}, "name must be a string"),
])
def test_bad_posts_are_refused_naming_the_field(scorm, world, body, message):
    answer = scorm.http.post("/xapi/credentials", json=body)
    assert (answer.status_code, answer.json()) == (400, {"message": message})
    assert count(world) == 0


def test_a_put_cannot_change_the_id_nor_reach_an_unknown_credential(scorm, world):
    cred_id = scorm.http.post("/xapi/credentials", json={"name": "tool", "secret": "abc"}).json()["result"]
    answer = scorm.http.put(f"/xapi/credentials/{cred_id}", json={"id": "OTHER", "name": "x"})
    assert (answer.status_code, answer.json()) == (400, {
        "message": "id must be the credential's own id: a credential's id cannot change"})
    missing = scorm.http.put("/xapi/credentials/NOPE", json={"name": "x"})
    assert (missing.status_code, missing.json()) == (404, {"message": "xAPI credential 'NOPE' not found"})
    gone = scorm.http.delete("/xapi/credentials/NOPE")
    assert (gone.status_code, gone.json()) == (404, {"message": "xAPI credential 'NOPE' not found"})
    with world.tx() as db:
        assert db.get(XapiCredential, cred_id).name == "tool"


@pytest.mark.parametrize("who", ["anonymous", "wrong secret", "no right"])
def test_callers_without_the_right_are_refused(scorm, world, who):
    client, status, message = refused_callers(scorm, world)[who]
    answer = client.post("/xapi/credentials", json={"name": "tool"})
    assert (answer.status_code, answer.json()) == (status, {"message": message})
    listed = client.get("/xapi/credentials")
    assert (listed.status_code, listed.json()) == (status, {"message": message})
    assert count(world) == 0
