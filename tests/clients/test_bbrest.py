"""bbrest 0.5.0, unmodified, against the live server: token, version, courses, copy, task, PATCH.

bbrest downloads Anthology's swagger at start and builds its methods from it; the fixture hands
it the copy in ../shared/blackboard/ (or $BB_SWAGGER_FILE) instead, since tests run offline.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import requests

SWAGGER_URL = "https://devportal-docstore.s3.amazonaws.com/learn-swagger.json"
_SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "blackboard" / "learn-swagger-3900.123.0.json"


@pytest.fixture
def swagger_offline(monkeypatch):
    path = Path(os.environ.get("BB_SWAGGER_FILE") or _SHARED)
    document = path.read_bytes()
    real_get = requests.get

    def get(url, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if url != SWAGGER_URL:
            return real_get(url, *args, **kwargs)
        answer = requests.models.Response()
        answer.status_code, answer._content, answer.url = 200, document, url
        return answer

    monkeypatch.setattr(requests, "get", get)


@pytest.fixture
def bb(world, swagger_offline):
    from bbrest import BbRest

    key, secret = world.blackboard_app()
    return BbRest(key, secret, world.base_url)


def test_bbrest_starts_with_a_token_and_the_3900_version(bb):
    assert bb.version == "3900.102.0"
    assert isinstance(bb.token_info["expires_in"], int) and "user_id" not in bb.token_info
    assert bb.functions["GetCourses"]["path"] == "/learn/api/public/v3/courses"
    assert bb.functions["CopyCourse"]["path"] == "/learn/api/public/v2/courses/{courseId}/copy"
    assert bb.GetVersion().json()["learn"]["major"] == 3900


def test_bbrest_creates_lists_gets_and_patches_courses(bb):
    created = bb.CreateCourse(payload={"courseId": "mbk-original-template", "name": "Template"})
    assert created.status_code == 201, created.text
    for n in range(3):
        assert bb.CreateCourse(payload={"courseId": f"extra-{n}", "name": f"Extra {n}"}).status_code == 201
    listed = bb.GetCourses(params={"limit": 2, "fields": "courseId"})  # bbrest follows paging.nextPage
    assert listed.status_code == 200
    assert [c["courseId"] for c in listed.json()["results"]] == [
        "mbk-original-template", "extra-0", "extra-1", "extra-2"]
    got = bb.GetCourse(courseId="mbk-original-template")  # bbrest adds the courseId: prefix itself
    assert got.json()["id"] == created.json()["id"]
    patched = bb.UpdateCourse(courseId=created.json()["id"], payload={"description": "my course"})
    assert patched.status_code == 200 and patched.json()["description"] == "my course"
    assert json.loads(bb.GetCourse(courseId="_99999999_1").text) == {"status": 404, "message": "Course not found"}


def test_bbrest_copies_a_course_polls_the_task_to_303_and_patches_the_copy(world, bb):
    from tests.dialects.blackboard.test_course_copy import SEED_COPY

    assert bb.CreateCourse(payload={"courseId": "mbk-original-template", "name": "Template"}).status_code == 201
    template = bb.GetCourse(courseId="mbk-original-template").json()
    world.assignment(_course(world, template["id"]), "Essay")

    copied = bb.CopyCourse(courseId="mbk-original-template",
                           payload={"targetCourse": {"courseId": "mbk-original-target2"}, "copy": SEED_COPY})
    assert copied.status_code == 202 and copied.json() == {}
    location = copied.headers["Location"]
    course_part, task_id = location.split("/courses/")[1].split("/tasks/")
    assert course_part == template["id"]

    waiting = bb.GetTask(courseId=course_part, taskId=task_id)
    assert waiting.status_code == 200 and waiting.json()["status"] == "Queued"
    world.run_jobs()
    done = bb.GetTask(courseId=course_part, taskId=task_id)  # requests follows the 303 to the course
    assert [r.status_code for r in done.history] == [303]
    target = done.json()
    assert (done.status_code, target["courseId"], target["copyHistory"]) == (
        200, "mbk-original-target2", [{"uuid": template["uuid"]}])

    patched = bb.UpdateCourse(courseId=target["id"], payload={
        "externalId": "mbk-original-target2", "name": "mbk-original-target2", "description": "my copied course"})
    assert patched.status_code == 200
    assert bb.GetCourse(courseId="mbk-original-target2").json()["description"] == "my copied course"
    assert "X-Rate-Limit-Remaining" in patched.headers


def _course(world, learn_id: str):  # noqa: ANN202
    from courseport.schema import Course

    with world.tx() as db:
        return db.get(Course, int(learn_id.split("_")[1]))


def test_bbrest_drives_users_terms_and_memberships(bb):
    made = bb.CreateUser(payload={"userName": "jdoe", "password": "s3cret-pass", "externalId": "SIS-7",
                                  "name": {"given": "Jane", "family": "Doe"}})
    assert made.status_code == 201, made.text
    user = made.json()
    for ref in ("jdoe", user["id"], "userName:jdoe", "externalId:SIS-7", f"uuid:{user['uuid']}"):
        assert bb.GetUser(userId=ref).json()["id"] == user["id"], ref  # a bare name: bbrest adds userName:
    patched = bb.UpdateUser(userId="jdoe", payload={"name": {"given": "Janet"}})
    assert patched.status_code == 200 and patched.json()["name"] == {"given": "Janet", "family": "Doe"}

    term = bb.CreateTerm(payload={"externalId": "2026-FA", "name": "Fall 2026"})
    assert term.status_code == 201, term.text
    course = bb.CreateCourse(payload={"courseId": "bio101", "name": "Biology", "termId": term.json()["id"]})
    assert course.status_code == 201 and course.json()["termId"] == term.json()["id"]

    for n in range(3):
        assert bb.CreateUser(payload={"userName": f"pupil{n}", "password": "s3cret-pass",
                                      "name": {"given": "Pupil", "family": str(n)}}).status_code == 201
        assert bb.CreateMembership(courseId="bio101", userId=f"pupil{n}", payload={}).status_code == 201
    put = bb.CreateMembership(courseId="bio101", userId="jdoe", payload={"courseRoleId": "Instructor"})
    assert put.status_code == 201 and put.json()["courseRoleId"] == "Instructor"
    members = bb.GetCourseMemberships(courseId="bio101", params={"limit": 2})  # follows paging.nextPage
    assert members.status_code == 200 and len(members.json()["results"]) == 4
    assert bb.CreateCourse(payload={"courseId": "chem", "name": "Chemistry"}).status_code == 201
    assert bb.CreateMembership(courseId="chem", userId="jdoe", payload={}).status_code == 201
    mine = bb.GetUserMemberships(userId="jdoe", params={"limit": 1})
    assert [m["courseId"] for m in mine.json()["results"]] == [course.json()["id"], bb.GetCourse(
        courseId="chem").json()["id"]]
    changed = bb.UpdateMembership(courseId="bio101", userId="pupil0", payload={"availability": {"available": "No"}})
    assert changed.status_code == 200 and changed.json()["availability"] == {"available": "No"}
    assert bb.DeleteMembership(courseId="bio101", userId="pupil0").status_code == 204
    assert bb.GetMembership(courseId="bio101", userId="pupil0").status_code == 404


def test_bbrest_searches_users_and_memberships_with_filters_sort_and_paging(bb):
    for n, family in enumerate(("Young", "Abel", "Moss")):
        assert bb.CreateUser(payload={"userName": f"kid{n}", "password": "s3cret-pass", "externalId": f"K-{n}",
                                      "name": {"given": "Kid", "family": family}}).status_code == 201
    assert bb.CreateCourse(payload={"courseId": "geo", "name": "Geography"}).status_code == 201
    for n, role in enumerate(("Student", "Instructor", "Student")):
        assert bb.CreateMembership(courseId="geo", userId=f"kid{n}", payload={"courseRoleId": role}).status_code == 201
    found = bb.GetUsers(params={"externalId": "K-", "sort": "name.family(desc)", "limit": 1,
                                "created": "2000-01-01T00:00:00.000Z", "fields": "userName"})  # follows nextPage
    assert found.status_code == 200 and found.json()["results"] == [
        {"userName": "kid0"}, {"userName": "kid2"}, {"userName": "kid1"}]
    bad = bb.GetUsers(params={"createdCompare": "before"})
    assert (bad.status_code, bad.json()["message"]) == (
        400, "createdCompare must be one of greaterOrEqual, lessThan, got 'before'")
    students = bb.GetCourseMemberships(courseId="geo", params={"role": "Student", "sort": "created(desc)",
                                                               "limit": 1, "expand": "user"})
    assert [m["user"]["userName"] for m in students.json()["results"]] == ["kid2", "kid0"]


def test_bbrest_token_of_an_app_without_user_create(world, swagger_offline):
    from bbrest import BbRest

    from courseport.core.identity import oauth_clients
    from courseport.schema import User

    with world.tx() as db:
        client, secret = oauth_clients.register_client(db, db.get(User, world.admin.id), "viewer",
                                                       ["system.user.VIEW"])
        key = client.key
    bb = BbRest(key, secret, world.base_url)
    body = {"userName": "x1", "password": "s3cret-pass", "name": {"given": "X", "family": "Y"}}
    refused = bb.CreateUser(payload=body)
    assert (refused.status_code, refused.json()) == (
        403, {"status": 403, "message": "User is not authorized to perform this operation"})
    assert [u["userName"] for u in bb.GetUsers(params={"userName": "x1"}).json()["results"]] == []
