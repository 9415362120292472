"""Canvas Accounts over raw HTTP: one account for its admins, and the accounts the caller administers."""

from __future__ import annotations

import pytest

from courseport.core.identity import accounts
from courseport.schema import Account
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _account_json(world, account_id: int) -> dict:
    with world.tx() as db:
        a = db.get(Account, account_id)
        return {"id": a.id, "name": a.name, "uuid": a.uuid, "parent_account_id": a.parent_account_id,
                "root_account_id": a.root_account_id, "workflow_state": "active", "default_time_zone": "UTC",
                "sis_account_id": a.sis_account_id, "integration_id": None, "sis_import_id": None,
                "lti_guid": a.uuid, "default_storage_quota_mb": 500, "default_user_storage_quota_mb": 50,
                "default_group_storage_quota_mb": 50}


def _sub_account(world, name: str, parent_id: int = 1, sis: str | None = None) -> int:
    with world.tx() as db:
        return accounts.create_account(db, name, parent_id, sis).id


def _admin_of(world, login: str, *account_ids: int) -> str:
    user, token = world.user_with_token(login)
    with world.tx() as db:
        for account_id in account_ids:
            accounts.make_admin(db, user.id, account_id)
    return token


def test_root_admin_gets_the_root_account(world):
    with world.client(world.admin_token) as c:
        r = c.get("/api/v1/accounts/1")
    assert r.status_code == 200
    assert r.json() == _account_json(world, 1)
    assert (r.json()["parent_account_id"], r.json()["root_account_id"], r.json()["name"]) == (None, None, "courseport")


def test_sub_account_by_id_and_sis_id_for_its_admin_and_admins_above(world):
    science = _sub_account(world, "Science", sis="SCI")
    physics = _sub_account(world, "Physics", science, "PHY")
    sub_admin = _admin_of(world, "scienceadmin", science)
    with world.client(sub_admin) as c:
        own = c.get(f"/api/v1/accounts/{science}")
        by_sis = c.get("/api/v1/accounts/sis_account_id:SCI")
        below = c.get("/api/v1/accounts/sis_account_id:PHY")
        above = c.get("/api/v1/accounts/1")
    assert (own.status_code, own.json()) == (200, _account_json(world, science))
    assert by_sis.json() == own.json()
    assert own.json()["parent_account_id"] == 1 and own.json()["root_account_id"] == 1
    assert (below.status_code, below.json()["id"], below.json()["parent_account_id"]) == (200, physics, science)
    assert (above.status_code, above.json()) == (403, FORBIDDEN)
    with world.client(world.admin_token) as c:
        assert c.get(f"/api/v1/accounts/{physics}").json() == _account_json(world, physics)


@pytest.mark.parametrize("role", ["teacher", "ta", "designer", "student", "observer", "outsider"])
def test_course_members_are_not_account_admins(world, role):
    cast = world.cast(world.course("Chemistry"))
    with world.client(cast[role]) as c:
        r = c.get("/api/v1/accounts/1")
        listed = c.get("/api/v1/accounts")
    assert (r.status_code, r.json()) == (403, FORBIDDEN)
    assert (listed.status_code, listed.json()) == (200, [])


@pytest.mark.parametrize("ref", ["999999", "sis_account_id:NOPE", "abc"])
def test_unknown_account_is_404(world, ref):
    with world.client(world.admin_token) as c:
        r = c.get(f"/api/v1/accounts/{ref}")
    assert (r.status_code, r.json()) == (404, NOT_FOUND)


def test_no_token_is_401(world):
    with world.client() as c:
        one, listed = c.get("/api/v1/accounts/1"), c.get("/api/v1/accounts")
    for r in (one, listed):
        assert r.status_code == 401
        assert r.json() == {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}


def test_list_shows_the_accounts_administered_directly(world):
    science = _sub_account(world, "Science")
    _sub_account(world, "Physics", science)
    token = _admin_of(world, "scienceadmin", science)
    with world.client(token) as c:
        r = c.get("/api/v1/accounts")
    assert r.status_code == 200
    assert r.json() == [_account_json(world, science)]
    with world.client(world.admin_token) as c:
        assert [a["id"] for a in c.get("/api/v1/accounts").json()] == [1]


def test_list_is_paged_with_link_headers(world):
    ids = [_sub_account(world, f"Dept {n}") for n in range(3)]
    token = _admin_of(world, "multiadmin", *ids)
    with world.client(token) as c:
        first = c.get("/api/v1/accounts", params={"per_page": 2})
        second = c.get("/api/v1/accounts", params={"per_page": 2, "page": 2})
    assert [a["id"] for a in first.json()] == ids[:2]
    assert [a["id"] for a in second.json()] == ids[2:]
    assert 'rel="next"' in first.headers["Link"] and "page=2&per_page=2" in first.headers["Link"]
    assert 'rel="next"' not in second.headers["Link"] and 'rel="prev"' in second.headers["Link"]


def test_deleted_account_is_404_and_left_out_of_the_list(world):
    gone = _sub_account(world, "Gone")
    token = _admin_of(world, "goneadmin", gone)
    with world.tx() as db:
        db.get(Account, gone).workflow_state = "deleted"
    with world.client(token) as c:
        assert c.get(f"/api/v1/accounts/{gone}").status_code == 404
        assert c.get("/api/v1/accounts").json() == []
