"""API access tokens: created once in clear, stored as SHA-256, checked on every request."""

from __future__ import annotations

import hashlib
import secrets
from collections import namedtuple
from datetime import datetime
from typing import Any

from sqlalchemy import Join, and_, bindparam, delete, join, select
from sqlalchemy.orm import Session

from courseport.core.identity import tenancy
from courseport.core.kit.errors import NotAuthenticated
from courseport.row_reads import RowRead, entity_columns
from courseport.schema import AccessToken, User
from courseport.schema.base import utcnow

# What a caller's row holds: the user's columns, the token's expiry, and what tenancy notes of the caller.
# A statement that reads more with the caller selects these first (`callers_by_token`, `checked_viewer`).
VIEWER_COLUMNS = (*entity_columns(User), AccessToken.expires_at.label("token_expires_at"), tenancy.LOGIN_TENANT,
                  tenancy.ADMINISTERED)
ViewerRow = namedtuple("UserRow", [c.name for c in VIEWER_COLUMNS])  # type: ignore[misc]


def callers_by_token() -> Join:
    """The users joined with their tokens, for a statement that finds the caller by `token_hash` (its bind)."""
    return join(User, AccessToken,
                and_(AccessToken.user_id == User.id, AccessToken.token_hash == bindparam("token_hash")))


# Every API call runs it: a plain row, not an entity (see row_reads).
_USER_BY_TOKEN_HASH = RowRead(select(*VIEWER_COLUMNS).select_from(callers_by_token()), "UserRow", packed=True)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(db: Session, user: User, purpose: str = "", expires_at: datetime | None = None) -> str:
    token = secrets.token_urlsafe(48)
    db.add(
        AccessToken(
            user_id=user.id,
            token_hash=hash_token(token),
            token_hint=token[:4],
            purpose=purpose,
            expires_at=expires_at,
        )
    )
    db.flush()
    return token


def token_viewer(db: Session, token: str | None):  # noqa: ANN201 - a UserRow
    """The user a bearer token belongs to, as a read-only row of the user's columns (enough for
    reads); NotAuthenticated(invalid=True) for a wrong, expired or deleted user's token."""
    return checked_viewer(db, _USER_BY_TOKEN_HASH.first(db, token_hash=presented_hash(token)))


def presented_hash(token: str | None) -> str:
    """The hash a caller's token is looked up by; NotAuthenticated where the call presents none."""
    if not token:
        raise NotAuthenticated()
    return hash_token(token)


def checked_viewer(db: Session, row: Any):  # noqa: ANN201 - a UserRow
    """`row` (VIEWER_COLUMNS of the token's user, None where no user has the token) as token_viewer answers
    it: NotAuthenticated for none, a deleted user or an expired token; what tenancy notes of a caller noted."""
    if row is None or row.workflow_state == "deleted":
        raise NotAuthenticated("Invalid access token.", invalid=True)
    check_unexpired(row)
    tenancy.note_caller(db, row.id, row.login_tenant)
    tenancy.note_administered(db, row.id, row.administered)
    return row


def check_unexpired(viewer) -> None:  # noqa: ANN001 - a token_viewer row
    """Expiry is the clock's business, not the store's: checked again whenever a viewer is reused."""
    if viewer.token_expires_at is not None and viewer.token_expires_at <= utcnow():
        raise NotAuthenticated("Invalid access token.", invalid=True)


def authenticate(db: Session, token: str | None) -> User:
    """The user a bearer token belongs to, as an entity changes can be made through."""
    user = db.get(User, token_viewer(db, token).id)
    tenancy.forget_administered(db)
    if user is None:  # deleted between the two reads of this transaction: not on SQLite or PostgreSQL
        raise NotAuthenticated("Invalid access token.", invalid=True)
    return user


def revoke_token(db: Session, token: str | None) -> None:
    """Delete the token's row (signing out); an unknown token changes nothing."""
    if token:
        db.execute(delete(AccessToken).where(AccessToken.token_hash == hash_token(token)))


def revoke_all_tokens(db: Session, user: User) -> None:
    """Delete every access token of the user (terminating their sessions)."""
    db.execute(delete(AccessToken).where(AccessToken.user_id == user.id))
