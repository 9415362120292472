"""SIS rows of accounts, terms and users, each applied through the core function the Canvas face's own
endpoint uses (sub_accounts, terms, account_users and logins): an SIS id not seen before creates, a
known one updates, so applying the same row again leaves the same state. Each function answers what it
did: "created", "updated", "deleted", "restored" or "skipped" (nothing to do).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses.sis_rows import RowProblem, date, required, status
from courseport.core.identity import account_users, accounts, logins, sis_stickiness, sub_accounts, terms
from courseport.core.identity.account_users import NewUser, UserChanges
from courseport.core.identity.logins import LoginChanges
from courseport.core.identity.sub_accounts import AccountChanges
from courseport.core.identity.terms import TermChanges
from courseport.schema import Account, Login, Term, User


@dataclass(frozen=True)
class Target:
    """Where rows go: the importing admin, the root account, and the import's id (rows carry it)."""

    db: Session
    actor: User
    root: Account
    import_id: int


def sis_account(t: Target, sis_id: str) -> Account | None:
    return t.db.scalar(select(Account).where(Account.sis_account_id == sis_id, accounts.in_root(t.root.id),
                                             Account.workflow_state != "deleted"))


def apply_account(t: Target, row: dict[str, str]) -> str:
    sis_id = required(row, "account_id", "account")
    what = f"account {sis_id}"
    state = status(row, ("active", "deleted"), what)
    if state == "deleted":
        raise RowProblem("status", f"Deleting {what} is not supported by this import; the account is kept")
    parent_ref = str(t.root.id)
    if parent := row.get("parent_account_id", ""):
        if (found := sis_account(t, parent)) is None:
            raise RowProblem("parent_account_id", f"Parent account didn't exist for {what} ({parent})")
        parent_ref = str(found.id)
    account = sis_account(t, sis_id)
    if account is None:
        name = required(row, "name", what)
        changes = AccountChanges({"name", "sis_account_id"}, name=name, sis_account_id=sis_id)
        sub_accounts.create_sub_account(t.db, t.actor, parent_ref, changes).sis_import_id = t.import_id
        return "created"
    given = {"name"} - sis_stickiness.held(t.db, "account", account.id) if row.get("name") else set()
    sub_accounts.update_account(t.db, t.actor, str(account.id), AccountChanges(given, name=row.get("name")))
    account.sis_import_id = t.import_id
    return "updated"


def sis_term(t: Target, sis_id: str) -> Term | None:
    return t.db.scalar(select(Term).where(Term.sis_term_id == sis_id, Term.root_account_id == t.root.id))


def apply_term(t: Target, row: dict[str, str]) -> str:
    sis_id = required(row, "term_id", "term")
    what = f"term {sis_id}"
    state = status(row, ("active", "deleted"), what)
    term = sis_term(t, sis_id)
    if state == "deleted":
        if term is None or term.workflow_state == "deleted":
            return "skipped"
        terms.delete_term(t.db, t.actor, str(t.root.id), str(term.id))
        return "deleted"
    changes = TermChanges({"name", "start_at", "end_at", "sis_term_id"}, name=required(row, "name", what),
                          start_at=date(row, "start_date", what), end_at=date(row, "end_date", what),
                          sis_term_id=sis_id)
    if term is None:
        terms.create_term(t.db, t.actor, str(t.root.id), changes)
        sis_term(t, sis_id).sis_import_id = t.import_id  # type: ignore[union-attr]
        return "created"
    restored = term.workflow_state == "deleted"
    if restored:
        term.workflow_state = "active"  # the API has no undelete: Canvas's SIS import restores it this way
    changes.given -= sis_stickiness.held(t.db, "term", term.id)
    terms.update_term(t.db, t.actor, str(t.root.id), str(term.id), changes)
    term.sis_import_id = t.import_id
    return "restored" if restored else "updated"


