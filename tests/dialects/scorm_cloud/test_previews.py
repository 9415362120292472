"""buildCoursePreviewLaunchLink and its version form over HTTP and through the vendor client."""

from __future__ import annotations

import httpx
import pytest

from courseport.core.packages import previews
from tests import package_builders as pb
from tests.scorm_app import ScormApp


@pytest.fixture
def scorm(world):
    app = ScormApp(world)
    assert app.imported(pb.scorm12(), "golf")["status"] == "COMPLETE"
    assert app.imported(pb.scorm12(title="Golf v2"), "golf", mayCreateNewVersion="True")["status"] == "COMPLETE"
    return app


def grant_of(world, link: str) -> previews.LaunchGrant:
    assert link.startswith(world.base_url + "/preview/")
    return previews.read_grant(world.services.secret, "link", link.rsplit("/", 1)[1])


def version_ids(world) -> dict[int, int]:
    from sqlalchemy import select

    from courseport.schema import PackageVersion
    with world.tx() as db:
        return {v.version: v.id for v in db.scalars(select(PackageVersion))}


def test_course_link_previews_the_newest_version_with_the_request(scorm, world):
    answer = scorm.http.post("/courses/golf/preview", params={"cssUrl": "https://cdn.example/q.css"}, json={
        "expiry": 30, "redirectOnExitUrl": "https://lms.example/back", "tracking": False, "startSco": "item_1",
        "culture": "es-ES", "additionalvalues": [{"item": "learnerId", "value": "ana"}]})
    assert answer.status_code == 200
    assert list(answer.json()) == ["launchLink"]
    grant = grant_of(world, answer.json()["launchLink"])
    assert (grant.version_id, grant.tracking, grant.exit, grant.start_sco, grant.culture, grant.css_url,
            grant.learner_id) == (version_ids(world)[1], False, "https://lms.example/back", "item_1", "es-ES",
                                  "https://cdn.example/q.css", "ana")


def test_version_link_previews_that_version(scorm, world):
    answer = scorm.http.post("/courses/golf/versions/0/preview", json={})
    assert answer.status_code == 200
    assert grant_of(world, answer.json()["launchLink"]).version_id == version_ids(world)[0]


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/courses/nope/preview", 404, "Course 'nope' not found"),
    ("/courses/golf/versions/7/preview", 404, "Course 'golf' has no version 7"),
])
def test_unknown_courses_and_versions_are_404(scorm, path, status, message):
    answer = scorm.http.post(path, json={})
    assert (answer.status_code, answer.json()) == (status, {"message": message})


@pytest.mark.parametrize(("body", "message"), [
    ({"expiry": 5}, "expiry must be between 10 and 300 seconds"),
    ({"expiry": "soon"}, "expiry must be a whole number of seconds"),
    ({"tracking": "yes"}, "tracking must be true or false"),
    ({"startSco": "nope"}, "the course has no SCO 'nope'"),
    ({"cssUrl": "javascript:alert(1)"}, "cssUrl must be an absolute http or https URL"),
    ({"culture": "<script>"}, "culture must be a language code such as en-US"),
    ({"additionalvalues": [{"value": "x"}]}, "additionalvalues must be a list of {item, value} strings"),
])
def test_bad_requests_are_400_naming_the_problem(scorm, body, message):
    answer = scorm.http.post("/courses/golf/preview", json=body)
    assert (answer.status_code, answer.json()) == (400, {"message": message})


def test_the_body_is_required(scorm):
    answer = scorm.http.post("/courses/golf/preview")
    assert (answer.status_code, answer.json()) == (
        400, {"message": "the request body must be a JSON object (launchLinkRequest)"})


def bearer(scorm, scope: str) -> dict[str, str]:
    answer = scorm.http.post("/oauth/authenticate/application/token", data={"scope": scope, "expiration": "300"})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_credentials_and_read_scope_are_required(scorm, world):
    url = world.base_url + "/api/v2/courses/golf/preview"
    assert httpx.post(url, json={}).status_code == 401
    assert httpx.post(url, json={}, headers=bearer(scorm, "write:course")).status_code == 403
    assert httpx.post(url, json={}, headers=bearer(scorm, "read:course")).status_code == 200


def test_the_vendor_client_builds_both_links(scorm, world):
    from rustici_software_cloud_v2 import ApiClient, Configuration, CourseApi, PreviewLaunchLinkRequestSchema

    config = Configuration()
    config.host, config.username, config.password = world.base_url + "/api/v2/", scorm.app_id, scorm.secret
    api = CourseApi(ApiClient(config))
    link = api.build_course_preview_launch_link("golf", PreviewLaunchLinkRequestSchema(expiry=200)).launch_link
    grant = grant_of(world, link)
    assert (grant.version_id, grant.tracking) == (version_ids(world)[1], True)
    link = api.build_course_preview_launch_link_with_version(
        "golf", 0, PreviewLaunchLinkRequestSchema(culture="en-US", start_sco="item_1")).launch_link
    assert (grant_of(world, link).version_id, grant_of(world, link).culture) == (version_ids(world)[0], "en-US")
    assert httpx.get(link).status_code == 200
