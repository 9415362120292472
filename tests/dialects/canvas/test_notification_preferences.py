"""Canvas notification preferences over raw HTTP: exact bodies with Canvas's defaults, the writes on one's own
channel (one, a category, several), the errors naming their fields, and only changed preferences stored."""

from __future__ import annotations

from sqlalchemy import select

from courseport.core.identity.notification_preferences import CATALOGUE
from courseport.schema import CommunicationChannel, NotificationPolicy
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _channel(world, user_id: int) -> CommunicationChannel:
    with world.tx() as db:
        return db.scalar(select(CommunicationChannel).where(CommunicationChannel.user_id == user_id))


def _stored(world, channel_id: int) -> list[tuple[str, str]]:
    with world.tx() as db:
        rows = db.scalars(select(NotificationPolicy).where(NotificationPolicy.channel_id == channel_id)
                          .order_by(NotificationPolicy.notification))
        return [(r.notification, r.frequency) for r in rows]


def _href(world, channel: CommunicationChannel, name: str) -> str:
    return (f"{world.base_url}/users/{channel.user_id}/communication_channels/email/{channel.address}"
            f"/notification_preferences/{name}")


def test_a_fresh_channel_lists_every_notification_at_its_default(world):
    user, token = world.user_with_token("fresh")
    channel = _channel(world, user.id)
    with world.client(token) as c:
        listed = c.get(f"/api/v1/users/self/communication_channels/{channel.id}/notification_preferences")
        one = c.get(f"/api/v1/users/{user.id}/communication_channels/{channel.id}"
                    "/notification_preferences/assignment_due_date_changed")
        categories = c.get(f"/api/v1/users/self/communication_channels/{channel.id}"
                           "/notification_preference_categories")
    assert listed.status_code == 200, listed.text
    assert listed.json()["notification_preferences"][0] == {
        "href": _href(world, channel, "new_announcement"), "notification": "new_announcement",
        "category": "announcement", "frequency": "immediately"}
    assert [(p["notification"], p["category"], p["frequency"]) for p in listed.json()["notification_preferences"]
            ] == [(name, category, default) for name, (category, default) in CATALOGUE.items()]
    assert one.json() == {"notification_preferences": [{
        "href": _href(world, channel, "assignment_due_date_changed"), "notification": "assignment_due_date_changed",
        "category": "due_date", "frequency": "weekly"}]}
    assert categories.json() == {"categories": [
        "announcement", "due_date", "course_content", "files", "grading", "submission_comment", "discussion",
        "discussion_entry", "conversation_message", "calendar", "invitation", "registration"]}
    assert _stored(world, channel.id) == []


def test_writes_keep_only_what_differs_from_the_default(world):
    user, token = world.user_with_token("writer")
    channel = _channel(world, user.id)
    base = f"/api/v1/users/self/communication_channels/{channel.id}"
    with world.client(token) as c:
        r = c.put(f"{base}/notification_preferences/submission_graded",
                  data={"notification_preferences[frequency]": "weekly"})
        assert r.json() == {"notification_preferences": [{
            "href": _href(world, channel, "submission_graded"), "notification": "submission_graded",
            "category": "grading", "frequency": "weekly"}]}
        assert _stored(world, channel.id) == [("submission_graded", "weekly")]
        r = c.put(f"{base}/notification_preference_categories/grading",
                  data={"notification_preferences[frequency]": "daily"})
        assert [(p["notification"], p["frequency"]) for p in r.json()["notification_preferences"]] == [
            ("submission_graded", "daily"), ("submission_grade_changed", "daily")]
        assert _stored(world, channel.id) == [("submission_grade_changed", "daily"), ("submission_graded", "daily")]
        r = c.put(f"{base}/notification_preferences",
                  data={"notification_preferences[submission_graded][frequency]": "immediately",
                        "notification_preferences[new_file_added][frequency]": "daily"})
        assert [(p["notification"], p["frequency"]) for p in r.json()["notification_preferences"]] == [
            ("submission_graded", "immediately"), ("new_file_added", "daily")]
        shown = c.get(f"{base}/notification_preferences/submission_graded").json()
    assert shown["notification_preferences"][0]["frequency"] == "immediately"
    assert _stored(world, channel.id) == [("new_file_added", "daily"), ("submission_grade_changed", "daily")]


def test_bad_frequencies_and_names_are_refused_before_anything_is_kept(world):
    user, token = world.user_with_token("careful")
    channel = _channel(world, user.id)
    base = f"/api/v1/users/self/communication_channels/{channel.id}"
    field = "notification_preferences[frequency]"
    with world.client(token) as c:
        r = c.put(f"{base}/notification_preferences/new_announcement", data={field: "hourly"})
        assert (r.status_code, r.json()) == (400, {"errors": [{
            "message": f"{field} must be one of immediately, daily, weekly, never, got 'hourly'", "field": field}]})
        r = c.put(f"{base}/notification_preferences/new_announcement")
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == field
        r = c.put(f"{base}/notification_preference_categories/grading", data={field: "sometimes"})
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == field
        r = c.put(f"{base}/notification_preferences/no_such_notification", data={field: "daily"})
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
        r = c.put(f"{base}/notification_preference_categories/no_such_category", data={field: "daily"})
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
        r = c.put(f"{base}/notification_preferences",
                  data={"notification_preferences[new_announcement][frequency]": "daily",
                        "notification_preferences[submission_graded][frequency]": "yearly"})
        many = "notification_preferences[submission_graded][frequency]"
        assert (r.status_code, r.json()) == (400, {"errors": [{
            "message": f"{many} must be one of immediately, daily, weekly, never, got 'yearly'", "field": many}]})
        r = c.put(f"{base}/notification_preferences",
                  data={"notification_preferences[bogus][frequency]": "daily"})
        assert (r.status_code, r.json()) == (400, {"errors": [{
            "message": "notification_preferences[bogus] is not a notification",
            "field": "notification_preferences[bogus]"}]})
        r = c.put(f"{base}/notification_preferences")
        assert (r.status_code, r.json()["errors"][0]["field"]) == (400, "notification_preferences")
    assert _stored(world, channel.id) == []


def test_someone_elses_channel(world):
    owner, owner_token = world.user_with_token("owner")
    _, token = world.user_with_token("nosy")
    channel = _channel(world, owner.id)
    with world.client(token) as c:
        r = c.get(f"/api/v1/users/{owner.id}/communication_channels/{channel.id}/notification_preferences")
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
        r = c.get(f"/api/v1/users/self/communication_channels/{channel.id}/notification_preferences")
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
        r = c.put(f"/api/v1/users/self/communication_channels/{channel.id}/notification_preferences/new_announcement",
                  data={"notification_preferences[frequency]": "never"})
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
    with world.client(world.admin_token) as c:  # an admin over the user reads, but writes only their own
        r = c.get(f"/api/v1/users/{owner.id}/communication_channels/{channel.id}/notification_preferences")
        assert r.status_code == 200
        r = c.put(f"/api/v1/users/{owner.id}/communication_channels/{channel.id}"
                  "/notification_preferences/new_announcement", data={"notification_preferences[frequency]": "never"})
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert _stored(world, channel.id) == []
