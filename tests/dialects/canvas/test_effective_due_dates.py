"""GET /api/v1/courses/:id/effective_due_dates over raw HTTP: section and student overrides, rights, input."""

from __future__ import annotations

import pytest

from courseport.schema import Section


def _row(due_at):
    return {"due_at": due_at, "grading_period_id": None, "in_closed_grading_period": False}


@pytest.fixture
def setup(world):
    """Sections A (ann, bob) and B (cat); two assignments; the teacher's token."""
    course = world.course("Due dates")
    teacher, token = world.user_with_token("teacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    with world.tx() as db:
        a, b = Section(course_id=course.id, name="A"), Section(course_id=course.id, name="B")
        db.add_all([a, b])
        db.flush()
        sections = {"A": a.id, "B": b.id}
    students = {}
    for login, section in (("ann", "A"), ("bob", "A"), ("cat", "B")):
        students[login] = world.user(login)
        world.enroll(students[login], course, section_id=sections[section])
    with world.client(token) as c:
        made = [c.post(f"/api/v1/courses/{course.id}/assignments",
                       data={"assignment[name]": name, "assignment[published]": "true",
                             "assignment[due_at]": due}).json()
                for name, due in (("Essay", "2030-01-10T12:00:00Z"), ("Lab", ""))]
    return course, token, sections, {k: u.id for k, u in students.items()}, made


def _override(world, token, course, assignment, **data):
    with world.client(token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/assignments/{assignment['id']}/overrides",
                   data={f"assignment_override[{k}]": v for k, v in data.items()})
    assert r.status_code == 201, r.text
    return r.json()


def test_section_and_student_overrides_exact_body(world, setup):
    course, token, sections, s, (essay, lab) = setup
    _override(world, token, course, essay, course_section_id=str(sections["A"]), due_at="2030-01-12T12:00:00Z")
    _override(world, token, course, essay, **{"student_ids][": [str(s["bob"]), str(s["cat"])]},
              due_at="2030-01-15T12:00:00Z")
    _override(world, token, course, lab, course_section_id=str(sections["B"]), due_at="2030-02-01T00:00:00Z")
    with world.client(token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/effective_due_dates")
    assert r.status_code == 200
    assert r.json() == {
        str(essay["id"]): {str(s["ann"]): _row("2030-01-12T12:00:00Z"),  # section A
                           str(s["bob"]): _row("2030-01-15T12:00:00Z"),  # student override, later than A's
                           str(s["cat"]): _row("2030-01-15T12:00:00Z")},  # student override
        str(lab["id"]): {str(s["ann"]): _row(None), str(s["bob"]): _row(None),
                         str(s["cat"]): _row("2030-02-01T00:00:00Z")},
    }


def test_assignment_ids_and_only_visible_to_overrides(world, setup):
    course, token, sections, s, (essay, lab) = setup
    with world.client(token) as c:
        c.put(f"/api/v1/courses/{course.id}/assignments/{lab['id']}",
              data={"assignment[only_visible_to_overrides]": "true"})
    _override(world, token, course, lab, **{"student_ids][": str(s["ann"])}, due_at="2030-03-01T00:00:00Z")
    with world.client(token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/effective_due_dates",
                  params={"assignment_ids[]": [str(lab["id"]), "999999"]})
        bad = c.get(f"/api/v1/courses/{course.id}/effective_due_dates", params={"assignment_ids[]": "lab"})
    assert r.json() == {str(lab["id"]): {str(s["ann"]): _row("2030-03-01T00:00:00Z")}}
    assert bad.status_code == 400
    assert bad.json() == {"errors": [{"message": "assignment_ids[] must be assignment ids, got lab",
                                      "field": "assignment_ids[]"}]}


@pytest.mark.parametrize(("role", "status"), [("teacher", 200), ("ta", 200), ("designer", 200), ("admin", 200),
                                              ("student", 403), ("observer", 403), ("outsider", 403)])
def test_graders_and_admin_readers_only(world, role, status):
    course = world.course("Rights")
    cast = world.cast(course)
    with world.client(cast[role]) as c:
        r = c.get(f"/api/v1/courses/{course.id}/effective_due_dates")
    assert r.status_code == status
    if status == 200:
        assert r.json() == {}
    else:
        assert r.json() == {"status": "unauthorized",
                            "errors": [{"message": "user not authorized to perform that action"}]}
