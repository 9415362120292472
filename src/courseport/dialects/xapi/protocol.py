"""xAPI 1.0.3 wire protocol, once: `/xapi`, Basic credentials (a launch's or an application's xAPI
credential's), the required `X-Experience-API-Version` header (on every request but `/about` and cmi5's
fetch URL; on every response), agents as JSON in the query, and errors as `{"error": true, "message": ...}` with the
status the spec's Communication part gives (400, 401, 403, 404, 409, 412).
"""

from __future__ import annotations

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

from courseport.core.kit.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    StoreBusy,
)
from courseport.core.packages import lrs_documents, lrs_launches, xapi_credentials
from courseport.core.packages.lrs_credentials import Scope, agent_key
from courseport.core.packages.lrs_statement_checks import check_agent
from courseport.db import transaction
from courseport.dialects.error_status import retry_after, status_for
from courseport.dialects.params import check_value, decode_json, query_pairs
from courseport.dialects.read_only import get, head  # noqa: F401 - the face's route decorators
from courseport.services import Services
from courseport.throttle import TooManyFailures, refuse_throttled

post = partial(litestar.post, sync_to_thread=True, status_code=200)
put = partial(litestar.put, sync_to_thread=True, status_code=200)  # routes answer their own status
delete = partial(litestar.delete, sync_to_thread=True, status_code=200)

PREFIX = "/xapi"
VERSION = "1.0.3"
UNVERSIONED = ("/xapi/about", "/xapi/cmi5/")  # paths a request may reach without the version header
# Content hosted elsewhere (an AU at an absolute URL) calls from its own origin. Credentials travel in the
# Authorization header, never in cookies, so any origin may call: the header is what grants access.
CORS = {"Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "ETag, Last-Modified, X-Experience-API-Version, "
                                         "X-Experience-API-Consistent-Through"}
PREFLIGHT = {**CORS, "Access-Control-Allow-Methods": "GET, HEAD, PUT, POST, DELETE",
             "Access-Control-Allow-Headers": "Authorization, Content-Type, If-Match, If-None-Match, "
                                             "X-Experience-API-Version",
             "Access-Control-Max-Age": "600"}


def path_param_name(name: str) -> str:
    return name


class Call:
    """One xAPI request: services, query, raw body, headers."""

    def __init__(self, services: Services, query: dict[str, str], body: bytes, headers: dict[str, str]):
        self.services, self.query, self.body, self.headers = services, query, body, headers

    @contextmanager
    def scoped(self, *, write: bool) -> Iterator[tuple[Session, Scope]]:
        """The request's transaction and scope: a launch's credentials or an application's xAPI credential,
        held to its permissions (`write`: the request writes)."""
        with transaction(self.services.engine, write=write) as db:
            yield db, xapi_credentials.authenticate(db, self.services.secret, self.headers.get("authorization"),
                                                    write=write)

    def str(self, name: str, *, required: bool = False) -> str | None:
        value = self.query.get(name)
        if required and not value:
            raise InvalidInput(name, f"the {name} parameter is required")
        return value or None

    def bool(self, name: builtins.str) -> builtins.bool:
        value = self.query.get(name, "false").lower()
        if value not in ("true", "false"):
            raise InvalidInput(name, f"{name} must be true or false, got {self.query.get(name)!r}")
        return value == "true"

    def int(self, name: builtins.str) -> builtins.int:
        value = self.query.get(name) or "0"
        if not value.isdigit() or len(value) > 9:
            raise InvalidInput(name, f"{name} must be a whole number, got {value!r}")
        return int(value)

    def datetime(self, name: builtins.str) -> datetime | None:
        value = self.str(name)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "+"))
        except ValueError:
            raise InvalidInput(name, f"{name} must be an ISO 8601 timestamp, got {value!r}") from None
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)

    def agent(self, name: builtins.str = "agent", *, required: builtins.bool = False) -> builtins.str | None:
        """The agent a parameter names, as its identifier text."""
        value = self.str(name, required=required)
        if value is None:
            return None
        try:
            found = check_value(json.loads(value), lambda path: name)
        except ValueError:
            raise InvalidInput(name, f"{name} must be an Agent as JSON") from None
        key = agent_key(found)
        if key is None:
            raise InvalidInput(name, f"{name} must be an Agent with one identifier (mbox, mbox_sha1sum, openid "
                                     "or account)")
        check_agent(found, name)
        return key

    def json_body(self) -> Any:
        if not self.body:
            raise InvalidInput("body", "the request has no body")
        return decode_json(self.body, lambda path: "body" + "".join(f"[{p!r}]" for p in path))

    def preconditions(self) -> lrs_documents.Preconditions:
        return lrs_documents.Preconditions(self.headers.get("if-match"), self.headers.get("if-none-match"))


async def provide_call(request: Request) -> Call:
    refuse_throttled(request)
    path = request.url.path
    if request.method != "OPTIONS" and not any(path == p or path.startswith(p) for p in UNVERSIONED):
        version = request.headers.get("x-experience-api-version")
        if not version:
            raise InvalidInput("X-Experience-API-Version", "the X-Experience-API-Version header is required")
        if not version.startswith("1.0"):
            raise InvalidInput("X-Experience-API-Version", f"X-Experience-API-Version {version} is not supported "
                                                           "(1.0.x is)")
    query = dict(query_pairs(request.scope))
    return Call(request.app.state.services, query, await request.body(), dict(request.headers))


def answer(content: Any = None, status: int = 200, headers: dict[str, str] | None = None,
           media_type: str = "application/json") -> Response:
    return Response(content, status_code=status, media_type=media_type,
                    headers={"X-Experience-API-Version": VERSION, **CORS, **(headers or {})})


def headers_only(full: Response) -> Response[None]:
    """A GET's answer as HEAD gives it (xAPI: every resource that answers GET answers HEAD)."""
    return Response(None, status_code=full.status_code, headers=dict(full.headers), media_type=full.media_type)


ERROR_STATUS: dict[type[Exception], int] = {
    NotAuthenticated: 401, NotAllowed: 403, NotFound: 404, InvalidInput: 400, Conflict: 409,
    lrs_documents.PreconditionFailed: 412, TooManyFailures: 429, StoreBusy: 503, DomainError: 400,
}


def error_response(exc: Exception) -> Response:
    if isinstance(exc, lrs_launches.FetchRefused):  # cmi5's own error shape for its fetch URL
        return answer({"error-code": exc.code, "error-text": exc.message}, 400)
    text = exc.message if isinstance(exc, DomainError) else "An unexpected error occurred"
    headers = {"WWW-Authenticate": 'Basic realm="courseport xAPI"'} if isinstance(exc, NotAuthenticated) else {}
    headers.update(retry_after(exc) or {})
    return answer({"error": True, "message": text}, status_for(exc, ERROR_STATUS), headers)


def http_error_response(status: int, detail: str) -> Response:
    texts = {404: "Resource not found", 405: "Method not allowed"}
    return answer({"error": True, "message": texts.get(status, detail)}, status)
