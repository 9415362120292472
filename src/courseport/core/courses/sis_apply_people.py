"""SIS rows of admins, logins and observer links, each applied through the core function the Canvas face's
own endpoint uses (account_admins.make_admin/remove_admin, logins.create_login/update_login,
observer_links.link/unlink), so applying the same row again leaves the same state. Users are named by their
SIS user ids, accounts by their SIS account ids (blank: the root account).
"""

from __future__ import annotations

from sqlalchemy import select

from courseport.core.courses import observer_links
from courseport.core.courses.sis_apply_identity import Target, sis_account, sis_login, sis_user
from courseport.core.courses.sis_rows import RowError, RowProblem, required, status
from courseport.core.identity import account_admins, communication_channels, logins
from courseport.core.identity.communication_channels import NewChannel
from courseport.core.identity.logins import LoginChanges
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import Account, AccountUser, Login, ObserverLink, User


def _account(t: Target, row: dict[str, str], what: str) -> Account:
    if ref := row.get("account_id"):
        if (account := sis_account(t, ref)) is None:
            raise RowProblem("account_id", f"Account not found \"{ref}\" for {what}")
        return account
    return t.root


def _user(t: Target, row: dict[str, str], column: str, what: str) -> User:
    ref = required(row, column, what)
    if (user := sis_user(t, ref)) is None:
        raise RowProblem(column, f"User not found \"{ref}\" for {what}")
    return user


def apply_admin(t: Target, row: dict[str, str]) -> str:
    """An account role for a user (AccountAdmin when neither role_id nor role names one); `deleted` removes it."""
    role_column = "role_id" if row.get("role_id") else "role"
    role_ref = row.get(role_column) or None
    what = (f"admin (User ID: {row.get('user_id', '')}, Account ID: {row.get('account_id', '')}, "
            f"Role: {role_ref or 'AccountAdmin'})")
    state = status(row, ("active", "deleted"), what)
    user, account = _user(t, row, "user_id", what), _account(t, row, what)
    had = t.db.scalar(select(AccountUser.role_id).where(AccountUser.account_id == account.id,
                                                        AccountUser.user_id == user.id))
    try:
        if state == "deleted":
            account_admins.remove_admin(t.db, t.actor, str(account.id), str(user.id), role_ref)
            return "deleted"
        account_admins.make_admin(t.db, t.actor, str(account.id), str(user.id), role_ref)
    except NotFound as exc:
        if exc.what != "role":
            return "skipped"  # no such adminship: nothing to remove
        raise RowProblem(role_column, f"Invalid role \"{role_ref}\" for {what}") from None
    except InvalidInput as exc:
        raise RowProblem(role_column, f"{exc.message} for {what}") from None
    return "created" if had is None else "updated"


def _existing_user(t: Target, row: dict[str, str], what: str) -> User:
    """The user a login row adds to: by exactly one of existing_user_id (SIS), existing_integration_id or
    existing_canvas_user_id."""
    given = [c for c in ("existing_user_id", "existing_integration_id", "existing_canvas_user_id") if row.get(c)]
    if len(given) != 1:
        raise RowProblem("existing_user_id", f"Exactly one of existing_user_id, existing_integration_id and "
                                             f"existing_canvas_user_id must be given for {what}")
    column, ref = given[0], row[given[0]]
    user: User | None = None
    if column == "existing_user_id":
        user = sis_user(t, ref)
    elif column == "existing_integration_id":
        login = t.db.scalar(select(Login).where(Login.integration_id == ref, Login.account_id == t.root.id,
                                                Login.workflow_state != "deleted"))
        user = t.db.get(User, login.user_id) if login is not None else None
    elif is_id(ref) and (found := t.db.get(User, store_id(ref))) is not None:
        user = found if t.db.scalar(select(Login.id).where(Login.user_id == found.id, Login.account_id == t.root.id,
                                                          Login.workflow_state != "deleted").limit(1)) else None
    if user is None or user.workflow_state == "deleted":
        raise RowProblem(column, f"Could not find the existing user \"{ref}\" for {what}")
    return user


def _provider(row: dict[str, str], what: str) -> None:
    """authentication_provider_id names a provider by id or type; this service has only Canvas's own
    (`canvas`, which a login uses without naming it), so any other is unknown: an error for the row."""
    ref = row.get("authentication_provider_id", "")
    if ref and ref.lower() != "canvas":
        raise RowError("authentication_provider_id", f"Authentication provider \"{ref}\" not found for {what}")


def _add_email(t: Target, user: User, row: dict[str, str], what: str) -> None:
    """The row's email as an active email channel of the user (kept if they have it already)."""
    if email := row.get("email"):
        try:
            communication_channels.create_channel(t.db, t.actor, str(user.id),
                                                  NewChannel("email", email, skip_confirmation=True))
        except communication_channels.DuplicateChannel:
            pass  # the user has that address already
        except InvalidInput:
            raise RowProblem("email", f"Invalid email \"{email}\" for {what}") from None


def _login_changes(row: dict[str, str], sis_id: str, login_id: str) -> LoginChanges:
    changes = LoginChanges({"unique_id", "sis_user_id", "workflow_state"}, unique_id=login_id, sis_user_id=sis_id,
                           workflow_state="active")
    for column in ("password", "integration_id"):
        if value := row.get(column):
            changes.given.add(column)
            setattr(changes, column, value)
    return changes


def apply_login(t: Target, row: dict[str, str]) -> str:
    """A login (with its SIS user id) for an existing user; the same SIS id again updates that login."""
    sis_id = required(row, "user_id", "login")
    what = f"login {sis_id}"
    login_id = required(row, "login_id", what)
    _provider(row, what)
    user = _existing_user(t, row, what)
    login, changes = sis_login(t, sis_id), _login_changes(row, sis_id, login_id)
    if login is not None and login.user_id != user.id:
        raise RowProblem("user_id", f"SIS user id {sis_id} belongs to another user's login for {what}")
    try:
        if login is None:
            login = logins.create_login(t.db, t.actor, str(t.root.id), user, changes)
            outcome = "created"
        else:
            outcome = "restored" if login.workflow_state == "deleted" else "updated"
            if login.unique_id.lower() == login_id.lower():
                changes.given.discard("unique_id")
            changes.given.discard("sis_user_id")
            logins.update_login(t.db, t.actor, str(t.root.id), str(login.id), changes)
    except logins.PasswordTooShort:
        raise RowProblem("password", f"Password for {what} is too short: at least {logins.MIN_PASSWORD_LENGTH} "
                                     "characters") from None
    _add_email(t, user, row, what)
    login.sis_import_id = t.import_id
    return outcome


def apply_user_observer(t: Target, row: dict[str, str]) -> str:
    """Link an observer to a student of the root account; `deleted` unlinks them."""
    what = f"user observer (Observer ID: {row.get('observer_id', '')}, Student ID: {row.get('student_id', '')})"
    state = status(row, ("active", "deleted"), what)
    observer, student = _user(t, row, "observer_id", what), _user(t, row, "student_id", what)
    linked = t.db.scalar(select(ObserverLink.id).where(ObserverLink.observer_id == observer.id,
                                                       ObserverLink.student_id == student.id,
                                                       ObserverLink.root_account_id == t.root.id))
    if state == "deleted":
        if linked is None:
            return "skipped"
        observer_links.unlink(t.db, t.actor, str(observer.id), str(student.id))
        return "deleted"
    try:
        observer_links.link(t.db, t.actor, str(observer.id), str(student.id))
    except InvalidInput as exc:
        raise RowProblem("student_id", f"{exc.message} for {what}") from None
    return "created" if linked is None else "updated"
