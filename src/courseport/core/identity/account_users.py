"""Users as an account manages them: create a user with a login, list and search an account's users,
edit a user, and remove a user from a root account.

Who belongs to an account: users with a live login made in it or an account below it (the root account
holds every login of its tree), users enrolled in a course of its tree and its tree's admins.
Who may manage them: admins of the account (Canvas's manage_user_logins); a user edits their own names,
time zone, locale, avatar, bio and pronouns, and only an admin over them changes their email.
Removing a user from a root account deletes their logins and enrollments there but never their
submissions; a user without a live login left is marked deleted (soft: rows stay).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, exists, false, func, or_, select
from sqlalchemy.orm import Session

from courseport.core.identity import (
    accounts,
    channel_rows,
    logins,
    sis_stickiness,
    sub_accounts,
    tenancy,
    tokens,
    users,
)
from courseport.core.identity.logins import LoginChanges
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import is_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.core.kit.time_zones import to_iana
from courseport.schema import Account, AccountUser, Course, Enrollment, Login, User

SORTS = ("username", "email", "sis_id", "integration_id", "last_login", "id")
MIN_SEARCH_LENGTH = 2
_TEXT_LIMIT = 255


@dataclass
class UserChanges:
    """User attributes a create or edit sets; a field absent from `given` is left alone."""

    given: set[str] = field(default_factory=set)
    name: str | None = None
    short_name: str | None = None
    sortable_name: str | None = None
    time_zone: str | None = None
    locale: str | None = None
    email: str | None = None
    avatar_url: str | None = None
    bio: str | None = None
    pronouns: str | None = None


@dataclass
class NewUser:
    user: UserChanges
    login: LoginChanges
    skip_registration: bool = False
    reactivate_sis: bool = False  # Canvas's enable_sis_reactivation
    channel_confirmed: bool = False  # the email's channel is active at once, else unconfirmed


@dataclass(frozen=True)
class UserQuery:
    search_term: str | None = None
    sort: str | None = None
    descending: bool = False
    enrollment_type: str | None = None  # student, teacher, ta, observer, designer
    include_deleted: bool = False  # also users whose logins here are deleted
    uuids: tuple[str, ...] = ()


def _managed_account(db: Session, actor: User, ref: str) -> Account:
    account = accounts.resolve_account(db, ref, actor.id)
    if not accounts.is_admin_of(db, actor.id, account.id):
        raise NotAllowed()
    return account


def create_user(db: Session, actor: User, account_ref: str, new: NewUser) -> User:
    """A user and their first login in the account; Canvas names a nameless user after the login."""
    account = _managed_account(db, actor, account_ref)
    if new.reactivate_sis and new.login.sis_user_id:
        revived = logins.reactivate_by_sis_id(db, account, new.login.sis_user_id)
        if revived is not None:
            return _revive(db, revived, new)
    changes = new.user
    if not (changes.name or "").strip():
        changes.name = (new.login.unique_id or "").strip()
        changes.given.add("name")
    user = users.create_user(db, changes.name or "", workflow_state="registered" if new.skip_registration
                             else "pre_registered")
    _apply(user, changes, may_set_email=True)
    logins.add_login(db, user, account, new.login)
    channel_rows.record_email(db, user, active=new.channel_confirmed)
    return user


def _revive(db: Session, login: Login, new: NewUser) -> User:
    """The deleted user behind a reactivated login, live again with the attributes now given."""
    user = db.get_one(User, login.user_id)
    user.workflow_state = "registered" if new.skip_registration else "pre_registered"
    _apply(user, new.user, may_set_email=True)
    new.login.given -= {"sis_user_id"}
    logins.apply_changes(db, login, new.login)
    logins.mirror_primary(db, user)
    channel_rows.record_email(db, user, active=new.channel_confirmed)
    return user


def update_user(db: Session, actor: User, user_ref: str, changes: UserChanges) -> User:
    user = users.resolve_user(db, user_ref, actor)
    admin = administers_user(db, actor.id, user)
    if user.id != actor.id and not admin:
        raise NotAllowed()
    before = sis_stickiness.watch("user", user)
    _apply(user, changes, may_set_email=admin)
    db.flush()
    sis_stickiness.note(db, "user", user, before)
    if admin and "email" in changes.given:
        channel_rows.record_email(db, user)
    return user


def _apply(user: User, changes: UserChanges, *, may_set_email: bool) -> None:
    if "name" in changes.given:
        name = (changes.name or "").strip()
        if not name:
            raise InvalidInput("name", "name is required")
        user.name = _limited("name", name)
        if "sortable_name" not in changes.given:
            user.sortable_name = users.sortable_name_of(name)
        if "short_name" not in changes.given:
            user.short_name = user.name
    for key in ("short_name", "sortable_name"):
        if key in changes.given and (getattr(changes, key) or "").strip():
            setattr(user, key, _limited(key, getattr(changes, key).strip()))
    if "time_zone" in changes.given and changes.time_zone:
        user.time_zone = to_iana(changes.time_zone, "time_zone")
    for key in ("locale", "avatar_url", "bio", "pronouns"):
        if key in changes.given:
            setattr(user, key, getattr(changes, key) or None)  # past its column: column_limits refuses it
    if "email" in changes.given and may_set_email:
        user.email = _limited("email", changes.email.strip()) if changes.email else None


def _limited(key: str, value: str) -> str:
    if len(value) > _TEXT_LIMIT:
        raise InvalidInput(key, f"{key} is too long (maximum is {_TEXT_LIMIT} characters)")
    return value


def administers_user(db: Session, actor_id: int, user: User) -> bool:
    """Whether the actor administers an account the user belongs to (a login's, or a course's)."""
    root = tenancy.tenant_of(db, actor_id)
    if tenancy.tenant_of(db, user.id) == root and accounts.is_admin_of(db, actor_id, root):
        return True
    login_accounts = select(func.coalesce(Login.home_account_id, Login.account_id)).where(
        Login.user_id == user.id, Login.workflow_state != "deleted")
    course_accounts = select(Course.account_id).join(Enrollment, Enrollment.course_id == Course.id).where(
        Enrollment.user_id == user.id)
    found = set(db.scalars(login_accounts.union(course_accounts)))
    return any(accounts.is_admin_of(db, actor_id, account_id) for account_id in found)


def list_users(db: Session, actor: User, account_ref: str, query: UserQuery, window: Window) -> Slice[User]:
    """The account's users (see the module docstring), searched, sorted and paged."""
    account = _managed_account(db, actor, account_ref)
    tree = [account.id, *sub_accounts.descendant_ids(db, account.id)]
    stmt = select(User).where(_member_of(account, tree, query.include_deleted))
    if not query.include_deleted:
        stmt = stmt.where(User.workflow_state != "deleted")
    if query.enrollment_type is not None:
        stmt = stmt.where(_enrolled(tree, _enrollment_type(query.enrollment_type)))
    if query.uuids:
        stmt = stmt.where(User.uuid.in_(query.uuids))
    if query.search_term is not None:
        stmt = stmt.where(search_condition(query.search_term))
    if query.sort is not None and query.sort not in SORTS:
        raise InvalidInput("sort", f"sort must be one of {', '.join(SORTS)}")
    return fetch_window(db, stmt.order_by(*_order(query)), window)


