"""API access tokens: created once in clear, stored as SHA-256, checked on every request."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from courseport.core.errors import NotAuthenticated
from courseport.schema import AccessToken, User
from courseport.schema.base import utcnow

# Built once: every API call runs it, and building a statement costs more than running it.
_USER_BY_TOKEN_HASH = (
    select(User, AccessToken.expires_at)
    .join(AccessToken, AccessToken.user_id == User.id)
    .where(AccessToken.token_hash == bindparam("token_hash"))
)


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


def authenticate(db: Session, token: str | None) -> User:
    """The user a bearer token belongs to; NotAuthenticated(invalid=True) for a wrong one."""
    if not token:
        raise NotAuthenticated()
    row = db.execute(_USER_BY_TOKEN_HASH, {"token_hash": hash_token(token)}).first()
    if row is None:
        raise NotAuthenticated("Invalid access token.", invalid=True)
    user, expires_at = row
    if expires_at is not None and expires_at <= utcnow():
        raise NotAuthenticated("Invalid access token.", invalid=True)
    if user.workflow_state == "deleted":
        raise NotAuthenticated("Invalid access token.", invalid=True)
    return user
