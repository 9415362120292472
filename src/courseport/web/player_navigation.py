"""The player's navigation requests (SCORM 2004 sequencing): `scorm_navigation.js` posts the start,
each Terminate's `adl.nav.request` and the learner's clicks here; the answer says which SCO to
deliver, why a request was refused, or that the course ended, and what is available now."""

from __future__ import annotations

import json
from dataclasses import asdict

import anyio
from litestar import Request, Response, post

from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import launch_navigation
from courseport.core.packages.launch_vault import Browser
from courseport.db import transaction
from courseport.services import Services
from courseport.web.launch_access import admit, browser_of

MAX_NAVIGATION_BYTES = 16 * 1024


@post("/player/{session:str}/navigation", status_code=200, request_max_body_size=MAX_NAVIGATION_BYTES)
async def navigation_request(request: Request, session: str) -> Response:
    body = await json_body(request, "the player sends JSON")
    answer = await anyio.to_thread.run_sync(_navigate, request.app.state.services, session, body, browser_of(request))
    return Response(json.dumps(asdict(answer)), media_type="application/json", headers={"Cache-Control": "no-store"})


async def json_body(request: Request, why: str) -> object:
    """The player's body, JSON whatever its declared type (navigator.sendBeacon sends text/plain)."""
    try:
        return json.loads(await request.body())
    except ValueError:
        raise InvalidInput("body", why) from None


def _navigate(services: Services, session: str, body: object, browser: Browser) -> launch_navigation.NavigationAnswer:
    admit(services, session, browser)
    with transaction(services.engine, write=True) as db:
        return launch_navigation.navigate_launch(db, services.secret, services.blobs, session, body)
