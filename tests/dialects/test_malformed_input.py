"""Hostile input on every face over HTTP: deep nesting, integers past 64 bits, lone surrogates, NUL
characters and over-long names each answer 400 in the face's own error body naming the field, and
nothing is stored (NUL matters on PostgreSQL, which cannot store it; the rest failed on both)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from courseport.schema import Course
from tests import package_builders as pb
from tests.scorm_app import ScormApp

HUGE = 2**64
BIG = 2**40  # within 64 bits, past the 32 bits of PostgreSQL's integer columns (ids included)
DEEP = "[" * 5000 + "]" * 5000


@dataclass
class Face:
    http: httpx.Client
    method: str
    path: str
    body: Callable[[Any], dict]  # a valid body with `value` as the name field
    name_field: str  # the name field as the face's errors spell it
    int_body: dict  # a body with an integer past 64 bits, and the field it is in
    int_field: str
    name_limit: int
    error_text: Callable[[httpx.Response], str]  # the face's error message (holding the field name)

    def send(self, content: str) -> httpx.Response:
        return self.http.request(self.method, self.path, content=content.encode("utf-8"),
                                 headers={"Content-Type": "application/json"})


def _canvas(world) -> Face:
    return Face(world.client(world.admin_token), "POST", "/api/v1/accounts/1/courses",
                lambda v: {"course": {"name": v}}, "course[name]",
                {"course": {"name": "ok", "storage_quota_mb": HUGE}}, "course[storage_quota_mb]", 255,
                lambda r: r.json()["errors"][0]["field"] + " " + r.json()["errors"][0]["message"])


def _learn(world) -> Face:
    return Face(world.client(world.blackboard_token()), "POST", "/learn/api/public/v3/courses",
                lambda v: {"courseId": "c1", "name": v}, "name",
                {"courseId": "c1", "name": "ok", "availability": {"duration": {
                    "type": "FixedNumDays", "daysOfUse": HUGE}}}, "availability.duration.daysOfUse", 255,
                lambda r: (r.json()["status"] == 400 and r.json()["message"]))


def _scorm(world) -> Face:
    scorm = ScormApp(world)
    scorm.imported(pb.scorm12(), "golf")
    return Face(scorm.http, "PUT", "/courses/golf/title", lambda v: {"title": v}, "title",
                {"title": HUGE}, "title", 255, lambda r: r.json()["message"])


def _d2l(world) -> Face:
    http = world.client(world.admin_token)
    template = http.post("/d2l/api/lp/1.4/coursetemplates/", json={"Name": "T", "Code": "T"}).json()["Identifier"]
    return Face(http, "POST", "/d2l/api/lp/1.4/courses/",
                lambda v: {"Name": v, "Code": "C", "CourseTemplateId": int(template)}, "Name",
                {"Name": "ok", "Code": "C", "CourseTemplateId": HUGE}, "CourseTemplateId", 128,
                lambda r: (r.json()["status"] == 400 and r.json()["detail"]))


FACES = {"canvas": _canvas, "learn": _learn, "scorm": _scorm, "d2l": _d2l}


def stored(world) -> list[tuple]:
    with world.tx() as db:
        return db.execute(select(Course.id, Course.name, Course.course_code).order_by(Course.id)).all()


def refused(world, face: Face, content: str, field: str) -> None:
    before = stored(world)
    answer = face.send(content)
    assert answer.status_code == 400, answer.text[:300]
    assert field in face.error_text(answer), answer.text[:300]
    assert stored(world) == before


@pytest.fixture(params=list(FACES))
def face(request, world) -> Face:
    return FACES[request.param](world)


def test_json_nested_5000_deep(world, face):
    body = json.dumps(face.body("ok"))
    refused(world, face, body[:-1] + ', "deep": ' + DEEP + "}", "body")


def test_json_nested_past_the_limit_names_the_field(world, face):
    body = json.dumps(face.body("ok"))
    refused(world, face, body[:-1] + ', "deep": ' + "[" * 40 + "]" * 40 + "}", "deep[0]")


@pytest.mark.parametrize("number", [HUGE, BIG])
def test_integer_out_of_range_in_a_field(world, face, number):
    refused(world, face, json.dumps(face.int_body).replace(str(HUGE), str(number)), face.int_field)


def test_lone_surrogate(world, face):
    refused(world, face, json.dumps(face.body("a\ud800b")), face.name_field)  # ensure_ascii: sent as \ud800


def test_nul_character(world, face):
    refused(world, face, json.dumps(face.body("a\u0000b")), face.name_field)


def test_name_longer_than_the_vendor_allows(world, face):
    refused(world, face, json.dumps(face.body("x" * (face.name_limit + 1))), face.name_field)
    before = stored(world)
    answer = face.send(json.dumps(face.body("y" * face.name_limit)))
    assert answer.status_code in (200, 201, 204), answer.text[:300]
    assert stored(world) != before


def test_nine_megabyte_course_name_is_not_stored(world):
    face = _canvas(world)
    refused(world, face, json.dumps(face.body("x" * 9_000_000)), "course[name]")


@pytest.mark.parametrize("number", [HUGE, BIG])
@pytest.mark.parametrize("path, field", [
    ("/api/v1/files/{}", "file_id"),
    ("/api/v1/folders/{}", "folder_id"),
    ("/api/v1/progress/{}", "progress_id"),
    ("/api/v2/courses/golf/versions/{}", "version"),
    ("/d2l/api/lp/1.4/courses/{}", "course offering"),
])
def test_integer_out_of_range_in_a_path(world, path, field, number):
    path = path.format(number)
    scorm = ScormApp(world)
    http = scorm.http if path.startswith("/api/v2") else world.client(world.admin_token)
    answer = http.get(path.removeprefix("/api/v2") if path.startswith("/api/v2") else path)
    assert answer.status_code == 400, answer.text
    assert field in answer.text


@pytest.mark.parametrize("path", [f"/api/v1/courses/{HUGE}", f"/learn/api/public/v3/courses/_{HUGE}_1",
                                  f"/api/v1/courses/{BIG}", f"/learn/api/public/v3/courses/_{BIG}_1",
                                  "/api/v1/courses/%C2%B3/users"])
def test_course_id_forms_no_course_can_have_name_nothing(world, path):
    """String id forms (Canvas course refs, Learn `_N_1`) past the id range, or of digits int() refuses
    ("³"), are ids no course has."""
    token = world.blackboard_token() if path.startswith("/learn") else world.admin_token
    assert world.client(token).get(path).status_code == 404


@pytest.mark.parametrize("query", ["page=99999999999999999999", "page=4611686018427387904", "search_term=a%00b"])
def test_query_parameters(world, query):
    answer = world.client(world.admin_token).get(f"/api/v1/courses?{query}")
    assert answer.status_code == 400, answer.text
    assert answer.json()["errors"][0]["field"] in ("page", "search_term")


@pytest.mark.parametrize("content, field", [
    ("course[name]=a%00b", "course[name]"),
    ("course" + "[a]" * 5000 + "=1", "course[a][a]"),
])
def test_form_bodies(world, content, field):
    before = stored(world)
    answer = world.client(world.admin_token).post(
        "/api/v1/accounts/1/courses", content=content,
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 400, answer.text[:300]
    assert answer.json()["errors"][0]["field"].startswith(field)
    assert stored(world) == before
