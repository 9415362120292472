"""Canvas account users over raw HTTP: exact bodies, Canvas's record-errors bodies, refusals, paging,
sub-account membership, SIS reactivation, and removal that keeps submissions."""

from __future__ import annotations

from sqlalchemy import select

from courseport.core.identity import accounts
from courseport.schema import Enrollment, Login, Submission, User
from tests.dialects.canvas.errors import FORBIDDEN, INVALID_TOKEN, NOT_FOUND

TAKEN = {"attribute": "unique_id", "type": "taken",
         "message": "ID already in use for this account and authentication provider"}
PSEUDONYMS_INVALID = {"pseudonyms": [{"attribute": "pseudonyms", "type": "invalid", "message": "is invalid"}]}


def _created_at(world, user_id: int) -> str:
    with world.tx() as db:
        return db.get(User, user_id).created_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_create_answers_canvas_user_json(world):
    form = {"user[name]": "Mary Somerville", "pseudonym[unique_id]": "mary", "pseudonym[sis_user_id]": "MS1",
            "pseudonym[integration_id]": "I-MS1", "communication_channel[address]": "mary@example.edu"}
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/self/users", data=form)
    assert r.status_code == 200, r.text
    user_id = r.json()["id"]
    assert r.json() == {"id": user_id, "name": "Mary Somerville", "created_at": _created_at(world, user_id),
                        "sortable_name": "Somerville, Mary", "short_name": "Mary Somerville", "sis_user_id": "MS1",
                        "integration_id": "I-MS1", "sis_import_id": None, "login_id": "mary", "locale": None}
    with world.tx() as db:
        user = db.get(User, user_id)
        assert (user.email, user.workflow_state) == ("mary@example.edu", "pre_registered")
        login = db.scalar(select(Login).where(Login.user_id == user_id))
        assert (login.unique_id, login.sis_user_id, login.account_id, login.password_hash) == ("mary", "MS1", 1, None)


def test_a_nameless_user_is_named_after_the_login_and_an_email_login_is_the_email(world):
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/users", json={"pseudonym": {"unique_id": "kim@example.edu"},
                                                      "user": {"skip_registration": True}})
    assert (r.json()["name"], r.json()["login_id"]) == ("kim@example.edu", "kim@example.edu")
    with world.tx() as db:
        user = db.get(User, r.json()["id"])
        assert (user.email, user.workflow_state) == ("kim@example.edu", "registered")


def test_duplicate_login_is_refused_naming_the_field(world):
    world.user("taken")
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/accounts/1/users", data={"user[name]": "Second", "pseudonym[unique_id]": "TAKEN"})
        count = c.get("/api/v1/accounts/1/users", params={"search_term": "second"}).json()
    assert r.status_code == 400
    assert r.json() == {"errors": {"user": PSEUDONYMS_INVALID, "pseudonym": {"unique_id": [TAKEN]},
                                   "observee": {}, "pairing_code": {}, "recaptcha": None}}
    assert count == []  # nothing was written


def test_duplicate_sis_id_and_short_password_are_refused_naming_the_field(world):
    world.user("holder", sis_user_id="S1")
    with world.client(world.admin_token) as c:
        sis = c.post("/api/v1/accounts/1/users", data={"pseudonym[unique_id]": "new", "pseudonym[sis_user_id]": "S1"})
        short = c.post("/api/v1/accounts/1/users", data={"pseudonym[unique_id]": "new", "pseudonym[password]": "abc"})
        missing = c.post("/api/v1/accounts/1/users", data={"user[name]": "No Login"})
    assert (sis.status_code, sis.json()["errors"]["pseudonym"]) == (400, {"sis_user_id": [
        {"attribute": "sis_user_id", "type": "taken", "message": 'SIS ID "S1" is already in use'}]})
    assert short.json()["errors"]["pseudonym"] == {"password": [
        {"attribute": "password", "type": "too_short", "message": "too_short"}]}
    assert (missing.status_code, missing.json()) == (400, {"errors": [
        {"message": "pseudonym[unique_id] is required", "field": "pseudonym[unique_id]"}]})


def test_only_admins_create_list_and_remove_users(world):
    _, token = world.user_with_token("student")
    with world.client(token) as c:
        made = c.post("/api/v1/accounts/1/users", data={"pseudonym[unique_id]": "x"})
        listed = c.get("/api/v1/accounts/1/users")
        removed = c.delete(f"/api/v1/accounts/1/users/{world.admin.id}")
    assert [(r.status_code, r.json()) for r in (made, listed, removed)] == [(403, FORBIDDEN)] * 3


