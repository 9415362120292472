"""Logins in core: every user made with a login gets a login row, the user row mirrors the first live
login, unique ids are compared case-insensitively, passwords are scrypt hashes, and acting as a user."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.core.identity import accounts, logins, masquerade, users
from courseport.core.identity.logins import LoginChanges, LoginTaken, PasswordTooShort
from courseport.schema import Account, Login, User


def test_create_user_with_a_login_writes_the_login_row(world):
    with world.tx() as db:
        user = users.create_user(db, "Rowan", "rowan", sis_user_id="R1", integration_id="IR1")
        login = db.scalar(select(Login).where(Login.user_id == user.id))
        assert (login.unique_id, login.sis_user_id, login.integration_id, login.account_id) == ("rowan", "R1", "IR1", 1)
        assert (user.login_id, user.sis_user_id, user.integration_id) == ("rowan", "R1", "IR1")
        assert users.resolve_user(db, "sis_login_id:rowan", user).id == user.id


def test_the_user_row_mirrors_the_first_live_login(world):
    with world.tx() as db:
        user = users.create_user(db, "Mirror", "one")
        root = db.get_one(Account, 1)
        second = logins.add_login(db, user, root, LoginChanges({"unique_id", "sis_user_id"}, unique_id="two",
                                                               sis_user_id="M2"))
        assert (user.login_id, user.sis_user_id) == ("one", None)
        first = db.scalar(select(Login).where(Login.user_id == user.id, Login.unique_id == "one"))
        first.workflow_state = "deleted"
        logins.mirror_primary(db, user)
        assert (user.login_id, user.sis_user_id) == ("two", "M2")
        second.workflow_state = "deleted"
        logins.mirror_primary(db, user)
        assert (user.login_id, user.sis_user_id) == (None, None)


def test_unique_ids_clash_case_insensitively_and_free_up_when_deleted(world):
    with world.tx() as db:
        user = users.create_user(db, "Case", "Case.Sensitive")
        other = users.create_user(db, "Other", None)
        root = db.get_one(Account, 1)
        with pytest.raises(LoginTaken) as taken:
            logins.add_login(db, other, root, LoginChanges({"unique_id"}, unique_id="case.sensitive"))
        assert (taken.value.field, taken.value.reason) == ("unique_id", "taken")
        logins.delete_all_logins(db, user, 1)
        assert logins.add_login(db, other, root, LoginChanges({"unique_id"}, unique_id="case.sensitive")).id


def test_passwords_are_scrypt_hashes_of_eight_characters_or_more(world):
    with world.tx() as db:
        user = users.create_user(db, "Pass", None)
        root = db.get_one(Account, 1)
        with pytest.raises(PasswordTooShort):
            logins.add_login(db, user, root, LoginChanges({"unique_id", "password"}, unique_id="p", password="short"))
        login = logins.add_login(db, user, root, LoginChanges({"unique_id", "password"}, unique_id="p",
                                                              password="long enough"))
        assert login.password_hash.startswith("scrypt$") and "long enough" not in login.password_hash
        assert logins.password_matches(login, "long enough") and not logins.password_matches(login, "long enougH")
        assert logins.hash_password("same") != logins.hash_password("same")  # salted


def test_acting_as_needs_adminship_over_the_target(world):
    with world.tx() as db:
        admin = db.get_one(User, world.admin.id)
        student = users.create_user(db, "Student", "student")
        peer = users.create_user(db, "Peer", "peer")
        assert masquerade.acting_as(db, admin, str(student.id)).id == student.id
        assert masquerade.acting_as(db, student, "self").id == student.id
        with pytest.raises(masquerade.MasqueradeRefused):
            masquerade.acting_as(db, student, str(peer.id))
        first, second = accounts.create_account(db, "First", 1), accounts.create_account(db, "Second", 1)
        accounts.make_admin(db, student.id, first.id)
        member = users.create_user(db, "Member", None)
        logins.add_login(db, member, first, LoginChanges({"unique_id"}, unique_id="member"))
        assert masquerade.acting_as(db, student, "sis_login_id:member").id == member.id
        accounts.make_admin(db, member.id, second.id)
        with pytest.raises(masquerade.MasqueradeRefused):  # would gain adminship of an account they lack
            masquerade.acting_as(db, student, "sis_login_id:member")


def test_a_reset_keeps_the_logins_of_the_admins_it_keeps(world):
    from courseport.core.identity import admin

    world.user("dropped")
    with world.tx() as db:
        admin.reset_store(db, keep_admins=True)
        kept = db.scalars(select(Login.unique_id).where(Login.workflow_state == "active")).all()
    assert kept == ["admin"]
