"""Canvas JSON for notification preferences on communication channels."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from courseport.core.identity.notification_preferences import Preference

# Core words of a preference write as Canvas's parameters spell them.
PREFERENCE_PARAMS = {"frequency": "notification_preferences[frequency]"}


def render_preference(origin: str, preference: Preference) -> dict[str, Any]:
    """The NotificationPreference object; its href names the channel by type and address, as Canvas's does."""
    channel = preference.channel
    href = (f"{origin}/users/{channel.user_id}/communication_channels/{channel.path_type}/"
            f"{quote(channel.address, safe='@')}/notification_preferences/{preference.notification}")
    return {"href": href, "notification": preference.notification, "category": preference.category,
            "frequency": preference.frequency}


def render_preferences(origin: str, preferences: list[Preference]) -> dict[str, Any]:
    return {"notification_preferences": [render_preference(origin, p) for p in preferences]}
