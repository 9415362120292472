"""SCORM Cloud courses, versions, tags, configuration and auth over HTTP: exact bodies and statuses."""

from __future__ import annotations

import io
import zipfile

import httpx
import pytest

from courseport.core.packages import scorm_courses
from tests import package_builders as pb
from tests.scorm_app import ScormApp


@pytest.fixture
def scorm(world):
    return ScormApp(world)


def token(scorm: ScormApp, scope: str) -> httpx.Client:
    answer = scorm.http.post("/oauth/authenticate/application/token", data={"scope": scope, "expiration": "60"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["expires_in"], body["token_type"]) == (60, "Bearer")
    return httpx.Client(base_url=scorm.world.base_url + "/api/v2",
                        headers={"Authorization": f"Bearer {body['access_token']}"})


def test_credentials_are_required_and_checked(scorm, world):
    anonymous = httpx.Client(base_url=world.base_url + "/api/v2")
    assert anonymous.get("/courses").json() == {
        "message": "Authorization is required: Basic appId:secretKey or a Bearer token"}
    wrong = httpx.Client(base_url=world.base_url + "/api/v2", auth=(scorm.app_id, "wrong"))
    answer = wrong.get("/courses")
    assert (answer.status_code, answer.json()) == (401, {"message": "Invalid application credentials"})
    plain = ScormApp(world, world.user("nobody"))
    answer = plain.http.get("/courses")
    assert (answer.status_code, answer.json()) == (403, {"message": "this application may not manage courses"})


def test_scoped_tokens_are_enforced_per_operation(scorm):
    scorm.imported(pb.scorm12(), "golf")
    reader = token(scorm, "read:course")
    assert reader.get("/courses/golf").status_code == 200
    answer = reader.delete("/courses/golf")
    assert (answer.status_code, answer.json()) == (
        403, {"message": "the token lacks the scope this call needs (one of: delete, delete:course)"})
    answer = reader.put("/courses/golf/title", json={"title": "x"})
    assert answer.json() == {"message": "the token lacks the scope this call needs (one of: write, write:course)"}
    assert token(scorm, "delete:course").delete("/courses/golf").status_code == 204
    bad = scorm.http.post("/oauth/authenticate/application/token", data={"scope": "admin:everything"})
    assert (bad.status_code, bad.json()) == (
        400, {"message": "'admin:everything' is not a scope (read, write, delete, or read:course and the like)"})
    forged = httpx.Client(base_url=scorm.world.base_url + "/api/v2", headers={"Authorization": "Bearer sc1.e30.x"})
    assert forged.get("/courses").json() == {"message": "Invalid or expired token"}


def test_ping_and_about(scorm):
    ping = scorm.http.get("/ping").json()
    assert ping["apiMessage"] == "pong" and ping["currentTime"].endswith("Z")
    doubled = scorm.http.get(scorm.world.base_url + "/api/v2//about")  # the vendor client's doubled slash
    assert doubled.json() == {"version": "2.0", "distribution": "courseport 0.1.0"}


def test_get_course_exact_body(scorm):
    scorm.imported(pb.scorm12(), "golf", tags="sport")
    body = scorm.http.get("/courses/golf", params={"includeCourseMetadata": "True",
                                                   "includeRegistrationCount": "True"}).json()
    for stamp in ("created", "updated"):
        assert body.pop(stamp).endswith("Z")
    assert body.pop("xapiActivityId").startswith("urn:courseport:course:")
    assert body == {
        "id": "golf", "title": "Golf Explained", "version": 0, "activityId": "golf_org",
        "courseLearningStandard": "SCORM12", "tags": ["sport"], "dispatched": False, "registrationCount": 0,
        "rootActivity": {"externalIdentifier": "golf_org", "itemIdentifier": "golf_org", "activityType": "AGGREGATION",
                         "title": "Golf Explained", "children": [{
                             "externalIdentifier": "item_1", "itemIdentifier": "item_1", "resourceIdentifier": "res_1",
                             "activityType": "SCO", "href": "index.html", "scaledPassingScore": "0.8",
                             "title": "Playing the game", "children": []}]},
        "metadata": {"title": "Golf Explained", "titleLanguage": "en-US", "description": "All about golf",
                     "descriptionLanguage": "en-US", "duration": "00:30:00", "keywords": ["golf", "sport"]}}
    answer = scorm.http.get("/courses/nope")
    assert (answer.status_code, answer.json()) == (404, {"message": "Course 'nope' not found"})


def test_listing_pages_with_a_more_token_that_carries_the_filters(scorm, monkeypatch):
    monkeypatch.setattr(scorm_courses, "PAGE_SIZE", 2)
    for n in range(5):
        scorm.imported(pb.scorm12(title=f"Course {n}"), f"c{n}", tags="even" if n % 2 == 0 else "odd")
    first = scorm.http.get("/courses", params={"tags": "even", "orderBy": "title_desc", "includeTotalCount": "True"})
    assert first.headers["X-Total-Count"] == "3"
    assert [c["id"] for c in first.json()["courses"]] == ["c4", "c2"]
    second = scorm.http.get("/courses", params={"more": first.json()["more"]})
    assert "X-Total-Count" not in second.headers
    assert second.json() == {"courses": [second.json()["courses"][0]]}
    assert second.json()["courses"][0]["id"] == "c0"
    every = scorm.http.get("/courses").json()
    assert [c["id"] for c in every["courses"]] == ["c0", "c1"] and "more" in every
    filtered = scorm.http.get("/courses", params={"filter": "COURSE 3", "filterBy": "title"}).json()
    assert filtered == {"courses": [filtered["courses"][0]]} and filtered["courses"][0]["id"] == "c3"
    assert scorm.http.get("/courses", params={"until": "2000-01-01T00:00:00Z"}).json() == {"courses": []}
    assert scorm.http.get("/courses", params={"since": "2000-01-01T00:00:00Z",
                                              "datetimeFilter": "created"}).json()["courses"][0]["id"] == "c0"
    bad = scorm.http.get("/courses", params={"orderBy": "random"})
    assert bad.json() == {"message": "orderBy must be one of " + ", ".join(scorm_courses.ORDER_BY) + ", got 'random'"}
    assert scorm.http.get("/courses", params={"more": "!!"}).json() == {
        "message": "more is not a token this service issued"}


def test_title_versions_and_deleting_the_last_version_deletes_the_course(scorm):
    scorm.imported(pb.scorm12(), "golf")
    scorm.imported(pb.scorm2004(), "golf", mayCreateNewVersion="true")
    assert scorm.http.put("/courses/golf/title", json={"title": "Renamed"}).status_code == 204
    assert scorm.http.get("/courses/golf").json()["title"] == "Renamed"
    assert scorm.http.put("/courses/golf/title", json={"title": " "}).json() == {"message": "title must not be empty"}
    versions = scorm.http.get("/courses/golf/versions").json()["courses"]
    assert [(v["version"], v["courseLearningStandard"]) for v in versions] == [
        (0, "SCORM12"), (1, "SCORM20044THEDITION")]
    assert scorm.http.get("/courses/golf/versions/0").json()["rootActivity"]["externalIdentifier"] == "golf_org"
    missing = scorm.http.get("/courses/golf/versions/7")
    assert (missing.status_code, missing.json()) == (404, {"message": "Course 'golf' has no version 7"})
    assert scorm.http.delete("/courses/golf/versions/1").status_code == 204
    assert scorm.http.get("/courses/golf").json()["version"] == 0
    assert scorm.http.delete("/courses/golf/versions/0").status_code == 204
    assert scorm.http.get("/courses/golf").status_code == 404
    assert {k: v for k, v in scorm.counts().items() if k not in ("blobs", "blob_files")} == {
        "package_versions": 0, "package_files": 0, "course_tags": 0, "setting_values": 0, "scorm_courses": 0}


def test_delete_course_removes_everything_connected(scorm):
    scorm.imported(pb.scorm12(), "golf", tags="a")
    scorm.http.post("/courses/golf/configuration", json={"settings": [{"settingId": "PlayerCaptureHistory",
                                                                       "value": "false"}]})
    answer = scorm.http.delete("/courses/golf")
    assert answer.status_code == 204
    assert {k: v for k, v in scorm.counts().items() if k not in ("blobs", "blob_files")} == {
        "package_versions": 0, "package_files": 0, "course_tags": 0, "setting_values": 0, "scorm_courses": 0}
    assert scorm.http.delete("/courses/golf").status_code == 404


def test_zip_download(scorm):
    scorm.imported(pb.scorm12(), "golf")
    scorm.imported(pb.scorm2004(), "golf", mayCreateNewVersion="true")
    answer = scorm.http.get("/courses/golf/zip")
    assert answer.headers["content-type"] == "application/zip"
    assert sorted(zipfile.ZipFile(io.BytesIO(answer.content)).namelist()) == [
        "glossary.html", "imsmanifest.xml", "lesson1/index.html", "lesson2/index.html"]
    old = zipfile.ZipFile(io.BytesIO(scorm.http.get("/courses/golf/versions/0/zip").content))
    assert old.read("index.html") == pb.SCO_HTML


def test_tags(scorm):
    scorm.imported(pb.scorm12(), "a")
    scorm.imported(pb.scorm12(), "b")
    assert scorm.http.put("/courses/a/tags", json={"tags": ["x", "y", "x"]}).status_code == 204
    assert scorm.http.get("/courses/a/tags").json() == {"tags": ["x", "y"]}
    assert scorm.http.request("DELETE", "/courses/a/tags", json={"tags": ["x"]}).status_code == 204
    assert scorm.http.get("/courses/a/tags").json() == {"tags": ["y"]}
    assert scorm.http.put("/courses/tags", json={"ids": ["a", "b"], "tags": ["z"]}).status_code == 204
    assert scorm.http.get("/courses/b/tags").json() == {"tags": ["z"]}
    answer = scorm.http.put("/courses/tags", json={"ids": ["a", "ghost"], "tags": ["w"]})
    assert (answer.status_code, answer.json()) == (404, {"message": "Course 'ghost' not found"})
    assert scorm.http.get("/courses/a/tags").json() == {"tags": ["y", "z"]}
    assert [c["id"] for c in scorm.http.get("/courses", params={"tags": "y"}).json()["courses"]] == ["a"]
    assert scorm.http.put("/courses/a/tags", json={"tags": [""]}).json() == {
        "message": "tags must be non-empty strings"}


def _settings(client, path: str, **params) -> dict[str, dict]:
    return {s["id"]: s for s in client.get(path, params=params).json()["settingItems"]}


def test_configuration_layers_default_application_course_version(scorm):
    scorm.imported(pb.scorm12(), "golf")
    setting = "PlayerCaptureHistory"
    assert _settings(scorm.http, "/courses/golf/configuration")[setting] == {
        "id": setting, "effectiveValue": "true", "effectiveValueSource": "default"}
    post = scorm.http.post("/appManagement/configuration",
                           json={"settings": [{"settingId": setting, "value": "False"}]})
    assert post.status_code == 204
    assert _settings(scorm.http, "/courses/golf/configuration")[setting] == {
        "id": setting, "effectiveValue": "false", "effectiveValueSource": "application"}
    scorm.http.post("/courses/golf/configuration", json={"settings": [{"settingId": setting, "value": "true"}]})
    assert _settings(scorm.http, "/courses/golf/configuration")[setting] == {
        "id": setting, "effectiveValue": "true", "effectiveValueSource": "course", "explicitValue": "true"}
    scorm.http.post("/courses/golf/versions/0/configuration",
                    json={"settings": [{"settingId": setting, "value": "false"}]})
    assert _settings(scorm.http, "/courses/golf/versions/0/configuration")[setting] == {
        "id": setting, "effectiveValue": "false", "effectiveValueSource": "course", "explicitValue": "false"}
    assert scorm.http.delete(f"/courses/golf/versions/0/configuration/{setting}").status_code == 204
    assert _settings(scorm.http, "/courses/golf/versions/0/configuration")[setting]["effectiveValue"] == "true"
    assert scorm.http.delete(f"/courses/golf/configuration/{setting}").status_code == 204
    assert _settings(scorm.http, "/courses/golf/configuration")[setting]["effectiveValueSource"] == "application"
    assert scorm.http.delete(f"/appManagement/configuration/{setting}").status_code == 204
    assert _settings(scorm.http, "/appManagement/configuration")[setting]["effectiveValueSource"] == "default"


def test_configuration_metadata_and_bad_values(scorm):
    scorm.imported(pb.scorm12(), "golf")
    item = _settings(scorm.http, "/courses/golf/configuration", includeMetadata="True")["PlayerInvalidMenuItemAction"]
    assert item["metadata"] == {
        "default": "SHOW", "dataType": "enum", "level": "course", "learningStandardVariant": "either",
        "settingDescription": "What the course menu does with items sequencing forbids",
        "learningStandards": ["SCORM20042NDEDITION", "SCORM20043RDEDITION", "SCORM20044THEDITION"],
        "validValues": [{"value": "SHOW", "valueDescription": "show"}, {"value": "HIDE", "valueDescription": "hide"},
                        {"value": "DISABLE", "valueDescription": "disable"}]}
    bad = scorm.http.post("/courses/golf/configuration", json={"settings": [
        {"settingId": "PlayerDesiredWidth", "value": "800"}, {"settingId": "PlayerLaunchType", "value": "POPUP"}]})
    assert (bad.status_code, bad.json()["message"]) == (400, "PlayerLaunchType must be one of FRAMESET, NEW_WINDOW, "
        "NEW_WINDOW_AFTER_CLICK, NEW_WINDOW_WITHOUT_BROWSER_TOOLBAR, NEW_WINDOW_AFTER_CLICK_WITHOUT_BROWSER_TOOLBAR, "
        "got 'POPUP'")
    assert _settings(scorm.http, "/courses/golf/configuration")["PlayerDesiredWidth"]["effectiveValue"] == "1024"
    unknown = scorm.http.post("/courses/golf/configuration", json={"settings": [{"settingId": "Nope", "value": "1"}]})
    assert unknown.json() == {"message": "'Nope' is not a known setting"}
    assert scorm.http.get("/courses/ghost/configuration").status_code == 404
    assert scorm.http.get("/courses/golf/versions/3/configuration").json() == {
        "message": "Course 'golf' has no version 3"}
