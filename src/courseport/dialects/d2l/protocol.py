"""Valence wire protocol, once: ID-key (or bearer) auth, product versions in routes, D2LIDs as
strings, UTC dates with milliseconds, PascalCase JSON blocks, PagedResultSet and error bodies.

Credential failures answer as Brightspace does, in plain text: `Invalid Token`, or `Timestamp out
of range` with the server's clock in seconds on the next line (clients compute their skew from it).
Other errors carry a problem body `{"type", "title", "status", "detail"}`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from typing import Any, cast
from urllib.parse import quote, unquote_plus

import litestar
from litestar import Request, Response
from sqlalchemy.orm import Session

from courseport.core.identity import d2l_apps
from courseport.core.identity.d2l_apps import SignedCall, TimestampOutOfRange
from courseport.core.identity.tokens import authenticate as token_user
from courseport.core.kit.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    StoreBusy,
)
from courseport.core.kit.ids import is_id, store_id
from courseport.db import transaction
from courseport.dialects.error_status import retry_after, status_for
from courseport.dialects.params import INT_MAX, camel, check_int, decode_json, query_pairs
from courseport.dialects.read_only import get, get_writing  # noqa: F401 - the face's route decorators
from courseport.schema import User
from courseport.services import Services
from courseport.throttle import TooManyFailures, refuse_throttled

PREFIX = "/d2l"
post = partial(litestar.post, sync_to_thread=True, status_code=200)
put = partial(litestar.put, sync_to_thread=True)
delete = partial(litestar.delete, sync_to_thread=True, status_code=200)

# Every API version each product answers to, oldest first; "unstable" only where a route opts in.
VERSIONS: dict[str, tuple[str, ...]] = {
    "lp": ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5"),
    "le": ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7"),
}
UNSTABLE = "unstable"
ID_KEY_PARAMS = ("x_a", "x_b", "x_c", "x_d", "x_t")
PAGE_SIZE = 100


path_param_name = camel  # how errors name a path parameter (orgUnitId, as the Valence reference does)


def d2l_id(n: int | None) -> str | None:
    return None if n is None else str(n)


def utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def version_supported(product: str, version: str, since: str | None = None, unstable: bool = False) -> bool:
    if version == UNSTABLE:
        return unstable
    known = VERSIONS.get(product, ())
    if version not in known:
        return False
    return since is None or known.index(version) >= known.index(since)


class Call:
    """One Valence call: services, query (without the x_* parameters), JSON body and credentials."""

    def __init__(self, services: Services, query: dict[str, str], body: bytes, signed: SignedCall | None,
                 token: str | None, origin: str, path: str = ""):
        self.services = services
        self.path = path
        self.query = query
        self.raw_body = body
        self.signed = signed
        self.token = token
        self.origin = origin

    @property
    def product(self) -> str:
        """The product code of a /d2l/api/<product>/... path."""
        parts = self.path.split("/")
        return parts[3] if len(parts) > 3 else ""

    def _user(self, db: Session) -> User | None:
        if self.signed is not None:
            return d2l_apps.authenticate(db, self.signed, int(time.time()))
        if self.token:
            return token_user(db, self.token)
        return None

    @contextmanager
    def session(self, *, write: bool) -> Iterator[tuple[Session, User]]:
        with transaction(self.services.engine, write=write) as db:
            user = self._user(db)
            if user is None:
                raise NotAuthenticated("This call needs a user: sign it with a user id and key, or send a token.")
            yield db, user

    def read(self):  # noqa: ANN201
        return self.session(write=False)

    def write(self):  # noqa: ANN201
        return self.session(write=True)

    def check_credentials(self) -> None:
        """Refuse bad credentials on calls anyone may make (anonymous calls stay allowed)."""
        if self.signed is not None or self.token:
            with transaction(self.services.engine, write=False) as db:
                self._user(db)

    def json(self) -> Any:
        return decode_json(self.raw_body) if self.raw_body else None

    def block(self) -> dict[str, Any]:
        body = self.json()
        if not isinstance(body, dict):
            raise InvalidInput("body", "The request body must be a JSON object.")
        return body

    def bookmark(self) -> str | None:
        return self.query.get("bookmark") or None

    def paged(self, items: list[dict[str, Any]], bookmark: str | None, has_more: bool) -> dict[str, Any]:
        return {"PagingInfo": {"Bookmark": bookmark, "HasMoreItems": has_more}, "Items": items}


def signed_path(request: Request) -> str:
    """The path as the client signed it: as sent, lower-cased, then unquoted."""
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1") if raw else quote(request.url.path)
    return unquote_plus(path.lower())


def signed_call(request: Request, pairs: list[tuple[str, str]]) -> SignedCall | None:
    params = {k: v for k, v in pairs if k in ID_KEY_PARAMS}
    if "x_a" not in params:
        return None
    timestamp = params.get("x_t", "")
    base = f"{request.method.upper()}&{signed_path(request)}&{timestamp}"
    return SignedCall(params.get("x_a", ""), params.get("x_b", ""), params.get("x_c", ""), params.get("x_d", ""),
                      timestamp, base)


def _check_version(request: Request) -> None:
    """Versioned routes name the first version offering them (opt `since`, or `unstable`)."""
    opt = request.route_handler.opt
    parts = request.url.path.split("/")  # ["", "d2l", "api", product, version, ...]
    if len(parts) < 5 or not ("since" in opt or opt.get("unstable")):
        return
    if not version_supported(parts[3], parts[4], opt.get("since"), opt.get("unstable", False)):
        raise NotFound("version", f"API version {parts[4]} of {parts[3]} does not offer this route.")


def bodyless_call(request: Request) -> Call:
    """The call without its body: an upload route authorises the caller before it reads the body."""
    refuse_throttled(request)
    _check_version(request)
    pairs = query_pairs(request.scope)
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else None
    query = {k: v for k, v in pairs if k not in ID_KEY_PARAMS}
    services = request.app.state.services
    return Call(services, query, b"", signed_call(request, pairs), token, services.settings.base_url,
                request.url.path)


async def provide_call(request: Request) -> Call:
    call = bodyless_call(request)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "multipart/form-data":
        call.raw_body = await request.body()
    return call


_TITLES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           429: "Too Many Requests", 500: "Internal Server Error"}


def empty() -> Response:
    """The 200 with no body that Valence answers updates and deletes with."""
    return Response(b"", status_code=200, media_type="text/plain")


def problem(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    body = {"type": "about:blank", "title": _TITLES.get(status, "Error"), "status": status, "detail": detail}
    return Response(body, status_code=status, media_type="application/problem+json", headers=headers)


# The status of each domain error (the most specific class listed wins); any other exception is a 500.
# Valence answers every credential failure, a stale timestamp included, with 403.
ERROR_STATUS: dict[type[Exception], int] = {
    NotAuthenticated: 403, NotAllowed: 403, NotFound: 404, InvalidInput: 400, Conflict: 400,
    TooManyFailures: 429, StoreBusy: 503, DomainError: 400,
}


def error_response(exc: Exception) -> Response:
    """The Valence body for an exception, with its status from ERROR_STATUS (the only place both are chosen):
    plain text for the signature failures Valence's clients parse, a problem document otherwise."""
    status = status_for(exc, ERROR_STATUS)
    if isinstance(exc, TimestampOutOfRange):
        return Response(f"Timestamp out of range\r\n{exc.server_time}", status_code=status, media_type="text/plain")
    if isinstance(exc, NotAuthenticated) and exc.invalid:
        return Response(d2l_apps.INVALID_TOKEN, status_code=status, media_type="text/plain")
    if not isinstance(exc, DomainError):
        return problem(status, "An unexpected error occurred.")
    detail = "No permission to perform this action." if isinstance(exc, NotAllowed) else exc.message
    return problem(status, detail, retry_after(exc))


