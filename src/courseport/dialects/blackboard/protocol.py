"""Blackboard Learn wire protocol, once: bearer auth, `_N_1` ids, typed JSON fields, `fields=`,
offset/limit paging, error bodies `{"status", "message"}` and the rate-limit headers.
"""

from __future__ import annotations

import base64
import builtins
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from datetime import datetime as Moment
from functools import partial
from typing import Any, overload
from urllib.parse import urlencode

import litestar
from litestar import Request, Response
from litestar.datastructures import MutableScopeHeaders
from litestar.types import HTTPScope, Message, Scope
from sqlalchemy.orm import Session

from courseport.core.courses.group_memberships import GroupFull
from courseport.core.identity import oauth_clients
from courseport.core.kit.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    StoreBusy,
)
from courseport.core.kit.ids import store_id
from courseport.core.kit.paging import Slice, Window
from courseport.db import transaction
from courseport.dialects.error_status import retry_after, status_for
from courseport.dialects.params import camel, check_int, form_or_json, merge, parse_int, query_pairs, true_or_false
from courseport.dialects.read_only import get, get_writing  # noqa: F401 - the face's route decorators
from courseport.schema import User
from courseport.services import Services
from courseport.throttle import TooManyFailures, refuse_throttled

post = partial(litestar.post, sync_to_thread=True)
put = partial(litestar.put, sync_to_thread=True)
patch = partial(litestar.patch, sync_to_thread=True)
delete = partial(litestar.delete, sync_to_thread=True)

PREFIX = "/learn/api/public"
VERSIONS = ("v1", "v2", "v3")
DEFAULT_LIMIT = MAX_LIMIT = 100
_ID_KINDS = ("courseId", "externalId", "uuid")
COMPARES = ("greaterOrEqual", "lessThan")  # the values of every `...Compare` search parameter
_CLIENT = "blackboard_client"  # scope state key: the OAuth client a call was made with


path_param_name = camel  # how errors name a path parameter (courseId, as Learn's reference does)


def on_versions(decorator: Any, path: str, fn: Any, versions: tuple[str, ...] = VERSIONS,
                **options: Any) -> list[Any]:
    """One handler per API version (`/v1{path}` ...): Litestar wraps a sync handler once for each
    path it is registered on, so one handler must not serve several paths."""
    return [decorator(f"/{version}{path}", **options)(fn) for version in versions]


def learn_id(n: int | None) -> str | None:
    """Learn's primary id form `_N_1` (the trailing 1 is the cluster, always 1 here)."""
    return None if n is None else f"_{n}_1"


def primary_number(text: str) -> int | None:
    parts = text.split("_")
    if len(parts) == 3 and parts[0] == "" and parts[2] == "1":
        return store_id(parts[1]) if parts[1].strip() == parts[1] else None  # None past 64 bits: no record has it
    return None


def id_ref(text: str, what: str = "course") -> tuple[str, str | int]:
    """`_N_1`, `courseId:x`, `externalId:x` or `uuid:x` as (kind, value); anything else is unknown."""
    number = primary_number(text)
    if number is not None:
        return "id", number
    kind, colon, value = text.partition(":")
    if colon and kind in _ID_KINDS and value:
        return kind, value
    raise NotFound(what, f"{what.capitalize()} not found")


