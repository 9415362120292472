"""Canvas course settings routes: GET and PUT /courses/:course_id/settings."""

from __future__ import annotations

from typing import Any

from courseport.core.courses import course_settings
from courseport.dialects.canvas.protocol import Call, coerce, get, put


def setting_changes(call: Call) -> dict[str, Any]:
    """The settings present in the call, coerced to their catalogue types (JSON null kept as None)."""
    return {name: coerce(call.params[name], spec.kind, name)
            for name, spec in course_settings.SETTINGS.items() if name in call.params}


@get("/courses/{course_id:str}/settings")
def get_settings(call: Call, course_id: str) -> dict:
    with call.read() as (db, me):
        return course_settings.get_course_settings(db, me, course_id)


@put("/courses/{course_id:str}/settings")
def update_settings(call: Call, course_id: str) -> dict:
    changes = setting_changes(call)
    with call.write() as (db, me):
        return course_settings.update_course_settings(db, me, course_id, changes)


ROUTES = [get_settings, update_settings]