def http_error_response(status: int, detail: str) -> Response:
    return problem(status, {404: "No such route.", 405: "Method not allowed on this route."}.get(status, detail))


# --- JSON block fields: (kind, required); kinds follow the Valence notation ---
STRING, OPTIONAL_STRING, BOOLEAN, D2LID, OPTIONAL_D2LID, DATE, D2LIDS, OPTIONAL_STRINGS = (
    "string", "string|null", "boolean", "number:D2LID", "number:D2LID|null", "string:UTCDateTime|null",
    "[number:D2LID]", "[string]|null")


def block_fields(block: dict[str, Any], spec: dict[str, tuple[str, bool]]) -> dict[str, Any]:
    """The block's fields named in `spec`, each checked against its kind; required ones must be present."""
    out: dict[str, Any] = {}
    for name, (kind, required) in spec.items():
        if name not in block:
            if required:
                raise InvalidInput(name, f"{name} is required.")
            out[name] = [] if kind == D2LIDS else None
            continue
        out[name] = field_value(block[name], kind, name)
    return out


# Brightspace's limits on org unit text (its Standard CSV reference: name 128, code 50 characters).
MAX_LENGTHS = {"Name": 128, "Code": 50, "Path": 1024}  # Path: what the store keeps of a content path


def field_value(value: Any, kind: str, name: str) -> Any:
    if value is None and kind.endswith("|null"):
        return None
    if kind in (STRING, OPTIONAL_STRING) and isinstance(value, str):
        if len(value) > MAX_LENGTHS.get(name, len(value)):
            raise InvalidInput(name, f"{name} may be at most {MAX_LENGTHS[name]} characters long.")
        return value
    if kind == BOOLEAN and isinstance(value, bool):
        return value
    if kind in (D2LID, OPTIONAL_D2LID):
        return to_d2lid(value, name)
    if kind == DATE:
        return to_datetime(value, name)
    if kind == D2LIDS and isinstance(value, list):
        return [to_d2lid(v, name) for v in value]
    if kind == OPTIONAL_STRINGS and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise InvalidInput(name, f"{name} must be {kind}.")


def to_d2lid(value: Any, name: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return check_int(value, name)
    if isinstance(value, str) and is_id(value):
        return cast(int, store_id(value))  # `is_id` said it spells one
    raise InvalidInput(name, f"{name} must be a D2LID (a number).")


def to_datetime(value: Any, name: str) -> datetime:
    text = value.strip() if isinstance(value, str) else ""
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(name, f"{name} must be a UTC date-time such as 2014-09-01T00:00:00.000Z.") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def route_id(text: str, what: str = "org unit") -> int:
    """A D2LID in a route; anything but digits names nothing."""
    if not (text.isascii() and text.isdigit()):
        raise NotFound(what, f"No such {what}.")
    if not is_id(text):
        raise InvalidInput(what, f"The {what} id must be a D2LID of at most {INT_MAX}.")
    return int(text)