def iso(value: datetime | date | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return value.isoformat()


class Call:
    """One Learn API call: services, query parameters, JSON body, bearer token, URL."""

    def __init__(self, services: Services, query: list[tuple[str, str]], body: Any, token: str | None,
                 path: str, scope: HTTPScope, origin: str = "", basic: tuple[str, str] | None = None):
        self.services = services
        self.origin = origin  # the configured public base URL (Settings.base_url)
        self.basic = basic  # HTTP Basic (key, secret), for the token endpoint
        self.query_pairs = query
        self.query = dict(query)
        self.body = body
        self.token = token
        self.path = path
        self.scope = scope
        self.client_key: str | None = None  # the application the token was issued to, once authenticated

    @contextmanager
    def session(self, *, write: bool, entitlements: tuple[builtins.str, ...] = ()) -> Iterator[tuple[Session, User]]:
        """An authenticated transaction; a token of an application holding none of `entitlements` is a 403."""
        with transaction(self.services.engine, write=write) as db:
            user, key = oauth_clients.authenticate(db, self.token)
            self.scope.setdefault("state", {})[_CLIENT] = key or f"user:{user.id}"
            self.client_key = key
            oauth_clients.require_entitlement(db, key, entitlements)
            yield db, user

    def entitled(self, db: Session, *entitlements: builtins.str) -> builtins.bool:
        """Whether the calling application holds one of these (inside a session)."""
        return oauth_clients.entitled(db, self.client_key, entitlements)

    def require(self, db: Session, entitlements: tuple[builtins.str, ...]) -> None:
        """Refuse (403) unless the calling application holds one of these (inside a session)."""
        oauth_clients.require_entitlement(db, self.client_key, entitlements)

    def read(self, *entitlements: builtins.str):  # noqa: ANN201
        return self.session(write=False, entitlements=entitlements)

    def require_token(self) -> None:
        with self.read():
            pass

    def unauthenticated_write(self):  # noqa: ANN201
        return transaction(self.services.engine, write=True)

    def write(self, *entitlements: builtins.str):  # noqa: ANN201
        return self.session(write=True, entitlements=entitlements)

    def remember_client(self, key: str) -> None:
        self.scope.setdefault("state", {})[_CLIENT] = key

    # --- typed query parameters; errors name the parameter ---
    def str(self, name: str) -> str | None:
        return self.query.get(name) or None

    @overload
    def int(self, name: builtins.str, default: builtins.int) -> builtins.int: ...
    @overload
    def int(self, name: builtins.str, default: None = None) -> builtins.int | None: ...
    def int(self, name: builtins.str, default: builtins.int | None = None) -> builtins.int | None:
        value = self.query.get(name)
        if value in (None, ""):
            return default
        try:
            return parse_int(value, name)
        except ValueError:
            raise InvalidInput(name, f"{name} must be an integer, got {value!r}") from None

    def bool(self, name: builtins.str) -> bool | None:
        value = self.query.get(name)
        return None if value in (None, "") else true_or_false(value, name)

    def datetime(self, name: builtins.str) -> datetime | None:
        value = self.query.get(name)
        return None if value in (None, "") else to_datetime(value, name)

    def stamp(self, name: builtins.str, key: builtins.str) -> tuple[tuple[builtins.str, Moment, builtins.bool], ...]:
        """`name` and `nameCompare` (greaterOrEqual, the default, or lessThan) as a core (key, moment, before)."""
        compare = self.str(name + "Compare")
        if compare is not None and compare not in COMPARES:
            raise InvalidInput(name + "Compare", f"{name}Compare must be one of {', '.join(COMPARES)}, got {compare!r}")
        moment = self.datetime(name)
        return () if moment is None else ((key, moment, compare == "lessThan"),)

    def order(self, sortable: dict[builtins.str, builtins.str]) -> tuple[tuple[builtins.str, builtins.bool], ...]:
        """`sort=a,b(desc)` as core (key, descending) pairs; a name not in `sortable` is a 400 naming sort."""
        order = []
        for part in (self.str("sort") or "").split(","):
            name = part.strip().removesuffix("(desc)")
            if not name:
                continue
            if name not in sortable:
                raise InvalidInput("sort", f"sort may name only {', '.join(sortable)}, got {name!r}")
            order.append((sortable[name], part.strip().endswith("(desc)")))
        return tuple(order)

    def window(self) -> Window:
        offset, limit = self.int("offset", 0), self.int("limit", DEFAULT_LIMIT)
        if offset < 0:
            raise InvalidInput("offset", "offset must not be negative")
        if limit < 1:
            raise InvalidInput("limit", "limit must be at least 1")
        return Window(offset, min(limit, MAX_LIMIT))

    def fields(self) -> list[builtins.str]:
        return [f.strip() for f in (self.query.get("fields") or "").split(",") if f.strip()]

    def pick(self, obj: dict[builtins.str, Any]) -> dict[builtins.str, Any]:
        return pick(obj, self.fields())

    def paged(self, results: list[dict[builtins.str, Any]], window: Window, page: Slice) -> dict[builtins.str, Any]:
        """`{"results", "paging": {"nextPage"}}`; nextPage (a path with every parameter) only when more follow."""
        body: dict[str, Any] = {"results": [self.pick(r) for r in results]}
        if page.has_more:
            kept = [(k, v) for k, v in self.query_pairs if k not in ("offset", "limit")]
            query = urlencode(kept + [("offset", str(window.offset + window.limit)), ("limit", str(window.limit))])
            body["paging"] = {"nextPage": f"{self.path}?{query}"}
        return body

    def body_fields(self, table: dict[builtins.str, type]) -> dict[builtins.str, Any]:
        """The JSON body flattened to dotted names, each value checked against the table's type."""
        if not isinstance(self.body, dict):
            raise InvalidInput("body", "the request body must be a JSON object")
        return {name: typed(value, table.get(name), name) for name, value in flatten(self.body, table)}


def flatten(node: dict[str, Any], table: dict[str, type], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in node.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and name not in table:
            yield from flatten(value, table, name + ".")
        else:
            yield name, value


def typed(value: Any, kind: type | None, name: str) -> Any:
    if value is None or kind is None:  # unknown names are the core's to refuse, by name
        return value
    if kind is datetime:
        return to_datetime(value, name)
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidInput(name, f"{name} must be an integer")
    if kind is int:
        return check_int(value, name)
    if kind is bool and not isinstance(value, bool):
        raise InvalidInput(name, f"{name} must be true or false")
    if kind is str and not isinstance(value, str):
        raise InvalidInput(name, f"{name} must be a string")
    return value


def to_datetime(value: Any, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(name, f"{name} must be an ISO 8601 date-time, got {value!r}") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def pick(obj: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """The `fields=` selection: dotted paths keep nested parts; unknown names are ignored."""
    if not fields:
        return obj
    out: dict[str, Any] = {}
    for path in fields:
        head, _, rest = path.partition(".")
        if head not in obj:
            continue
        if rest and isinstance(obj[head], dict):
            part = pick(obj[head], [rest])
            if part:
                out[head] = merge(out.get(head, {}), part)
        else:
            out[head] = obj[head]
    return out


async def provide_call(request: Request) -> Call:
    refuse_throttled(request)
    body = form_or_json(await request.body(), request.headers.get("content-type", ""))
    auth = request.headers.get("authorization", "")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else None
    query = query_pairs(request.scope)
    services = request.app.state.services
    return Call(services, query, body, token, request.url.path, request.scope, services.settings.base_url,
                basic_credentials(auth))


def basic_credentials(header: str) -> tuple[str, str] | None:
    if header[:6].lower() != "basic ":
        return None
    try:
        key, colon, secret = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return (key, secret) if colon else None


# Learn's words for a bad bearer token; other credential errors (client credentials) keep their own.
_TOKEN_MESSAGES = {"Invalid access token.": "Bearer token is invalid"}


def _body(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response({"status": status, "message": message}, status_code=status, headers=headers)


# The status of each domain error (the most specific class listed wins); any other exception is a 500.
ERROR_STATUS: dict[type[Exception], int] = {
    NotAuthenticated: 401, NotAllowed: 403, NotFound: 404, InvalidInput: 400, Conflict: 409,
    GroupFull: 409,  # Learn refuses joining a full group as a conflict; core calls it bad input (Canvas's 400)
    TooManyFailures: 429, StoreBusy: 503, DomainError: 400,
}


def error_response(exc: Exception) -> Response:
    """The Learn error body for an exception, with its status from ERROR_STATUS (the only place both are chosen)."""
    return _body(status_for(exc, ERROR_STATUS), _error_message(exc), retry_after(exc))


def _error_message(exc: Exception) -> str:
    if not isinstance(exc, DomainError):
        return "An unexpected error occurred"
    if isinstance(exc, NotAuthenticated):
        return _TOKEN_MESSAGES.get(exc.message, exc.message) if exc.invalid else "API request is not authenticated."
    if isinstance(exc, NotAllowed):
        return "User is not authorized to perform this operation"
    return exc.message


def http_error_response(status: int, detail: str) -> Response:
    messages = {404: "API not found", 405: "Method not allowed"}
    return _body(status, messages.get(status, detail))


class RateLimits:
    """Calls per client in a rolling day, counted in this process's memory (each server process
    counts its own calls; the headers are advice, nothing is refused)."""

    LIMIT, WINDOW = 10_000, 86_400

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, bucket: str) -> tuple[int, int, int]:
        """Count one call; (limit, remaining, seconds until the window resets)."""
        now = time.monotonic()
        with self._lock:
            start, used = self._windows.get(bucket, (now, 0))
            if now - start >= self.WINDOW:
                start, used = now, 0
            self._windows[bucket] = (start, used + 1)
        return self.LIMIT, max(self.LIMIT - used - 1, 0), int(start + self.WINDOW - now)


async def add_rate_limit_headers(message: Message, scope: Scope) -> None:
    """before_send hook: every Learn response carries X-Rate-Limit-Limit/-Remaining/-Reset."""
    if message["type"] != "http.response.start" or not scope.get("path", "").startswith(PREFIX):
        return
    if (scope.get("state") or {}).get("courseport.fault") == "rate_limit":  # an injected 429 sets its own
        return
    state = scope["app"].state
    limits = state.get("blackboard_rate_limits")
    if limits is None:
        limits = state["blackboard_rate_limits"] = RateLimits()
    client = (scope.get("state") or {}).get(_CLIENT) or f"address:{(scope.get('client') or ('?',))[0]}"
    limit, remaining, reset = limits.hit(client)
    headers = MutableScopeHeaders.from_message(message)
    headers["X-Rate-Limit-Limit"] = str(limit)
    headers["X-Rate-Limit-Remaining"] = str(remaining)
    headers["X-Rate-Limit-Reset"] = str(reset)
