"""Canvas Notification Preferences API routes: a channel's frequency for each notification and the categories,
read by the channel's user and admins over them; the user sets their own (`users/self`) one notification, one
category or several at once (`notification_preferences[frequency]`, `notification_preferences[<name>][frequency]`)."""

from __future__ import annotations

from typing import Any

from courseport.core.identity import notification_preferences
from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.dialects.canvas.notification_preference_json import PREFERENCE_PARAMS, render_preferences
from courseport.dialects.canvas.protocol import Call, get, prefixed_params, put, self_only

_CHANNEL = "/users/{user_id:str}/communication_channels/{channel_id:str}"


@get(f"{_CHANNEL}/notification_preferences")
def list_preferences(call: Call, user_id: str, channel_id: str) -> dict:
    with call.read() as (db, me):
        found = notification_preferences.list_preferences(db, me, user_id, channel_id)
        return render_preferences(call.origin, found)


@get(f"{_CHANNEL}/notification_preference_categories")
def list_categories(call: Call, user_id: str, channel_id: str) -> dict:
    with call.read() as (db, me):
        return {"categories": notification_preferences.list_categories(db, me, user_id, channel_id)}


@get(f"{_CHANNEL}/notification_preferences/{{notification:str}}")
def get_preference(call: Call, user_id: str, channel_id: str, notification: str) -> dict:
    with call.read() as (db, me):
        found = notification_preferences.get_preference(db, me, user_id, channel_id, notification)
        return render_preferences(call.origin, [found])


@put(f"{_CHANNEL}/notification_preferences/{{notification:str}}")
def update_preference(call: Call, user_id: str, channel_id: str, notification: str) -> dict:
    self_only(user_id)
    frequency = call.str("notification_preferences[frequency]")
    with call.write() as (db, me), spelled_as(PREFERENCE_PARAMS):
        found = notification_preferences.set_preference(db, me, channel_id, notification, frequency)
        return render_preferences(call.origin, [found])


@put(f"{_CHANNEL}/notification_preference_categories/{{category:str}}")
def update_category(call: Call, user_id: str, channel_id: str, category: str) -> dict:
    self_only(user_id)
    frequency = call.str("notification_preferences[frequency]")
    with call.write() as (db, me), spelled_as(PREFERENCE_PARAMS):
        found = notification_preferences.set_category(db, me, channel_id, category, frequency)
        return render_preferences(call.origin, found)


@put(f"{_CHANNEL}/notification_preferences")
def update_preferences(call: Call, user_id: str, channel_id: str) -> dict:
    self_only(user_id)
    frequencies = _frequencies(call.raw("notification_preferences"))
    with call.write() as (db, me), prefixed_params("notification_preferences", frequencies):
        found = notification_preferences.set_preferences(db, me, channel_id, frequencies)
        return render_preferences(call.origin, found)


def _frequencies(node: Any) -> dict[str, str | None]:
    """`notification_preferences[<name>][frequency]` by notification name."""
    if node is None:
        return {}
    if not isinstance(node, dict):
        raise InvalidInput("notification_preferences", "notification_preferences must be a hash of notifications")
    found: dict[str, str | None] = {}
    for name, value in node.items():
        frequency = value.get("frequency") if isinstance(value, dict) else None
        if frequency is not None and not isinstance(frequency, str):
            raise InvalidInput(f"notification_preferences[{name}][frequency]", "frequency must be a string")
        found[str(name)] = frequency
    return found


ROUTES = [list_preferences, list_categories, get_preference, update_preference, update_category, update_preferences]
