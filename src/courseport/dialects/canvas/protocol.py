"""Canvas wire protocol, once: auth, nested params, typed coercion, paging links, error bodies."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import partial
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

import litestar
import msgspec
from litestar import MediaType, Request, Response
from litestar.serialization import default_serializer
from sqlalchemy.orm import Session

from courseport.core.courses.content_contexts import ContextRef, GroupRef
from courseport.core.identity import masquerade
from courseport.core.identity.tokens import authenticate, check_unexpired, token_viewer
from courseport.core.kit.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    StoreBusy,
)
from courseport.core.kit.paging import Slice, Window
from courseport.db import transaction
from courseport.dialects.error_status import retry_after, status_for
from courseport.dialects.params import check_int, merge, nest, parse_body, parse_int, query_pairs
from courseport.dialects.read_only import get, get_writing, refuse_on_event_loop  # noqa: F401 - the face's route decorators
from courseport.schema import User
from courseport.services import Services
from courseport.throttle import TooManyFailures, refuse_throttled

post = partial(litestar.post, sync_to_thread=True)
put = partial(litestar.put, sync_to_thread=True)
patch = partial(litestar.patch, sync_to_thread=True)
delete = partial(litestar.delete, sync_to_thread=True, status_code=200)

_TRUE = {"true", "1", "on", "yes", "t"}
_FALSE = {"false", "0", "off", "no", "f", ""}
MAX_PER_PAGE = 100


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.isoformat(timespec="seconds")[:19] + "Z"  # isoformat is C; strftime is slow
    return value.isoformat()


def path_param_name(name: str) -> str:
    """How errors name a path parameter: as Canvas's reference does (:course_id)."""
    return name


def self_only(user_id: str) -> None:
    """Canvas serves some user routes for `users/self` alone. Those with a parameter after it are declared
    with `{user_id}` where Canvas has `self`: a literal `self` segment there would make Litestar's router
    answer 404 for every other `/users/self/...` route (`/users/self`, `/users/self/courses`), as it
    never steps back from a literal segment to a parameter. Any other user id is not found."""
    if user_id != "self":
        raise NotFound("user")


def in_contexts(suffix: str) -> list[str]:
    """A content route's paths under a course and under a group (`Call.context_ref` tells which was called)."""
    return [f"/courses/{{course_id:str}}{suffix}", f"/groups/{{group_id:str}}{suffix}"]


