"""Course Service findings of issue 15 over raw HTTP: a wrong JSON type on a Course write is a 400
naming the field (never a 500, never a 204), `webPathToCourse` serves the version's files, and a
course's `xapiActivityId` is the activity id its statements use."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from courseport.schema import CourseTag, Job
from tests import package_builders as pb
from tests.scorm_app import ScormApp


@pytest.fixture
def scorm(world):
    app = ScormApp(world)
    assert app.imported(pb.scorm12(), "golf")["status"] == "COMPLETE"
    return app


def count(world, table) -> int:
    with world.tx() as db:
        return db.scalar(select(func.count()).select_from(table))


@pytest.mark.parametrize(("method", "path", "body", "message"), [
    ("post", "/courses/importJobs?courseId=x", {"url": 5}, "url must be a string"),
    ("post", "/courses/importJobs?courseId=x", {"url": ["http://e.com/a.zip"]}, "url must be a string"),
    ("post", "/courses/importJobs?courseId=x", {"url": "https://e.com/a.zip", "contentType": 1},
     "contentType must be a string"),
    ("post", "/courses/importJobs?courseId=x", {"url": "https://e.com/a.zip", "mediaFileMetadata": {"title": 1}},
     "mediaFileMetadata.title must be a string"),
    ("post", "/courses/importJobs/noUpload?courseId=x", {"fetchRequest": {"url": {"u": 1}}},
     "fetchRequest.url must be a string"),
    ("post", "/courses/importJobs/noUpload?courseId=x", {"mediaFileReferenceRequest": {"url": True}},
     "mediaFileReferenceRequest.url must be a string"),
    ("post", "/courses/golf/asset", {"fetchUrl": 3, "destination": "a.txt"}, "fetchUrl must be a string"),
    ("post", "/courses/golf/asset", {"fetchUrl": "https://e.com/a.txt", "destination": ["a"]},
     "destination must be a string"),
    ("post", "/courses/golf/versions/0/asset", {"fetchUrl": "https://e.com/a", "destination": {}},
     "destination must be a string"),
    ("put", "/courses/golf/title", {"title": 5}, "title must be a string"),
    ("put", "/courses/golf/tags", {"tags": [["a"]]}, "tags must be a list of strings"),
    ("delete", "/courses/golf/tags", {"tags": [None]}, "tags must be a list of strings"),
    ("put", "/courses/tags", {"ids": [["golf"]], "tags": ["a"]}, "ids must be a list of strings"),
    ("put", "/courses/tags", {"ids": [{"id": "golf"}], "tags": ["a"]}, "ids must be a list of strings"),
    ("put", "/courses/tags", {"ids": [None], "tags": ["a"]}, "ids must be a list of strings"),
    ("put", "/courses/tags", {"ids": ["golf"], "tags": [1]}, "tags must be a list of strings"),
])
def test_wrong_json_types_are_400_naming_the_field(scorm, world, method, path, body, message):
    jobs = count(world, Job)
    answer = scorm.http.request(method.upper(), path, json=body)
    assert (answer.status_code, answer.json()) == (400, {"message": message})
    assert (count(world, Job), count(world, CourseTag)) == (jobs, 0)
    assert scorm.http.get("/courses/golf").json()["title"] == "Golf Explained"


def test_web_path_to_course_serves_the_versions_files(scorm, world):
    status = scorm.imported(pb.scorm12(title="Golf v2"), "golf", mayCreateNewVersion="True")
    web_path = status["importResult"]["webPathToCourse"]
    folder = httpx.get(web_path)
    assert folder.status_code == 302 and folder.headers["location"].startswith(web_path)
    page = httpx.get(folder.headers["location"])
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"].startswith("sandbox allow-scripts")
    manifest = httpx.get(web_path + "imsmanifest.xml")
    assert manifest.status_code == 200 and b"Golf v2" in manifest.content
    assert httpx.get(web_path + "..%2F0%2Fimsmanifest.xml").status_code == 404  # no way out of the version
    assert httpx.get(web_path + "nothing.html").status_code == 404
    assert httpx.get(web_path.replace("/1/", "/9/")).status_code == 404


def test_xapi_activity_id_is_the_id_statements_use(scorm, world):
    from courseport.core.packages import statements
    from courseport.core.packages.scorm_courses import packaged_version

    body = scorm.http.get("/courses/golf").json()
    with world.tx() as db:
        course, version = packaged_version(db, world.admin, "golf")
        facts = statements.launch_facts(db, version, "item_1", "Lesson", "r", "ada", "Ada", None)
    assert body["xapiActivityId"] == facts.course.id == "urn:courseport:course:golf"
    assert scorm.http.get("/courses/golf/versions/0").json()["xapiActivityId"] == facts.course.id


@pytest.mark.parametrize("state", [{"filters": {}, "offset": "x"}, {"filters": {"tags": 5}, "offset": 0},
                                   {"filters": {"order_by": {"a": 1}}, "offset": 0}, {"offset": -1, "filters": {}}])
def test_a_forged_more_token_is_400(scorm, state):
    from courseport.dialects.scorm_cloud.protocol import encode_more

    answer = scorm.http.get("/courses", params={"more": encode_more(state)})
    assert (answer.status_code, answer.json()) == (400, {"message": "more is not a token this service issued"})
