"""An application's xAPI credentials (SCORM Cloud's, in core words): HTTP Basic id:secret an activity
provider outside any launch uses against the xAPI endpoint. Kept per tenant (root account); managed, as
packaged courses are, by administrators of the root account only.

A credential's `permissions` decide what it may do on the endpoint: `readonly` reads, `writeonly`
writes, `default`, `user` and `root` both. With it, a client writes any statement (any actor, any
registration or none) and reads every statement of its tenant (`lrs_credentials.CredentialScope`).
The secret is kept as issued, because the credential's reads show it back; it is compared in constant
time. An unknown or disabled credential and a wrong secret are refused alike.
"""

from __future__ import annotations

import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity import tenancy
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotAuthenticated, NotFound
from courseport.core.packages import lrs_credentials
from courseport.core.packages.lrs_credentials import CredentialScope, Scope
from courseport.core.packages.scorm_courses import require_app_admin
from courseport.schema import User, XapiCredential

PERMISSIONS = ("default", "user", "root", "readonly", "writeonly")
AUTHS = ("basic",)  # OAuth credentials are not served
PAGE_SIZE = 100
MAX_NAME = 255
_ID_LETTERS = string.ascii_uppercase + string.digits
_NO_SECRET = secrets.token_urlsafe(32)  # what a password given for an unknown id is compared with


@dataclass(frozen=True)
class CredentialFields:
    """A credential's writable fields, as a create or a replace gives them. `secret` None: a strong one is
    made (create) or the stored one kept (replace)."""

    name: str
    info: str | None = None
    secret: str | None = None
    enabled: bool = True
    auth: str = "basic"
    permissions: str = "default"


def _checked(fields: CredentialFields) -> CredentialFields:
    if not fields.name or not fields.name.strip():
        raise InvalidInput("name", "name is required")
    if len(fields.name) > MAX_NAME:
        raise InvalidInput("name", f"name may be at most {MAX_NAME} characters")
    if fields.secret is not None and not 0 < len(fields.secret) <= MAX_NAME:
        raise InvalidInput("secret", f"secret must be 1 to {MAX_NAME} characters (or absent: one is made)")
    if fields.auth not in AUTHS:
        raise InvalidInput("auth", "auth must be BASICAUTH: OAuth xAPI credentials are not supported")
    if fields.permissions not in PERMISSIONS:
        raise InvalidInput("permissions", f"permissions must be one of {', '.join(PERMISSIONS)}")
    return fields


def _tenant(db: Session, actor: User) -> int:
    require_app_admin(db, actor)
    return tenancy.tenant_of(db, actor.id)


def _mint_id() -> str:
    return "".join(secrets.choice(_ID_LETTERS) for _ in range(16))


def create_credential(db: Session, actor: User, fields: CredentialFields) -> XapiCredential:
    _checked(fields)
    row = XapiCredential(id=_mint_id(), tenant_id=_tenant(db, actor), secret=fields.secret or
                         secrets.token_urlsafe(32), created_at=datetime.now(UTC))  # microseconds: listing order
    _apply(row, fields)
    db.add(row)
    db.flush()
    return row


def _apply(row: XapiCredential, fields: CredentialFields) -> None:
    row.name, row.info, row.enabled = fields.name.strip(), fields.info, fields.enabled
    row.auth, row.permissions, row.updated_at = fields.auth, fields.permissions, datetime.now(UTC)
    if fields.secret is not None:
        row.secret = fields.secret


def get_credential(db: Session, actor: User, credential_id: str) -> XapiCredential:
    row = db.get(XapiCredential, credential_id)
    if row is None or row.tenant_id != _tenant(db, actor):
        raise NotFound("xapi_credential", f"xAPI credential '{credential_id}' not found")
    return row


def replace_credential(db: Session, actor: User, credential_id: str, fields: CredentialFields) -> XapiCredential:
    _checked(fields)
    row = get_credential(db, actor, credential_id)
    _apply(row, fields)
    db.flush()
    return row


def delete_credential(db: Session, actor: User, credential_id: str) -> None:
    db.delete(get_credential(db, actor, credential_id))
    db.flush()


def list_credentials(db: Session, actor: User, since: datetime | None, until: datetime | None, *,
                     by_update: bool = False, offset: int = 0) -> tuple[list[XapiCredential], int | None]:
    """One page of the tenant's credentials, oldest first (`since`/`until` inclusive, on the creation time
    or with `by_update` the last change), and the offset of the next page (None after the last)."""
    column = XapiCredential.updated_at if by_update else XapiCredential.created_at
    stmt = select(XapiCredential).where(XapiCredential.tenant_id == _tenant(db, actor))
    if since is not None:
        stmt = stmt.where(column >= since)
    if until is not None:
        stmt = stmt.where(column <= until)
    rows = list(db.scalars(stmt.order_by(XapiCredential.created_at, XapiCredential.id)
                           .offset(offset).limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], offset + PAGE_SIZE if len(rows) > PAGE_SIZE else None


# --- the xAPI endpoint's side --------------------------------------------------------------------------

def authenticate(db: Session, secret: bytes, authorization: str | None, *, write: bool) -> Scope:
    """The scope of a request's Basic credentials: a launch's (signed) or an application's credential,
    held to its permissions (`write`: the request writes)."""
    user, password = lrs_credentials.basic_pair(authorization)
    if user == lrs_credentials.USER:
        return lrs_credentials.read(secret, authorization)
    row = db.get(XapiCredential, user) if user else None
    matches = hmac.compare_digest((row.secret if row else _NO_SECRET).encode(), password.encode())
    if row is None or not matches or not row.enabled:
        raise NotAuthenticated("These credentials are not valid here", invalid=True)
    if row.permissions == ("readonly" if write else "writeonly"):
        raise NotAllowed(f"these credentials are {'read' if write else 'write'}-only: they may not "
                         f"{'write' if write else 'read'} here")
    return CredentialScope(tenant_id=row.tenant_id, credential_id=row.id)
