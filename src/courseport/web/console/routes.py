"""Every console route under one router, with the console's error pages and its static files."""

from __future__ import annotations

import logging
from functools import cache
from importlib.resources import files as package_resources
from urllib.parse import quote

from litestar import Request, Response, Router, get
from litestar.exceptions import HTTPException, NotFoundException
from litestar.response import Redirect

from courseport.core.kit.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    StoreBusy,
)
from courseport.dialects.error_status import busy_instead, retry_after, status_for
from courseport.throttle import TooManyFailures
from courseport.web.console import (
    auth,
    blueprints,
    copies,
    courses,
    exports,
    jobs,
    packages,
    people,
    registrations,
)
from courseport.web.console.session import COOKIE, render, session_cookie

log = logging.getLogger("courseport")
STATIC = {"console.js": "text/javascript", "console.css": "text/css"}
STATUS: dict[type[Exception], int] = {NotAllowed: 403, NotFound: 404, InvalidInput: 400, Conflict: 409,
                                      DomainError: 400, TooManyFailures: 429, StoreBusy: 503}
TITLES = {429: "Too many tries", 503: "Busy",
          400: "Check the form", 403: "Not allowed", 404: "Not found", 409: "Conflict", 500: "Something went wrong"}


@cache
def _static(name: str) -> str:
    return package_resources("courseport.web").joinpath(f"static/console/{name}").read_text(encoding="utf-8")


@get("/console/static/{name:str}", sync_to_thread=False)
def static_file(name: str) -> Response:
    if name not in STATIC:
        raise NotFoundException("No such file.")
    return Response(_static(name), media_type=STATIC[name], headers={"Cache-Control": "public, max-age=300"})


def error_page(request: Request, exc: Exception) -> Response:
    """Signed out: to the sign-in page (and back here after); any other error: a page that says why."""
    if isinstance(exc, NotAuthenticated):
        back = request.url.path if request.method == "GET" else "/console/courses"
        response = Redirect(f"/console/sign-in?next={quote(back)}", status_code=303)
        if request.cookies.get(COOKIE):
            response.cookies.append(session_cookie(request, "", 0))
        return response
    exc = busy_instead(exc)
    if isinstance(exc, HTTPException):
        status, message = exc.status_code, str(exc.detail)
    else:
        status = status_for(exc, STATUS)
        message = exc.message if isinstance(exc, DomainError) else "Something went wrong; see the server log."
        if status >= 500 and not isinstance(exc, StoreBusy):
            log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    page = render(request, "message.html", title=TITLES.get(status, "Error"), message=message, status=status)
    page.headers.update(retry_after(exc) or {})
    return page


PAGES = [*auth.ROUTES, *jobs.ROUTES, *courses.ROUTES, *copies.ROUTES, *exports.ROUTES, *blueprints.ROUTES,
         *packages.ROUTES,
         *people.ROUTES, *registrations.ROUTES]
ROUTES = [Router(path="/", route_handlers=[static_file, *PAGES],
                 exception_handlers={HTTPException: error_page, Exception: error_page})]
