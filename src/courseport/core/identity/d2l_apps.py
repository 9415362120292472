"""D2L ID-key authentication: applications (app id/key), user keys issued at sign-in, signatures.

A call is signed twice over one base string: with the application key (x_c) and, unless the
call is anonymous, with the user key (x_d). Both are HMAC-SHA256, base64url without padding.
Keys are stored as issued (see schema/d2l_keys.py for why).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity import tenancy
from courseport.core.kit.errors import NotAuthenticated
from courseport.core.kit.ids import store_id
from courseport.schema import D2LApp, D2LUserKey, User

# Seconds a signed timestamp may differ from the server clock either way.
TIMESTAMP_WINDOW = 300
INVALID_TOKEN = "Invalid Token"


class TimestampOutOfRange(NotAuthenticated):
    """A correctly signed call whose timestamp is too far from the server clock."""

    def __init__(self, server_time: int):
        super().__init__("Timestamp out of range", invalid=True)
        self.server_time = server_time


@dataclass(frozen=True)
class SignedCall:
    """The ID-key parameters of one call and the base string they sign."""

    app_id: str
    user_key_id: str
    app_signature: str
    user_signature: str
    timestamp: str
    base_string: str


def sign(key: str, base_string: str) -> str:
    digest = hmac.new(key.encode("utf-8"), base_string.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").replace("=", "").strip()


def _matches(signature: str, key: str, base_string: str) -> bool:
    return hmac.compare_digest(signature.encode("utf-8"), sign(key, base_string).encode("utf-8"))


def register_app(db: Session, name: str) -> D2LApp:
    app = D2LApp(app_id=secrets.token_urlsafe(16), app_key=secrets.token_urlsafe(32), name=name)
    db.add(app)
    db.flush()
    return app


def find_app(db: Session, app_id: str | None) -> D2LApp | None:
    return db.scalar(select(D2LApp).where(D2LApp.app_id == app_id)) if app_id else None


def user_key_for(db: Session, app: D2LApp, user: User) -> D2LUserKey:
    """The user id/key pair of `user` for `app`, issued on first sign-in and kept after."""
    key = db.scalar(select(D2LUserKey).where(D2LUserKey.app_row_id == app.id, D2LUserKey.user_id == user.id))
    if key is None:
        key = D2LUserKey(app_row_id=app.id, user_id=user.id, key_id=secrets.token_urlsafe(16),
                         user_key=secrets.token_urlsafe(32))
        db.add(key)
        db.flush()
    return key


def sign_in(db: Session, user: User, app_id: str | None, target_signature: str | None,
            target: str | None) -> D2LUserKey:
    """The browser sign-in: the application signed the target URL with its key; issue the user's pair."""
    app = find_app(db, app_id)
    if app is None or not target or not _matches(target_signature or "", app.app_key, target):
        raise NotAuthenticated(INVALID_TOKEN, invalid=True)
    return user_key_for(db, app, user)


def authenticate(db: Session, call: SignedCall, now: int) -> User | None:
    """The user a signed call acts for (None for an anonymous call), or NotAuthenticated."""
    app = find_app(db, call.app_id)
    if app is None or not _matches(call.app_signature, app.app_key, call.base_string):
        raise NotAuthenticated(INVALID_TOKEN, invalid=True)
    user = None
    if call.user_key_id or call.user_signature:
        key = db.scalar(select(D2LUserKey).where(D2LUserKey.key_id == call.user_key_id,
                                                 D2LUserKey.app_row_id == app.id))
        if key is None or not _matches(call.user_signature, key.user_key, call.base_string):
            raise NotAuthenticated(INVALID_TOKEN, invalid=True)
        user = db.get(User, key.user_id)
        if user is None or user.workflow_state == "deleted":
            raise NotAuthenticated(INVALID_TOKEN, invalid=True)
        tenancy.note_caller(db, user.id)
    if store_id(call.timestamp) is None:
        raise NotAuthenticated(INVALID_TOKEN, invalid=True)
    if abs(int(call.timestamp) - now) > TIMESTAMP_WINDOW:
        raise TimestampOutOfRange(now)
    return user


def ensure_credentials(db: Session, user: User, current: dict) -> dict[str, str]:
    """App id/key and user id/key that work for `user`: those in `current` if they still do, else new ones."""
    app = find_app(db, current.get("app_id"))
    if app is None or app.app_key != current.get("app_key"):
        app = register_app(db, "credentials.json")
    key = user_key_for(db, app, user)
    return {"app_id": app.app_id, "app_key": app.app_key, "user_id": key.key_id, "user_key": key.user_key}
