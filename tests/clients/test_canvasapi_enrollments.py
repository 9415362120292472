"""canvasapi 3.6.0, unmodified, against the live server: the Enrollments API."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden

from courseport.schema import Enrollment, Submission
from courseport.schema.base import utcnow


def _people(world):
    return {role: world.user(f"{role}1", name=f"{role.title()} Person") for role in
            ("teacher", "ta", "student", "invitee", "parent")}


def test_enroll_every_role_and_list_with_filters(world):
    canvas = world.canvas()
    course = canvas.get_course(world.course("Biology", sis_course_id="BIO").id)
    section = course.create_course_section(course_section={"name": "Lab", "sis_section_id": "BIO-LAB"})
    p = _people(world)
    teacher = course.enroll_user(p["teacher"].id, "TeacherEnrollment", enrollment={"enrollment_state": "active"})
    ta = course.enroll_user(p["ta"].id, "TaEnrollment", enrollment={
        "enrollment_state": "active", "course_section_id": section.id, "limit_privileges_to_course_section": True})
    student = section.enroll_user(p["student"].id, enrollment={"type": "StudentEnrollment",
                                                               "enrollment_state": "active"})
    invited = section.enroll_user(p["invitee"].id, enrollment={"type": "StudentEnrollment", "notify": True})
    observer = course.enroll_user(p["parent"].id, "ObserverEnrollment", enrollment={
        "associated_user_id": p["student"].id, "enrollment_state": "active"})
    assert (teacher.type, teacher.role, teacher.role_id, teacher.enrollment_state) == (
        "TeacherEnrollment", "TeacherEnrollment", 4, "active")
    assert (ta.course_section_id, ta.limit_privileges_to_course_section) == (section.id, True)
    assert (student.course_section_id, student.enrollment_state) == (section.id, "active")
    assert invited.enrollment_state == "invited"
    assert (observer.associated_user_id, observer.role_id) == (p["student"].id, 7)
    assert student.user["name"] == "Student Person"
    listed = course.get_enrollments()
    assert {e.id for e in listed} == {teacher.id, ta.id, student.id, invited.id, observer.id}
    assert [e.id for e in course.get_enrollments(type=["StudentEnrollment"])] == [invited.id, student.id]
    assert [e.id for e in course.get_enrollments(role=["TaEnrollment"])] == [ta.id]
    assert [e.id for e in course.get_enrollments(state=["invited"])] == [invited.id]
    assert [e.id for e in course.get_enrollments(user_id=p["parent"].id)] == [observer.id]
    assert {e.id for e in section.get_enrollments()} == {ta.id, student.id, invited.id}
    assert [e.id for e in canvas.get_user(p["student"].id).get_enrollments()] == [student.id]
    assert [e.id for e in canvas.get_section("BIO-LAB", use_sis_id=True).get_enrollments(
        type=["TaEnrollment"])] == [ta.id]
    assert canvas.get_account(1).get_enrollment(student.id).user_id == p["student"].id


def test_conclude_deactivate_delete_and_reactivate(world):
    canvas = world.canvas()
    course = canvas.get_course(world.course("Chemistry").id)
    users = [world.user(f"chem{i}") for i in range(3)]
    enrolled = [course.enroll_user(u.id, "StudentEnrollment", enrollment={"enrollment_state": "active"})
                for u in users]
    concluded = enrolled[0].deactivate("conclude")
    inactive = enrolled[1].deactivate("deactivate")
    deleted = enrolled[2].deactivate("delete")
    assert [e.enrollment_state for e in (concluded, inactive, deleted)] == ["completed", "inactive", "deleted"]
    assert list(course.get_enrollments()) == []
    assert [e.id for e in course.get_enrollments(state=["completed", "inactive"])] == [
        concluded.id, inactive.id]
    assert inactive.reactivate().enrollment_state == "active"
    assert [e.id for e in course.get_enrollments()] == [inactive.id]
    with pytest.raises(BadRequest):
        concluded.reactivate()
    with pytest.raises(ValueError):
        concluded.deactivate("drop")
    with world.tx() as db:
        assert db.get(Enrollment, deleted.id).workflow_state == "deleted"


def test_the_invitee_accepts_or_rejects(world):
    canvas = world.canvas()
    course = canvas.get_course(world.course("Physics").id)
    ann, ann_token = world.user_with_token("ann")
    bob, bob_token = world.user_with_token("bob")
    for_ann = course.enroll_user(ann.id, "StudentEnrollment")
    for_bob = course.enroll_user(bob.id, "StudentEnrollment")
    [mine] = world.canvas(ann_token).get_user("self").get_enrollments()
    assert (mine.id, mine.enrollment_state) == (for_ann.id, "invited")
    with pytest.raises(Forbidden):
        for_ann.accept()  # only the invitee answers an invitation
    assert mine.accept() is True
    [bobs] = world.canvas(bob_token).get_user("self").get_enrollments()
    assert bobs.reject() is True
    with world.tx() as db:
        assert db.get(Enrollment, for_ann.id).workflow_state == "active"
        assert db.get(Enrollment, for_bob.id).workflow_state == "rejected"
    assert [e.id for e in course.get_enrollments()] == [for_ann.id]


def test_a_student_cannot_enroll_anyone(world):
    course = world.course("History")
    student, token = world.user_with_token("stu")
    world.enroll(student, course)
    with pytest.raises(Forbidden):
        world.canvas(token).get_course(course.id).enroll_user(world.user("other").id, "StudentEnrollment")


def test_an_observer_reads_the_observed_students_grades(world):
    course = world.course("Geology")
    ann, bob = world.user("ann"), world.user("bob")
    parent, token = world.user_with_token("pat")
    canvas_course = world.canvas().get_course(course.id)
    for user in (ann, bob):
        canvas_course.enroll_user(user.id, "StudentEnrollment", enrollment={"enrollment_state": "active"})
    canvas_course.enroll_user(parent.id, "ObserverEnrollment", enrollment={
        "associated_user_id": ann.id, "enrollment_state": "active"})
    a = world.assignment(course, "Map", points=4.0)
    with world.tx() as db:
        db.add(Submission(item_id=a.id, course_id=course.id, user_id=ann.id, workflow_state="graded", score=3.0,
                          posted_at=utcnow()))
    seen = world.canvas(token).get_course(course.id).get_enrollments(type=["StudentEnrollment"])
    [anns] = list(seen)
    assert (anns.user_id, anns.grades["current_score"], anns.grades["final_score"]) == (ann.id, 75.0, 75.0)


def test_an_unpublished_course_holds_the_invitation_until_published(world):
    canvas = world.canvas()
    course = canvas.get_account(1).create_course(course={"name": "Draft"})
    ann, ann_token = world.user_with_token("ann")
    held = course.enroll_user(ann.id, "StudentEnrollment")
    assert held.enrollment_state == "creation_pending"
    course.update(course={"event": "offer"})
    [mine] = world.canvas(ann_token).get_user("self").get_enrollments()
    assert (mine.id, mine.enrollment_state) == (held.id, "invited")
    assert mine.accept() is True
