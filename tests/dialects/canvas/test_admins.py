"""Canvas Admins API over raw HTTP: exact bodies, refusals, and the rights an adminship grants or loses."""

from __future__ import annotations

from sqlalchemy import select

from courseport.core.identity import accounts
from courseport.schema import AccountUser, Role
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _adminships(world, account_id: int) -> list[tuple[int, int]]:
    with world.tx() as db:
        rows = db.execute(select(AccountUser.user_id, AccountUser.role_id)
                          .where(AccountUser.account_id == account_id).order_by(AccountUser.id))
        return [tuple(r) for r in rows]


def test_make_admin_answers_the_admin_object_and_grants_the_account(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Science", 1)
    user, token = world.user_with_token("ada", name="Ada Lovelace")
    with world.client(token) as c:
        before = c.get(f"/api/v1/accounts/{sub.id}/sub_accounts")
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/accounts/{sub.id}/admins", data={"user_id": str(user.id)})
        again = c.post(f"/api/v1/accounts/{sub.id}/admins", json={"user_id": user.id, "role_id": 1})
    body = r.json()
    assert r.status_code == 200
    assert body == {"id": body["id"], "role": "AccountAdmin", "role_id": 1, "workflow_state": "active",
                    "user": {"id": user.id, "name": "Ada Lovelace", "created_at": body["user"]["created_at"],
                             "sortable_name": "Lovelace, Ada", "short_name": "Ada Lovelace", "sis_user_id": None,
                             "integration_id": None, "sis_import_id": None, "login_id": "ada"}}
    assert again.json()["id"] == body["id"]  # the same adminship, not a second one
    assert _adminships(world, sub.id) == [(user.id, 1)]
    with world.client(token) as c:
        after = c.get(f"/api/v1/accounts/{sub.id}/sub_accounts")
        root = c.get("/api/v1/accounts/1/sub_accounts")
    assert (before.status_code, after.status_code, root.status_code) == (403, 200, 403)


def test_list_admins_filters_and_pages(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Arts", 1)
    people = [world.user(f"a{i}", f"Admin {chr(65 + i)}", sis_user_id=f"S{i}") for i in range(3)]
    with world.client(world.admin_token) as c:
        for p in people:
            assert c.post(f"/api/v1/accounts/{sub.id}/admins", data={"user_id": str(p.id)}).status_code == 200
        first = c.get(f"/api/v1/accounts/{sub.id}/admins", params={"per_page": 2})
        rest = c.get(f"/api/v1/accounts/{sub.id}/admins", params={"per_page": 2, "page": 2})
        by_ids = c.get(f"/api/v1/accounts/{sub.id}/admins",
                       params=[("user_id[]", str(people[2].id)), ("user_id[]", "sis_user_id:S0"),
                               ("user_id[]", "99999999")])
        searched = c.get(f"/api/v1/accounts/{sub.id}/admins", params={"search_term": "admin b"})
        short = c.get(f"/api/v1/accounts/{sub.id}/admins", params={"search_term": "a"})
        root = c.get("/api/v1/accounts/1/admins").json()
    assert [a["user"]["id"] for a in first.json()] == [people[0].id, people[1].id]
    assert 'rel="next"' in first.headers["link"]
    assert [a["user"]["id"] for a in rest.json()] == [people[2].id]
    assert [a["user"]["id"] for a in by_ids.json()] == [people[0].id, people[2].id]
    assert [a["user"]["name"] for a in searched.json()] == ["Admin B"]
    assert short.status_code == 400 and "search_term" in short.text
    assert people[0].id not in [a["user"]["id"] for a in root]  # an account lists its own admins only


def test_remove_admin_answers_it_deleted_and_takes_the_rights(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "History", 1)
    user, token = world.user_with_token("hal")
    with world.client(world.admin_token) as c:
        made = c.post(f"/api/v1/accounts/{sub.id}/admins", data={"user_id": str(user.id)}).json()
        removed = c.delete(f"/api/v1/accounts/{sub.id}/admins/{user.id}")
        twice = c.delete(f"/api/v1/accounts/{sub.id}/admins/{user.id}")
        listed = c.get(f"/api/v1/accounts/{sub.id}/admins").json()
    assert removed.status_code == 200
    assert removed.json() == {**made, "workflow_state": "deleted"}
    assert (twice.status_code, twice.json()) == (404, NOT_FOUND)
    assert listed == [] and _adminships(world, sub.id) == []
    with world.client(token) as c:
        assert c.get(f"/api/v1/accounts/{sub.id}/sub_accounts").status_code == 403


def test_refusals_name_the_field_and_change_nothing(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Music", 1)
    user = world.user("mia")
    gone = world.user("gone")
    with world.tx() as db:
        db.get(type(gone), gone.id).workflow_state = "deleted"
    with world.client(world.admin_token) as c:
        missing = c.post(f"/api/v1/accounts/{sub.id}/admins", data={})
        course_role = c.post(f"/api/v1/accounts/{sub.id}/admins", data={"user_id": str(user.id), "role_id": "3"})
        by_name = c.post(f"/api/v1/accounts/{sub.id}/admins", data={"user_id": str(user.id), "role": "TaEnrollment"})
        no_role = c.post(f"/api/v1/accounts/{sub.id}/admins", data={"user_id": str(user.id), "role_id": "99999999"})
        no_user = c.post(f"/api/v1/accounts/{sub.id}/admins", data={"user_id": "999999"})
        deleted = c.post(f"/api/v1/accounts/{sub.id}/admins", data={"user_id": str(gone.id)})
        no_account = c.post("/api/v1/accounts/99999999/admins", data={"user_id": str(user.id)})
    assert missing.status_code == 400 and "user_id" in missing.text
    assert course_role.status_code == 400 and "role_id must name an account role" in course_role.text
    assert by_name.status_code == 400 and "role must name an account role" in by_name.text
    assert [(r.status_code, r.json()) for r in (no_role, no_user, deleted, no_account)] == [(404, NOT_FOUND)] * 4
    assert _adminships(world, sub.id) == []


def test_only_admins_above_may_manage_and_a_custom_account_role(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Law", 1)
        inner = accounts.create_account(db, "Tax", sub.id)
        db.add(Role(name="Helpdesk", base_role_type="AccountMembership", account_id=1))
        db.flush()
        helpdesk = db.scalar(select(Role.id).where(Role.name == "Helpdesk"))
    sub_admin, sub_token = world.user_with_token("sam")
    target = world.user("tom")
    with world.client(world.admin_token) as c:
        c.post(f"/api/v1/accounts/{sub.id}/admins", data={"user_id": str(sub_admin.id)})
    with world.client(sub_token) as c:
        up = c.post("/api/v1/accounts/1/admins", data={"user_id": str(target.id)})
        listed_up = c.get("/api/v1/accounts/1/admins")
        down = c.post(f"/api/v1/accounts/{inner.id}/admins", data={"user_id": str(target.id), "role": "Helpdesk"})
        wrong_role = c.delete(f"/api/v1/accounts/{inner.id}/admins/{target.id}")
        removed = c.delete(f"/api/v1/accounts/{inner.id}/admins/{target.id}", params={"role_id": str(helpdesk)})
    assert [(r.status_code, r.json()) for r in (up, listed_up)] == [(403, FORBIDDEN)] * 2
    assert down.status_code == 200 and (down.json()["role"], down.json()["role_id"]) == ("Helpdesk", helpdesk)
    assert (wrong_role.status_code, wrong_role.json()) == (404, NOT_FOUND)
    assert removed.json()["workflow_state"] == "deleted" and _adminships(world, inner.id) == []
    _, student_token = world.user_with_token("stu")
    with world.client(student_token) as c:
        refused = c.delete(f"/api/v1/accounts/{sub.id}/admins/{sub_admin.id}")
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    assert _adminships(world, sub.id) == [(sub_admin.id, 1)]
