"""canvasapi 3.6.0, unmodified, against the live server: custom roles made, listed, changed, deactivated
and activated through the Roles API, and a role's permissions binding the users enrolled in it."""

from __future__ import annotations

import pytest
from canvasapi.account import Role as RoleObject
from canvasapi.exceptions import BadRequest, Forbidden

from courseport.schema import ContentItem, Enrollment, Role, RoleOverride

DENIED = {"explicit": True, "enabled": False}
GRANTED = {"explicit": True, "enabled": True}


def _stored(world, role_id: int) -> tuple[Role, dict[str, bool | None]]:
    with world.tx() as db:
        role = db.get_one(Role, role_id)
        overrides = {o.permission: o.enabled for o in db.query(RoleOverride).filter_by(role_id=role_id)}
        return role, overrides


def _user_with_token(world, account, login: str):  # noqa: ANN202
    user = account.create_user({"unique_id": f"{login}@example.test"}, user={"name": login.title()})
    return user, world.token(user)  # World.token reads the user by id


def test_a_custom_role_made_changed_deactivated_and_activated(world):
    account = world.canvas().get_account(1)
    role = account.create_role("Grading Teacher", base_role_type="TeacherEnrollment",
                               permissions={"manage_wiki_create": DENIED})
    assert isinstance(role, RoleObject)
    assert (role.label, role.role, role.base_role_type, role.workflow_state, role.is_account_role) == (
        "Grading Teacher", "Grading Teacher", "TeacherEnrollment", "active", False)
    assert role.permissions["manage_wiki_create"] == {"enabled": False, "locked": False, "readonly": False,
                                                      "explicit": True, "prior_default": True}
    assert role.permissions["manage_grades"]["enabled"] and not role.permissions["manage_grades"]["explicit"]
    assert _stored(world, role.id)[1] == {"manage_wiki_create": False}

    assert [r.label for r in account.get_roles()][-1] == "Grading Teacher"
    assert account.get_role(role.id).permissions == role.permissions

    changed = account.update_role(role, label="Marker", permissions={"manage_grades": DENIED,
                                                                     "manage_wiki_create": {"explicit": False}})
    assert (changed.id, changed.label) == (role.id, "Marker")
    assert changed.permissions["manage_wiki_create"]["enabled"] and not changed.permissions["manage_grades"]["enabled"]
    stored, overrides = _stored(world, role.id)
    assert (stored.name, overrides) == ("Marker", {"manage_grades": False})

    off = account.deactivate_role(role)
    assert (off.id, off.workflow_state) == (role.id, "inactive")
    assert "Marker" not in [r.label for r in account.get_roles()]
    assert [r.label for r in account.get_roles(state=["inactive"])] == ["Marker"]
    assert _stored(world, role.id)[0].workflow_state == "inactive"

    on = account.activate_role(role)
    assert (on.id, on.workflow_state) == (role.id, "active")
    assert _stored(world, role.id)[0].workflow_state == "active"
    with pytest.raises(BadRequest):
        account.create_role("Marker")  # the label is taken among the account's active roles


def test_an_enrollment_in_a_custom_role_holds_what_the_role_sets(world):
    account = world.canvas().get_account(1)
    course = account.create_course(course={"name": "Biology"})
    role = account.create_role("Grading Teacher", base_role_type="TeacherEnrollment",
                               permissions={"manage_wiki_create": DENIED})
    teacher, token = _user_with_token(world, account, "grader")
    enrollment = course.enroll_user(teacher, enrollment={"role_id": role.id, "enrollment_state": "active"})
    assert (enrollment.role_id, enrollment.type) == (role.id, "TeacherEnrollment")
    theirs = world.canvas(token).get_course(course.id)
    with pytest.raises(Forbidden):
        theirs.create_page({"title": "Notes"})
    with world.tx() as db:
        assert db.query(ContentItem).filter_by(course_id=course.id).count() == 0

    account.update_role(role, permissions={"manage_wiki_create": {"explicit": False}})
    assert theirs.create_page({"title": "Notes"}).title == "Notes"

    # A student-based role given the right gains it; a plain student still has not.
    editors = account.create_role("Student Editor", base_role_type="StudentEnrollment",
                                  permissions={"manage_wiki_create": GRANTED})
    editor, editor_token = _user_with_token(world, account, "editor")
    student, student_token = _user_with_token(world, account, "plainstudent")
    course.enroll_user(editor, enrollment={"role_id": editors.id, "enrollment_state": "active"})
    course.enroll_user(student, enrollment={"type": "StudentEnrollment", "enrollment_state": "active"})
    course.update(course={"event": "offer"})
    assert world.canvas(editor_token).get_course(course.id).create_page({"title": "Study guide"}).title == "Study guide"
    with pytest.raises(Forbidden):
        world.canvas(student_token).get_course(course.id).create_page({"title": "Mine"})

    # Deactivated, the role is given to no one new; the enrollment it has keeps its rights (as Canvas does).
    account.deactivate_role(editors)
    late, _ = _user_with_token(world, account, "late")
    with pytest.raises(BadRequest):
        course.enroll_user(late, enrollment={"role_id": editors.id})
    assert world.canvas(editor_token).get_course(course.id).create_page({"title": "More"}).title == "More"
    with world.tx() as db:
        assert db.query(Enrollment).filter_by(user_id=late.id).count() == 0
