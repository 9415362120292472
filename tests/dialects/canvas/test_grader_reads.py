"""Gradeable students of an assignment and a section's students' submissions, over canvasapi and raw HTTP."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import Forbidden

from courseport.core.identity import users
from courseport.schema import AssignmentOverride, OverrideStudent, Submission
from courseport.schema.base import utcnow
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def display(world, user, course_id: int) -> dict:
    return {"id": user.id, "display_name": user.short_name,
            "avatar_image_url": f"{world.base_url}/images/messages/avatar-50.png",
            "html_url": f"{world.base_url}/courses/{course_id}/users/{user.id}", "pronouns": None}


@pytest.fixture
def classroom(world):
    course = world.course("Grading 101")
    cast = world.cast(course)
    with world.client(world.admin_token) as c:
        section = c.post(f"/api/v1/courses/{course.id}/sections",
                         data={"course_section[name]": "B", "course_section[sis_section_id]": "SEC-B"}).json()
    zed = world.user("zed", "Zed Zulu")
    amy = world.user("amy", "Amy Alpha")
    gone = world.user("gone", "Gone Student")
    world.enroll(zed, course)
    world.enroll(amy, course, section_id=section["id"])
    world.enroll(gone, course, state="deleted")
    assignment = world.assignment(course, "Essay")
    with world.tx() as db:  # the cast's own student, in the default section with zed
        pupil = users.find_by_login(db, f"student{course.id}")
        db.expunge(pupil)
    return course, cast, section, zed, amy, assignment, pupil


def test_graders_list_gradeable_students_in_name_order(world, classroom):
    course, cast, _, zed, amy, assignment, pupil = classroom
    students = world.canvas(cast["teacher"]).get_course(course.id).get_assignment(assignment.id)
    assert [s.id for s in students.get_gradeable_students()] == [amy.id, pupil.id, zed.id]
    with world.client(cast["ta"]) as c:
        first = c.get(f"/api/v1/courses/{course.id}/assignments/{assignment.id}/gradeable_students",
                      params={"per_page": 1})
        rest = c.get(first.links["next"]["url"])
    assert first.status_code == 200
    assert first.json() == [display(world, amy, course.id)]
    assert rest.json() == [display(world, pupil, course.id)] and "next" in rest.links


def test_only_students_an_override_assigns_when_only_visible_to_overrides(world, classroom):
    course, cast, _, zed, amy, _, _ = classroom
    only = world.assignment(course, "Just Zed", data={"only_visible_to_overrides": True})
    with world.tx() as db:
        override = AssignmentOverride(item_id=only.id, title="Zed", workflow_state="active")
        db.add(override)
        db.flush()
        db.add(OverrideStudent(override_id=override.id, user_id=zed.id))
    with world.client(cast["teacher"]) as c:
        got = c.get(f"/api/v1/courses/{course.id}/assignments/{only.id}/gradeable_students")
    assert got.json() == [display(world, zed, course.id)]


def test_gradeable_students_refusals(world, classroom):
    course, cast, _, _, _, assignment, _ = classroom
    url = f"/api/v1/courses/{course.id}/assignments/{assignment.id}/gradeable_students"
    for who in ("student", "observer", "designer", "outsider"):
        with world.client(cast[who]) as c:
            refused = c.get(url)
        assert (refused.status_code, refused.json()) == (403, FORBIDDEN), who
    with world.client(cast["teacher"]) as c:
        unknown = c.get(f"/api/v1/courses/{course.id}/assignments/999999/gradeable_students")
        other_course = c.get(f"/api/v1/courses/999999/assignments/{assignment.id}/gradeable_students")
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    assert (other_course.status_code, other_course.json()) == (404, NOT_FOUND)
    with pytest.raises(Forbidden):
        list(world.canvas(cast["student"]).get_course(course.id).get_assignment(assignment.id)
             .get_gradeable_students())


def test_section_submissions_are_the_course_listing_of_its_students(world, classroom):
    course, cast, section, zed, amy, assignment, pupil = classroom
    with world.tx() as db:
        db.add(Submission(item_id=assignment.id, course_id=course.id, user_id=amy.id, workflow_state="submitted",
                          submission_type="online_text_entry", body="mine", submitted_at=utcnow()))
    params = {"student_ids[]": "all", "include[]": "user"}
    with world.client(cast["teacher"]) as c:
        whole = c.get(f"/api/v1/courses/{course.id}/students/submissions", params=params).json()
        by_id = c.get(f"/api/v1/sections/{section['id']}/students/submissions", params=params)
        by_sis = c.get("/api/v1/sections/sis_section_id:SEC-B/students/submissions", params=params)
        grouped = c.get(f"/api/v1/sections/{section['id']}/students/submissions",
                        params={**params, "grouped": "true"})
        submitted = c.get(f"/api/v1/sections/{section['id']}/students/submissions",
                          params={"student_ids[]": "all", "workflow_state": "unsubmitted"})
    assert {s["user_id"] for s in whole} == {zed.id, amy.id, pupil.id}
    assert by_id.status_code == 200 and by_id.json() == [s for s in whole if s["user_id"] == amy.id]
    assert by_sis.json() == by_id.json()
    assert [g["user_id"] for g in grouped.json()] == [amy.id]
    assert submitted.json() == []
    section_obj = world.canvas(cast["teacher"]).get_section(section["id"])
    assert [s.user_id for s in section_obj.get_multiple_submissions(student_ids="all")] == [amy.id]


def test_section_submissions_refusals(world, classroom):
    course, cast, section, zed, _, _, _ = classroom
    url = f"/api/v1/sections/{section['id']}/students/submissions"
    with world.client(cast["student"]) as c:  # a student of another section: their own, none here
        own = c.get(url)
        others = c.get(url, params={"student_ids[]": str(zed.id)})
    assert (own.status_code, own.json()) == (200, [])
    assert (others.status_code, others.json()) == (403, FORBIDDEN)
    with world.client(cast["outsider"]) as c:
        outsider = c.get(url, params={"student_ids[]": "all"})
    assert (outsider.status_code, outsider.json()) == (403, FORBIDDEN)
    with world.client(cast["teacher"]) as c:
        unknown = c.get("/api/v1/sections/999999/students/submissions")
        unknown_sis = c.get("/api/v1/sections/sis_section_id:NOPE/students/submissions")
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    assert (unknown_sis.status_code, unknown_sis.json()) == (404, NOT_FOUND)
