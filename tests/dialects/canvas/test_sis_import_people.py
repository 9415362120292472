"""SIS admins.csv, logins.csv and user_observers.csv over raw HTTP: the adminships, logins and observer links
each row makes or removes (read back through Canvas's admins, logins and observees APIs and the store), and
every row problem a warning naming its file, row and column."""

from __future__ import annotations

from sqlalchemy import select

from courseport.core.identity import logins
from courseport.schema import Enrollment, Login, ObserverLink
from tests.dialects.canvas import sis_csv
from tests.dialects.canvas.test_sis_imports import NO_CHANGES, NO_COUNTS, UNTOUCHED_CLASSES


def _run(world, files: dict[str, str], name: str = "people.zip") -> dict:
    with world.client(world.admin_token) as c:
        return sis_csv.imported(world, c, sis_csv.zip_of(files), name)


def _user_id(world, sis_id: str) -> int:
    with world.tx() as db:
        return db.scalar(select(Login.user_id).where(Login.sis_user_id == sis_id))


def _admins(world, account: str) -> list[tuple[str, str]]:
    with world.client(world.admin_token) as c:
        listed = c.get(f"/api/v1/accounts/{account}/admins")
    assert listed.status_code == 200, listed.text
    return sorted((a["user"]["name"], a["role"]) for a in listed.json())


def test_admins_are_made_and_removed_whole(world):
    _run(world, sis_csv.ALL, "roster.zip")
    with world.client(world.admin_token) as c:
        role = c.post("/api/v1/accounts/1/roles", data={"label": "Helper", "base_role_type": "AccountMembership"})
    assert role.status_code == 200, role.text
    before = _admins(world, "1")
    done = _run(world, {"admins.csv": "user_id,account_id,role,status\n"
                                      "t1,,AccountAdmin,active\n"
                                      "u1,BIO,Helper,active\n"
                                      "u2,,Wizard,active\n"
                                      "ghost,,AccountAdmin,active\n"
                                      "u1,NOPE,AccountAdmin,active\n"
                                      "t1,,AccountAdmin,frozen\n"})
    assert done == {
        **done, "workflow_state": "imported_with_messages", "progress": 100, "processing_errors": [],
        "data": {"import_type": "instructure_csv", "supplied_batches": ["admin"],
                 "counts": {**NO_COUNTS, "admins": 2, "warning_count": 4}},
        "statistics": {"total_state_changes": 2, "Account": NO_CHANGES, "EnrollmentTerm": NO_CHANGES,
                       "Pseudonym": NO_CHANGES, "Course": NO_CHANGES, "CourseSection": NO_CHANGES,
                       "Enrollment": NO_CHANGES, **UNTOUCHED_CLASSES, "AccountUser": {**NO_CHANGES, "created": 2}},
        "processing_warnings": [
            ["admins.csv", 'Invalid role "Wizard" for admin (User ID: u2, Account ID: , Role: Wizard) '
                           "(row 4, column role)"],
            ["admins.csv", 'User not found "ghost" for admin (User ID: ghost, Account ID: , Role: AccountAdmin) '
                           "(row 5, column user_id)"],
            ["admins.csv", 'Account not found "NOPE" for admin (User ID: u1, Account ID: NOPE, Role: AccountAdmin) '
                           "(row 6, column account_id)"],
            ["admins.csv", 'Improper status "frozen" for admin (User ID: t1, Account ID: , Role: AccountAdmin); '
                           "status must be one of active, deleted (row 7, column status)"]]}
    assert _admins(world, "1") == sorted([*before, ("Tess Teacher", "AccountAdmin")])
    assert _admins(world, "sis_account_id:BIO") == [("Alice Smith", "Helper")]
    gone = _run(world, {"admins.csv": "user_id,account_id,role_id,status\nt1,,,deleted\nt1,,,deleted\n"})
    assert (gone["processing_warnings"], gone["data"]["counts"]["admins"], gone["statistics"]["AccountUser"]) == (
        [], 1, {**NO_CHANGES, "deleted": 1})
    assert _admins(world, "1") == before