def belongs_to(db: Session, user_id: int, account: Account) -> bool:
    """Whether the user is one of the account's users (see the module docstring)."""
    tree = [account.id, *sub_accounts.descendant_ids(db, account.id)]
    return db.scalar(select(User.id).where(User.id == user_id, _member_of(account, tree, False))) is not None


def _member_of(account: Account, tree: list[int], include_deleted: bool) -> Any:
    login = Login.user_id == User.id if include_deleted else and_(Login.user_id == User.id,
                                                                  Login.workflow_state != "deleted")
    if account.parent_account_id is None:
        by_login = exists().where(login, Login.account_id == account.id)
    else:
        by_login = exists().where(login, Login.home_account_id.in_(tree))
    admin = exists().where(AccountUser.user_id == User.id, AccountUser.account_id.in_(tree))
    return or_(by_login, _enrolled(tree, None), admin)


def _enrolled(tree: list[int], etype: str | None) -> Any:
    condition = exists().where(Enrollment.user_id == User.id, Enrollment.workflow_state != "deleted",
                               Enrollment.course_id.in_(select(Course.id).where(Course.account_id.in_(tree))))
    return condition.where(Enrollment.type == etype) if etype else condition


def _enrollment_type(name: str) -> str:
    types = {"student": "StudentEnrollment", "teacher": "TeacherEnrollment", "ta": "TaEnrollment",
             "observer": "ObserverEnrollment", "designer": "DesignerEnrollment"}
    if name not in types:
        raise InvalidInput("enrollment_type", f"enrollment_type must be one of {', '.join(types)}")
    return types[name]


def search_condition(search_term: str) -> Any:
    """Users whose name, login, email or SIS id (Canvas searches these for admins) holds the term, or
    whose id it is; a term shorter than MIN_SEARCH_LENGTH is refused naming search_term."""
    term = search_term.strip()
    if len(term) < MIN_SEARCH_LENGTH:
        raise InvalidInput("search_term", f"{MIN_SEARCH_LENGTH} or more characters is required")
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    matches: list[Any] = [column.ilike(pattern, escape="\\")
                          for column in (User.name, User.sortable_name, User.login_id, User.email, User.sis_user_id)]
    if is_id(term):
        matches.append(User.id == int(term))
    return or_(*matches)


def _order(query: UserQuery) -> list[Any]:
    column = {"email": User.email, "sis_id": User.sis_user_id, "integration_id": User.integration_id,
              "last_login": User.last_login, "id": User.id}.get(query.sort or "")
    keys: list[Any] = [func.lower(User.sortable_name), User.id]
    if column is not None:
        keys = [case((column.is_(None), 1), else_=0), column, *keys]
    return [k.desc() for k in keys] if query.descending else keys


