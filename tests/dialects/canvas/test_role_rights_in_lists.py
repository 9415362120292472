"""Custom roles' permission overrides in the checks over many courses (grading to-dos, needs_grading_count
and SIS ids on the course list), over raw HTTP: they agree with the course's own permissions."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from courseport.core.identity.permissions import holds_right
from courseport.db import is_sqlite
from courseport.schema import Course, Enrollment

GRADES_OFF = {"manage_grades": "0"}


def _role(world, label: str, base: str, permissions: dict[str, str]) -> int:
    form = {"label": label, "base_role_type": base}
    for name, enabled in permissions.items():
        form |= {f"permissions[{name}][explicit]": "1", f"permissions[{name}][enabled]": enabled}
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/roles", data=form)
    assert r.status_code == 200, r.text
    return r.json()["id"]


def _enroll(world, course, login: str, role_id: int) -> tuple[int, str]:
    user, token = world.user_with_token(login)
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/enrollments", data={
            "enrollment[user_id]": user.id, "enrollment[role_id]": role_id, "enrollment[enrollment_state]": "active"})
    assert r.status_code == 200, r.text
    with world.tx() as db:
        assert db.execute(select(Enrollment.type, Enrollment.role_id, Enrollment.workflow_state).where(
            Enrollment.user_id == user.id)).all() == [(r.json()["type"], role_id, "active")]
    return user.id, token


def _graded_class(world):
    """A course with one submission waiting for a grade, and its built-in teacher's token."""
    course = world.course("Grading")
    teacher, teacher_token = world.user_with_token(f"teacher{course.id}")
    world.enroll(teacher, course, "TeacherEnrollment")
    student, student_token = world.user_with_token(f"student{course.id}")
    world.enroll(student, course, "StudentEnrollment")
    essay = world.assignment(course, "Essay")
    with world.client(student_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/assignments/{essay.id}/submissions",
                   data={"submission[submission_type]": "online_text_entry", "submission[body]": "work"})
    assert r.status_code == 201, r.text
    return course, essay, teacher_token


def _grading_seen(world, token: str, course) -> tuple[list, object, bool]:
    """(grading to-dos as (assignment id, count), the listed course's needs_grading_count or "absent",
    the course's own manage_grades permission)."""
    with world.client(token) as c:
        todo = c.get("/api/v1/users/self/todo")
        listed = c.get("/api/v1/courses", params={"include[]": "needs_grading_count"})
        rights = c.get(f"/api/v1/courses/{course.id}/permissions", params={"permissions[]": "manage_grades"})
    assert todo.status_code == listed.status_code == rights.status_code == 200
    grading = [(t["assignment"]["id"], t["needs_grading_count"]) for t in todo.json() if t["type"] == "grading"]
    [entry] = [x for x in listed.json() if x["id"] == course.id]
    return grading, entry.get("needs_grading_count", "absent"), rights.json()["manage_grades"]


@pytest.mark.parametrize("permission", ["manage_grades", "select_final_grade"])  # a right, or a name for it
def test_a_teacher_role_without_grading_gets_no_grading_todo_or_count(world, permission):
    course, essay, teacher_token = _graded_class(world)
    role_id = _role(world, "No-grades Teacher", "TeacherEnrollment", {permission: "0"})
    _, token = _enroll(world, course, "nograder", role_id)
    assert _grading_seen(world, token, course) == ([], "absent", False)
    assert _grading_seen(world, teacher_token, course) == ([(essay.id, 1)], 1, True)  # built-in: unchanged


def test_a_student_role_granted_grading_gets_the_todo_and_count(world):
    course, essay, _ = _graded_class(world)
    role_id = _role(world, "Grading Student", "StudentEnrollment", {"manage_grades": "1"})
    _, token = _enroll(world, course, "studentgrader", role_id)
    assert _grading_seen(world, token, course) == ([(essay.id, 1)], 1, True)


def test_a_role_both_enabling_and_disabling_a_right_is_denied_it(world):
    course, _, _ = _graded_class(world)
    role_id = _role(world, "Torn Student", "StudentEnrollment", {"manage_grades": "1", "manage_user_notes": "0"})
    _, token = _enroll(world, course, "torn", role_id)
    assert _grading_seen(world, token, course) == ([], "absent", False)


