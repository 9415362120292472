"""The preview player in the browser: the page a launch link opens, the package files it frames,
our SCORM runtime script and the runtime commits it sends back.

Package content runs on our origin (a SCO must reach `window.parent.API`), so every package file
carries a Content-Security-Policy that limits it to the files of its own launch: it can load
nothing else from here and talk to no one. Errors are small HTML pages: a browser reads them.
"""

from __future__ import annotations

import html
import json
import logging
import mimetypes
import posixpath
import secrets
from functools import cache
from importlib.resources import files as package_resources
from string import Template
from urllib.parse import urlparse

import anyio
import litestar
from litestar import Request, Response, Router
from litestar.exceptions import HTTPException
from litestar.response import Stream

from courseport.core.kit.errors import DomainError, InvalidInput, NotAllowed, NotAuthenticated, NotFound, StoreBusy
from courseport.core.packages import (
    course_content,
    launch_navigation,
    previews,
    registration_launches,
    registration_progress,
)
from courseport.core.packages.launch_vault import Browser
from courseport.db import transaction
from courseport.dialects.error_status import busy_instead, retry_after, status_for
from courseport.services import Services
from courseport.web import xapi_launch
from courseport.web.launch_access import admit, browser_of
from courseport.web.player_navigation import json_body, navigation_request

MAX_RUNTIME_BYTES = 1024 * 1024
SCRIPTS = ("scorm_runtime.js", "scorm_navigation.js")
# Types browsers insist on (module scripts, fonts, wasm) that the platform's table may lack or get wrong.
WEB_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".js": "text/javascript", ".mjs": "text/javascript",
    ".css": "text/css", ".json": "application/json", ".xml": "application/xml", ".xsd": "application/xml",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".ico": "image/x-icon", ".woff": "font/woff",
    ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf", ".wasm": "application/wasm",
    ".mp4": "video/mp4", ".webm": "video/webm", ".mp3": "audio/mpeg", ".vtt": "text/vtt", ".txt": "text/plain",
    ".pdf": "application/pdf", ".swf": "application/x-shockwave-flash",
}
# The player page's status per domain error (read by `status_for`); any other error is a 500.
_STATUS: dict[type[Exception], int] = {NotAuthenticated: 403, NotAllowed: 403, NotFound: 404, InvalidInput: 400,
                                       StoreBusy: 503}

get = litestar.get
post = litestar.post
log = logging.getLogger("courseport")


def _services(request: Request) -> Services:
    return request.app.state.services


def _origin(request: Request) -> str:
    """The configured public base URL: never the request's Host header."""
    return _services(request).settings.base_url


@cache
def _resource(name: str) -> str:
    return package_resources("courseport.web").joinpath(name).read_text(encoding="utf-8")