def remove_user(db: Session, actor: User, account_ref: str, user_ref: str) -> User:
    """Delete the user's logins, enrollments and adminships in a root account; submissions stay.
    Their whole root account is affected, so only its admins may (a sub-account's may not)."""
    root_id = logins.root_of(accounts.resolve_account(db, account_ref, actor.id))
    _managed_account(db, actor, str(root_id))
    user = users.resolve_user(db, user_ref, actor)
    logins.delete_all_logins(db, user, root_id)
    for enrollment in db.scalars(select(Enrollment).where(Enrollment.user_id == user.id,
                                                          Enrollment.root_account_id == root_id)):
        enrollment.workflow_state = "deleted"
    tree = select(Account.id).where(or_(Account.id == root_id, Account.root_account_id == root_id))
    db.execute(delete(AccountUser).where(AccountUser.user_id == user.id, AccountUser.account_id.in_(tree)))
    live = select(Login.id).where(Login.user_id == user.id, Login.workflow_state != "deleted").limit(1)
    if db.scalar(live) is None:
        user.workflow_state = "deleted"
    db.flush()
    return user


def terminate_sessions(db: Session, actor: User, user_ref: str) -> User:
    """End every session of the user (themself, or an admin over them): all their access tokens go,
    manually generated ones too, as Canvas's terminate_sessions does."""
    user = users.resolve_user(db, user_ref, actor)
    if user.id != actor.id and not administers_user(db, actor.id, user):
        raise NotAllowed()
    tokens.revoke_all_tokens(db, user)
    return user


def user_query(search_term: str | None, sort: str | None, order: str | None, **filters: Any) -> UserQuery:
    if order is not None and order not in ("asc", "desc"):
        raise InvalidInput("order", "order must be asc or desc")
    return UserQuery(search_term, sort, order == "desc", **filters)


def readable_user(db: Session, actor: User, user_ref: str) -> User:
    """A user the actor may read whole: themselves, or a user of an account they administer.
    Others are not found, so a lookup by login or SIS id cannot probe who exists."""
    user = users.resolve_user(db, user_ref, actor)
    if user.workflow_state == "deleted" or (user.id != actor.id and not administers_user(db, actor.id, user)):
        raise NotFound("user")
    return user


def users_with_email(db: Session, actor: User, account_ref: str, email: str) -> list[User]:
    """The account's live users whose email is `email` (compared case-insensitively), by id."""
    _managed_account(db, actor, account_ref)
    stmt = select(User).where(func.lower(User.email) == email.strip().lower(), User.workflow_state != "deleted")
    return list(db.scalars(stmt.order_by(User.id)))


def set_active(db: Session, actor: User, user_ref: str, active: bool) -> User:
    """Activate (registered) or deactivate (pre-registered, as a user not yet activated) a user: the
    actor must administer them. Deleted users stay deleted."""
    user = users.resolve_user(db, user_ref, actor)
    if not administers_user(db, actor.id, user):
        raise NotAllowed()
    if user.workflow_state != "deleted":
        user.workflow_state = "registered" if active else "pre_registered"
        db.flush()
    return user


@dataclass(frozen=True)
class UserFilters:
    """Exact-match and contains filters of a root account's user search (core words)."""

    login_id: str | None = None  # contains, as Learn's userName filter
    sis_user_id: str | None = None  # contains
    family_name: str | None = None  # contains, on the sortable name's family part
    email: str | None = None  # contains
    # (USER_STAMPS key, moment, before): at or after the moment, or before it; a user never logged in
    # matches no last_login bound.
    stamps: tuple[tuple[str, datetime, bool], ...] = ()
    available: bool | None = None  # False: the disabled users (none are listed: a disabled user is deleted)
    sort: tuple[tuple[str, bool], ...] = ()  # (USER_SORTS key, descending); then by id


USER_STAMPS = {"created_at": User.created_at, "last_login": User.last_login}
USER_SORTS = {"login_id": User.login_id, "sortable_name": func.lower(User.sortable_name),
              "sis_user_id": User.sis_user_id, "created_at": User.created_at, "id": User.id}


def search_users(db: Session, actor: User, filters: UserFilters, window: Window) -> Slice[User]:
    """The root account's live users matched by login, SIS id, family name or email, by id."""
    account = _managed_account(db, actor, str(accounts.ROOT_ACCOUNT_ID))
    tree = [account.id, *sub_accounts.descendant_ids(db, account.id)]
    stmt = select(User).where(_member_of(account, tree, False), User.workflow_state != "deleted")
    for column, value in ((User.login_id, filters.login_id), (User.sis_user_id, filters.sis_user_id),
                          (User.sortable_name, filters.family_name), (User.email, filters.email)):
        if value:
            stmt = stmt.where(column.contains(value, autoescape=True))
    for key, moment, before in filters.stamps:
        stmt = stmt.where(USER_STAMPS[key] < moment if before else USER_STAMPS[key] >= moment)
    if filters.available is False:
        stmt = stmt.where(false())
    order = [(USER_SORTS[key].desc() if desc else USER_SORTS[key].asc()).nulls_last() for key, desc in filters.sort]
    return fetch_window(db, stmt.order_by(*order, User.id), window)
