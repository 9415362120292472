"""cmi5's fetch URL: a POST answers the launch's auth-token once, then cmi5's error JSON."""

from __future__ import annotations

from litestar import Response

from courseport.core.packages import lrs_launches
from courseport.db import transaction
from courseport.dialects.xapi.protocol import Call, answer, post


@post("/cmi5/fetch/{token:str}")
def fetch(call: Call, token: str) -> Response:
    with transaction(call.services.engine, write=True) as db:
        auth_token = lrs_launches.fetch_auth_token(db, call.services.secret, token)
    return answer({"auth-token": auth_token})
