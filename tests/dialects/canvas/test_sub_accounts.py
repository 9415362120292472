"""Canvas account tree over raw HTTP: sub-accounts, account updates, course_accounts, manageable_accounts."""

from __future__ import annotations

from courseport.core.identity import accounts
from courseport.schema import Account
from tests.dialects.canvas.errors import FORBIDDEN


def _account_json(world, account_id: int) -> dict:
    with world.tx() as db:
        a = db.get(Account, account_id)
        return {"id": a.id, "name": a.name, "uuid": a.uuid, "parent_account_id": a.parent_account_id,
                "root_account_id": a.root_account_id, "workflow_state": "active",
                "default_time_zone": a.default_time_zone, "sis_account_id": a.sis_account_id,
                "integration_id": None, "sis_import_id": None, "lti_guid": a.uuid, "default_storage_quota_mb": 500,
                "default_user_storage_quota_mb": 50, "default_group_storage_quota_mb": 50}


def _error(message: str, field: str) -> dict:
    return {"errors": [{"message": message, "field": field}]}


def test_create_answers_the_account(world):
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/sub_accounts", data={"account[name]": " Science ",
                                                             "account[sis_account_id]": "SCI"})
    assert r.status_code == 200
    assert r.json() == _account_json(world, r.json()["id"])
    assert (r.json()["name"], r.json()["parent_account_id"], r.json()["sis_account_id"]) == ("Science", 1, "SCI")


def test_create_and_update_errors_name_the_field(world):
    with world.client(world.admin_token) as c:
        science = c.post("/api/v1/accounts/1/sub_accounts", json={"account": {"name": "Sci", "sis_account_id": "S"}})
        nameless = c.post("/api/v1/accounts/1/sub_accounts", json={"account": {"sis_account_id": "X"}})
        taken = c.post("/api/v1/accounts/1/sub_accounts", json={"account": {"name": "Other", "sis_account_id": "S"}})
        zone = c.put(f"/api/v1/accounts/{science.json()['id']}", json={"account": {"default_time_zone": "Mars"}})
        root_sis = c.put("/api/v1/accounts/1", json={"account": {"sis_account_id": "ROOT"}})
        blank = c.put("/api/v1/accounts/1", json={"account": {"name": "  "}})
    assert (nameless.status_code, nameless.json()) == (400, _error("account[name] must not be blank", "account[name]"))
    assert taken.json() == _error('SIS ID "S" is already in use', "account[sis_account_id]")
    assert zone.json() == _error("account[default_time_zone] 'Mars' is not a known IANA or Rails time zone name",
                                 "account[default_time_zone]")
    assert (root_sis.status_code, root_sis.json()) == (403, {"status": "unauthorized", "errors": [
        {"message": "Cannot set sis_account_id on a root_account."}]})
    assert blank.status_code == 400
    with world.tx() as db:
        assert db.query(Account).count() == 2 and db.get(Account, 1).name == "courseport"


def test_update_renames_and_clears_the_sis_id(world):
    with world.tx() as db:
        science = accounts.create_account(db, "Science", 1, "SCI").id
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/accounts/{science}", json={"account": {"name": "Sciences", "sis_account_id": ""}})
    assert r.status_code == 200 and r.json() == _account_json(world, science)
    assert (r.json()["name"], r.json()["sis_account_id"]) == ("Sciences", None)


def test_lists_direct_and_recursive(world):
    with world.tx() as db:
        a = accounts.create_account(db, "A", 1).id
        b = accounts.create_account(db, "B", 1).id
        a1 = accounts.create_account(db, "A1", a).id
        a11 = accounts.create_account(db, "A11", a1).id
        deleted = accounts.create_account(db, "Gone", 1)
        deleted.workflow_state = "deleted"
    with world.client(world.admin_token) as c:
        direct = c.get("/api/v1/accounts/1/sub_accounts", params={"per_page": 1})
        tree = c.get("/api/v1/accounts/1/sub_accounts", params={"recursive": "true", "per_page": 10})
        below = c.get(f"/api/v1/accounts/{a}/sub_accounts", params={"recursive": True})
    assert [x["id"] for x in direct.json()] == [a]
    assert 'rel="last"' in direct.headers["link"] and "page=2" in direct.headers["link"]
    assert [x["id"] for x in tree.json()] == [a, b, a1, a11]
    assert 'rel="last"' not in tree.headers["link"]
    assert below.json() == [_account_json(world, a1), _account_json(world, a11)]


