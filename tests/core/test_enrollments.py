"""Enrollment writes in core: roles and types, the same enrollment again, observers, ending and invitations."""

from __future__ import annotations

import pytest

from courseport.core.courses import courses, enrollments
from courseport.core.courses.enrollments import EnrollmentRequest
from courseport.core.identity import accounts
from courseport.core.kit.errors import DomainError, InvalidInput, NotAllowed
from courseport.schema import Enrollment, Role, User


def _enroll(world, actor, course, **fields) -> Enrollment:
    with world.tx() as db:
        return enrollments.enroll(db, db.get(User, actor.id), str(course.id), None, EnrollmentRequest(**fields))


def _role(world, name: str, base: str, account_id: int | None, state: str = "active") -> int:
    with world.tx() as db:
        role = Role(name=name, base_role_type=base, account_id=account_id, workflow_state=state)
        db.add(role)
        db.flush()
        return role.id


def test_custom_roles_of_the_course_account_tree_fix_the_type(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Science", 1)
        other = accounts.create_account(db, "Arts", 1)
    course = world.course("Bio", account_id=sub.id)
    grader = _role(world, "Grader", "TaEnrollment", sub.id)
    elsewhere = _role(world, "Critic", "TaEnrollment", other.id)
    retired = _role(world, "Old", "StudentEnrollment", None, state="inactive")
    made = _enroll(world, world.admin, course, user_ref=str(world.user("gus").id), role_id=grader)
    assert (made.type, made.role_id, made.workflow_state) == ("TaEnrollment", grader, "invited")
    for role_id, message in ((elsewhere, "Invalid role"), (accounts.ACCOUNT_ADMIN_ROLE_ID, "Invalid role"),
                             (retired, "Cannot create an enrollment with this role because it is inactive.")):
        with pytest.raises(InvalidInput) as refused:
            _enroll(world, world.admin, course, user_ref=str(world.user(f"u{role_id}").id), role_id=role_id)
        assert (refused.value.field, refused.value.message) == ("role_id", message)


def test_the_same_enrollment_again_updates_it_and_revives_a_deleted_one(world):
    course = world.course("Bio")
    ann = world.user("ann")
    first = _enroll(world, world.admin, course, user_ref=str(ann.id), state="active")
    again = _enroll(world, world.admin, course, user_ref=str(ann.id))  # invited again: stays active
    assert (again.id, again.workflow_state) == (first.id, "active")
    with world.tx() as db:
        enrollments.end_enrollment(db, db.get(User, world.admin.id), str(course.id), str(first.id), "delete")
    revived = _enroll(world, world.admin, course, user_ref=str(ann.id), state="active")
    assert (revived.id, revived.workflow_state) == (first.id, "active")
    teacher = _enroll(world, world.admin, course, user_ref=str(ann.id), type="TeacherEnrollment")
    assert teacher.id != first.id  # another role is another enrollment


def test_observer_needs_a_student_and_only_observers_name_one(world):
    course = world.course("Bio")
    ann, parent = world.user("ann"), world.user("parent")
    with pytest.raises(InvalidInput):
        _enroll(world, world.admin, course, user_ref=str(parent.id), type="ObserverEnrollment",
                associated_user_ref=str(ann.id))
    _enroll(world, world.admin, course, user_ref=str(ann.id), state="active")
    observer = _enroll(world, world.admin, course, user_ref=str(parent.id), type="ObserverEnrollment",
                       associated_user_ref=f"sis_login_id:{ann.login_id}")
    assert observer.associated_user_id == ann.id


def test_ending_reactivating_and_answering_invitations(world):
    course = world.course("Bio")
    ann, bob = world.user("ann"), world.user("bob")
    invited = _enroll(world, world.admin, course, user_ref=str(ann.id))
    with world.tx() as db:
        admin, as_ann, as_bob = (db.get(User, u.id) for u in (world.admin, ann, bob))
        with pytest.raises(NotAllowed):
            enrollments.answer_invitation(db, as_bob, str(course.id), str(invited.id), accept=True)
        enrollments.answer_invitation(db, as_ann, str(course.id), str(invited.id), accept=True)
        with pytest.raises(DomainError):
            enrollments.answer_invitation(db, as_ann, str(course.id), str(invited.id), accept=False)
        with pytest.raises(DomainError):
            enrollments.reactivate(db, admin, str(course.id), str(invited.id))
        ended = enrollments.end_enrollment(db, admin, str(course.id), str(invited.id), "inactivate")
        assert ended.workflow_state == "inactive"
        assert enrollments.reactivate(db, admin, str(course.id), str(invited.id)).workflow_state == "active"


def test_an_unpublished_course_holds_student_and_observer_invitations_until_published(world):
    draft = world.course("Draft", offer=False)
    ann, bob, tess = world.user("ann"), world.user("bob"), world.user("tess")
    held = _enroll(world, world.admin, draft, user_ref=str(ann.id))
    kept = _enroll(world, world.admin, draft, user_ref=str(bob.id), state="inactive")
    staff = _enroll(world, world.admin, draft, user_ref=str(tess.id), type="TaEnrollment")
    assert (held.workflow_state, kept.workflow_state, staff.workflow_state) == (
        "creation_pending", "inactive", "invited")
    with world.tx() as db:
        with pytest.raises(DomainError):  # not sent yet, so not answerable
            enrollments.answer_invitation(db, db.get(User, ann.id), str(draft.id), str(held.id), accept=False)
        courses.update_course(db, db.get(User, world.admin.id), draft.id, courses.CourseChanges(), event="offer")
        assert [db.get(Enrollment, e.id).workflow_state for e in (held, kept, staff)] == [
            "invited", "inactive", "invited"]
        courses.update_course(db, db.get(User, world.admin.id), draft.id, courses.CourseChanges(), event="claim")
        assert db.get(Enrollment, held.id).workflow_state == "invited"  # unpublishing holds nothing back again
