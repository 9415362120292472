"""Learn OAuth 2: the client-credentials token endpoint (HTTP Basic key:secret)."""

from __future__ import annotations

from litestar import Response

from courseport.core.identity import oauth_clients
from courseport.dialects.blackboard.protocol import Call, post

SCOPE = "read write delete"


@post("/v1/oauth2/token", status_code=200)
def request_token(call: Call) -> Response:
    key, secret = call.basic or (None, None)
    form = call.body if isinstance(call.body, dict) else {}
    grant_type = form.get("grant_type") or call.str("grant_type")
    with call.unauthenticated_write() as db:
        issued = oauth_clients.issue_token(db, key, secret, grant_type)
    call.remember_client(issued.client_key)
    body = {"access_token": issued.value, "token_type": "bearer", "expires_in": issued.expires_in, "scope": SCOPE}
    return Response(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


ROUTES = [request_token]
