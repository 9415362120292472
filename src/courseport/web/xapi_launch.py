"""xAPI and cmi5 launches in the browser: the launch link (preview or registration) redirects to the
activity's own URL with its launch parameters, and the package's files are served here with a
Content-Security-Policy that lets the content reach this installation's xAPI endpoint (and nothing
else outside its launch's files). The player hands a view over through `launch_answer`.
"""

from __future__ import annotations

from litestar import Request, Response, Router, get
from litestar.exceptions import HTTPException
from litestar.response import Stream

from courseport.core.packages import lrs_launches, previews
from courseport.core.packages.previews import PlayerView
from courseport.db import transaction
from courseport.services import Services

FILES = "/xapi-launch"


def _services(request: Request) -> Services:
    return request.app.state.services


def launch_answer(request: Request, view: PlayerView) -> Response | None:
    """A redirect to an xAPI or cmi5 activity's launch URL; None when the player plays the course."""
    if view.standard != "other":  # SCORM: the player plays it, with no transaction spent here
        return None
    services = _services(request)
    origin = services.settings.base_url
    urls = lrs_launches.LaunchUrls(endpoint=f"{origin}/xapi/", fetch_base=f"{origin}/xapi/cmi5/fetch/",
                                   files_base=f"{origin}{FILES}/{view.session_token}/files/")
    with transaction(services.engine, write=True) as db:
        target = lrs_launches.content_launch(db, services.secret, view, urls)
    if target is None:
        return None
    return Response("", status_code=302, headers={"Location": target, "Cache-Control": "no-store",
                                                  "Referrer-Policy": "no-referrer"})


@get(FILES + "/{session:str}/files/{path:path}", sync_to_thread=True)
def launch_file(request: Request, session: str, path: str) -> Stream:
    from courseport.web.player import content_sources, served_type  # the player's one table of web types

    services = _services(request)
    with transaction(services.engine, write=False) as db:
        found = previews.package_file(db, services.secret, session, path)
    origin = services.settings.base_url
    prefix = f"{origin}{FILES}/{session}/files/"
    content_type = served_type(found.path, found.content_type)
    return Stream(services.blobs.open_chunks(found.blob_sha256), media_type=content_type, headers={
        "Content-Type": content_type, "Content-Length": str(found.size), "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=3600", "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": f"default-src {content_sources(services, prefix)} 'unsafe-inline' 'unsafe-eval' "
                                   f"data: blob:; "
                                   f"connect-src {prefix} {origin}/xapi/; base-uri {prefix}; "
                                   f"form-action {prefix}; frame-ancestors 'self'",
    })


def _error(request: Request, exc: Exception) -> Response:
    from courseport.web.player import _error_page

    return _error_page(request, exc)


ROUTES = [Router(path="/", route_handlers=[launch_file], exception_handlers={HTTPException: _error, Exception: _error})]