def test_list_pages_with_link_headers_searches_and_sorts(world):
    for n in range(5):
        world.user(f"u{n}", f"User {4 - n}", sis_user_id=f"SIS{n}")
    with world.client(world.admin_token) as c:
        first = c.get("/api/v1/accounts/1/users", params={"per_page": 2, "search_term": "user"})
        by_sis = c.get("/api/v1/accounts/1/users", params={"sort": "sis_id", "order": "desc", "search_term": "sis"})
        short = c.get("/api/v1/accounts/1/users", params={"search_term": "u"})
        bad_sort = c.get("/api/v1/accounts/1/users", params={"sort": "shoe_size"})
        included = c.get("/api/v1/accounts/1/users", params={"search_term": "SIS0", "include[]": ["email", "time_zone",
                                                                                                 "last_login"]})
    assert [u["name"] for u in first.json()] == ["User 0", "User 1"]
    assert 'rel="next"' in first.headers["link"] and "search_term=user" in first.headers["link"]
    assert [u["sis_user_id"] for u in by_sis.json()] == ["SIS4", "SIS3", "SIS2", "SIS1", "SIS0"]
    assert (short.status_code, short.json()) == (400, {"errors": [
        {"message": "2 or more characters is required", "field": "search_term"}]})
    assert (bad_sort.status_code, bad_sort.json()) == (400, {"errors": [{
        "message": "sort must be one of username, email, sis_id, integration_id, last_login, id", "field": "sort"}]})
    assert {k: included.json()[0][k] for k in ("email", "time_zone", "last_login")} == {
        "email": "u0@example.test", "time_zone": "UTC", "last_login": None}


def test_sub_account_lists_its_own_users_and_those_of_its_courses(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Science", 1)
    course = world.course("Physics", account_id=sub.id)
    enrolled = world.user("enrolled")
    world.enroll(enrolled, course)
    world.user("elsewhere")
    with world.client(world.admin_token) as c:
        made = c.post(f"/api/v1/accounts/{sub.id}/users", data={"pseudonym[unique_id]": "subby"}).json()
        in_sub = c.get(f"/api/v1/accounts/{sub.id}/users").json()
        in_root = c.get("/api/v1/accounts/1/users", params={"per_page": 50}).json()
        login = c.get(f"/api/v1/users/{made['id']}/logins").json()
    assert sorted(u["id"] for u in in_sub) == sorted([made["id"], enrolled.id])
    assert {made["id"], enrolled.id} <= {u["id"] for u in in_root}
    assert login[0]["account_id"] == 1  # logins belong to the root account, as on Canvas


def test_edit_user_rights_and_fields(world):
    me, token = world.user_with_token("self", name="Old Name")
    other = world.user("other")
    with world.client(token) as c:
        mine = c.put("/api/v1/users/self", data={"user[name]": "New Name", "user[email]": "not@mine.test",
                                                 "user[avatar][url]": "https://img.test/a.png",
                                                 "user[time_zone]": "America/Denver"})
        theirs = c.put(f"/api/v1/users/{other.id}", data={"user[name]": "Hacked"})
        bad_zone = c.put("/api/v1/users/self", data={"user[time_zone]": "Mars/Olympus"})
    assert mine.status_code == 200
    body = mine.json()
    assert (body["name"], body["sortable_name"], body["avatar_url"], body["time_zone"], body["email"]) == (
        "New Name", "Name, New", "https://img.test/a.png", "America/Denver", "self@example.test")
    assert (theirs.status_code, theirs.json()) == (403, FORBIDDEN)
    assert bad_zone.status_code == 400 and bad_zone.json()["errors"][0]["field"] == "user[time_zone]"
    with world.client(world.admin_token) as c:
        by_admin = c.put(f"/api/v1/users/sis_login_id:{other.login_id}", data={"user[email]": "new@x.test"}).json()
    assert by_admin["email"] == "new@x.test"


def test_a_locale_or_pronouns_past_their_columns_are_refused_and_nothing_changes(world):
    """core/kit/column_limits.py: PostgreSQL would answer 500, SQLite would keep the text; both refuse it."""
    me, token = world.user_with_token("self", name="Kept")
    with world.client(token) as c:
        locale = c.put("/api/v1/users/self", data={"user[locale]": "x" * 17, "user[name]": "Changed"})
        pronouns = c.put("/api/v1/users/self", data={"user[pronouns]": "p" * 65})
        fits = c.put("/api/v1/users/self", data={"user[locale]": "x" * 16})
    assert (locale.status_code, locale.json()) == (400, {"errors": [
        {"message": "user[locale] may be at most 16 characters long", "field": "user[locale]"}]})
    assert (pronouns.status_code, pronouns.json()) == (400, {"errors": [
        {"message": "user[pronouns] may be at most 64 characters long", "field": "user[pronouns]"}]})
    assert fits.status_code == 200
    with world.tx() as db:
        stored = db.get(User, me.id)
        assert (stored.name, stored.locale, stored.pronouns) == ("Kept", "x" * 16, None)


def test_profile(world):
    user, token = world.user_with_token("prof", name="Pro File")
    with world.client(token) as c:
        mine = c.get("/api/v1/users/self/profile").json()
    with world.client(world.token(world.user("stranger"))) as c:
        refused = c.get(f"/api/v1/users/{user.id}/profile")
    assert {k: mine[k] for k in ("id", "name", "primary_email", "login_id", "effective_locale", "title")} == {
        "id": user.id, "name": "Pro File", "primary_email": "prof@example.test", "login_id": "prof",
        "effective_locale": "en", "title": None}
    assert mine["calendar"]["ics"].endswith(".ics")
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)


