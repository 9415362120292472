"""Canvas ExternalFeed JSON (Announcement External Feeds API)."""

from __future__ import annotations

from typing import Any

from courseport.core.content.external_feeds import display_name
from courseport.dialects.canvas.protocol import iso
from courseport.schema import ExternalFeed


def render_external_feed(feed: ExternalFeed) -> dict[str, Any]:
    # Feeds are never fetched here, so none has entries yet.
    return {"id": feed.id, "display_name": display_name(feed), "url": feed.url, "header_match": feed.header_match,
            "created_at": iso(feed.created_at), "verbosity": feed.verbosity, "external_feed_entries_count": 0}
