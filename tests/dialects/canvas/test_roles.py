"""Canvas roles over raw HTTP, and `role_for`, the lookup enrollments use."""

from __future__ import annotations

import pytest

from courseport.core.identity import accounts, roles
from courseport.core.kit.errors import NotFound
from courseport.schema import Account, Role

FORBIDDEN = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}
NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}


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
        unknown = c.get("/api/v1/accounts/1/roles/999")
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