class Call:
    """One Canvas API call: its services, parameters, credentials and URL."""

    def __init__(self, services: Services, params: dict[str, Any], token: str | None, origin: str, path: str,
                 query_pairs: list[tuple[str, str]], path_params: dict[str, Any] | None = None):
        self.services = services
        self.params = params
        self.token = token
        self.origin = origin  # the configured public base URL (Settings.base_url)
        self.path = path
        self.query_pairs = query_pairs
        self.path_params = path_params or {}
        self.viewer: Any = None  # the token's user, set when a session opens (see `session`)

    @contextmanager
    def session(self, *, write: bool) -> Iterator[tuple[Session, User]]:
        """Reads see the caller as a read-only row of the user (`token_viewer`); writes get the entity.
        With `as_user_id` (query or form) the call is answered as that user (masquerade.acting_as);
        `self.viewer` stays the token's own user, whose token expiry is what counts."""
        if write:
            refuse_on_event_loop()
        with transaction(self.services.engine, write=write) as db:
            me = self.viewer = (authenticate if write else token_viewer)(db, self.token)
            as_user = self.str("as_user_id")
            yield db, masquerade.acting_as(db, me, as_user) if as_user else me

    def read(self):  # noqa: ANN201
        return self.session(write=False)

    def write(self):  # noqa: ANN201
        return self.session(write=True)

    def cached_read(self, key: tuple, read: Callable[[Session, Any], Any]) -> Any:
        """`read(db, me)`, or its result kept in the read cache while the store is unchanged: only
        for results that depend on stored data alone (courseport/read_cache.py)."""

        def load() -> tuple[Any, Any]:
            with self.read() as (db, me):
                return self.viewer, read(db, me)

        viewer, result = self.services.read_cache.get((self.token, self.str("as_user_id"), *key), load)
        check_unexpired(viewer)
        self.viewer = viewer
        return result

    def cached_caller_read(self, key: tuple, read: Callable[[Session, str | None], tuple[Any, Any]]) -> Any:
        """As cached_read without as_user_id, where `read(db, token)` reads the caller itself, in its first
        statement (checked as token_viewer checks it: tokens.checked_viewer), and answers (caller, result)."""

        def load() -> tuple[Any, Any]:
            with transaction(self.services.engine, write=False) as db:
                return read(db, self.token)

        viewer, result = self.services.read_cache.get((self.token, None, *key), load)
        check_unexpired(viewer)
        self.viewer = viewer
        return result

    def context_ref(self) -> ContextRef:
        """The course (`/courses/:course_id/...`) or group (`/groups/:group_id/...`) a content route serves."""
        group_id = self.path_params.get("group_id")
        return GroupRef(group_id) if group_id is not None else self.path_params["course_id"]

    # --- typed parameter access; every error names the parameter as sent ---
    def raw(self, name: str) -> Any:
        node: Any = self.params
        for part in name.replace("]", "").split("["):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def has(self, name: str) -> bool:
        return self.raw(name) is not None

    def str(self, name: str, default: str | None = None) -> str | None:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, (dict, list)):
            raise InvalidInput(name, f"{name} must be a string")
        return str(value)

    def bool(self, name: builtins.str, default: bool | None = None) -> bool | None:
        return to_bool(self.raw(name), name, default)

    def int(self, name: builtins.str, default: int | None = None) -> int | None:
        return to_int(self.raw(name), name, default)

    def list(self, name: builtins.str) -> list[builtins.str]:
        value = self.raw(name.removesuffix("[]"))
        if value is None:
            return []
        if isinstance(value, dict):
            return [str(v) for v in value.values()]
        if not isinstance(value, list):
            value = [value]
        return [str(v) for v in value]

    def window(self) -> Window:
        page = max(self.int("page", 1) or 1, 1)
        per_page = min(max(self.int("per_page", 10) or 10, 1), MAX_PER_PAGE)
        return Window(check_int((page - 1) * per_page, "page"), per_page)

    def page_links(self, window: Window, page: Slice) -> dict[builtins.str, builtins.str]:
        per_page, current = window.limit, window.offset // window.limit + 1
        kept = [(k, v) for k, v in self.query_pairs if k not in ("page", "per_page")]

        def link(n: int, rel: str) -> str:
            query = urlencode(kept + [("page", str(n)), ("per_page", str(per_page))])
            return f'<{self.origin}{self.path}?{query}>; rel="{rel}"'

        rels = [link(current, "current")]
        if page.has_more:
            rels.append(link(current + 1, "next"))
        if current > 1:
            rels.append(link(current - 1, "prev"))
        rels.append(link(1, "first"))
        if page.total is not None:
            rels.append(link(max(1, -(-page.total // per_page)), "last"))
        return {"Link": ",".join(rels)}

    def paged(self, items: builtins.list[Any], window: Window, page: Slice) -> Response:
        return Response(_JSON.encode(items), media_type=MediaType.JSON, headers=self.page_links(window, page))


# A page's JSON made here by one encoder with Litestar's own hook for the types msgspec lacks: Litestar encodes a
# response by `msgspec.json.encode(..., enc_hook=...)`, which sets an encoder up per response (a 130 KB page of
# courses cost ~20 % more so). Bytes pass Litestar's rendering untouched.
_JSON = msgspec.json.Encoder(enc_hook=default_serializer)
encode_json = _JSON.encode  # JSON as a Canvas response writes it (bytes)


def prefixed_fields(call: Call, prefix: str, kinds: dict[str, type]) -> dict[str, Any]:
    """The `prefix[...]` parameters present in the call, coerced to their core types."""
    node = call.raw(prefix)
    if node is None:
        return {}
    if not isinstance(node, dict):
        raise InvalidInput(prefix, f"{prefix} must be a hash of attributes")
    fields: dict[str, Any] = {}
    for key, kind in kinds.items():
        if key in node:
            fields[key] = node[key] if kind is list else coerce(node[key], kind, f"{prefix}[{key}]")
    return fields



def bare_fields(call: Call, kinds: dict[str, type]) -> dict[str, Any]:
    """The top-level parameters named in `kinds` present in the call, coerced to their core types."""
    return {key: coerce(call.raw(key), kind, key) for key, kind in kinds.items() if call.raw(key) is not None}


@contextmanager
def prefixed_params(prefix: str, names: Iterable[str]) -> Iterator[None]:
    """Core names attributes bare (`title`, `a[b]`); the client sent them as `prefix[title]`
    (`prefix[a][b]`): rename the field, and the message when it starts with the bare name."""
    try:
        yield
    except InvalidInput as exc:
        base, bracket, rest = exc.field.partition("[")
        if base not in names:
            raise
        named = f"{prefix}[{base}]{bracket}{rest}"
        message = named + exc.message[len(exc.field):] if exc.message.startswith(exc.field) else exc.message
        raise InvalidInput(named, message) from None


def to_bool(value: Any, name: str, default: bool | None = None) -> bool | None:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInput(name, f"{name} must be a boolean (true or false), got {value!r}")


def to_int(value: Any, name: str, default: int | None = None) -> int | None:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise InvalidInput(name, f"{name} must be an integer")
    try:
        return parse_int(str(value), name)
    except ValueError:
        raise InvalidInput(name, f"{name} must be an integer, got {value!r}") from None


def to_float(value: Any, name: str, default: float | None = None) -> float | None:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise InvalidInput(name, f"{name} must be a number")
    try:
        number = float(str(value).strip())
    except ValueError:
        raise InvalidInput(name, f"{name} must be a number, got {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidInput(name, f"{name} must be a finite number")
    return number


def to_datetime(value: Any, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(name, f"{name} must be an ISO 8601 date, got {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def coerce(value: Any, kind: type, name: str) -> Any:
    if kind is bool:
        return to_bool(value, name)
    if kind is int:
        return to_int(value, name)
    if kind is float:
        return to_float(value, name)
    if kind is datetime:
        return to_datetime(value, name)
    if kind is dict:
        if value in (None, ""):
            return None
        if not isinstance(value, dict):
            raise InvalidInput(name, f"{name} must be a hash of values")
        return value
    if isinstance(value, (dict, list)):
        raise InvalidInput(name, f"{name} must be a string")
    return None if value is None else str(value)


async def provide_call(request: Request) -> Call:
    call = bodyless_call(request)
    headers = request.headers
    if "content-length" not in headers and "transfer-encoding" not in headers:
        return call  # nothing to read (most GETs): skip the receive loop
    body = await request.body()
    call.params = merge(call.params, parse_body(headers.get("content-type", ""), body))
    return call


def bodyless_call(request: Request) -> Call:
    """A Call from the URL and headers alone, leaving the body unread for handlers that stream it."""
    refuse_throttled(request)
    # In sent order: Rails-style lists of hashes (`a[][id]=1&a[][x]=2&a[][id]=3`) group by position.
    scope = request.scope
    pairs = query_pairs(scope)
    headers = request.headers
    auth = headers.get("authorization", "")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else None
    token = token or next((v for k, v in pairs if k == "access_token"), None)
    services = request.app.state.services
    return Call(
        services=services,
        params=nest(pairs),
        token=token,
        origin=services.settings.base_url,  # never the request's Host header
        path=scope.get("root_path", "") + scope["path"],
        query_pairs=pairs,
        path_params=request.path_params,
    )


# The status of each domain error (the most specific class listed wins); any other exception is a 500.
# 403 for permissions, not Canvas's frequent 401: see docs/architecture.md.
ERROR_STATUS: dict[type[Exception], int] = {
    NotAuthenticated: 401, NotAllowed: 403, NotFound: 404, InvalidInput: 400, Conflict: 409,
    TooManyFailures: 429, StoreBusy: 503, DomainError: 400,
}
_NOT_FOUND = "The specified resource does not exist."


class RequestError(DomainError):
    """A domain error Canvas answers in its request-error shape, `{"status": "bad_request", "message": ...}`, as
    its quiz submission service answers its refusals; raised by `as_request_errors`. Its status is the
    wrapped error's (ERROR_STATUS)."""

    def __init__(self, error: DomainError):
        super().__init__(error.message)
        self.error = error


@contextmanager
def as_request_errors(*kinds: type[DomainError]) -> Iterator[None]:
    """The domain errors of `kinds` raised inside answered in Canvas's request-error shape."""
    try:
        yield
    except kinds as exc:
        raise RequestError(exc) from None


def error_response(exc: Exception) -> Response:
    """The Canvas error body for an exception, with its status from ERROR_STATUS (the only place both are chosen)."""
    if isinstance(exc, RequestError):
        status = status_for(exc.error, ERROR_STATUS)
        return Response({"status": HTTPStatus(status).name.lower(), "message": exc.message}, status_code=status)
    # A refused as_user_id or observee login comes with a good token: no challenge (Canvas sends none either).
    challenge = isinstance(exc, NotAuthenticated) and exc.challenge
    headers = {"WWW-Authenticate": 'Bearer realm="canvas-lms"'} if challenge else None
    return Response(_error_body(exc), status_code=status_for(exc, ERROR_STATUS), headers=headers or retry_after(exc))


def _error_body(exc: Exception) -> dict[str, Any]:
    if not isinstance(exc, DomainError):
        return {"errors": [{"message": "An error occurred."}]}
    if isinstance(exc, masquerade.MasqueradeRefused):  # Canvas's own body for it: a bare string
        return {"errors": exc.message}
    error = {"message": _NOT_FOUND if isinstance(exc, NotFound) else exc.message}
    if isinstance(exc, InvalidInput):
        error["field"] = exc.field
    if isinstance(exc, NotAllowed):
        return {"status": "unauthorized", "errors": [error]}
    if isinstance(exc, NotAuthenticated) and not exc.invalid:
        return {"errors": [error], "status": "unauthenticated"}
    return {"errors": [error]}


def http_error_response(status: int, detail: str) -> Response:
    return Response({"errors": [{"message": _NOT_FOUND if status == 404 else detail}]}, status_code=status)
