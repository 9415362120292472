"""Administration of an installation: bootstrap admin, tokens, reset."""

from __future__ import annotations

from sqlalchemy.orm import Session

from courseport.core import accounts, tokens, users
from courseport.core.errors import InvalidInput, NotAllowed
from courseport.schema import Base, User


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


def reset_store(db: Session) -> None:
    """Delete every row, then bootstrap again: an empty installation with root account 1."""
    for table in reversed(Base.metadata.sorted_tables):
        db.execute(table.delete())
    db.flush()
    accounts.ensure_root(db)
