"""Canvas JSON for the Enrollment object: the roster's enrollment rendering, the user summary as rosters
render users, and the extras include[] asks for (uuid, can_be_removed, current_points, observed_user)."""

from __future__ import annotations

from typing import Any

from courseport.core.views.enrollment_views import EnrollmentItem
from courseport.core.views.rosters import RosterEntry
from courseport.dialects.canvas.user_json import render_enrollment, render_roster_user

_USER_INCLUDES = frozenset({"avatar_url"})


def render_enrollment_object(item: EnrollmentItem, includes: set[str], origin: str) -> dict[str, Any]:
    e, page = item.view.enrollment, item.context
    body = render_enrollment(item.view, item.user, page, includes, origin)
    if "grades" in body and item.current_points is not None and page.access.sees_grades(e):
        body["grades"]["current_points"] = item.current_points
        if page.access.graders_view:
            body["grades"]["unposted_current_points"] = item.current_points
    user = render_roster_user(RosterEntry(item.user, item.confirmed), page, includes & _USER_INCLUDES, origin)
    if "group_ids" in includes:
        user["group_ids"] = []  # no course groups are kept here
    body["user"] = user
    if "uuid" in includes:
        body["uuid"] = e.uuid
    if item.can_be_removed is not None:
        body["can_be_removed"] = item.can_be_removed
    if "observed_users" in includes and item.observed is not None:
        body["observed_user"] = render_roster_user(RosterEntry(item.observed, True), page,
                                                   includes & _USER_INCLUDES, origin)
    return body