def test_removing_a_user_keeps_their_submissions(world):
    course = world.course("Kept")
    student, token = world.user_with_token("goner")
    enrollment = world.enroll(student, course)
    assignment = world.assignment(course)
    with world.client(token) as c:
        submitted = c.post(f"/api/v1/courses/{course.id}/assignments/{assignment.id}/submissions",
                           data={"submission[submission_type]": "online_text_entry", "submission[body]": "mine"})
    assert submitted.status_code == 201, submitted.text
    with world.client(world.admin_token) as c:
        removed = c.delete(f"/api/v1/accounts/1/users/{student.id}")
        after = c.get(f"/api/v1/users/{student.id}")
        again = c.delete(f"/api/v1/accounts/1/users/{student.id}")
    assert (removed.status_code, removed.json()["id"], removed.json()["login_id"]) == (200, student.id, None)
    assert (after.status_code, after.json()) == (404, NOT_FOUND)
    assert (again.status_code, again.json()) == (404, NOT_FOUND)
    with world.tx() as db:
        assert db.get(User, student.id).workflow_state == "deleted"
        assert db.get(Enrollment, enrollment.id).workflow_state == "deleted"
        kept = db.scalars(select(Submission).where(Submission.user_id == student.id)).all()
        assert len(kept) == 1 and kept[0].body == "mine"
    with world.client(token) as c:  # a deleted user's token no longer works
        refused = c.get("/api/v1/users/self")
    assert (refused.status_code, refused.json()) == (401, INVALID_TOKEN)


def test_enable_sis_reactivation_brings_a_removed_user_back(world):
    with world.client(world.admin_token) as c:
        first = c.post("/api/v1/accounts/1/users", data={"pseudonym[unique_id]": "back", "pseudonym[sis_user_id]": "B1",
                                                         "user[name]": "Back Again"}).json()
        c.delete(f"/api/v1/accounts/1/users/{first['id']}")
        refused = c.post("/api/v1/accounts/1/users", data={"pseudonym[unique_id]": "back2",
                                                           "pseudonym[sis_user_id]": "B1"})
        revived = c.post("/api/v1/accounts/1/users", data={"pseudonym[unique_id]": "back2",
                                                           "pseudonym[sis_user_id]": "B1",
                                                           "enable_sis_reactivation": "true"})
    assert (refused.status_code, refused.json()["errors"]["pseudonym"]) == (400, {"sis_user_id": [
        {"attribute": "sis_user_id", "type": "taken", "message": 'SIS ID "B1" is already in use'}]})
    assert (revived.json()["id"], revived.json()["login_id"], revived.json()["sis_user_id"]) == (
        first["id"], "back2", "B1")


def test_enrollment_type_uuids_and_deleted_users_filters(world):
    course = world.course("Filtered")
    teacher, student, gone = world.user("teach"), world.user("learn"), world.user("gone")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(student, course)
    with world.client(world.admin_token) as c:
        c.delete(f"/api/v1/accounts/1/users/{gone.id}")
        teachers = c.get("/api/v1/accounts/1/users", params={"enrollment_type": "teacher"}).json()
        by_uuid = c.get("/api/v1/accounts/1/users", params={"uuids[]": [student.uuid, "nope"]}).json()
        live = c.get("/api/v1/accounts/1/users", params={"per_page": 50}).json()
        with_deleted = c.get("/api/v1/accounts/1/users", params={"per_page": 50, "include_deleted_users": True}).json()
        bad = c.get("/api/v1/accounts/1/users", params={"enrollment_type": "principal"})
    assert [u["id"] for u in teachers] == [teacher.id]
    assert [u["id"] for u in by_uuid] == [student.id]
    assert gone.id not in [u["id"] for u in live] and gone.id in [u["id"] for u in with_deleted]
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "enrollment_type"
