"""canvasapi 3.6.0, unmodified, against the live server: a user's communication channels, settings and
custom colors, as an integrator calls them right after creating the user."""

from __future__ import annotations

import pytest
from canvasapi.communication_channel import CommunicationChannel as CanvasChannel
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist
from canvasapi.requester import Requester
from canvasapi.user import User as CanvasUser
from sqlalchemy import select

from courseport.schema import CommunicationChannel, UserPreference


def _stored_channels(world, user_id: int) -> list[tuple[str, str, str]]:
    with world.tx() as db:
        rows = db.scalars(select(CommunicationChannel).where(CommunicationChannel.user_id == user_id)
                          .order_by(CommunicationChannel.position))
        return [(c.path_type, c.address, c.workflow_state) for c in rows]


def test_channels_of_a_user_made_through_the_client(world):
    canvas = world.canvas()
    user = canvas.get_account(1).create_user(
        {"unique_id": "grace"}, user={"name": "Grace Hopper"},
        communication_channel={"type": "email", "address": "grace@example.edu", "skip_confirmation": True})
    channels = list(user.get_communication_channels())
    assert all(isinstance(c, CanvasChannel) for c in channels)
    assert [(c.address, c.type, c.position, c.workflow_state, c.user_id) for c in channels] == [
        ("grace@example.edu", "email", 1, "active", user.id)]

    phone = user.create_communication_channel(communication_channel={"address": "5550100", "type": "sms"},
                                              skip_confirmation=True)
    assert (phone.address, phone.type, phone.position, phone.workflow_state) == ("5550100", "sms", 2, "active")
    assert [c.id for c in user.get_communication_channels(per_page=1)] == [channels[0].id, phone.id]
    with pytest.raises(BadRequest):
        user.create_communication_channel(communication_channel={"address": "grace@example.edu", "type": "email"})
    with pytest.raises(BadRequest):
        user.create_communication_channel(communication_channel={"address": "token", "type": "push"})

    # Canvas answers a deleted channel as retired; canvasapi 3.6 looks for "deleted", so it says False.
    assert phone.delete() is False
    assert [c.id for c in user.get_communication_channels()] == [channels[0].id]
    assert _stored_channels(world, user.id) == [("email", "grace@example.edu", "active"),
                                                ("sms", "5550100", "retired")]


def test_a_user_may_not_touch_anothers_channels(world):
    owner = world.user("olga")
    _, token = world.user_with_token("peer")
    # The peer may not read the user (GET /users/:id is not found), so the client's User is built from its id.
    remote = CanvasUser(Requester(world.base_url, token), {"id": owner.id})
    with pytest.raises(Forbidden):
        list(remote.get_communication_channels())
    with pytest.raises(Forbidden):
        remote.create_communication_channel(communication_channel={"address": "x@example.edu", "type": "email"})
    assert _stored_channels(world, owner.id) == [("email", "olga@example.test", "active")]


def test_settings_and_colors_through_the_client(world):
    course = world.course("Colorful")
    me, token = world.user_with_token("cal")
    world.enroll(me, course)
    canvas = world.canvas(token)
    user = canvas.get_current_user()
    settings = user.update_settings(manual_mark_as_read=True, collapse_course_nav=True)
    assert settings["manual_mark_as_read"] is True and settings["collapse_course_nav"] is True
    assert settings["collapse_global_nav"] is False

    assert user.get_colors() == {"custom_colors": {}}
    assert user.update_color(f"course_{course.id}", "abc123") == {"hexcode": "#abc123"}
    assert user.get_color(f"course_{course.id}") == {"hexcode": "#abc123"}
    assert user.get_colors() == {"custom_colors": {f"course_{course.id}": "#abc123"}}
    with pytest.raises(BadRequest):
        user.update_color(f"course_{course.id}", "zzz")
    with pytest.raises(ResourceDoesNotExist):
        user.get_color("group_1")
    with world.tx() as db:
        rows = db.scalars(select(UserPreference).where(UserPreference.user_id == me.id)
                          .order_by(UserPreference.kind, UserPreference.name))
        assert [(p.kind, p.name, p.value) for p in rows] == [
            ("color", f"course_{course.id}", "#abc123"), ("setting", "collapse_course_nav", "true"),
            ("setting", "manual_mark_as_read", "true")]
