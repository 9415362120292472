"""Registration and Learner services over raw HTTP: exact error bodies, hostile input (wrong JSON
types on every write, private postback URLs, unknown ids), scopes, and the state after each refusal."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from courseport.dialects.scorm_cloud.protocol import encode_more
from courseport.schema import Attempt, Registration, RegistrationTag
from tests import package_builders as pb
from tests.scorm_app import ScormApp

LEARNER = {"id": "ada", "firstName": "Ada", "lastName": "Lovelace"}


@pytest.fixture
def scorm(world):
    app = ScormApp(world)
    assert app.imported(pb.scorm12(), "golf")["status"] == "COMPLETE"
    return app


def create(scorm, reg_id: str = "r1", **extra) -> httpx.Response:
    return scorm.http.post("/registrations", json={"courseId": "golf", "registrationId": reg_id, "learner": LEARNER,
                                                   **extra})


def count(world, table) -> int:
    with world.tx() as db:
        return db.scalar(select(func.count()).select_from(table))


def test_create_answers_204_and_stores_one_attempt(scorm, world):
    answer = create(scorm, xapiRegistrationId="6F9619FF-8B86-D011-B42D-00C04FC964FF", registrationTags=["t"])
    assert (answer.status_code, answer.content) == (204, b"")
    with world.tx() as db:
        row = db.scalars(select(Registration)).one()
        assert (row.key, row.learner_id, row.xapi_registration) == ("r1", "ada", "6f9619ff-8b86-d011-b42d-00c04fc964ff")
    assert (count(world, Attempt), count(world, RegistrationTag)) == (1, 1)
    body = scorm.http.get("/registrations/r1").json()
    assert (body["registrationCompletion"], body["course"], body["learner"]) == (
        "UNKNOWN", {"id": "golf", "title": "Golf Explained", "version": 0}, LEARNER)
    assert scorm.http.head("/registrations/r1").status_code == 200


@pytest.mark.parametrize(("body", "message"), [
    ({"courseId": 7}, "courseId must be a string"),
    ({"registrationId": ["r"]}, "registrationId must be a string"),
    ({"learner": "ada"}, "learner must be an object"),
    ({"learner": {"id": 5}}, "learner.id must be a string"),
    ({"learner": {"id": "ada", "firstName": {"x": 1}}}, "learner.firstName must be a string"),
    ({"xapiRegistrationId": 12}, "xapiRegistrationId must be a string"),
    ({"xapiRegistrationId": "not-a-uuid"}, "xapiRegistrationId must be a UUID, got 'not-a-uuid'"),
    ({"registrationTags": "t"}, "registrationTags must be a list"),
    ({"registrationTags": [["t"]]}, "registrationTags must be a list of strings"),
    ({"learnerTags": [None]}, "learnerTags must be a list of strings"),
    ({"courseTags": [{"t": 1}]}, "courseTags must be a list of strings"),
    ({"postBack": "http://x"}, "postBack must be an object"),
    ({"postBack": {"url": 5}}, "postBack.url must be a string"),
    ({"postBack": {"url": "ftp://example.com/x"}}, "postBack.url must be an absolute http or https URL, got "
                                                    "'ftp://example.com/x'"),
    ({"postBack": {"url": "http://127.0.0.1:9/x"}},
     "postBack.url may not point at 127.0.0.1: 127.0.0.1 is a loopback address (not public, and not in the outbound "
     "allow-list)"),
    ({"postBack": {"url": "http://[::ffff:10.0.0.1]/x"}}, "postBack.url may not point at ::ffff:10.0.0.1: 10.0.0.1 "
                                                           "is a private address (not public, and not in the outbound "
                                                           "allow-list)"),
    ({"postBack": {"url": "https://example.com/x", "authType": "KERBEROS"}},
     "postBack.authType must be one of undefined, form, httpbasic"),
    ({"postBack": {"url": "https://example.com/x", "legacy": "yes"}}, "postBack.legacy must be true or false"),
    ({"registrationId": ""}, "registrationId is required"),
    ({"initialSettings": {"settings": [{"settingId": "Nope", "value": "1"}]}}, "'Nope' is not a known setting"),
    ({"initialSettings": {"settings": [{"settingId": "PlayerCommitFrequency", "value": "often"}]}},
     "PlayerCommitFrequency must be an integer, got 'often'"),
    ({"initialSettings": {"settings": "all"}}, "initialSettings.settings must be a list of {settingId, value}"),
    ({"learner": {}}, "learner.id is required"),
])
def test_wrong_types_and_bad_values_are_400_naming_the_field(scorm, world, body, message):
    answer = scorm.http.post("/registrations", json={"courseId": "golf", "registrationId": "r1", "learner": LEARNER,
                                                     **body})
    assert (answer.status_code, answer.json()) == (400, {"message": message})
    assert count(world, Registration) == 0


@pytest.mark.parametrize(("method", "path", "body", "message"), [
    ("post", "/registrations", [1], "the request body must be a JSON object (registration)"),
    ("post", "/registrations?courseVersion=two", {"courseId": "golf", "registrationId": "r2", "learner": LEARNER},
     "courseVersion must be an integer"),
    ("put", "/registrations/r1/tags", {"tags": "x"}, "tags must be a list of strings"),
    ("put", "/registrations/r1/tags", {"tags": [1]}, "tags must be a list of strings"),
    ("put", "/registrations/tags", {"ids": [None], "tags": ["x"]}, "ids must be a list of strings"),
    ("put", "/registrations/tags", {"ids": [["r1"]], "tags": ["x"]}, "ids must be a list of strings"),
    ("post", "/registrations/r1/launchLink", {"expiry": "soon"}, "expiry must be a whole number of seconds"),
    ("post", "/registrations/r1/launchLink", {"startSco": "nope"}, "the course has no SCO 'nope'"),
    ("post", "/registrations/r1/configuration", {"settings": [{"settingId": "PlayerCaptureHistory", "value": "maybe"}]},
     "PlayerCaptureHistory must be true or false, got 'maybe'"),
    ("post", "/registrations/r1/configuration", {"settings": "x"}, "settings must be a list of {settingId, value}"),
    ("post", "/registrations/postBackTest", {"url": 5}, "url must be a string"),
    ("post", "/registrations/postBackTest", {"url": "http://192.168.1.1/"}, "url may not point at 192.168.1.1: "
     "192.168.1.1 is a private address (not public, and not in the outbound allow-list)"),
    ("post", "/learner/ada/updateInfo", {"firstName": 3}, "firstName must be a string"),
    ("put", "/learner/ada/tags", {"tags": [{}]}, "tags must be a list of strings"),
    ("put", "/learner/tags", {"ids": "ada", "tags": ["x"]}, "ids must be a list of strings"),
    ("post", "/learner/ada/delete-information", None, "userEmail is required: the email of the person asking for "
                                                      "the deletion"),
    ("get", "/registrations?orderBy=up", None, "orderBy must be one of creation_date_asc, creation_date_desc, "
     "updated_asc, updated_desc, registration_id_asc, registration_id_desc, course_id_asc, course_id_desc, "
     "learner_id_asc, learner_id_desc, got 'up'"),
    ("get", "/registrations?since=yesterday", None, "since must be an ISO 8601 timestamp, got 'yesterday'"),
    ("get", "/registrations?more=garbage!", None, "more is not a token this service issued"),
    ("get", "/registrations?more=" + encode_more({"filters": {}, "offset": "x"}), None,
     "more is not a token this service issued"),
    ("get", "/registrations?more=" + encode_more({"filters": {"tags": 5}, "offset": 0}), None,
     "more is not a token this service issued"),
    ("get", "/registrations?more=" + encode_more({"filters": {"order_by": ["x"]}, "offset": 0}), None,
     "more is not a token this service issued"),
])
def test_error_bodies(scorm, world, method, path, body, message):
    assert create(scorm).status_code == 204
    kwargs = {"json": body} if body is not None else {}
    answer = getattr(scorm.http, method)(path, **kwargs) if method == "get" else \
        scorm.http.request(method.upper(), path, **kwargs)
    assert (answer.status_code, answer.json()) == (400, {"message": message})
    assert scorm.http.get("/registrations/r1/tags").json() == {"tags": []}


@pytest.mark.parametrize(("method", "path", "message"), [
    ("get", "/registrations/nope", "Registration 'nope' not found"),
    ("delete", "/registrations/nope", "Registration 'nope' not found"),
    ("get", "/registrations/r1/instances/4", "Registration 'r1' has no instance 4"),
    ("post", "/registrations/nope/launchLink", "Registration 'nope' not found"),
    ("get", "/registrations/nope/xAPIStatements", "Registration 'nope' not found"),
    ("get", "/registrations/r1/instances/3/xAPIStatements", "Registration 'r1' has no instance 3"),
    ("get", "/registrations/r1/instances/3/launchHistory", "Registration 'r1' has no instance 3"),
    ("get", "/registrations/r1/instances/3/configuration", "Registration 'r1' has no instance 3"),
    ("get", "/learner/nobody/tags", None),
])
def test_unknown_ids(scorm, method, path, message):
    assert create(scorm).status_code == 204
    answer = scorm.http.request(method.upper(), path, json={} if method == "post" else None)
    if message is None:
        assert (answer.status_code, answer.json()) == (200, {"tags": []})
    else:
        assert (answer.status_code, answer.json()) == (404, {"message": message})


def test_unknown_course_and_version_and_duplicate(scorm, world):
    assert create(scorm, courseId="nope").json() == {"message": "Course 'nope' not found"}
    answer = scorm.http.post("/registrations", params={"courseVersion": "3"},
                             json={"courseId": "golf", "registrationId": "r1", "learner": LEARNER})
    assert (answer.status_code, answer.json()) == (404, {"message": "Course 'golf' has no version 3"})
    assert create(scorm).status_code == 204
    assert (create(scorm).status_code, create(scorm).json()) == (409, {"message": "Registration 'r1' already exists"})
    assert count(world, Registration) == 1


def test_the_newest_instance_cannot_be_deleted(scorm):
    assert create(scorm).status_code == 204
    answer = scorm.http.delete("/registrations/r1/instances/0")
    assert (answer.status_code, answer.json()) == (400, {
        "message": "instanceId 0 is the newest instance of registration 'r1' and cannot be deleted"})


def test_scopes_and_credentials(scorm, world):
    assert create(scorm).status_code == 204
    anonymous = httpx.Client(base_url=world.base_url + "/api/v2")
    assert anonymous.get("/registrations").status_code == 401
    nobody = ScormApp(world, world.user("nobody")).http
    answer = nobody.get("/registrations/r1")
    assert (answer.status_code, answer.json()) == (403, {"message": "this application may not manage courses"})
    answer = nobody.post("/registrations/postBackTest", json={"url": "https://example.com/hook"})
    assert (answer.status_code, answer.json()) == (403, {"message": "this application may not manage courses"})
    token = scorm.http.post("/oauth/authenticate/application/token", data={"scope": "read:registration"}).json()
    reader = httpx.Client(base_url=world.base_url + "/api/v2",
                          headers={"Authorization": f"Bearer {token['access_token']}"})
    assert reader.get("/registrations/r1").status_code == 200
    refused = reader.delete("/registrations/r1")
    assert (refused.status_code, refused.json()) == (403, {
        "message": "the token lacks the scope this call needs (one of: delete, delete:registration)"})
    assert reader.get("/courses/golf").status_code == 403  # read:registration is not read:course
    assert count(world, Registration) == 1


def test_a_registration_launch_link_opens_only_as_a_registration(scorm, world):
    assert create(scorm).status_code == 204
    link = scorm.http.post("/registrations/r1/launchLink", json={"redirectOnExitUrl": "message"}).json()["launchLink"]
    token = link.rsplit("/", 1)[1]
    assert httpx.get(f"{world.base_url}/preview/{token}").status_code == 403  # not a preview link
    assert httpx.get(f"{world.base_url}/launch/{token}x").status_code == 403
    assert httpx.get(link).status_code == 200
    assert scorm.http.delete("/registrations/r1").status_code == 204
    gone = httpx.get(link)
    assert gone.status_code == 404 and "no longer exists" in gone.text


def test_deleting_the_course_deletes_its_registrations(scorm, world):
    assert create(scorm).status_code == 204
    assert scorm.http.delete("/courses/golf").status_code == 204
    assert scorm.http.head("/registrations/r1").status_code == 404
    assert (count(world, Registration), count(world, Attempt)) == (0, 0)
