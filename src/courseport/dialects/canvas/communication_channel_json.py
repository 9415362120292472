"""Canvas JSON for communication channels, and the bodies of the refusals Canvas renders its own way."""

from __future__ import annotations

from typing import Any

from courseport.core.identity.communication_channels import PushUnsupported
from courseport.dialects.canvas.protocol import iso
from courseport.schema import CommunicationChannel

# Core words of a channel create as the route's parameters spell them.
CHANNEL_PARAMS = {"address": "communication_channel[address]", "type": "communication_channel[type]"}


def render_channel(channel: CommunicationChannel) -> dict[str, Any]:
    """The CommunicationChannel object (bounce details are Canvas's site admins' only: not shown)."""
    return {"id": channel.id, "address": channel.address, "type": channel.path_type, "position": channel.position,
            "user_id": channel.user_id, "workflow_state": channel.workflow_state,
            "created_at": iso(channel.created_at)}


def duplicate_body() -> dict[str, Any]:
    """Canvas's record error for a channel the user already has, on the channel's `path`."""
    return {"errors": {"path": [{"attribute": "path", "type": "unique!", "message": "unique!"}]}}


def push_body(exc: PushUnsupported) -> dict[str, Any]:
    """Canvas refuses push channels it cannot serve with the reason under `type`."""
    return {"errors": {"type": exc.message}}