def test_logins_are_added_to_existing_users(world):
    _run(world, sis_csv.ALL, "roster.zip")
    bob = _user_id(world, "u2")
    header = ("user_id,integration_id,login_id,password,existing_user_id,existing_integration_id,"
              "existing_canvas_user_id\n")
    done = _run(world, {"logins.csv": header + "u1-sso,int-1,alice-sso,,u1,,\n"
                                               f"u2-alt,,bob-alt,long-password,,,{bob}\n"
                                               "x1,,x-login,,ghost,,\n"
                                               f"y1,,y-login,,u1,,{bob}\n"
                                               "z1,,alice,,u2,,\n"
                                               "w1,,w-login,short,u1,,\n"})
    assert (done["data"]["supplied_batches"], done["data"]["counts"]["logins"], done["statistics"]["Pseudonym"]) == (
        ["login"], 2, {**NO_CHANGES, "created": 2})
    assert done["processing_warnings"] == [
        ["logins.csv", 'Could not find the existing user "ghost" for login x1 (row 4, column existing_user_id)'],
        ["logins.csv", "Exactly one of existing_user_id, existing_integration_id and existing_canvas_user_id must be "
                       "given for login y1 (row 5, column existing_user_id)"],
        ["logins.csv", "ID already in use for this account and authentication provider (row 6, column login_id)"],
        ["logins.csv", "Password for login w1 is too short: at least 8 characters (row 7, column password)"]]
    with world.client(world.admin_token) as c:
        alice = c.get("/api/v1/users/sis_user_id:u1/logins").json()
    assert sorted((x["unique_id"], x["sis_user_id"], x["integration_id"]) for x in alice) == [
        ("alice", "u1", None), ("alice-sso", "u1-sso", "int-1")]
    with world.tx() as db:
        alt = db.scalar(select(Login).where(Login.sis_user_id == "u2-alt"))
        assert (alt.user_id, alt.sis_import_id, logins.password_matches(alt, "long-password")) == (
            bob, done["id"], True)
    again = _run(world, {"logins.csv": header + "u1-sso,,alice-sso2,,u1,,\nu1-sso,,alice-sso3,,u2,,\n"})
    assert again["processing_warnings"] == [
        ["logins.csv", "SIS user id u1-sso belongs to another user's login for login u1-sso (row 3, column user_id)"]]
    assert (again["data"]["counts"]["logins"], again["statistics"]["Pseudonym"]) == (1, NO_CHANGES)
    with world.tx() as db:
        assert db.scalar(select(Login.unique_id).where(Login.sis_user_id == "u1-sso")) == "alice-sso2"


def test_user_observers_link_and_unlink(world):
    _run(world, sis_csv.ALL, "roster.zip")
    done = _run(world, {"users.csv": "user_id,login_id,full_name,status\np1,parent,Pat Parent,active\n",
                        "user_observers.csv": "observer_id,student_id,status\np1,u1,active\np1,ghost,active\n"
                                              "u1,u1,active\np1,u2,frozen\n"})
    assert done["processing_warnings"] == [
        ["user_observers.csv", 'User not found "ghost" for user observer (Observer ID: p1, Student ID: ghost) '
                               "(row 3, column student_id)"],
        ["user_observers.csv", "a user cannot observe themself for user observer (Observer ID: u1, Student ID: u1) "
                               "(row 4, column student_id)"],
        ["user_observers.csv", 'Improper status "frozen" for user observer (Observer ID: p1, Student ID: u2); status '
                               "must be one of active, deleted (row 5, column status)"]]
    assert (done["data"]["supplied_batches"], done["data"]["counts"]["user_observers"],
            done["statistics"]["UserObserver"]) == (["user", "user_observer"], 1, {**NO_CHANGES, "created": 1})
    parent, alice = _user_id(world, "p1"), _user_id(world, "u1")
    with world.client(world.admin_token) as c:
        observees = c.get(f"/api/v1/users/{parent}/observees").json()
    assert [o["id"] for o in observees] == [alice]
    with world.tx() as db:
        observing = db.scalar(select(Enrollment).where(Enrollment.user_id == parent))
        assert (observing.type, observing.associated_user_id, observing.workflow_state) == (
            "ObserverEnrollment", alice, "active")
    gone = _run(world, {"user_observers.csv": "observer_id,student_id,status\np1,u1,deleted\np1,u1,deleted\n"})
    assert (gone["data"]["counts"]["user_observers"], gone["statistics"]["UserObserver"]) == (
        1, {**NO_CHANGES, "deleted": 1})
    with world.tx() as db:
        assert db.scalar(select(ObserverLink.id)) is None
        assert db.scalar(select(Enrollment.workflow_state).where(Enrollment.user_id == parent)) == "deleted"


def test_logins_take_a_password_an_email_and_only_known_providers(world):
    _run(world, sis_csv.ALL, "roster.zip")
    header = "user_id,login_id,password,email,authentication_provider_id,existing_user_id\n"
    done = _run(world, {"logins.csv": header + "u1-alt,alice-alt,a-long-password,alice.alt@example.org,canvas,u1\n"
                                               "u2-sso,bob-sso,,,saml,u2\n"
                                               "u2-alt,bob-alt,,not-an-address,,u2\n"})
    assert done["workflow_state"] == "imported_with_messages"
    assert done["processing_errors"] == [
        ["logins.csv", 'Authentication provider "saml" not found for login u2-sso (row 3, column '
                       'authentication_provider_id)']]
    assert done["processing_warnings"] == [
        ["logins.csv", 'Invalid email "not-an-address" for login u2-alt (row 4, column email)']]
    assert (done["data"]["counts"]["logins"], done["data"]["counts"]["error_count"],
            done["data"]["counts"]["warning_count"]) == (1, 1, 1)
    with world.tx() as db:
        alt = db.scalar(select(Login).where(Login.sis_user_id == "u1-alt"))
        assert (alt.unique_id, alt.authentication_provider_id, logins.password_matches(alt, "a-long-password")) == (
            "alice-alt", None, True)
        assert db.scalar(select(Login.id).where(Login.sis_user_id.in_(("u2-sso", "u2-alt")))) is None
    with world.client(world.admin_token) as c:
        channels = c.get("/api/v1/users/sis_user_id:u1/communication_channels").json()
    assert ("email", "alice.alt@example.org", "active") in {(ch["type"], ch["address"], ch["workflow_state"])
                                                             for ch in channels}
