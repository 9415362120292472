"""The browser sign-in of ID-key auth: `GET /d2l/auth/api/token?x_a=<app id>&x_b=<signature of
x_target>&x_target=<url>` sends the browser back to x_target with `x_a=<user id>&x_b=<user key>`.

courseport has no login pages: the user proves who they are with a courseport access token, as a
bearer header or pasted into the small form this route shows without one.
"""

from __future__ import annotations

import html
from typing import Annotated
from urllib.parse import urlencode

from litestar import Request, Response
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from courseport.core.identity import d2l_apps
from courseport.core.identity.tokens import authenticate
from courseport.db import transaction
from courseport.dialects.d2l.protocol import get_writing, post
from courseport.throttle import refuse_throttled

_FORM = """<!doctype html><html><head><meta charset="utf-8"><title>Sign in</title></head><body>
<h1>Sign in to {app}</h1><form method="post" action="/d2l/auth/api/token">
<label>courseport access token <input name="token" type="password" autofocus></label>
<input type="hidden" name="x_a" value="{x_a}"><input type="hidden" name="x_b" value="{x_b}">
<input type="hidden" name="x_target" value="{x_target}"><button>Sign in</button></form></body></html>"""


def _redirect(request: Request, token: str | None, x_a: str | None, x_b: str | None, x_target: str | None) -> Response:
    with transaction(request.app.state.services.engine, write=True) as db:
        user = authenticate(db, token)
        key = d2l_apps.sign_in(db, user, x_a, x_b, x_target)
        pair = urlencode({"x_a": key.key_id, "x_b": key.user_key})
    joiner = "&" if "?" in (x_target or "") else "?"
    return Redirect(f"{x_target}{joiner}{pair}", status_code=302)


@get_writing("/auth/api/token")  # with a bearer token it makes the user key it hands over
def sign_in_page(request: Request) -> Response:
    refuse_throttled(request)
    q = request.query_params
    x_a, x_b, x_target = q.get("x_a"), q.get("x_b"), q.get("x_target")
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return _redirect(request, auth[7:].strip(), x_a, x_b, x_target)
    page = _FORM.format(app=html.escape(x_a or "an application"), x_a=html.escape(x_a or ""),
                        x_b=html.escape(x_b or ""), x_target=html.escape(x_target or ""))
    return Response(page, media_type="text/html")


@post("/auth/api/token")
def sign_in(request: Request, data: Annotated[dict, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Response:
    refuse_throttled(request)
    return _redirect(request, data.get("token"), data.get("x_a"), data.get("x_b"), data.get("x_target"))


ROUTES = [sign_in_page, sign_in]