def test_only_admins_above_may_list_create_and_update(world):
    with world.tx() as db:
        science = accounts.create_account(db, "Science", 1).id
    admin, token = world.user_with_token("subadmin")
    with world.tx() as db:
        accounts.make_admin(db, admin.id, science)
    course = world.course("Course")
    cast = world.cast(course)
    with world.client(token) as c:
        assert c.post("/api/v1/accounts/1/sub_accounts", json={"account": {"name": "X"}}).json() == FORBIDDEN
        assert c.put("/api/v1/accounts/1", json={"account": {"name": "X"}}).json() == FORBIDDEN
        assert c.get("/api/v1/accounts/1/sub_accounts").json() == FORBIDDEN
        assert c.put(f"/api/v1/accounts/{science}", json={"account": {"name": "Mine"}}).status_code == 200
    with world.client(cast["teacher"]) as c:
        refused = c.post(f"/api/v1/accounts/{science}/sub_accounts", json={"account": {"name": "X"}})
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    with world.tx() as db:
        assert [a.name for a in db.query(Account).order_by(Account.id)] == ["courseport", "Mine"]


def test_course_accounts_are_the_accounts_of_taught_courses(world):
    with world.tx() as db:
        science = accounts.create_account(db, "Science", 1).id
        arts = accounts.create_account(db, "Arts", 1).id
    taught, studied = world.course("Bio", account_id=science), world.course("Art", account_id=arts)
    invited_to = world.course("Chem", account_id=arts)
    teacher, token = world.user_with_token("teacher")
    world.enroll(teacher, taught, "TeacherEnrollment")
    world.enroll(teacher, studied)
    world.enroll(teacher, invited_to, "TaEnrollment", state="invited")
    with world.client(token) as c:
        r = c.get("/api/v1/course_accounts")
    with world.tx() as db:
        a = db.get(Account, science)
        expected = {"id": a.id, "name": "Science", "parent_account_id": 1, "root_account_id": 1,
                    "workflow_state": "active", "uuid": a.uuid, "default_time_zone": "UTC"}
    assert (r.status_code, r.json()) == (200, [expected])


def test_manageable_accounts_are_each_administered_account_and_its_tree(world):
    with world.tx() as db:
        science = accounts.create_account(db, "Science", 1).id
        physics = accounts.create_account(db, "Physics", science).id
        arts = accounts.create_account(db, "Arts", 1).id
    admin, token = world.user_with_token("subadmin")
    with world.tx() as db:
        accounts.make_admin(db, admin.id, science)
        accounts.make_admin(db, admin.id, physics)
    student, student_token = world.user_with_token("student")
    with world.client(token) as c:
        mine = c.get("/api/v1/manageable_accounts")
    with world.client(world.admin_token) as c:
        everything = c.get("/api/v1/manageable_accounts", params={"per_page": 100})
    with world.client(student_token) as c:
        none = c.get("/api/v1/manageable_accounts")
    assert mine.json() == [_account_json(world, science), _account_json(world, physics)]
    assert [a["id"] for a in everything.json()] == [1, science, arts, physics]
    assert (none.status_code, none.json()) == (200, [])


def test_a_name_longer_than_the_store_keeps_is_refused_on_every_store(world):
    """Text past its column (core/kit/column_limits.py): PostgreSQL would refuse it with a 500, SQLite would keep
    it; both answer 400 naming the field, and nothing is stored."""
    with world.client(world.admin_token) as c:
        long = c.post("/api/v1/accounts/1/sub_accounts", json={"account": {"name": "n" * 256}})
        fits = c.post("/api/v1/accounts/1/sub_accounts", json={"account": {"name": "n" * 255}})
    assert (long.status_code, long.json()) == (400, _error("account[name] may be at most 255 characters long",
                                                           "account[name]"))
    assert fits.status_code == 200
    with world.tx() as db:
        assert [a.name for a in db.query(Account).order_by(Account.id)] == ["courseport", "n" * 255]
