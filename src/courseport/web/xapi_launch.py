"""xAPI and cmi5 launches in the browser: the launch link (preview or registration) redirects to the
activity's own URL with its launch parameters, and the package's files are served here with a
Content-Security-Policy that lets the content reach this installation's xAPI endpoint (and nothing
else outside its launch's files). The player hands a view over through `launch_answer`.
"""

from __future__ import annotations

from litestar import Request, Response, Router, get
from litestar.exceptions import HTTPException
from litestar.response import Stream

from courseport.core.packages import lrs_launches
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
    from courseport.web.player import session_file  # the player serves package files one way

    origin = _services(request).settings.base_url
    return session_file(request, session, path, f"{origin}{FILES}/{session}/files/", connect=f"{origin}/xapi/")


def _error(request: Request, exc: Exception) -> Response:
    from courseport.web.player import error_page

    return error_page(request, exc)


ROUTES = [Router(path="/", route_handlers=[launch_file], exception_handlers={HTTPException: _error, Exception: _error})]
