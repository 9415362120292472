"""Canvas JSON for account notifications (global announcements)."""

from __future__ import annotations

from typing import Any

from courseport.core.identity.account_notifications import Notice
from courseport.dialects.canvas.protocol import iso

# Core words of a notification write as Canvas's parameters spell them.
NOTICE_PARAMS = {name: f"account_notification[{name}]" for name in ("subject", "message", "start_at", "end_at",
                                                                       "icon")}
NOTICE_PARAMS["roles"] = "account_notification_roles[]"


def render_notice(notice: Notice) -> dict[str, Any]:
    """The AccountNotification object: its roles by name (Canvas's deprecated `roles`) and by id."""
    row = notice.row
    return {"id": row.id, "subject": row.subject, "message": row.message, "start_at": iso(row.start_at),
            "end_at": iso(row.end_at), "icon": row.icon, "roles": [role.name for role in notice.roles],
            "role_ids": [role.id for role in notice.roles]}
