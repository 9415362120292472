"""SCORM Cloud API v2 wire protocol, once: `/api/v2`, application credentials (Basic appId:secretKey)
or scoped OAuth bearer tokens, scope checks per operation, query booleans sent as `True`/`False`,
ISO dates, `more` tokens that carry a listing's filters, and error bodies `{"message": ...}`.
(Litestar's router already collapses the doubled slash the vendor client sends: host ends in "/".)
"""

from __future__ import annotations

import base64
import binascii
import builtins
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from typing import Any

import litestar
from litestar import Request, Response
from sqlalchemy.orm import Session

from courseport.core.identity import scoped_tokens
from courseport.core.kit.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    StoreBusy,
)
from courseport.db import transaction
from courseport.dialects.error_status import retry_after, status_for
from courseport.dialects.params import camel, decode_json, form_or_json, query_pairs, true_or_false
from courseport.dialects.read_only import get, get_writing  # noqa: F401 - the face's route decorators
from courseport.schema import User
from courseport.services import Services
from courseport.throttle import TooManyFailures, refuse_throttled

post = partial(litestar.post, sync_to_thread=True, status_code=200)
put = partial(litestar.put, sync_to_thread=True, status_code=204)
delete = partial(litestar.delete, sync_to_thread=True, status_code=204)

PREFIX = "/api/v2"
READ = ("read", "read:course")
WRITE = ("write", "write:course")
DELETE = ("delete", "delete:course")


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def camel_keys(node: Any) -> Any:
    """snake_case keys of core documents as the wire's camelCase; None values left out."""
    if isinstance(node, dict):
        return {camel(k): camel_keys(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [camel_keys(v) for v in node]
    return node


path_param_name = camel  # how errors name a path parameter: as SCORM Cloud's reference spells it


def encode_more(state: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_more(token: str) -> dict[str, Any]:
    try:
        state = decode_json(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error, InvalidInput):
        raise InvalidInput("more", "more is not a token this service issued") from None
    if not isinstance(state, dict):
        raise InvalidInput("more", "more is not a token this service issued")
    return state


def basic_credentials(header: str) -> tuple[str, str] | None:
    """(appId, secretKey) from `Authorization: Basic ...`, or None."""
    if header[:6].lower() != "basic ":
        return None
    try:
        key, colon, secret = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return (key, secret) if colon else None


def to_datetime(value: str | None, name: str) -> datetime | None:
    """An ISO 8601 timestamp (UTC when it names no zone; a `+` the query turned into a space is restored)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise InvalidInput(name, f"{name} must be an ISO 8601 timestamp, got {value!r}") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


class Call:
    """One SCORM Cloud API call: services, query, JSON body, credentials."""

    def __init__(self, services: Services, query: list[tuple[str, str]], body: Any, headers: dict[str, str],
                 origin: str):
        self.services = services
        self.query = dict(query)
        self.body = body
        self.headers = headers
        self.origin = origin
        auth = headers.get("authorization", "")
        self.basic = basic_credentials(auth)
        self.bearer = auth[7:].strip() if auth[:7].lower() == "bearer " else None

    @contextmanager
    def session(self, scopes: tuple[str, ...], *, write: bool) -> Iterator[tuple[Session, User]]:
        with transaction(self.services.engine, write=write) as db:
            caller = scoped_tokens.authenticate(db, self.services.secret, self.basic, self.bearer)
            caller.require(*scopes)
            yield db, caller.user

    def read(self, scopes: tuple[str, ...] = READ):  # noqa: ANN201
        return self.session(scopes, write=False)

    def write(self, scopes: tuple[str, ...] = WRITE):  # noqa: ANN201
        return self.session(scopes, write=True)

    def remove(self):  # noqa: ANN201
        return self.session(DELETE, write=True)

    # --- typed query parameters; errors name the parameter ---
    def str(self, name: str) -> str | None:
        value = self.query.get(name)
        return value if value not in (None, "") else None

    def bool(self, name: builtins.str, default: bool = False) -> bool:
        value = self.query.get(name)
        return default if value in (None, "") else true_or_false(value, name)

    def datetime(self, name: builtins.str) -> datetime | None:
        return to_datetime(self.str(name), name)

    def csv(self, name: builtins.str) -> list[builtins.str]:
        return [v.strip() for v in (self.str(name) or "").split(",") if v.strip()]

    def json(self, name: builtins.str = "body") -> dict[builtins.str, Any]:
        if not isinstance(self.body, dict):
            raise InvalidInput(name, f"the request body must be a JSON object ({name})")
        return self.body


async def provide_call(request: Request) -> Call:
    refuse_throttled(request)
    body = form_or_json(await request.body(), request.headers.get("content-type", ""))
    return bodyless_call(request, body)


def bodyless_call(request: Request, body: Any = None) -> Call:
    """A Call from the URL and headers alone, for handlers that stream the body themselves."""
    refuse_throttled(request)
    query = query_pairs(request.scope)
    services = request.app.state.services
    return Call(services, query, body, dict(request.headers), services.settings.base_url)


def message(status: int, text: str, headers: dict[str, str] | None = None) -> Response:
    return Response({"message": text}, status_code=status, headers=headers)


# The status of each domain error (the most specific class listed wins); any other exception is a 500.
ERROR_STATUS: dict[type[Exception], int] = {
    NotAuthenticated: 401, NotAllowed: 403, NotFound: 404, InvalidInput: 400, Conflict: 409,
    TooManyFailures: 429, StoreBusy: 503, DomainError: 400,
}


def error_response(exc: Exception) -> Response:
    """The SCORM Cloud error body for an exception, with its status from ERROR_STATUS (the only place both
    are chosen)."""
    text = exc.message if isinstance(exc, DomainError) else "An unexpected error occurred"
    headers = {"WWW-Authenticate": 'Basic realm="courseport"'} if isinstance(exc, NotAuthenticated) else None
    return message(status_for(exc, ERROR_STATUS), text, headers or retry_after(exc))


def http_error_response(status: int, detail: str) -> Response:
    texts = {404: "Resource not found", 405: "Method not allowed"}
    return message(status, texts.get(status, detail))
