"""Canvas roles over raw HTTP, and `role_for`, the lookup enrollments use."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import func, select

from courseport.core.courses.courses import default_section
from courseport.core.identity import accounts, roles
from courseport.core.kit.errors import NotFound
from courseport.schema import Account, AccountUser, Enrollment, Role, RoleOverride
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def test_role_object(world):
    with world.client(world.admin_token) as c:
        r = c.get("/api/v1/accounts/1/roles/3")
    with world.tx() as db:
        root = db.get(Account, 1)
        account = {"id": 1, "name": root.name, "parent_account_id": None, "root_account_id": None, "uuid": root.uuid}
    body = r.json()
    permissions = body.pop("permissions")
    assert body == {"id": 3, "role": "StudentEnrollment", "label": "Student", "last_updated_at": None,
                    "base_role_type": "StudentEnrollment", "is_account_role": False, "workflow_state": "built_in",
                    "created_at": None, "account": account}
    assert permissions["post_to_forum"] == {"enabled": True, "locked": False, "readonly": False, "explicit": False,
                                            "applies_to_self": True, "applies_to_descendants": True}
    assert permissions["manage_grades"] == {"enabled": False, "locked": False, "readonly": False, "explicit": False}
    assert not permissions["manage_grades"]["enabled"] and permissions["read_course_content"]["enabled"]


def test_list_pages_and_admin_role(world):
    with world.client(world.admin_token) as c:
        first = c.get("/api/v1/accounts/self/roles", params={"per_page": 4})
        by_name = c.get("/api/v1/accounts/1/roles/TaEnrollment")
        admin = c.get("/api/v1/accounts/1/roles/1").json()
        unknown = c.get("/api/v1/accounts/1/roles/99999999")
    assert [r["id"] for r in first.json()] == [1, 3, 4, 5] and 'rel="next"' in first.headers["link"]
    assert by_name.json()["id"] == 5
    assert (admin["is_account_role"], admin["base_role_type"]) == (True, "AccountMembership")
    assert all(p["enabled"] for p in admin["permissions"].values())
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)


def test_custom_roles_and_who_may_list(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Sub", 1)
        db.add(Role(name="Grader", base_role_type="TaEnrollment", account_id=1))
        db.add(Role(name="Old", base_role_type="TaEnrollment", account_id=1, workflow_state="inactive"))
    _, token = world.user_with_token("teacher")
    with world.client(world.admin_token) as c:
        root = c.get("/api/v1/accounts/1/roles").json()
        inactive = c.get("/api/v1/accounts/1/roles", params={"state[]": "inactive"}).json()
        sub_own = c.get(f"/api/v1/accounts/{sub.id}/roles").json()
        inherited = c.get(f"/api/v1/accounts/{sub.id}/roles", params={"show_inherited": "true"}).json()
    with world.client(token) as c:
        refused = c.get("/api/v1/accounts/1/roles")
    assert [r["role"] for r in root][-1] == "Grader" and root[-1]["label"] == "Grader"
    assert root[-1]["workflow_state"] == "active" and root[-1]["permissions"]["manage_grades"]["enabled"]
    assert [r["role"] for r in inactive] == ["Old"]
    assert "Grader" not in [r["role"] for r in sub_own] and "Grader" in [r["role"] for r in inherited]
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)


def test_role_for_finds_built_in_and_inherited_custom_roles(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Sub", 1)
        other = accounts.create_account(db, "Other", 1)
        grader = Role(name="Grader", base_role_type="TaEnrollment", account_id=sub.id)
        db.add(grader)
        db.flush()
        assert roles.role_for(db, sub, 3).name == "StudentEnrollment"
        assert roles.role_for(db, sub.id, "TeacherEnrollment").id == 4
        assert roles.role_for(db, sub, str(grader.id)).id == grader.id
        assert roles.role_for(db, sub, "Grader").id == grader.id
        with pytest.raises(NotFound):
            roles.role_for(db, other, grader.id)
        with pytest.raises(NotFound):
            roles.role_for(db, sub, "Nonexistent")


# --- writes: POST/PUT/DELETE /accounts/:id/roles and .../activate ---

ENABLED_DEFAULT = {"enabled": True, "locked": False, "readonly": False, "explicit": False,
                   "applies_to_self": True, "applies_to_descendants": True}
DISABLED_DEFAULT = {"enabled": False, "locked": False, "readonly": False, "explicit": False}


def _error(message: str, field: str | None = None) -> dict:
    return {"errors": [{"message": message, **({"field": field} if field else {})}]}


def _custom_roles(world) -> list[tuple[str, str, str]]:
    with world.tx() as db:
        return [(r.name, r.base_role_type, r.workflow_state)
                for r in db.scalars(select(Role).where(Role.account_id.is_not(None)).order_by(Role.id))]


def _overrides(world, role_id: int) -> dict[str, tuple]:
    with world.tx() as db:
        return {o.permission: (o.enabled, o.locked, o.applies_to_self, o.applies_to_descendants)
                for o in db.scalars(select(RoleOverride).where(RoleOverride.role_id == role_id))}


def _iso(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_create_a_course_role_with_permissions(world):
    form = {"label": "Reader TA", "base_role_type": "TaEnrollment",
            "permissions[manage_grades][explicit]": "1", "permissions[manage_grades][enabled]": "0",
            "permissions[manage_grades][locked]": "1",
            "permissions[post_to_forum][explicit]": "1", "permissions[post_to_forum][enabled]": "1",
            "permissions[post_to_forum][applies_to_descendants]": "0",
            "permissions[no_such_permission][explicit]": "1", "permissions[no_such_permission][enabled]": "1",
            "permissions[manage_sis][explicit]": "1", "permissions[manage_sis][enabled]": "1"}
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/roles", data=form)
    assert r.status_code == 200
    body = r.json()
    permissions = body.pop("permissions")
    with world.tx() as db:
        role = db.scalar(select(Role).where(Role.name == "Reader TA"))
        root = db.get_one(Account, 1)
        assert body == {"id": role.id, "role": "Reader TA", "label": "Reader TA",
                        "last_updated_at": _iso(role.updated_at), "base_role_type": "TaEnrollment",
                        "is_account_role": False, "workflow_state": "active", "created_at": _iso(role.created_at),
                        "account": {"id": 1, "name": root.name, "parent_account_id": None, "root_account_id": None,
                                    "uuid": root.uuid}}
    assert permissions["manage_grades"] == {"enabled": False, "locked": True, "readonly": False, "explicit": True,
                                            "prior_default": True}
    assert permissions["post_to_forum"] == {"enabled": True, "locked": False, "readonly": False, "explicit": True,
                                            "prior_default": True, "applies_to_self": True,
                                            "applies_to_descendants": False}
    # A right two names share follows the explicit one; the others keep the base type's.
    assert permissions["select_final_grade"] == DISABLED_DEFAULT
    assert permissions["manage_content"] == ENABLED_DEFAULT
    # Unknown names, and account rights on a course role, are ignored as Canvas ignores them.
    assert "no_such_permission" not in permissions and permissions["manage_sis"] == DISABLED_DEFAULT
    assert _custom_roles(world) == [("Reader TA", "TaEnrollment", "active")]
    assert _overrides(world, role.id) == {"manage_grades": (False, True, True, True),
                                          "post_to_forum": (True, False, True, False)}


def test_an_account_role_by_default_and_the_deprecated_role_name(world):
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/roles", data={"role": "Auditor"})
    body = r.json()
    assert (r.status_code, body["label"], body["base_role_type"], body["is_account_role"]) == (
        200, "Auditor", "AccountMembership", True)
    assert all(p["enabled"] for p in body["permissions"].values())
    assert _custom_roles(world) == [("Auditor", "AccountMembership", "active")]


@pytest.mark.parametrize(("form", "error"), [
    ({}, _error("label is required", "label")),
    ({"label": "  "}, _error("label is required", "label")),
    ({"label": "x" * 256}, _error("label is too long (at most 255 characters)", "label")),
    ({"label": "TeacherEnrollment"}, _error("label is reserved: a built-in role has that name", "label")),
    ({"label": "Aide", "base_role_type": "Principal"}, _error(
        "base_role_type must be one of AccountMembership, StudentEnrollment, TeacherEnrollment, TaEnrollment, "
        "ObserverEnrollment, DesignerEnrollment", "base_role_type")),
    ({"label": "Aide", "permissions[manage_grades]": "1"}, _error(
        "permissions[manage_grades] must be a hash of settings (explicit, enabled, locked, ...)",
        "permissions[manage_grades]")),
    ({"label": "Aide", "permissions[manage_grades][explicit]": "maybe"}, _error(
        "permissions[manage_grades][explicit] must be a boolean (true or false), got 'maybe'",
        "permissions[manage_grades][explicit]")),
    ({"label": "Aide", "permissions[manage_grades][applies_to_self]": "0",
      "permissions[manage_grades][applies_to_descendants]": "0"}, _error(
        "permissions[manage_grades]: applies_to_self and applies_to_descendants can't both be false",
        "permissions[manage_grades]")),
])
def test_create_refusals_store_nothing(world, form, error):
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/roles", data=form)
    assert (r.status_code, r.json()) == (400, error)
    assert _custom_roles(world) == []


def test_a_label_is_unique_among_the_accounts_active_roles_and_only_admins_write(world):
    sub = world.canvas().get_account(1).create_subaccount(account={"name": "Sub"})
    _, teacher = world.user_with_token("teacher")
    with world.client(world.admin_token) as c:
        first = c.post("/api/v1/accounts/1/roles", data={"label": "Aide"}).json()
        twin = c.post("/api/v1/accounts/1/roles", data={"label": "Aide", "base_role_type": "TaEnrollment"})
        elsewhere = c.post(f"/api/v1/accounts/{sub.id}/roles", data={"label": "Aide"})
        c.delete(f"/api/v1/accounts/1/roles/{first['id']}")
        again = c.post("/api/v1/accounts/1/roles", data={"label": "Aide"})
        revived = c.post(f"/api/v1/accounts/1/roles/{first['id']}/activate")
    with world.client(teacher) as c:
        refused = c.post("/api/v1/accounts/1/roles", data={"label": "Mine"})
        refused_put = c.put(f"/api/v1/accounts/1/roles/{first['id']}", data={"label": "Mine"})
    assert (twin.status_code, twin.json()) == (400, _error("A role with this name already exists", "label"))
    assert (elsewhere.status_code, again.status_code) == (200, 200)
    assert (revived.status_code, revived.json()) == (400, _error("A role with this name already exists", "label"))
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    assert (refused_put.status_code, refused_put.json()) == (403, FORBIDDEN)
    assert _custom_roles(world) == [("Aide", "AccountMembership", "inactive"), ("Aide", "AccountMembership", "active"),
                                    ("Aide", "AccountMembership", "active")]


def test_update_sets_clears_and_keeps_permissions(world):
    with world.client(world.admin_token) as c:
        role = c.post("/api/v1/accounts/1/roles", data={
            "label": "Helper", "base_role_type": "StudentEnrollment",
            "permissions[manage_wiki_create][explicit]": "1", "permissions[manage_wiki_create][enabled]": "1",
            "permissions[send_messages][explicit]": "1", "permissions[send_messages][enabled]": "0"}).json()
        r = c.put(f"/api/v1/accounts/1/roles/{role['id']}", data={
            "label": "Tutor", "base_role_type": "TeacherEnrollment",
            "permissions[send_messages][explicit]": "0",
            "permissions[read_roster][locked]": "true"})
    body = r.json()
    assert (r.status_code, body["id"], body["label"], body["base_role_type"]) == (
        200, role["id"], "Tutor", "StudentEnrollment")
    assert body["permissions"]["manage_wiki_create"]["explicit"] and body["permissions"]["manage_content"]["enabled"]
    assert body["permissions"]["send_messages"] == ENABLED_DEFAULT
    assert body["permissions"]["read_roster"] == {**ENABLED_DEFAULT, "locked": True}
    assert _custom_roles(world) == [("Tutor", "StudentEnrollment", "active")]
    assert _overrides(world, role["id"]) == {"manage_wiki_create": (True, False, True, True),
                                             "read_roster": (None, True, True, True)}


def test_built_in_and_inherited_roles_are_not_written(world):
    sub = world.canvas().get_account(1).create_subaccount(account={"name": "Sub"})
    with world.client(world.admin_token) as c:
        parent_role = c.post("/api/v1/accounts/1/roles", data={"label": "Dean"}).json()
        put_built_in = c.put("/api/v1/accounts/1/roles/4", data={
            "permissions[manage_grades][explicit]": "1", "permissions[manage_grades][enabled]": "0"})
        delete_built_in = c.delete("/api/v1/accounts/1/roles/3")
        activate_built_in = c.post("/api/v1/accounts/1/roles/3/activate")
        put_inherited = c.put(f"/api/v1/accounts/{sub.id}/roles/{parent_role['id']}", data={"label": "Provost"})
        delete_inherited = c.delete(f"/api/v1/accounts/{sub.id}/roles/{parent_role['id']}")
        unknown = c.delete("/api/v1/accounts/1/roles/99999999")
    assert (put_built_in.status_code, put_built_in.json()) == (400, _error(
        "The permissions of a built-in role can't be changed; create a custom role with its base type instead."))
    assert (delete_built_in.status_code, delete_built_in.json()) == (400, _error(
        "A built-in role can't be deactivated."))
    assert (activate_built_in.status_code, activate_built_in.json()) == (400, _error(
        "A built-in role can't be activated."))
    inherited = _error("The role belongs to an account above this one; change it through that account.")
    assert (put_inherited.status_code, put_inherited.json()) == (400, inherited)
    assert (delete_inherited.status_code, delete_inherited.json()) == (400, inherited)
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    assert _custom_roles(world) == [("Dean", "AccountMembership", "active")]
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(RoleOverride)) == 0


def test_deactivate_and_activate(world):
    with world.client(world.admin_token) as c:
        role = c.post("/api/v1/accounts/1/roles", data={"label": "Proctor", "base_role_type": "TaEnrollment"}).json()
        off = c.delete(f"/api/v1/accounts/1/roles/{role['id']}")
        off_again = c.delete(f"/api/v1/accounts/1/roles/{role['id']}")
        shown = c.get(f"/api/v1/accounts/1/roles/{role['id']}").json()
        assert _custom_roles(world) == [("Proctor", "TaEnrollment", "inactive")]
        on = c.post(f"/api/v1/accounts/1/roles/{role['id']}/activate")
    assert (off.status_code, off.json()["workflow_state"], off.json()["id"]) == (200, "inactive", role["id"])
    assert (off_again.status_code, off_again.json()["workflow_state"]) == (200, "inactive")
    assert shown["workflow_state"] == "inactive"
    assert (on.status_code, on.json()["workflow_state"]) == (200, "active")
    assert _custom_roles(world) == [("Proctor", "TaEnrollment", "active")]


def test_an_inactive_account_role_is_given_to_no_new_admin(world):
    user = world.user("newadmin")
    with world.client(world.admin_token) as c:
        role = c.post("/api/v1/accounts/1/roles", data={"label": "Registrar"}).json()
        c.delete(f"/api/v1/accounts/1/roles/{role['id']}")
        refused = c.post("/api/v1/accounts/1/admins", data={"user_id": user.id, "role_id": role["id"]})
        c.post(f"/api/v1/accounts/1/roles/{role['id']}/activate")
        made = c.post("/api/v1/accounts/1/admins", data={"user_id": user.id, "role_id": role["id"]})
    assert (refused.status_code, refused.json()) == (400, _error("role_id names an inactive role: activate it first",
                                                                 "role_id"))
    assert (made.status_code, made.json()["role_id"], made.json()["role"]) == (200, role["id"], "Registrar")
    with world.tx() as db:
        assert db.scalars(select(AccountUser.role_id).where(AccountUser.user_id == user.id)).all() == [role["id"]]


def test_a_custom_teacher_role_binds_the_course_rights(world):
    course = world.course("Physics")
    with world.client(world.admin_token) as c:
        role = c.post("/api/v1/accounts/1/roles", data={
            "label": "No-grades Teacher", "base_role_type": "TeacherEnrollment",
            "permissions[manage_grades][explicit]": "1", "permissions[manage_grades][enabled]": "0"}).json()
    user, token = world.user_with_token("nograder")
    with world.tx() as db:
        db.add(Enrollment(user_id=user.id, course_id=course.id, course_section_id=default_section(db, course).id,
                          root_account_id=1, type="TeacherEnrollment", role_id=role["id"], workflow_state="active"))
    with world.client(token) as c:
        rights = c.get(f"/api/v1/courses/{course.id}/permissions",
                       params={"permissions[]": ["manage_grades", "manage_content", "update"]})
    assert (rights.status_code, rights.json()) == (200, {"manage_grades": False, "manage_content": True,
                                                         "update": True})
