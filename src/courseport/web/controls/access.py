"""What every control route shares: the tenant its caller administers, and the router that mounts them."""

from __future__ import annotations

import logging

from litestar import Request, Response, Router
from litestar.di import Provide
from litestar.exceptions import HTTPException
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, tenancy, tokens
from courseport.core.jobs import job_timing
from courseport.core.kit.errors import DomainError, NotAllowed
from courseport.dialects.canvas import protocol
from courseport.schema import User

log = logging.getLogger("courseport")


def tenant_admin(db: Session, me: User) -> int:
    """The tenant (root account id) the caller's token administers; NotAllowed for anyone else.
    A control acts on its caller's tenant only: that is the token's scope."""
    tenant_id = job_timing.tenant_of_user(db, me.id)
    if not accounts.is_admin_of(db, me.id, tenant_id):
        raise NotAllowed("only administrators of the root account may do that")
    return tenant_id


_TENANT_OF_TOKEN: dict[str, int] = {}  # token hash -> tenant; tokens do not change tenant
_TOKEN_CACHE_SIZE = 4096


def tenant_of_request(scope: dict, engine: Engine) -> int:
    """The tenant a request is for, before it is routed (fault rules are per tenant): the tenant of its
    bearer token's user (Canvas and Learn tokens). Valence's signed query and SCORM Cloud's basic auth,
    and requests without a valid credential, count as the default tenant's."""
    token = _bearer(scope)
    if token is None:
        return accounts.ROOT_ACCOUNT_ID
    key = tokens.hash_token(token)
    if key not in _TENANT_OF_TOKEN:
        with Session(engine) as db:
            try:
                user_id = tokens.token_viewer(db, token).id
            except DomainError:
                return accounts.ROOT_ACCOUNT_ID
            if len(_TENANT_OF_TOKEN) >= _TOKEN_CACHE_SIZE:
                _TENANT_OF_TOKEN.clear()
            _TENANT_OF_TOKEN[key] = tenancy.tenant_of(db, user_id)
    return _TENANT_OF_TOKEN[key]


def _bearer(scope: dict) -> str | None:
    for name, value in scope.get("headers") or ():
        if name == b"authorization" and value[:7].lower() == b"bearer ":
            return value[7:].decode("latin-1").strip() or None
    return None


def _domain_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return protocol.http_error_response(exc.status_code, exc.detail)
    if not isinstance(exc, DomainError):
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return protocol.error_response(exc)


def controls_router(handlers: list, tag: str) -> Router:
    """The handlers under /_courseport, with the admin API's call, errors and an OpenAPI tag."""
    return Router(path="/_courseport", route_handlers=handlers, dependencies={"call": Provide(protocol.provide_call)},
                  exception_handlers={DomainError: _domain_error, Exception: _domain_error}, tags=[tag])