def test_a_student_role_grants_nothing_in_an_unpublished_course(world):
    course = world.course("Draft", offer=False)
    role_id = _role(world, "Grading Student", "StudentEnrollment", {"manage_grades": "1", "read_sis": "1"})
    _, token = _enroll(world, course, "early", role_id)
    with world.client(token) as c:
        todo = c.get("/api/v1/users/self/todo")
        listed = c.get("/api/v1/courses", params={"include[]": "needs_grading_count"})
    assert (todo.status_code, todo.json(), listed.status_code, listed.json()) == (200, [], 200, [])


def _sis_ids_listed(world, token: str, course) -> dict:
    with world.client(token) as c:
        listed = c.get("/api/v1/courses")
        single = c.get(f"/api/v1/courses/{course.id}")
        rights = c.get(f"/api/v1/courses/{course.id}/permissions", params={"permissions[]": "read_sis"})
    assert listed.status_code == single.status_code == rights.status_code == 200
    [entry] = [x for x in listed.json() if x["id"] == course.id]
    shown = {k: entry.get(k, "absent") for k in ("sis_course_id", "integration_id")}
    assert shown == {k: single.json().get(k, "absent") for k in shown}  # the list agrees with the course GET
    return shown | {"read_sis": rights.json()["read_sis"]}


def test_sis_ids_on_the_course_list_follow_a_custom_roles_read_sis(world):
    course = world.course("SIS course", sis_course_id="SIS-42", integration_id="INT-42")
    shown = {"sis_course_id": "SIS-42", "integration_id": "INT-42", "read_sis": True}
    hidden = {"sis_course_id": "absent", "integration_id": "absent", "read_sis": False}
    teacher, teacher_token = world.user_with_token("builtinteacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    student, student_token = world.user_with_token("builtinstudent")
    world.enroll(student, course, "StudentEnrollment")
    _, blind_token = _enroll(world, course, "blindteacher",
                             _role(world, "SIS-blind Teacher", "TeacherEnrollment", {"read_sis": "0"}))
    _, reader_token = _enroll(world, course, "sisstudent",
                              _role(world, "SIS Student", "StudentEnrollment", {"read_sis": "1"}))
    assert _sis_ids_listed(world, teacher_token, course) == shown
    assert _sis_ids_listed(world, student_token, course) == hidden
    assert _sis_ids_listed(world, blind_token, course) == hidden
    assert _sis_ids_listed(world, reader_token, course) == shown


def _role_override_reads(world, token: str, path: str) -> int:
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        statements.append(statement)

    event.listen(world.engine, "before_cursor_execute", count)
    try:
        with world.client(token) as c:
            assert c.get(path).status_code == 200
    finally:
        event.remove(world.engine, "before_cursor_execute", count)
    return len([s for s in statements if "role_overrides" in s])


def test_role_overrides_are_read_only_for_a_custom_role_and_once(world):
    """The read path's cost: a built-in role's list and course GET never read role_overrides; a custom
    role's list reads them once (SIS ids), its course GET once (the course's rights decide the SIS ids too)."""
    if not is_sqlite(world.engine):
        pytest.skip("counted through the engine's events; PostgreSQL's server reads run on the loop's own cursor")
    course = world.course("Counted")
    teacher, teacher_token = world.user_with_token("countedteacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    _, custom_token = _enroll(world, course, "countedcustom",
                              _role(world, "Quiet Teacher", "TeacherEnrollment", {"read_sis": "0"}))
    for path in ("/api/v1/courses", f"/api/v1/courses/{course.id}"):
        assert (_role_override_reads(world, teacher_token, path), _role_override_reads(world, custom_token, path)) \
            == (0, 1), path


@pytest.mark.parametrize("right", ["read_sis", "manage_grades", "read"])
def test_the_bulk_condition_searches_role_overrides_by_index(world, right):
    if not is_sqlite(world.engine):
        pytest.skip("SQLite's plan is asserted; PostgreSQL's depends on its statistics")
    stmt = select(Enrollment.course_id).join(Course, Course.id == Enrollment.course_id).where(
        Enrollment.user_id == 1, Enrollment.course_id.in_([1, 2]), holds_right(right, Course.workflow_state))
    sql = str(stmt.compile(world.engine, compile_kwargs={"literal_binds": True}))
    with world.engine.connect() as connection:
        steps = [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    assert not [s for s in steps if s.startswith("SCAN") or "CORRELATED" in s], steps
    assert sum("role_overrides USING COVERING INDEX ix_role_overrides_permission" in s for s in steps) == 2, steps