def sis_login(t: Target, sis_id: str) -> Login | None:
    """The root account's login holding the SIS user id, live or deleted (a deleted one comes back)."""
    return t.db.scalar(select(Login).where(Login.sis_user_id == sis_id, Login.account_id == t.root.id)
                       .order_by(Login.workflow_state == "deleted", Login.id).limit(1))


def _names(row: dict[str, str]) -> UserChanges:
    changes = UserChanges()
    full = row.get("full_name") or " ".join(p for p in (row.get("first_name"), row.get("last_name")) if p)
    for key, value in (("name", full), ("short_name", row.get("short_name")),
                       ("sortable_name", row.get("sortable_name")), ("email", row.get("email"))):
        if value:
            changes.given.add(key)
            setattr(changes, key, value)
    return changes


def _delete_login(t: Target, login: Login) -> None:
    """Canvas deletes the row's login; a user left with no live login in the root account leaves it too
    (enrollments ended, as removing the user through the API does)."""
    others = select(Login.id).where(Login.user_id == login.user_id, Login.account_id == t.root.id,
                                    Login.workflow_state != "deleted", Login.id != login.id).limit(1)
    if t.db.scalar(others) is None:
        account_users.remove_user(t.db, t.actor, str(t.root.id), str(login.user_id))
    else:
        logins.delete_login(t.db, t.actor, t.db.get_one(User, login.user_id), str(login.id))


def apply_user(t: Target, row: dict[str, str]) -> str:
    sis_id = required(row, "user_id", "user")
    what = f"user {sis_id}"
    login_id = required(row, "login_id", what)
    state = status(row, ("active", "deleted", "suspended"), what)
    login = sis_login(t, sis_id)
    if state == "deleted":
        if login is None or login.workflow_state == "deleted":
            return "skipped"
        _delete_login(t, login)
        return "deleted"
    login_changes = LoginChanges({"unique_id", "sis_user_id", "workflow_state"}, unique_id=login_id,
                                 sis_user_id=sis_id, workflow_state="suspended" if state == "suspended" else "active")
    if password := row.get("password"):
        login_changes.given.add("password")
        login_changes.password = password
    try:
        outcome = _write_user(t, row, login, login_changes)
    except logins.PasswordTooShort:
        raise RowProblem("password", f"Password for {what} is too short: at least {logins.MIN_PASSWORD_LENGTH} "
                                     "characters") from None
    written = t.db.get_one(Login, sis_login(t, sis_id).id)  # type: ignore[union-attr]
    written.sis_import_id = t.import_id
    logins.mirror_primary(t.db, t.db.get_one(User, written.user_id))  # the user row shows it as its ids
    return outcome


def _write_user(t: Target, row: dict[str, str], login: Login | None, changes: LoginChanges) -> str:
    if login is None or login.workflow_state == "deleted":
        new = NewUser(_names(row), changes, skip_registration=True, reactivate_sis=True, channel_confirmed=True)
        account_users.create_user(t.db, t.actor, str(t.root.id), new)
        return "created" if login is None else "restored"
    if login.unique_id.lower() == (changes.unique_id or "").lower():
        changes.given.discard("unique_id")
    changes.given.discard("sis_user_id")
    names, held = _names(row), sis_stickiness.held(t.db, "user", login.user_id)
    names.given -= held
    user = t.db.get_one(User, login.user_id)
    for key in held & {"short_name", "sortable_name"}:  # a new name would reset them: they stay as they are
        names.given.add(key)
        setattr(names, key, getattr(user, key))
    account_users.update_user(t.db, t.actor, str(login.user_id), names)
    logins.update_login(t.db, t.actor, str(t.root.id), str(login.id), changes)
    return "updated"


def sis_user(t: Target, sis_id: str) -> User | None:
    """The live user behind a live login holding the SIS user id."""
    login = sis_login(t, sis_id)
    if login is None or login.workflow_state == "deleted":
        return None
    user = t.db.get(User, login.user_id)
    return user if user is not None and user.workflow_state != "deleted" else None
