"""Course rights from adminship and enrollments, on a real database."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from courseport.core.courses.courses import default_section
from courseport.core.identity import accounts
from courseport.core.identity.accounts import BUILT_IN_ROLES
from courseport.core.identity.permissions import (
    ALL_RIGHTS,
    COURSE_RIGHTS,
    course_rights,
    enrollment_types_with,
    holds_right,
    require,
)
from courseport.core.kit.errors import NotAllowed
from courseport.schema import Course, Enrollment, Role, RoleOverride, User


def _rights(world, user, course):
    with world.tx() as db:
        return course_rights(db, db.get(User, user.id), db.get(Course, course.id))


def _set_state(world, course, state):
    with world.tx() as db:
        db.get(Course, course.id).workflow_state = state


def test_admins_hold_every_right_below_their_account(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Sub", 1).id
    sub_admin = world.user("subadmin")
    with world.tx() as db:
        accounts.make_admin(db, sub_admin.id, sub)
    in_sub, in_root = world.course("In sub", account_id=sub), world.course("In root")
    assert _rights(world, world.admin, in_sub).rights == ALL_RIGHTS
    assert _rights(world, sub_admin, in_sub).is_admin
    assert not _rights(world, sub_admin, in_root).can("read")


@pytest.mark.parametrize(("etype", "granted", "denied"), [
    ("TeacherEnrollment", {"read", "update_course", "delete_course", "reset_content", "read_sis"},
     {"undelete_course", "manage_sis"}),
    ("TaEnrollment", {"read", "manage_content", "manage_grades", "read_sis"}, {"update_course", "delete_course"}),
    ("DesignerEnrollment", {"read", "manage_content", "read_sis"}, {"update_course", "manage_grades"}),
    ("StudentEnrollment", {"read", "read_roster", "participate_as_student"},
     {"manage_content", "update_course", "read_sis"}),
    ("ObserverEnrollment", {"read", "read_syllabus"}, {"read_roster", "post_to_forum", "read_sis"}),
])
def test_rights_of_each_role_in_a_published_course(world, etype, granted, denied):
    course = world.course("Published")
    user = world.user("member")
    world.enroll(user, course, etype)
    rights = _rights(world, user, course)
    assert granted <= rights.rights and not denied & rights.rights
    assert rights.enrollment_types == {etype} and not rights.is_admin


def test_students_and_observers_lose_an_unpublished_course_staff_keep_it(world):
    course = world.course("Draft", offer=False)
    people = {etype: world.user(etype.lower()) for etype in ("StudentEnrollment", "ObserverEnrollment",
                                                             "TeacherEnrollment", "DesignerEnrollment")}
    for etype, user in people.items():
        world.enroll(user, course, etype)
    readable = {etype: _rights(world, user, course).can("read") for etype, user in people.items()}
    assert readable == {"StudentEnrollment": False, "ObserverEnrollment": False,
                        "TeacherEnrollment": True, "DesignerEnrollment": True}
    _set_state(world, course, "completed")
    assert _rights(world, people["StudentEnrollment"], course).can("read")  # concluded courses stay readable


def test_invited_and_completed_enrollments_grant_reading_only(world):
    course = world.course("C")
    invited, done, deleted = world.user("invited"), world.user("done"), world.user("deleted")
    world.enroll(invited, course, "TeacherEnrollment", state="invited")
    world.enroll(done, course, "TeacherEnrollment", state="completed")
    world.enroll(deleted, course, "TeacherEnrollment", state="deleted")
    for user in (invited, done):
        rights = _rights(world, user, course)
        assert rights.can("read") and not rights.can("update_course") and not rights.can("read_sis")
    assert _rights(world, deleted, course).rights == frozenset()


def test_deleted_course_grants_nothing_even_to_admins(world):
    course = world.course("Gone")
    _set_state(world, course, "deleted")
    assert _rights(world, world.admin, course).rights == frozenset()


def test_public_course_is_readable_by_anyone_signed_in(world):
    course = world.course("Open", is_public_to_auth_users=True)
    stranger = world.user("stranger")
    rights = _rights(world, stranger, course)
    assert rights.rights == {"read", "read_syllabus"}
    _set_state(world, course, "unpublished")
    assert not _rights(world, stranger, course).can("read")


def test_require_raises_not_allowed(world):
    course = world.course("C")
    stranger = world.user("stranger")
    with pytest.raises(NotAllowed):
        require(_rights(world, stranger, course), "read")


def test_enrollment_types_with_a_right():
    assert enrollment_types_with("read_sis") == {"TeacherEnrollment", "TaEnrollment", "DesignerEnrollment"}
    assert enrollment_types_with("update_course") == {"TeacherEnrollment"}
    assert enrollment_types_with("undelete_course") == frozenset()


def test_only_an_enrollment_in_a_custom_role_reads_role_overrides(world):
    """The read path's cost: a built-in role's rights come from the enrollment row alone; a custom role's
    overrides take one statement more (the enrollment rows themselves are plain row reads, not counted)."""
    course = world.course("Counted")
    teacher, custom = world.user("builtin"), world.user("custom")
    world.enroll(teacher, course, "TeacherEnrollment")
    with world.tx() as db:
        role = Role(name="Quiet Teacher", base_role_type="TeacherEnrollment", account_id=1)
        db.add(role)
        db.flush()
        db.add(RoleOverride(role_id=role.id, account_id=1, permission="manage_course_content_add", enabled=False))
        db.add(RoleOverride(role_id=role.id, account_id=1, permission="read_roster", enabled=None, locked=True))
        db.add(Enrollment(user_id=custom.id, course_id=course.id, course_section_id=default_section(db, course).id,
                          root_account_id=1, type="TeacherEnrollment", role_id=role.id, workflow_state="active"))
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001, ANN202
        statements.append(statement)

    event.listen(world.engine, "before_cursor_execute", count)
    try:
        built_in = _rights(world, teacher, course)
        seen = len(statements)
        quiet = _rights(world, custom, course)
    finally:
        event.remove(world.engine, "before_cursor_execute", count)
    assert [s for s in statements[:seen] if "role_overrides" in s] == []
    assert len([s for s in statements[seen:] if "role_overrides" in s]) == 1
    assert built_in.can("manage_content") and not quiet.can("manage_content")
    assert quiet.rights == built_in.rights - {"manage_content"} and quiet.is_staff


_CUSTOM_ROLES = {  # label -> (base type, overrides (permission, enabled))
    "No-grades Teacher": ("TeacherEnrollment", [("manage_grades", False), ("manage_course_content_add", False)]),
    "Grading Student": ("StudentEnrollment", [("manage_grades", True), ("read_sis", True), ("manage_sis", True),
                                              ("view_analytics", True), ("read_roster", None)]),
    "Torn Student": ("StudentEnrollment", [("manage_grades", True), ("select_final_grade", False)]),
    "Quiet Observer": ("ObserverEnrollment", [("read_course_content", False), ("no_such_right", True)]),
}


def test_the_bulk_condition_agrees_with_course_rights_for_every_right(world):
    """`holds_right` over many courses and `course_rights` in one course decide alike, for built-in and
    custom roles, every course and enrollment state, and every course right."""
    role_ids = {etype: (etype, role_id) for etype, role_id in BUILT_IN_ROLES.items()}
    with world.tx() as db:
        for label, (base, overrides) in _CUSTOM_ROLES.items():
            role = Role(name=label, base_role_type=base, account_id=1)
            db.add(role)
            db.flush()
            db.add_all(RoleOverride(role_id=role.id, account_id=1, permission=name, enabled=on, locked=on is None)
                       for name, on in overrides)
            role_ids[label] = (base, role.id)
    members: list[tuple[int, int, int]] = []  # (enrollment, user, course)
    for course_state in ("available", "unpublished", "completed", "deleted"):
        course = world.course(f"Bulk {course_state}")
        cases = [(etype, role_id, state, world.user(f"bulk{course.id}-{role_id}-{state}"))
                 for etype, role_id in role_ids.values() for state in ("active", "invited", "completed", "inactive")]
        with world.tx() as db:
            section = default_section(db, course).id
            for etype, role_id, state, user in cases:
                e = Enrollment(user_id=user.id, course_id=course.id, course_section_id=section, root_account_id=1,
                               type=etype, role_id=role_id, workflow_state=state)
                db.add(e)
                db.flush()
                members.append((e.id, user.id, course.id))
            db.get(Course, course.id).workflow_state = course_state
    with world.tx() as db:
        rights = {e: course_rights(db, db.get_one(User, u), db.get_one(Course, c)).rights for e, u, c in members}
        for right in sorted(COURSE_RIGHTS):
            held = set(db.scalars(select(Enrollment.id).join(Course, Course.id == Enrollment.course_id).where(
                Enrollment.id.in_(rights), holds_right(right, Course.workflow_state))))
            assert held == {e for e, granted in rights.items() if right in granted}, right
    assert any("manage_grades" in r for r in rights.values())  # the matrix exercises what it compares
