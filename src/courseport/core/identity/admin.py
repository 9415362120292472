"""Administration of an installation: bootstrap admin, tokens, reset."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, tokens, users
from courseport.core.kit.errors import InvalidInput, NotAllowed
from courseport.schema import (
    AccessToken,
    Account,
    AccountUser,
    Base,
    CommunicationChannel,
    Course,
    D2LApp,
    D2LUserKey,
    InstanceValue,
    Login,
    OAuthClient,
    OrgUnitRow,
    Role,
    RoleOverride,
    Term,
    User,
)

# Rows that identify the installation rather than hold its data: the signing secret every process shares.
_NEVER_RESET = {InstanceValue.__tablename__}
# Named snapshots outlive a reset (restoring one is how a store returns to a known state): issue 18.
_NEVER_RESET |= {"snapshots", "snapshot_blobs"}


def require_site_admin(db: Session, user: User) -> None:
    if not accounts.is_admin_of(db, user.id, accounts.ROOT_ACCOUNT_ID):
        raise NotAllowed("only administrators of the root account may do that")


def ensure_user(db: Session, login: str, *, name: str | None = None, admin: bool = False) -> User:
    if not login:
        raise InvalidInput("login", "login is required")
    user = users.find_by_login(db, login) or users.create_user(db, name or login, login, email=f"{login}@example.test")
    if admin:
        accounts.make_admin(db, user.id)
    return user


def create_token_for(db: Session, login: str, *, admin: bool = False, purpose: str = "") -> tuple[User, str]:
    user = ensure_user(db, login, admin=admin)
    return user, tokens.create_token(db, user, purpose)


def store_is_empty(db: Session) -> bool:
    """True for a store nobody has used yet: no users and no courses."""
    return db.scalar(select(User.id).limit(1)) is None and db.scalar(select(Course.id).limit(1)) is None


def reset_store(db: Session, keep_admins: bool = True) -> None:
    """Empty the store, then bootstrap again: an installation with root account 1 and no data.

    With `keep_admins`, administrators of root accounts keep their user, their adminship and their
    credentials on every face (access tokens, Learn and SCORM Cloud applications, D2L app and user
    keys), so the caller of a reset and every tenant can go on; root accounts and built-in roles stay.
    """
    conditions = _reset_conditions(db) if keep_admins else {}
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in _NEVER_RESET:
            continue
        condition = conditions.get(table.name)
        db.execute(table.delete() if condition is None else table.delete().where(condition))
    db.flush()
    accounts.ensure_root(db)
    for root_id in db.scalars(select(Account.id).where(Account.parent_account_id.is_(None))).all():
        if db.scalar(select(Term.id).where(Term.root_account_id == root_id).limit(1)) is None:
            accounts.create_term(db, root_id, "Default Term")


def _reset_conditions(db: Session) -> dict[str, ColumnElement[bool]]:
    """Per table, the condition that selects the rows a reset deletes (the rest are kept)."""
    root_ids = list(db.scalars(select(Account.id).where(Account.parent_account_id.is_(None))))
    memberships = db.execute(
        select(AccountUser.user_id, AccountUser.role_id).where(AccountUser.account_id.in_(root_ids))
    ).all()
    admin_ids = sorted({user_id for user_id, _ in memberships})
    role_ids = sorted({role_id for _, role_id in memberships})
    kept_apps = select(D2LUserKey.app_row_id).where(D2LUserKey.user_id.in_(admin_ids))
    return {
        User.__tablename__: User.id.not_in(admin_ids),
        AccessToken.__tablename__: AccessToken.user_id.not_in(admin_ids),
        # Kept admins keep their channels (their email); preferences go, as they name courses and groups that go.
        CommunicationChannel.__tablename__: CommunicationChannel.user_id.not_in(admin_ids),
        OAuthClient.__tablename__: OAuthClient.user_id.not_in(admin_ids),
        D2LUserKey.__tablename__: D2LUserKey.user_id.not_in(admin_ids),
        D2LApp.__tablename__: D2LApp.id.not_in(kept_apps),
        # Kept admins keep their root-account logins; a login made in a sub-account goes with it.
        Login.__tablename__: Login.user_id.not_in(admin_ids) | Login.home_account_id.is_not(None),
        AccountUser.__tablename__: AccountUser.account_id.not_in(root_ids),
        Account.__tablename__: Account.parent_account_id.is_not(None),
        Role.__tablename__: Role.account_id.is_not(None) & Role.id.not_in(role_ids),
        RoleOverride.__tablename__: RoleOverride.role_id.not_in(role_ids),  # a kept role keeps its permissions
        # Kept root accounts keep their org unit ids.
        OrgUnitRow.__tablename__: OrgUnitRow.account_id.is_(None) | OrgUnitRow.account_id.not_in(root_ids),
    }
