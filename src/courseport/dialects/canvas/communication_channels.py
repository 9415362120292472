"""Canvas Communication Channels API routes: list a user's channels, add one, delete one by id or by type and
address. A duplicate and a push channel are refused with Canvas's own 400 bodies (communication_channel_json)."""

from __future__ import annotations

from litestar import Response

from courseport.core.identity import communication_channels
from courseport.core.identity.communication_channels import DuplicateChannel, NewChannel, PushUnsupported
from courseport.core.kit.errors import spelled_as
from courseport.dialects.canvas.communication_channel_json import (
    CHANNEL_PARAMS,
    duplicate_body,
    push_body,
    render_channel,
)
from courseport.dialects.canvas.protocol import Call, delete, get, post


@get("/users/{user_id:str}/communication_channels")
def list_channels(call: Call, user_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = communication_channels.list_channels(db, me, user_id, window)
        items = [render_channel(channel) for channel in page.items]
    return call.paged(items, window, page)


@post("/users/{user_id:str}/communication_channels", status_code=200)
def create_channel(call: Call, user_id: str) -> Response:
    new = NewChannel(call.str("communication_channel[type]"), call.str("communication_channel[address]"),
                     bool(call.bool("skip_confirmation")))
    try:
        with call.write() as (db, me), spelled_as(CHANNEL_PARAMS):
            body = render_channel(communication_channels.create_channel(db, me, user_id, new))
    except DuplicateChannel:
        return Response(duplicate_body(), status_code=400)
    except PushUnsupported as exc:
        return Response(push_body(exc), status_code=400)
    return Response(body)


@delete("/users/{user_id:str}/communication_channels/{channel_id:str}")
def delete_channel(call: Call, user_id: str, channel_id: str) -> dict:
    with call.write() as (db, me):
        return render_channel(communication_channels.delete_channel(db, me, user_id, channel_id))


@delete("/users/{user_id:str}/communication_channels/{path_type:str}/{address:str}")
def delete_channel_at(call: Call, user_id: str, path_type: str, address: str) -> dict:
    with call.write() as (db, me):
        return render_channel(communication_channels.delete_channel_at(db, me, user_id, path_type, address))


ROUTES = [list_channels, create_channel, delete_channel, delete_channel_at]
