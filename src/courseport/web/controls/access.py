"""What every control route shares: the tenant its caller administers, and the router that mounts them."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs

from litestar import Router
from litestar.di import Provide
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, tenancy, tokens
from courseport.core.jobs import job_timing
from courseport.core.kit.errors import NotAllowed
from courseport.dialects.canvas import protocol
from courseport.dialects.error_status import error_handler
from courseport.schema import AccessToken, D2LUserKey, OAuthClient, User


def tenant_admin(db: Session, me: User) -> int:
    """The tenant (root account id) the caller's token administers; NotAllowed for anyone else.
    A control acts on its caller's tenant only: that is the token's scope."""
    tenant_id = job_timing.tenant_of_user(db, me.id)
    if not accounts.is_admin_of(db, me.id, tenant_id):
        raise NotAllowed("only administrators of the root account may do that")
    return tenant_id


_TENANT_OF_CREDENTIAL: dict[str, int] = {}  # credential -> tenant; a credential does not change tenant
_CACHE_SIZE = 4096


def tenant_of_request(scope: dict, engine: Engine) -> int:
    """The tenant a request is for, before it is routed (fault rules are per tenant): the tenant of the user
    its credential names (a Canvas or Learn bearer token, SCORM Cloud's Basic appId, Valence's x_b user id;
    not checked here: the face checks it, and a wrong one only meets its own tenant's faults). Requests
    without one count as the default tenant's."""
    credential = _credential(scope)
    if credential is None:
        return accounts.ROOT_ACCOUNT_ID
    if credential not in _TENANT_OF_CREDENTIAL:
        with Session(engine) as db:
            user_id = _user_of(db, credential)
            if user_id is None:
                return accounts.ROOT_ACCOUNT_ID
            if len(_TENANT_OF_CREDENTIAL) >= _CACHE_SIZE:
                _TENANT_OF_CREDENTIAL.clear()
            _TENANT_OF_CREDENTIAL[credential] = tenancy.tenant_of(db, user_id)
    return _TENANT_OF_CREDENTIAL[credential]


def _credential(scope: dict) -> str | None:
    """"bearer:<token hash>", "basic:<app id>" or "d2l:<user id>", from the request as it came."""
    for name, value in scope.get("headers") or ():
        if name == b"authorization":
            kind, _, rest = value.decode("latin-1").strip().partition(" ")
            if kind.lower() == "bearer" and rest.strip():
                return "bearer:" + tokens.hash_token(rest.strip())
            if kind.lower() == "basic":
                try:
                    return "basic:" + base64.b64decode(rest.strip(), validate=True).decode().partition(":")[0]
                except (ValueError, UnicodeDecodeError):
                    return None
    user_key = parse_qs((scope.get("query_string") or b"").decode("latin-1")).get("x_b")
    return "d2l:" + user_key[0] if user_key else None


def _user_of(db: Session, credential: str) -> int | None:
    kind, _, value = credential.partition(":")
    if kind == "bearer":
        return db.scalar(select(AccessToken.user_id).where(AccessToken.token_hash == value))
    if kind == "basic":
        return db.scalar(select(OAuthClient.user_id).where(OAuthClient.key == value))
    return db.scalar(select(D2LUserKey.user_id).where(D2LUserKey.key_id == value))


def controls_router(handlers: list, tag: str) -> Router:
    """The handlers under /_courseport, with the admin API's call, errors and an OpenAPI tag."""
    return Router(path="/_courseport", route_handlers=handlers, dependencies={"call": Provide(protocol.provide_call)},
                  exception_handlers={Exception: error_handler(protocol)}, tags=[tag])
