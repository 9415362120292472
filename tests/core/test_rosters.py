"""Rosters in core: filters and sorts in SQL, the page jump, the test student, share candidates, lookups."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Window
from courseport.core.views import rosters
from courseport.core.views.rosters import RosterQuery
from courseport.schema import Enrollment, User

_FIRST_50 = Window(0, 50)  # the default page of _roster; frozen, so one shared instance is safe


def _roster(world, viewer, course, window=_FIRST_50, **query):
    with world.tx() as db:
        page = rosters.list_roster(db, db.get(User, viewer.id), course.id, RosterQuery(**query), window)
    return page


def _ids(page) -> list[int]:
    return [e.user.id for e in page.slice.items]


@pytest.fixture
def cls(world):
    course = world.course("Core roster")
    teacher = world.user("teach", "Tina Teach")
    world.enroll(teacher, course, "TeacherEnrollment")
    students = [world.user(f"s{i}", f"Student {chr(65 + i)}") for i in range(5)]
    for s in students:
        world.enroll(s, course)
    return course, teacher, students


def test_default_roster_is_current_members_by_sortable_name(world, cls):
    course, teacher, students = cls
    dropped = world.user("drop", "Dora Dropped")
    world.enroll(dropped, course, state="inactive")
    page = _roster(world, teacher, course)
    assert _ids(page) == [s.id for s in students] + [teacher.id]
    assert all(e.confirmed and e.enrollments is None for e in page.slice.items)
    assert _ids(_roster(world, teacher, course, enrollment_states=("inactive",))) == [dropped.id]


def test_window_and_has_more(world, cls):
    course, teacher, students = cls
    page = _roster(world, teacher, course, Window(2, 2), enrollment_types=("student",))
    assert (_ids(page), page.slice.has_more) == ([s.id for s in students[2:4]], True)
    last = _roster(world, teacher, course, Window(4, 2), enrollment_types=("student",))
    assert (_ids(last), last.slice.has_more) == ([students[4].id], False)


def test_page_jump_moves_the_window_to_the_user(world, cls):
    course, teacher, students = cls
    page = _roster(world, teacher, course, Window(0, 2), page_of_user_id=students[4].id)
    assert page.window == Window(4, 2)
    assert _ids(page) == [students[4].id, teacher.id]
    stays = _roster(world, teacher, course, Window(2, 2), page_of_user_id=424242)
    assert stays.window == Window(2, 2)


def test_enrollments_loaded_with_role_names_and_sections(world, cls):
    course, teacher, students = cls
    page = _roster(world, teacher, course, with_enrollments=True, user_ids=(teacher.id,))
    [entry] = page.slice.items
    [view] = entry.enrollments
    assert (view.enrollment.type, view.role_name, view.section.default_section) == (
        "TeacherEnrollment", "TeacherEnrollment", True)


@pytest.mark.parametrize(("query", "field"), [
    ({"sort": "age"}, "sort"), ({"enrollment_types": ("guest",)}, "enrollment_type[]"),
    ({"enrollment_states": ("deleted",)}, "enrollment_state[]"), ({"search_term": " x "}, "search_term"),
])
def test_bad_queries_name_their_field(world, cls, query, field):
    course, teacher, _ = cls
    with pytest.raises(InvalidInput) as err:
        _roster(world, teacher, course, **query)
    assert err.value.field == field


def test_field_access_follows_rights(world, cls):
    course, teacher, students = cls
    staff = _roster(world, teacher, course).access
    assert (staff.sis_ids, staff.login_ids, staff.emails, staff.graders_view, staff.activity) == (
        True, True, True, True, True)
    assert not staff.sis_import_ids
    student = _roster(world, students[0], course).access
    assert not (student.sis_ids or student.login_ids or student.emails or student.graders_view or student.activity)
    admin = _roster(world, world.admin, course).access
    assert admin.sis_import_ids and admin.unlocks_sis


def test_outsider_and_unknown_course(world, cls):
    course, _, _ = cls
    outsider = world.user("out", "Otto Outsider")
    with pytest.raises(NotAllowed):
        _roster(world, outsider, course)
    with world.tx() as db, pytest.raises(NotFound):
        rosters.list_roster(db, db.get(User, world.admin.id), 999999, RosterQuery(), Window())


def test_test_student_is_created_once(world, cls):
    course, teacher, students = cls
    with world.tx() as db:
        first = rosters.ensure_test_student(db, db.get(User, teacher.id), course.id).slice.items[0].user.id
    with world.tx() as db:
        second = rosters.ensure_test_student(db, db.get(User, teacher.id), course.id).slice.items[0].user.id
        count = db.scalar(select(func.count()).select_from(Enrollment).where(
            Enrollment.course_id == course.id, Enrollment.type == "StudentViewEnrollment"))
    assert first == second and count == 1
    with world.tx() as db, pytest.raises(NotAllowed):
        rosters.ensure_test_student(db, db.get(User, students[0].id), course.id)


def test_recent_students_needs_read_reports(world, cls):
    course, teacher, students = cls
    with world.tx() as db:
        page = rosters.recent_students(db, db.get(User, teacher.id), course.id, Window(0, 10))
        assert _ids(page) == [s.id for s in students]  # nobody logged in yet: id order
        with pytest.raises(NotAllowed):
            rosters.recent_students(db, db.get(User, students[0].id), course.id, Window(0, 10))


def test_content_share_users_needs_a_term_then_manage_content(world, cls):
    course, teacher, students = cls
    with world.tx() as db:
        with pytest.raises(InvalidInput) as err:
            rosters.content_share_users(db, db.get(User, students[0].id), course.id, None, Window())
        assert err.value.field == "search_term"
        with pytest.raises(NotAllowed):
            rosters.content_share_users(db, db.get(User, students[0].id), course.id, "tina", Window())
        page = rosters.content_share_users(db, db.get(User, teacher.id), course.id, "100%", Window())
        assert _ids(page) == []
        page = rosters.content_share_users(db, db.get(User, teacher.id), course.id, "TINA", Window())
        assert _ids(page) == [teacher.id]


def test_readable_user(world, cls):
    course, teacher, students = cls
    with world.tx() as db:
        me = db.get(User, teacher.id)
        assert rosters.readable_user(db, me, "self") == rosters.UserProfile(me, True, False)
        with pytest.raises(NotAllowed):
            rosters.readable_user(db, me, str(students[0].id))
        admin = db.get(User, world.admin.id)
        profile = rosters.readable_user(db, admin, "sis_login_id:s0")
        assert (profile.user.id, profile.is_self, profile.is_admin) == (students[0].id, False, True)
        with pytest.raises(NotFound):
            rosters.readable_user(db, admin, "sis_login_id:nobody")
