"""OAuth 2 client-credential applications: register a key and secret, trade them for expiring tokens.

Secrets are random and long, so a SHA-256 is enough to store them (no password stretching);
tokens are ordinary access tokens (core/identity/tokens.py) with an expiry and the client's key as purpose.

An application also holds Learn entitlements (`system.user.CREATE`, ...): a token it was issued acts as
its user but only where the application is entitled, as a Learn REST application's does. An application
registered without a list (every one made before entitlements existed) holds every entitlement.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity import tokens
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotAuthenticated, NotFound
from courseport.schema import AccessToken, OAuthClient, User
from courseport.schema.base import utcnow

TOKEN_SECONDS = 3600
_PURPOSE = "oauth2 client "


@dataclass(frozen=True)
class IssuedToken:
    value: str
    expires_in: int
    client_key: str


def register_client(db: Session, user: User, name: str, entitlements: Iterable[str] | None = None
                    ) -> tuple[OAuthClient, str]:
    """A new application acting as `user`, holding the entitlements listed (None: every one); the secret
    is returned once, in clear."""
    secret = secrets.token_urlsafe(32)
    client = OAuthClient(key=secrets.token_hex(16), secret_hash=tokens.hash_token(secret), name=name, user_id=user.id,
                         entitlements=_stored(entitlements))
    db.add(client)
    db.flush()
    return client, secret


def find_client(db: Session, key: str | None, secret: str | None) -> OAuthClient | None:
    """The application these credentials belong to, or None."""
    if not key or secret is None:
        return None
    client = db.scalar(select(OAuthClient).where(OAuthClient.key == key))
    if client is None or not hmac.compare_digest(client.secret_hash, tokens.hash_token(secret)):
        return None
    return client


def issue_token(db: Session, key: str | None, secret: str | None, grant_type: str | None) -> IssuedToken:
    """An access token for a client-credentials grant."""
    client = find_client(db, key, secret)
    if client is None:
        raise NotAuthenticated("Invalid client credentials", invalid=True)
    if grant_type != "client_credentials":
        raise InvalidInput("grant_type", f"Unsupported grant_type {grant_type!r}: only client_credentials")
    user = cast(User, db.get(User, client.user_id))  # non-null foreign key: the user exists
    value = tokens.create_token(db, user, _PURPOSE + client.key,
                                expires_at=utcnow() + timedelta(seconds=TOKEN_SECONDS))
    return IssuedToken(value, TOKEN_SECONDS, client.key)


def authenticate(db: Session, token: str | None) -> tuple[User, str | None]:
    """The user a bearer token acts as, and the client key it was issued to (None for other tokens)."""
    user = tokens.authenticate(db, token)
    purpose = db.scalar(select(AccessToken.purpose).where(AccessToken.token_hash == tokens.hash_token(token or "")))
    key = purpose[len(_PURPOSE):] if purpose and purpose.startswith(_PURPOSE) else None
    return user, key


def ensure_client(db: Session, user: User, name: str, key: str | None, secret: str | None) -> tuple[str, str]:
    """(key, secret) that work for `user`: the ones given if they still do, else a new application's."""
    client = find_client(db, key, secret)
    if client is not None and client.user_id == user.id and key and secret is not None:
        return key, secret
    client, secret = register_client(db, user, name)
    return client.key, secret


_ENTITLEMENT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-|")


def _stored(entitlements: Iterable[str] | None) -> str | None:
    if entitlements is None:
        return None
    names = sorted({n.strip() for n in entitlements if n.strip()})
    for name in names:
        if len(name) > 200 or not set(name) <= _ENTITLEMENT_CHARS or "." not in name:
            raise InvalidInput("entitlements", f"{name!r} is not an entitlement name (such as system.user.CREATE)")
    return " ".join(names)


def set_entitlements(db: Session, key: str, entitlements: Iterable[str] | None) -> OAuthClient:
    """Give the application exactly these entitlements (None: every one)."""
    client = db.scalar(select(OAuthClient).where(OAuthClient.key == key))
    if client is None:
        raise NotFound("application")
    client.entitlements = _stored(entitlements)
    db.flush()
    return client


def entitlements_of(db: Session, key: str | None) -> frozenset[str] | None:
    """What the application holds; None when it holds every entitlement (or the token is no application's)."""
    stored = None if key is None else db.scalar(select(OAuthClient.entitlements).where(OAuthClient.key == key))
    return None if stored is None else frozenset(stored.split())


def entitled(db: Session, key: str | None, any_of: Iterable[str]) -> bool:
    held = entitlements_of(db, key)
    return held is None or not held.isdisjoint(any_of)


def require_entitlement(db: Session, key: str | None, any_of: tuple[str, ...]) -> None:
    """Refuse (NotAllowed) a call the application holds none of `any_of` for; nothing asked passes."""
    if any_of and not entitled(db, key, any_of):
        raise NotAllowed()
