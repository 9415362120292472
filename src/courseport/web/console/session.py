"""Console sessions: the session cookie, the CSRF token of every form, rendering pages and opening the
signed-in user's transaction.

The session cookie holds an access token made for the console (core/identity/tokens.py) that lasts
SESSION_HOURS; it is HttpOnly and SameSite=Lax, and Secure when the public URL is https. Every form
carries a CSRF token: an HMAC of the session token under the installation's secret (before sign-in, a
random value also set as a cookie). A form whose token is missing or wrong is refused with 403.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cache
from importlib.resources import files as package_resources
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import anyio
from litestar import Request, Response
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import Cookie, FormMultiDict
from litestar.exceptions import PermissionDeniedException
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, permissions, tokens
from courseport.core.kit.errors import NotAllowed
from courseport.core.kit.paging import Window
from courseport.db import transaction
from courseport.schema import User
from courseport.schema.base import utcnow
from courseport.services import Services

COOKIE = "courseport_console"
PRE_SESSION_COOKIE = "courseport_console_csrf"
CSRF_FIELD = "csrf_token"
SESSION_HOURS = 12
PAGE_SIZE = 25
POLL_HEADER = "x-console-part"  # set by console.js when it polls a page part
# Pages load only our own script and style sheet, and no one may frame them.
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
NOT_COURSE_TEAM = ("The console is for course teams and administrators: students and observers cannot sign "
                   "in to it.")
CSRF_REFUSED = "The form's security token is missing or wrong: reload the page and try again."
T = TypeVar("T")


def services_of(request: Request) -> Services:
    return request.app.state.services


@cache
def _engine() -> JinjaTemplateEngine:
    directory = Path(str(package_resources("courseport.web").joinpath("templates")))
    return JinjaTemplateEngine(directory=directory)


def session_token(request: Request) -> str | None:
    return request.cookies.get(COOKIE) or None


def csrf_for(secret: bytes, token: str) -> str:
    return hmac.new(secret, b"console-csrf:" + tokens.hash_token(token).encode(), hashlib.sha256).hexdigest()


def _expected_csrf(request: Request) -> str | None:
    if token := session_token(request):
        return csrf_for(services_of(request).secret, token)
    return request.cookies.get(PRE_SESSION_COOKIE) or None


def render(request: Request, name: str, *, me: User | None = None, status: int = 200,
           cookies: list[Cookie] | None = None, **context: Any) -> Response:
    """A console page; a poll (the X-Console-Part header) gets the page's `part` template alone."""
    csrf = context.pop("csrf", None) or _expected_csrf(request) or ""
    if request.headers.get(POLL_HEADER) and context.get("part"):
        name = context["part"]
    page = _engine().get_template(f"console/{name}").render(
        me=me, csrf=csrf, csrf_field=CSRF_FIELD, packages_menu=request.state.get("console_packages", False),
        path=request.url.path, here=_here(request), query=request.query_params, **context)
    return Response(page, status_code=status, media_type="text/html", cookies=cookies or [],
                    headers={"Content-Security-Policy": PAGE_POLICY, "Cache-Control": "no-store",
                             "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"})


def _here(request: Request) -> str:
    """This page's path and query, which a polled part asks for again."""
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def session_cookie(request: Request, value: str, max_age: int | None) -> Cookie:
    secure = services_of(request).settings.base_url.startswith("https://")
    return Cookie(key=COOKIE, value=value, path="/console", httponly=True, samesite="lax", secure=secure,
                  max_age=max_age)


def new_session(db: Session, user: User) -> str:
    """An access token for a console session of `user`, who must be on a course team."""
    if not permissions.is_course_team(db, user):
        raise NotAllowed(NOT_COURSE_TEAM)
    return tokens.create_token(db, user, "console session", expires_at=utcnow() + timedelta(hours=SESSION_HOURS))


@contextmanager
def signed_in(request: Request, *, write: bool = False) -> Iterator[tuple[Session, User]]:
    """The signed-in user (NotAuthenticated without a live session, NotAllowed off the course team) and
    the transaction to make core calls in."""
    with transaction(services_of(request).engine, write=write) as db:
        user = tokens.authenticate(db, session_token(request))
        if not permissions.is_course_team(db, user):
            raise NotAllowed(NOT_COURSE_TEAM)
        # Packages are the root administrators' (core's rule): the menu offers them to no one else.
        request.state.console_packages = accounts.is_admin_of(db, user.id, accounts.ROOT_ACCOUNT_ID)
        yield db, user


def csrf_matches(request: Request, sent: object) -> bool:
    expected = _expected_csrf(request)
    return isinstance(sent, str) and bool(expected) and hmac.compare_digest(sent.encode(), (expected or "").encode())


async def checked_form(request: Request) -> FormMultiDict:
    """The posted form once its CSRF token matches the session's; 403 otherwise."""
    form = await request.form()
    if not csrf_matches(request, form.get(CSRF_FIELD)):
        raise PermissionDeniedException(CSRF_REFUSED)
    return form


async def in_thread(function: Callable[..., T], *args: Any) -> T:
    return await anyio.to_thread.run_sync(function, *args)


def window_of(request: Request) -> Window:
    page = request.query_params.get("page", "1")
    number = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    return Window(offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)


def page_link(request: Request, page: int) -> str:
    """This page's URL with its query and another page number."""
    params = {k: v for k, v in request.query_params.items() if k != "page"}
    return f"{request.url.path}?{urlencode({**params, 'page': page})}"


def pre_session_token() -> str:
    return secrets.token_urlsafe(24)
