"""Canvas JSON for course nicknames (the CourseNickname object of the Users API)."""

from __future__ import annotations

from typing import Any

from courseport.core.courses.course_nicknames import Nickname


def render_nickname(nickname: Nickname) -> dict[str, Any]:
    return {"course_id": nickname.course_id, "name": nickname.name, "nickname": nickname.nickname}
