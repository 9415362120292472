"""canvasapi 3.6.0, unmodified, against the live server: an admin posts and edits a global announcement, a user
lists it and closes it; a user sets notification preferences on their own channel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from canvasapi.account import Account as CanvasAccount
from canvasapi.account import AccountNotification as CanvasNotice
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist
from canvasapi.notification_preference import NotificationPreference
from canvasapi.requester import Requester
from sqlalchemy import select

from courseport.schema import AccountNotification, AccountNotificationClosure, NotificationPolicy


def _when(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_an_announcement_posted_edited_listed_and_closed(world):
    admin = world.canvas().get_account(1)
    notice = admin.create_notification({"subject": "Outage", "message": "<p>Down <script>x()</script>tonight</p>",
                                        "start_at": _when(-1), "end_at": _when(2), "icon": "error"})
    assert isinstance(notice, CanvasNotice)
    assert (notice.subject, notice.message, notice.icon, notice.roles) == ("Outage", "<p>Down tonight</p>",
                                                                           "error", [])
    edited = notice.update_global_notification({"subject": "Outage moved", "message": "Tomorrow",
                                                "start_at": _when(-1), "end_at": _when(3)})
    assert (edited.id, edited.subject, edited.message, edited.icon) == (notice.id, "Outage moved", "Tomorrow", "error")
    assert admin.get_global_notification(notice.id).subject == "Outage moved"

    me, token = world.user_with_token("reader")
    # A user who is no admin may not GET the account itself: the client's Account is built from its id.
    account = CanvasAccount(Requester(world.base_url, token), {"id": 1})
    assert [n.id for n in account.get_user_notifications(me.id)] == [notice.id]
    closed = account.close_notification_for_user(me.id, notice.id)
    assert (closed.id, closed.subject) == (notice.id, "Outage moved")
    assert list(account.get_user_notifications(me.id)) == []
    assert [n.id for n in account.get_user_notifications(me.id, include_past=True)] == [notice.id]
    with pytest.raises(Forbidden):
        account.create_notification({"subject": "x", "message": "y", "start_at": _when(0), "end_at": _when(1)})
    with pytest.raises(BadRequest):
        admin.create_notification({"subject": "x", "message": "y", "start_at": _when(2), "end_at": _when(1)})
    with world.tx() as db:
        rows = db.scalars(select(AccountNotification)).all()
        assert [(r.subject, r.message, r.icon) for r in rows] == [("Outage moved", "Tomorrow", "error")]
        assert [(c.notification_id, c.user_id) for c in db.scalars(select(AccountNotificationClosure))] == [
            (notice.id, me.id)]


def test_preferences_set_one_by_category_and_several(world):
    me, token = world.user_with_token("prefs")
    user = world.canvas(token).get_current_user()
    channel = next(iter(user.get_communication_channels()))
    preferences = channel.get_preferences()
    assert {p["notification"]: p["frequency"] for p in preferences}["new_announcement"] == "immediately"
    assert "due_date" in channel.get_preference_categories()
    one = channel.get_preference("submission_graded")
    assert isinstance(one, NotificationPreference)
    assert (one.notification, one.category, one.frequency) == ("submission_graded", "grading", "immediately")

    changed = channel.update_preference("new_announcement", "daily")
    assert (changed.notification, changed.frequency) == ("new_announcement", "daily")
    by_category = channel.update_preferences_by_catagory("due_date", "never")
    assert {(p["notification"], p["frequency"]) for p in by_category} == {
        ("assignment_created", "never"), ("assignment_due_date_changed", "never")}
    several = channel.update_multiple_preferences({"new_announcement": {"frequency": "immediately"},
                                                   "conversation_message": {"frequency": "weekly"}})
    assert [(p["notification"], p["frequency"]) for p in several] == [
        ("new_announcement", "immediately"), ("conversation_message", "weekly")]
    assert channel.get_preference("new_announcement").frequency == "immediately"
    with pytest.raises(BadRequest):
        channel.update_preference("new_announcement", "hourly")
    with pytest.raises(ResourceDoesNotExist):
        channel.get_preference("no_such_thing")
    with world.tx() as db:
        rows = db.scalars(select(NotificationPolicy).where(NotificationPolicy.channel_id == channel.id)
                          .order_by(NotificationPolicy.notification))
        assert [(r.notification, r.frequency) for r in rows] == [
            ("assignment_created", "never"), ("assignment_due_date_changed", "never"),
            ("conversation_message", "weekly")]
