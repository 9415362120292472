"""Course lists whose courses' JSON is kept by row version (dialects/canvas/listed_courses.py; PostgreSQL's
xmin, SQLite's row_version of migration 0066): never stale, never one caller's JSON for another, the same bytes
as made afresh."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from courseport.core.kit.paging import Window
from courseport.core.views import course_lists
from courseport.core.views.course_lists import CourseFilters
from courseport.db import transaction
from courseport.dialects.canvas import listed_courses
from courseport.schema import Course, Enrollment


def _listed(world, token: str) -> dict[int, dict]:
    with world.client(token) as c:
        r = c.get("/api/v1/courses", params={"per_page": 100})
    assert r.status_code == 200, r.text
    return {course["id"]: course for course in r.json()}


def test_every_change_of_a_course_or_its_viewer_is_listed_at_once(world):
    course = world.course("Before")
    me, token = world.user_with_token("teacher")
    world.enroll(me, course, "TeacherEnrollment")
    assert _listed(world, token)[course.id]["name"] == "Before"
    with world.client(world.admin_token) as c:  # through the API
        assert c.put(f"/api/v1/courses/{course.id}", data={"course[name]": "After"}).status_code == 200
    assert _listed(world, token)[course.id]["name"] == "After"
    with world.tx() as db:  # by another connection, as a worker or a CLI command would
        db.execute(update(Course).where(Course.id == course.id).values(course_code="CHANGED"))
    assert _listed(world, token)[course.id]["course_code"] == "CHANGED"
    with world.client(token) as c:  # the viewer's nickname: a row of another table
        assert c.put(f"/api/v1/users/self/course_nicknames/{course.id}", data={"nickname": "Mine"}).status_code == 200
    listed = _listed(world, token)[course.id]
    assert (listed["name"], listed["original_name"]) == ("Mine", "After")
    world.enroll(me, course, "TaEnrollment")  # the viewer's enrollments
    assert [e["type"] for e in _listed(world, token)[course.id]["enrollments"]] == ["teacher", "ta"]
    with world.tx() as db:
        db.execute(update(Enrollment).where(Enrollment.user_id == me.id, Enrollment.type == "TaEnrollment")
                   .values(workflow_state="deleted"))
    assert [e["type"] for e in _listed(world, token)[course.id]["enrollments"]] == ["teacher"]
    with world.tx() as db:
        db.execute(update(Course).where(Course.id == course.id).values(workflow_state="deleted"))
    assert course.id not in _listed(world, token)


def test_each_viewer_is_listed_their_own_enrollments_and_sis_ids(world):
    course = world.course("Shared")
    with world.tx() as db:
        db.execute(update(Course).where(Course.id == course.id).values(sis_course_id="SIS-SHARED"))
    teacher, teacher_token = world.user_with_token("teacher")
    student, student_token = world.user_with_token("student")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(student, course, "StudentEnrollment")
    world.enroll(world.admin, course, "DesignerEnrollment")
    for _ in range(2):  # made, then kept
        as_student = _listed(world, student_token)[course.id]
        as_admin = _listed(world, world.admin_token)[course.id]
        as_teacher = _listed(world, teacher_token)[course.id]
        assert [(e["type"], e["user_id"]) for e in as_student["enrollments"]] == [("student", student.id)]
        assert [(e["type"], e["user_id"]) for e in as_teacher["enrollments"]] == [("teacher", teacher.id)]
        assert [(e["type"], e["user_id"]) for e in as_admin["enrollments"]] == [("designer", world.admin.id)]
        assert "sis_course_id" not in as_student
        assert as_admin["sis_course_id"] == "SIS-SHARED" and as_admin["sis_import_id"] is None


def test_a_kept_list_is_the_same_bytes_as_one_made_afresh(world, services, monkeypatch):
    me, token = world.user_with_token("teacher")
    for n in range(3):
        world.enroll(me, world.course(f"Course {n}"), "TeacherEnrollment")
    with world.client(token) as c:
        made = c.get("/api/v1/courses").content
        kept = c.get("/api/v1/courses").content
        monkeypatch.setattr(services, "settings", services.settings.with_changes(json_cache=False))
        unkept = c.get("/api/v1/courses").content
    assert made == kept == unkept
    assert len(_listed(world, token)) == 3


def test_the_kept_json_is_bounded(world, monkeypatch):
    monkeypatch.setattr(listed_courses, "KEPT_LIMIT", 2)
    me, token = world.user_with_token("teacher")
    made = [world.course(f"Course {n}") for n in range(3)]
    for course in made:
        world.enroll(me, course, "TeacherEnrollment")
    for _ in range(2):
        assert [c["name"] for c in _listed(world, token).values()] == ["Course 0", "Course 1", "Course 2"]
    assert len(listed_courses._KEPT) <= 2


def _versioned_views(services, user) -> list:  # noqa: ANN001
    with transaction(services.engine, write=False) as db:
        me = db.get(type(user), user.id)
        page = course_lists.list_course_views(db, me, me, CourseFilters(), Window(0, 10), frozenset(), versioned=True)
        return page.items


def test_a_versioned_page_reads_a_few_columns_and_the_row_version(world, services):
    course = world.course("Versioned")
    world.enroll(world.admin, course, "TeacherEnrollment")
    [view] = _versioned_views(services, world.admin)
    assert view.course.row_version and not hasattr(view.course, "name")
    with transaction(services.engine, write=False) as db:
        rows = course_lists.course_rows(db, [course.id, course.id + 1000], ("name",))
    assert list(rows) == [course.id]  # a course that is not there is left out
    assert rows[course.id].name == "Versioned" and rows[course.id].row_version == view.course.row_version
    assert rows[course.id].workflow_state == "available"  # VIEW_FIELDS too


@pytest.mark.parametrize("count", [1, 3, 8, 9])
def test_whole_rows_by_id_take_any_number(world, services, count):
    made = [world.course(f"Course {n}") for n in range(count)]
    with transaction(services.engine, write=False) as db:
        rows = course_lists.course_rows(db, [c.id for c in made], ())
    assert sorted(rows) == sorted(c.id for c in made)


def test_a_single_course_get_answers_the_listed_json_and_follows_every_change(world, services, monkeypatch):
    course = world.course("Single")
    me, token = world.user_with_token("teacher")
    world.enroll(me, course, "TeacherEnrollment")
    with world.client(token) as c:
        made = c.get(f"/api/v1/courses/{course.id}")
        kept = c.get(f"/api/v1/courses/{course.id}")
        by_account = c.get(f"/api/v1/accounts/1/courses/{course.id}")
        monkeypatch.setattr(services, "settings", services.settings.with_changes(json_cache=False))
        unkept = c.get(f"/api/v1/courses/{course.id}")
        monkeypatch.undo()
        assert made.status_code == kept.status_code == unkept.status_code == by_account.status_code == 200
        assert made.content == kept.content == by_account.content and made.json() == unkept.json()
        assert made.headers["content-type"] == unkept.headers["content-type"] == "application/json"
        assert made.json() == _listed(world, token)[course.id]
        with world.tx() as db:  # by another connection
            db.execute(update(Course).where(Course.id == course.id).values(course_code="CHANGED"))
        assert c.get(f"/api/v1/courses/{course.id}").json()["course_code"] == "CHANGED"
        with world.tx() as db:
            db.execute(update(Course).where(Course.id == course.id).values(workflow_state="deleted"))
        gone = c.get(f"/api/v1/courses/{course.id}")
        assert gone.status_code == 404 and gone.json()["errors"]
        assert c.get(f"/api/v1/courses/{course.id + 1000}").status_code == 404
        assert c.get(f"/api/v1/courses/{course.id}", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_a_single_course_get_is_each_viewers_own(world):
    course = world.course("Shared")
    with world.tx() as db:
        db.execute(update(Course).where(Course.id == course.id).values(sis_course_id="SIS-ONE"))
    student, student_token = world.user_with_token("student")
    world.enroll(student, course, "StudentEnrollment")
    world.enroll(world.admin, course, "TeacherEnrollment")
    for _ in range(2):  # made, then kept
        with world.client(student_token) as c:
            as_student = c.get(f"/api/v1/courses/{course.id}").json()
        with world.client(world.admin_token) as c:
            as_admin = c.get(f"/api/v1/courses/{course.id}").json()
        assert [(e["type"], e["user_id"]) for e in as_student["enrollments"]] == [("student", student.id)]
        assert [(e["type"], e["user_id"]) for e in as_admin["enrollments"]] == [("teacher", world.admin.id)]
        assert "sis_course_id" not in as_student and as_admin["sis_course_id"] == "SIS-ONE"


def test_kept_json_is_dropped_before_a_version_id_could_come_round_again(world, monkeypatch):
    me, token = world.user_with_token("teacher")
    world.enroll(me, world.course("Kept"), "TeacherEnrollment")
    _listed(world, token)
    monkeypatch.setattr(listed_courses, "_kept_since", listed_courses._kept_since - listed_courses.KEPT_SECONDS - 1)
    assert [c["name"] for c in _listed(world, token).values()] == ["Kept"]
    assert len(listed_courses._KEPT) <= 1  # all dropped, then this list's one course made again
    assert listed_courses._kept_since > listed_courses.time.monotonic() - 60
