"""One role per user and course (enroll_in_one_role) and unenroll: the rule Valence's face keeps, in core."""

from __future__ import annotations

import pytest

from courseport.core.courses import enrollments
from courseport.core.courses.enrollments import EnrollmentRequest
from courseport.core.kit.errors import NotAllowed, NotFound
from courseport.schema import Enrollment, User


def _live(world, course, user) -> list[tuple[str, str]]:
    with world.tx() as db:
        rows = db.query(Enrollment).filter_by(course_id=course.id, user_id=user.id).order_by(Enrollment.id)
        return [(e.type, e.workflow_state) for e in rows]


def _one_role(world, actor, course, user, role_id, *, admins_only=False) -> Enrollment:
    with world.tx() as db:
        req = EnrollmentRequest(user_ref=str(user.id), role_id=role_id, state="active")
        return enrollments.enroll_in_one_role(db, db.get(User, actor.id), str(course.id), req,
                                              admins_only=admins_only)


def test_enrolling_with_another_role_replaces_the_others(world):
    course, sam = world.course("Bio"), world.user("sam")
    world.enroll(sam, course, "ObserverEnrollment")
    first = _one_role(world, world.admin, course, sam, 3)
    assert _live(world, course, sam) == [("ObserverEnrollment", "deleted"), ("StudentEnrollment", "active")]
    again = _one_role(world, world.admin, course, sam, 4)
    assert again.id != first.id
    assert _live(world, course, sam) == [("ObserverEnrollment", "deleted"), ("StudentEnrollment", "deleted"),
                                         ("TeacherEnrollment", "active")]
    same = _one_role(world, world.admin, course, sam, 4)  # the same role again: the same row, nothing deleted
    assert same.id == again.id and _live(world, course, sam)[-1] == ("TeacherEnrollment", "active")


def test_admins_only_refuses_a_teacher_who_could_enroll_otherwise(world):
    course, sam = world.course("Bio"), world.user("sam")
    teacher = world.user("tia")
    world.enroll(teacher, course, "TeacherEnrollment")
    _one_role(world, teacher, course, sam, 3)  # a teacher may, where the face allows it
    with pytest.raises(NotAllowed):
        _one_role(world, teacher, course, world.user("bo"), 3, admins_only=True)
    assert _live(world, course, sam) == [("StudentEnrollment", "active")]
    with world.tx() as db, pytest.raises(NotAllowed):
        enrollments.unenroll(db, db.get(User, teacher.id), str(course.id), str(sam.id), admins_only=True)
    assert _live(world, course, sam) == [("StudentEnrollment", "active")]


def test_unenroll_deletes_every_live_enrollment_and_answers_the_first(world):
    course, sam = world.course("Bio"), world.user("sam")
    first = world.enroll(sam, course, "StudentEnrollment")
    world.enroll(sam, course, "TaEnrollment", state="inactive")
    with world.tx() as db:
        gone = enrollments.unenroll(db, db.get(User, world.admin.id), str(course.id), str(sam.id), admins_only=True)
        assert gone.id == first.id
    assert _live(world, course, sam) == [("StudentEnrollment", "deleted"), ("TaEnrollment", "deleted")]
    with world.tx() as db, pytest.raises(NotFound):
        enrollments.unenroll(db, db.get(User, world.admin.id), str(course.id), str(sam.id))
