"""Canvas logins over raw HTTP: the Login object, record-errors bodies, who may see and manage logins."""

from __future__ import annotations

from courseport.schema import Login
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _created_at(world, login_id: int) -> str:
    with world.tx() as db:
        return db.get(Login, login_id).created_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_create_answers_the_login_object(world):
    user = world.user("first")
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/logins", data={"user[id]": str(user.id), "login[unique_id]": "second",
                                                      "login[password]": "long enough", "login[sis_user_id]": "L2",
                                                      "login[integration_id]": "INT2"})
    assert r.status_code == 200, r.text
    login_id = r.json()["id"]
    assert r.json() == {"id": login_id, "user_id": user.id, "account_id": 1, "unique_id": "second",
                        "sis_user_id": "L2", "integration_id": "INT2", "authentication_provider_id": None,
                        "created_at": _created_at(world, login_id),
                        "workflow_state": "active", "declared_user_type": None}


def test_duplicates_are_refused_naming_the_field(world):
    user = world.user("mine")
    world.user("yours", sis_user_id="Y1")
    with world.client(world.admin_token) as c:
        dup = c.post("/api/v1/accounts/1/logins", data={"user[id]": str(user.id), "login[unique_id]": "Yours"})
        second = c.post("/api/v1/accounts/1/logins", data={"user[id]": str(user.id), "login[unique_id]": "mine2"})
        renamed = c.put(f"/api/v1/accounts/1/logins/{second.json()['id']}", data={"login[sis_user_id]": "Y1"})
        no_user = c.post("/api/v1/accounts/1/logins", data={"login[unique_id]": "nobody"})
    assert (dup.status_code, dup.json()) == (400, {"errors": {"unique_id": [
        {"attribute": "unique_id", "type": "taken",
         "message": "ID already in use for this account and authentication provider"}]}})
    assert (renamed.status_code, renamed.json()) == (400, {"errors": {"sis_user_id": [
        {"attribute": "sis_user_id", "type": "taken", "message": 'SIS ID "Y1" is already in use'}]}})
    assert (no_user.status_code, no_user.json()) == (400, {"errors": [
        {"message": "user[id] is required", "field": "user[id]"}]})


def test_users_read_their_own_logins_and_only_admins_manage_them(world):
    user, token = world.user_with_token("owner")
    other = world.user("neighbour")
    with world.client(token) as c:
        own = c.get("/api/v1/users/self/logins")
        theirs = c.get(f"/api/v1/users/{other.id}/logins")
        account = c.get("/api/v1/accounts/1/logins")
        made = c.post("/api/v1/accounts/1/logins", data={"user[id]": str(user.id), "login[unique_id]": "mine2"})
        edited = c.put(f"/api/v1/accounts/1/logins/{own.json()[0]['id']}", data={"login[unique_id]": "x"})
    assert [lg["unique_id"] for lg in own.json()] == ["owner"]
    assert "sis_user_id" not in own.json()[0]  # SIS ids are for those who read SIS data
    assert [(r.status_code, r.json()) for r in (theirs, account, made, edited)] == [(403, FORBIDDEN)] * 4


def test_the_last_login_stays_and_unknown_logins_are_404(world):
    user = world.user("only")
    with world.client(world.admin_token) as c:
        login = c.get(f"/api/v1/users/{user.id}/logins").json()[0]
        last = c.delete(f"/api/v1/users/{user.id}/logins/{login['id']}")
        unknown = c.delete(f"/api/v1/users/{user.id}/logins/999999")
        elsewhere = c.put("/api/v1/accounts/1/logins/999999", data={"login[unique_id]": "x"})
    message = "Users must have at least one login"
    assert (last.status_code, last.json()) == (400, {"errors": {"base": [
        {"attribute": "base", "type": message, "message": message}]}})
    assert [(r.status_code, r.json()) for r in (unknown, elsewhere)] == [(404, NOT_FOUND)] * 2


def test_account_logins_page_and_filter_by_user(world):
    users = [world.user(f"paged{n}") for n in range(3)]
    with world.client(world.admin_token) as c:
        first = c.get("/api/v1/accounts/1/logins", params={"per_page": 2})
        one = c.get("/api/v1/accounts/self/logins", params={"user_id": f"sis_login_id:{users[1].login_id}"})
    assert len(first.json()) == 2 and 'rel="next"' in first.headers["link"]
    assert [lg["unique_id"] for lg in one.json()] == ["paged1"]


def test_a_suspended_login_and_a_password_change(world):
    user = world.user("suspend")
    with world.client(world.admin_token) as c:
        login = c.get(f"/api/v1/users/{user.id}/logins").json()[0]
        r = c.put(f"/api/v1/accounts/1/logins/{login['id']}",
                  data={"login[workflow_state]": "suspended", "login[password]": "a new password"})
        bad = c.put(f"/api/v1/accounts/1/logins/{login['id']}", data={"login[workflow_state]": "gone"})
    assert r.json()["workflow_state"] == "suspended"
    assert bad.status_code == 400 and "workflow_state" in bad.json()["errors"]
    with world.tx() as db:
        assert db.get(Login, login["id"]).password_hash.startswith("scrypt$")


def test_sub_account_admins_manage_the_logins_of_their_users_only(world):
    from courseport.core.identity import accounts

    with world.tx() as db:
        sub = accounts.create_account(db, "Dept", 1)
    sub_admin, token = world.user_with_token("deptadmin")
    with world.tx() as db:
        accounts.make_admin(db, sub_admin.id, sub.id)
    outsider = world.user("rootonly")
    with world.client(token) as c:
        made = c.post(f"/api/v1/accounts/{sub.id}/users", data={"pseudonym[unique_id]": "deptuser"}).json()
        login = c.get(f"/api/v1/users/{made['id']}/logins").json()[0]
        edited = c.put(f"/api/v1/accounts/{sub.id}/logins/{login['id']}", data={"login[unique_id]": "dept.user"})
        theirs = c.get(f"/api/v1/users/{outsider.id}/logins")
        removed = c.delete(f"/api/v1/accounts/{sub.id}/users/{made['id']}")
    assert (login["account_id"], edited.json()["unique_id"]) == (1, "dept.user")
    assert [(r.status_code, r.json()) for r in (theirs, removed)] == [(403, FORBIDDEN)] * 2
