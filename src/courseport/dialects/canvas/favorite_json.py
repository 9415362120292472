"""Canvas JSON for favourites (the Favorite object of the Favorites API)."""

from __future__ import annotations

from typing import Any


def render_favorite(course_id: int | None) -> dict[str, Any]:
    """A starred course; None (the course was not a favourite) is Canvas's empty object."""
    return {} if course_id is None else {"context_id": course_id, "context_type": "Course"}
