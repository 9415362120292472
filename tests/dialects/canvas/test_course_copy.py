"""Canvas course copy over raw HTTP: the seed's status shape before and after the job runs,
only[]/except[], source by SIS id, errors naming the parameter, rights."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from courseport.core.copy import copy_tables
from courseport.core.kit.errors import InvalidInput
from courseport.schema import ContentItem, Job
from tests.core.test_copying import build_source


@pytest.fixture
def setup(world):
    source = world.course("Source", sis_course_id="SRC-1")
    target = world.course("Target")
    teacher, token = world.user_with_token("teacher")
    world.enroll(teacher, source, "TeacherEnrollment")
    world.enroll(teacher, target, "TeacherEnrollment")
    return source, target, token, build_source(world, source)


def _types(world, course_id: int) -> dict[str, int]:
    with world.tx() as db:
        return dict(db.execute(select(ContentItem.type, func.count()).where(
            ContentItem.course_id == course_id, ContentItem.workflow_state != "deleted")
            .group_by(ContentItem.type)).all())


def _jobs(world) -> int:
    with world.tx() as db:
        return db.scalar(select(func.count()).select_from(Job).where(Job.kind == "course_copy"))


def test_copy_status_from_created_to_completed(world, setup):
    source, target, token, _ = setup
    with world.client(token) as c:
        r = c.post(f"/api/v1/courses/{target.id}/course_copy", data={"source_course": str(source.id)})
        assert r.status_code == 200, r.text
        body = r.json()
        copy_id = body["id"]
        assert body == {"id": copy_id, "progress": None, "workflow_state": "created",
                        "created_at": body["created_at"],
                        "status_url": f"/api/v1/courses/{target.id}/course_copy/{copy_id}"}
        assert c.get(body["status_url"]).json() == body
        assert _types(world, target.id) == {}
        assert world.run_jobs() == 1
        done = c.get(f"/api/v1/courses/{target.id}/course_copy/{copy_id}")
    assert done.status_code == 200
    assert done.json() == {**body, "progress": 100, "workflow_state": "completed"}
    assert _types(world, target.id) == _types(world, source.id)


def test_only_and_except_with_a_sis_source(world, setup):
    source, target, token, _ = setup
    with world.client(token) as c:
        r = c.post(f"/api/v1/courses/{target.id}/course_copy",
                   data={"source_course": "sis_course_id:SRC-1", "only[]": ["wiki_pages", "assignments"],
                         "except[]": ["assignments"]})
        assert r.status_code == 200, r.text
    world.run_jobs()
    assert _types(world, target.id) == {"page": 2}


def test_unknown_component_names_its_parameter(world, setup):
    source, target, token, _ = setup
    with world.client(token) as c:
        for name in ("only[]", "except[]"):
            r = c.post(f"/api/v1/courses/{target.id}/course_copy",
                       data={"source_course": str(source.id), name: ["wiki_pages", "gradebook"]})
            assert r.status_code == 400
            assert r.json() == {"errors": [{"field": name, "message": (
                f"{name}: unknown component 'gradebook'; known: course_settings, assignments, external_tools, "
                "files, topics, calendar_events, quizzes, wiki_pages, modules, outcomes")}]}
        missing = c.post(f"/api/v1/courses/{target.id}/course_copy", data={})
        assert missing.status_code == 400
        assert missing.json() == {"errors": [{"field": "source_course", "message": "source_course is required"}]}
        unknown = c.post(f"/api/v1/courses/{target.id}/course_copy", data={"source_course": "999999"})
        assert unknown.status_code == 404
    assert _jobs(world) == 0


def test_rights_on_source_and_target(world, setup):
    source, target, _, _ = setup
    student, student_token = world.user_with_token("student")
    world.enroll(student, target)
    world.enroll(student, source)
    stranger, stranger_token = world.user_with_token("stranger")
    world.enroll(stranger, target, "TeacherEnrollment")
    for token in (student_token, stranger_token):
        with world.client(token) as c:
            r = c.post(f"/api/v1/courses/{target.id}/course_copy", data={"source_course": str(source.id)})
        assert r.status_code == 403
        assert r.json() == {"status": "unauthorized",
                            "errors": [{"message": "user not authorized to perform that action"}]}
    assert _jobs(world) == 0


def test_a_failed_copy_reports_failed_and_leaves_the_target_empty(world, setup, monkeypatch):
    source, target, token, _ = setup

    def broken(db, plan):
        raise InvalidInput("links", "links could not be copied")

    monkeypatch.setattr(copy_tables, "copy_links", broken)
    with world.client(token) as c:
        copy_id = c.post(f"/api/v1/courses/{target.id}/course_copy",
                         data={"source_course": str(source.id)}).json()["id"]
        world.run_jobs()
        r = c.get(f"/api/v1/courses/{target.id}/course_copy/{copy_id}")
    assert (r.json()["workflow_state"], r.json()["progress"]) == ("failed", 0)
    assert _types(world, target.id) == {}


def test_a_copy_into_itself_names_source_course(world, setup):
    source, _, token, _ = setup
    with world.client(token) as c:
        r = c.post(f"/api/v1/courses/{source.id}/course_copy", data={"source_course": str(source.id)})
    assert (r.status_code, r.json()) == (400, {"errors": [{"field": "source_course",
                                                           "message": "a course cannot be copied into itself"}]})
