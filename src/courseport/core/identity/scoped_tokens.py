"""Scoped application tokens (SCORM Cloud's OAuth tokens): signed, never stored.

An application (an OAuth client: key and secret, acting as a user) trades its credentials for a
token carrying its key, scopes and expiry, signed with the installation secret. Credentials
themselves grant every scope; a token grants only those it names (`read`, `write:course`, ...).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity import oauth_clients, tenancy
from courseport.core.kit import signing
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotAuthenticated
from courseport.schema import OAuthClient, User

DEFAULT_SECONDS = 300
MAX_SECONDS = 30 * 86400
_SCOPE = re.compile(r"^(read|write|delete)(:[a-z_]+)?$")
_PREFIX = "sc1."


@dataclass(frozen=True)
class AppCaller:
    user: User
    client_key: str
    scopes: frozenset[str] | None  # None: the application's own credentials, every scope

    def require(self, *any_of: str) -> None:
        if self.scopes is not None and not self.scopes & set(any_of):
            raise NotAllowed(f"the token lacks the scope this call needs (one of: {', '.join(any_of)})")


def issue_token(db: Session, secret: bytes, key: str | None, client_secret: str | None, scope: str | None,
                expiration: str | int | None) -> tuple[str, int]:
    """A token for the application's credentials; (token, seconds it lives)."""
    if oauth_clients.find_client(db, key, client_secret) is None:
        raise NotAuthenticated("Invalid application credentials", invalid=True)
    scopes = (scope or "").split()
    if not scopes:
        raise InvalidInput("scope", "scope is required")
    for name in scopes:
        if not _SCOPE.match(name):
            raise InvalidInput("scope", f"'{name}' is not a scope (read, write, delete, or read:course and the like)")
    try:
        seconds = int(expiration) if expiration not in (None, "") else DEFAULT_SECONDS
    except ValueError:
        raise InvalidInput("expiration", f"expiration must be a number of seconds, got {expiration!r}") from None
    if not 0 < seconds <= MAX_SECONDS:
        raise InvalidInput("expiration", f"expiration must be between 1 and {MAX_SECONDS} seconds")
    payload = {"k": key, "s": scopes, "e": int(time.time()) + seconds}
    return _PREFIX + signing.sign(secret, "scoped-token", payload), seconds


def authenticate(db: Session, secret: bytes, basic: tuple[str, str] | None, bearer: str | None) -> AppCaller:
    """The application calling: by its credentials (Basic) or by a token it was issued (Bearer)."""
    if basic is not None:
        client = oauth_clients.find_client(db, *basic)
        if client is None:
            raise NotAuthenticated("Invalid application credentials", invalid=True)
        tenancy.note_caller(db, client.user_id)
        return AppCaller(cast(User, db.get(User, client.user_id)), client.key, None)
    if not bearer:
        raise NotAuthenticated("Authorization is required: Basic appId:secretKey or a Bearer token")
    key, scopes = _read(secret, bearer)
    client = db.scalar(select(OAuthClient).where(OAuthClient.key == key))
    if client is None:
        raise NotAuthenticated("Invalid or expired token", invalid=True)
    tenancy.note_caller(db, client.user_id)
    return AppCaller(cast(User, db.get(User, client.user_id)), client.key, frozenset(scopes))


def _read(secret: bytes, token: str) -> tuple[str, list[str]]:
    claims = signing.unsign(secret, "scoped-token", token.removeprefix(_PREFIX)) if token.startswith(_PREFIX) else None
    if claims is None or not isinstance(claims.get("e"), int) or claims["e"] < time.time():
        raise NotAuthenticated("Invalid or expired token", invalid=True)
    return claims["k"], claims["s"]