@get("/preview/{token:str}", sync_to_thread=True)
def open_player(request: Request, token: str) -> Response:
    services = _services(request)
    with transaction(services.engine, write=False) as db:
        view = previews.open_launch_link(db, services.secret, token, browser=browser_of(request))
    if (launched := xapi_launch.launch_answer(request, view)) is not None:  # xAPI and cmi5: their own URL
        return launched
    page, policy = render_player(view, _origin(request), secrets.token_urlsafe(16),
                                 services.settings.frame_ancestors)
    return Response(page, media_type="text/html", headers={
        "Content-Security-Policy": policy, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


@get("/launch/{token:str}", sync_to_thread=True)
def open_registration_player(request: Request, token: str) -> Response:
    """A registration's launch link: the same player, starting from what the SCOs left."""
    services = _services(request)
    with transaction(services.engine, write=True) as db:
        player = registration_launches.open_registration_link(db, services.secret, token, browser=browser_of(request))
    if (launched := xapi_launch.launch_answer(request, player.view)) is not None:  # xAPI and cmi5: their own URL
        return launched
    page, policy = render_player(player.view, _origin(request), secrets.token_urlsafe(16),
                                 services.settings.frame_ancestors, player.resume)
    return Response(page, media_type="text/html", headers={
        "Content-Security-Policy": policy, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


def render_player(view: previews.PlayerView, origin: str, nonce: str, frame_ancestors: tuple[str, ...] = (),
                  resume: dict[str, dict[str, str]] | None = None) -> tuple[str, str]:
    """The player page and its Content-Security-Policy: our runtime, the launch's files, its commits;
    only this service and the configured `frame_ancestors` may frame it. `resume`: the data model
    values each SCO starts from (a registration's earlier launches)."""
    base = f"{origin}/player/{view.session_token}"
    page = Template(_resource("templates/player.html")).substitute(
        lang=html.escape(view.session.culture or "en"), title=html.escape(view.title), nonce=nonce,
        css_link=f'<link rel="stylesheet" href="{html.escape(view.session.css_url)}">' if view.session.css_url else "",
        toc=_table_of_contents(view), config=_launch_config(view, base, resume or {}),
        runtime_url=f"{origin}/player/scorm_runtime.js", navigation_url=f"{origin}/player/scorm_navigation.js")
    external = {_source(sco.href) for sco in view.scos if urlparse(sco.href).scheme}
    policy = "; ".join([
        "default-src 'none'", f"script-src 'nonce-{nonce}'",
        f"style-src 'nonce-{nonce}'" + (f" {_source(view.session.css_url)}" if view.session.css_url else ""),
        " ".join(["frame-src", f"{base}/files/", *sorted(external)]),
        f"connect-src {base}/runtime" + (f" {base}/navigation" if view.sequenced else ""),
        "img-src 'self' data:", "base-uri 'none'", "form-action 'none'",
        " ".join(["frame-ancestors 'self'", *frame_ancestors]),
    ])
    return page, policy


def _launch_config(view: previews.PlayerView, base: str, resume: dict[str, dict[str, str]]) -> str:
    config = {"resume": resume,
        "standard": view.standard, "start": view.start, "culture": view.session.culture,
        "learner": {"id": view.session.learner_id, "name": view.session.learner_name},
        "exit": view.session.exit, "filesUrl": f"{base}/files/", "runtimeUrl": f"{base}/runtime",
        "scos": [{"id": sco.id, "title": sco.title, "href": sco.href, "scaledPassingScore": sco.scaled_passing_score,
                  "masteryScore": _mastery(sco, view.standard)} for sco in view.scos],
    }
    if view.sequenced:
        config["navigationUrl"] = f"{base}/navigation"
    # Inside <script>, "</" would end the element: JSON lets us escape it.
    return json.dumps(config).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _mastery(sco: previews.Sco, standard: str) -> str | None:
    if standard != "scorm12" or not sco.scaled_passing_score:
        return None
    return f"{float(sco.scaled_passing_score) * 100:g}"


def _table_of_contents(view: previews.PlayerView) -> str:
    if len(view.scos) < 2:
        return ""
    items = "".join(f'<li><a href="#" data-sco-index="{i}">{html.escape(sco.title)}</a></li>'
                    for i, sco in enumerate(view.scos))
    buttons = '<button type="button" data-nav="previous">Previous</button>' \
              '<button type="button" data-nav="continue">Continue</button>'
    return f'<nav aria-label="Course contents"><ol>{items}</ol>{buttons}</nav>'


def _source(url: str) -> str:
    """A CSP source for a URL: its scheme, host and path (CSP sources cannot hold a query)."""
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}{parsed.path or '/'}".replace(";", "%3B").replace(",", "%2C")


@get("/player/{name:str}", sync_to_thread=False)
def runtime_script(name: str) -> Response:
    """Our runtime (`scorm_runtime.js`) and the player's navigation (`scorm_navigation.js`)."""
    if name not in SCRIPTS:
        raise NotFound("script")
    return Response(_resource(f"static/{name}"), media_type="text/javascript",
                    headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"})


@get("/player/{session:str}/files/{path:path}", sync_to_thread=True)
def package_file(request: Request, session: str, path: str) -> Stream:
    return session_file(request, session, path, f"{_origin(request)}/player/{session}/files/")


def session_file(request: Request, session: str, path: str, prefix: str, connect: str = "") -> Stream:
    """A file of the package a launch session plays, served under `prefix`: its Content-Security-Policy lets
    the content load its own files and the configured `content_sources`, and reach `prefix` and `connect`."""
    services = _services(request)
    admit(services, session, browser_of(request))
    with transaction(services.engine, write=False) as db:
        found = previews.package_file(db, services.secret, session, path)
    content_type = served_type(found.path, found.content_type)
    connect_src = f"connect-src {prefix} {connect}; " if connect else ""
    return Stream(services.blobs.open_chunks(found.blob_sha256), media_type=content_type, headers={
        "Content-Type": content_type, "Content-Length": str(found.size), "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=3600", "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": f"default-src {content_sources(services, prefix)} 'unsafe-inline' 'unsafe-eval' "
                                   f"data: blob:; {connect_src}"
                                   f"base-uri {prefix}; form-action {prefix}; frame-ancestors 'self'",
    })


def content_sources(services: Services, prefix: str) -> str:
    """What packaged content may load: its own files and the configured `content_sources`."""
    return " ".join([prefix, *services.settings.content_sources])


@get("/content/courses/{course:str}/{version:int}", sync_to_thread=True)
def course_folder(request: Request, course: str, version: int) -> Response:
    """A version's `webPathToCourse` itself: to its first launchable file."""
    return course_file(request, course, version, "")


@get("/content/courses/{course:str}/{version:int}/{path:path}", sync_to_thread=True, name="course_file")
def course_file_route(request: Request, course: str, version: int, path: str) -> Response:
    return course_file(request, course, version, path)


def course_file(request: Request, course: str, version: int, path: str) -> Response:
    """A version's files at its `webPathToCourse`, sandboxed: the content runs with an opaque origin."""
    services = _services(request)
    with transaction(services.engine, write=False) as db:
        found = course_content.content_file(db, f"{course}/{version}", path.lstrip("/"))
    if isinstance(found, str):
        return Response("", status_code=302, headers={"Location": f"{_origin(request)}/content/courses/"
                                                                  f"{course}/{version}/{found}"})
    content_type = served_type(found.path, found.content_type)
    return Stream(services.blobs.open_chunks(found.blob_sha256), media_type=content_type, headers={
        "Content-Type": content_type, "Content-Length": str(found.size), "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=3600", "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": "sandbox allow-scripts allow-forms allow-popups; frame-ancestors 'self'"})


def served_type(path: str, stored: str | None) -> str:
    by_name = WEB_TYPES.get(posixpath.splitext(path.lower())[1])
    if by_name:
        return by_name
    if stored and stored != "application/octet-stream":
        return stored
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


@post("/player/{session:str}/runtime", status_code=204, request_max_body_size=MAX_RUNTIME_BYTES)
async def runtime_commit(request: Request, session: str) -> None:
    body = await json_body(request, "the runtime sends JSON")
    await anyio.to_thread.run_sync(_record_runtime, _services(request), session, body, browser_of(request))


def _record_runtime(services: Services, session: str, body: object, browser: Browser) -> None:
    admit(services, session, browser)
    with transaction(services.engine, write=True) as db:
        previews.record_runtime(db, services.secret, session, body)
        launch_navigation.report_commit(db, services.secret, services.blobs, session, body)
        registration_progress.runtime_commit(db, services.secret, session, body)


def error_page(request: Request, exc: Exception) -> Response:
    """The player's HTML error page (the xAPI launch's files answer with it too)."""
    exc = busy_instead(exc)
    if isinstance(exc, HTTPException):
        status, message = exc.status_code, str(exc.detail)
    else:
        status = status_for(exc, _STATUS)
        message = exc.message if isinstance(exc, DomainError) else "Something went wrong."
        if status == 500:
            log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    body = f"<!doctype html><title>Course preview</title><p>{html.escape(message)}</p>"
    return Response(body, status_code=status, media_type="text/html",
                    headers={"Content-Security-Policy": "default-src 'none'; frame-ancestors 'self'",
                             "Cache-Control": "no-store", **(retry_after(exc) or {})})


ROUTES = [Router(path="/", route_handlers=[open_player, open_registration_player, runtime_script, package_file,
                                           runtime_commit, course_folder, course_file_route, navigation_request],
                 exception_handlers={HTTPException: error_page, Exception: error_page})]
