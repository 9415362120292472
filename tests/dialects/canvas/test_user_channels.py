"""Canvas communication channels, user settings and custom colors over raw HTTP: exact bodies, Canvas's own
refusal bodies, who may call, and what is stored."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import CommunicationChannel, User, UserPreference
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

SETTINGS_OFF = {"manual_mark_as_read": False, "release_notes_badge_disabled": False, "collapse_global_nav": False,
                "collapse_course_nav": False, "hide_dashcard_color_overlays": False,
                "comment_library_suggestions_enabled": False, "elementary_dashboard_disabled": False,
                "default_to_block_editor": False}


def _stamp(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _channels(world, user_id: int) -> list[tuple[str, str, int, str]]:
    with world.tx() as db:
        rows = db.scalars(select(CommunicationChannel).where(CommunicationChannel.user_id == user_id)
                          .order_by(CommunicationChannel.id))
        return [(c.path_type, c.address, c.position, c.workflow_state) for c in rows]


def _preferences(world, user_id: int) -> list[tuple[str, str, str]]:
    with world.tx() as db:
        rows = db.scalars(select(UserPreference).where(UserPreference.user_id == user_id)
                          .order_by(UserPreference.kind, UserPreference.name))
        return [(p.kind, p.name, p.value) for p in rows]


def _channel_json(world, channel_id: int) -> dict:
    with world.tx() as db:
        c = db.get(CommunicationChannel, channel_id)
        return {"id": c.id, "address": c.address, "type": c.path_type, "position": c.position,
                "user_id": c.user_id, "workflow_state": c.workflow_state, "created_at": _stamp(c.created_at)}


def test_the_email_given_at_creation_is_the_first_channel(world):
    form = {"user[name]": "Ada Lovelace", "pseudonym[unique_id]": "ada", "communication_channel[type]": "email",
            "communication_channel[address]": "ada@example.edu", "communication_channel[skip_confirmation]": "true"}
    with world.client(world.admin_token) as c:
        user_id = c.post("/api/v1/accounts/1/users", data=form).json()["id"]
        r = c.get(f"/api/v1/users/{user_id}/communication_channels")
    assert r.status_code == 200, r.text
    with world.tx() as db:
        channel = db.scalar(select(CommunicationChannel).where(CommunicationChannel.user_id == user_id))
        created_at = _stamp(channel.created_at)
    assert r.json() == [{"id": channel.id, "address": "ada@example.edu", "type": "email", "position": 1,
                         "user_id": user_id, "workflow_state": "active", "created_at": created_at}]
    assert 'rel="current"' in r.headers["link"]


def test_an_email_login_without_skip_confirmation_makes_an_unconfirmed_channel(world):
    with world.client(world.admin_token) as c:
        user_id = c.post("/api/v1/accounts/1/users", data={"pseudonym[unique_id]": "kim@example.edu"}).json()["id"]
    assert _channels(world, user_id) == [("email", "kim@example.edu", 1, "unconfirmed")]


def test_an_admin_email_edit_adds_a_channel(world):
    user = world.user("edna")
    with world.client(world.admin_token) as c:
        assert c.put(f"/api/v1/users/{user.id}", data={"user[email]": "edna@new.example"}).status_code == 200
    assert _channels(world, user.id) == [("email", "edna@example.test", 1, "active"),
                                         ("email", "edna@new.example", 2, "active")]


def test_a_user_adds_a_channel_of_their_own_unconfirmed_even_asking_to_skip(world):
    user, token = world.user_with_token("sam")
    with world.client(token) as c:
        r = c.post("/api/v1/users/self/communication_channels",
                   data={"communication_channel[address]": "5551234567", "communication_channel[type]": "sms",
                         "skip_confirmation": "true"})
    assert r.status_code == 200, r.text
    assert r.json() == _channel_json(world, r.json()["id"])
    assert (r.json()["type"], r.json()["position"], r.json()["workflow_state"]) == ("sms", 2, "unconfirmed")
    assert _channels(world, user.id) == [("email", "sam@example.test", 1, "active"),
                                         ("sms", "5551234567", 2, "unconfirmed")]


def test_an_admin_skipping_confirmation_makes_the_channel_active(world):
    user = world.user("amy")
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/users/{user.id}/communication_channels",
                   json={"communication_channel": {"address": "amy@work.example", "type": "email"},
                         "skip_confirmation": True})
    assert r.json()["workflow_state"] == "active"
    assert _channels(world, user.id)[-1] == ("email", "amy@work.example", 2, "active")


def test_a_duplicate_channel_is_refused_as_canvas_does(world):
    user, token = world.user_with_token("dee")
    with world.client(token) as c:
        r = c.post("/api/v1/users/self/communication_channels",
                   data={"communication_channel[address]": "DEE@example.test", "communication_channel[type]": "email"})
    assert r.status_code == 400
    assert r.json() == {"errors": {"path": [{"attribute": "path", "type": "unique!", "message": "unique!"}]}}
    assert _channels(world, user.id) == [("email", "dee@example.test", 1, "active")]


def test_bad_addresses_and_types_are_refused_naming_the_field(world):
    user, token = world.user_with_token("bea")
    cases = [
        ({"communication_channel[address]": "not-an-email", "communication_channel[type]": "email"},
         "communication_channel[address]", "communication_channel[address] must be an email address, got "
                                           "'not-an-email'"),
        ({"communication_channel[address]": "call me", "communication_channel[type]": "sms"},
         "communication_channel[address]", "communication_channel[address] must be a phone number (digits), got "
                                           "'call me'"),
        ({"communication_channel[type]": "email"}, "communication_channel[address]",
         "communication_channel[address] is required"),
        ({"communication_channel[address]": "b@example.edu", "communication_channel[type]": "fax"},
         "communication_channel[type]", "communication_channel[type] must be one of email, sms, push"),
    ]
    with world.client(token) as c:
        for form, field, message in cases:
            r = c.post("/api/v1/users/self/communication_channels", data=form)
            assert (r.status_code, r.json()) == (400, {"errors": [{"message": message, "field": field}]}), form
        r = c.post("/api/v1/users/self/communication_channels",
                   data={"communication_channel[address]": "device-token", "communication_channel[type]": "push"})
    assert (r.status_code, r.json()) == (400, {"errors": {
        "type": "Push is not supported: no device is registered to receive notifications"}})
    assert _channels(world, user.id) == [("email", "bea@example.test", 1, "active")]


def test_others_may_not_read_or_change_a_users_channels(world):
    owner = world.user("olga")
    _, token = world.user_with_token("peer")
    with world.client(token) as c:
        listed = c.get(f"/api/v1/users/{owner.id}/communication_channels")
        made = c.post(f"/api/v1/users/{owner.id}/communication_channels",
                      data={"communication_channel[address]": "x@example.edu"})
        gone = c.delete(f"/api/v1/users/{owner.id}/communication_channels/email/olga@example.test")
    for r in (listed, made, gone):
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    assert _channels(world, owner.id) == [("email", "olga@example.test", 1, "active")]


def test_delete_by_id_and_by_type_and_address_retires_the_channel(world):
    user, token = world.user_with_token("ria")
    with world.client(token) as c:
        made = c.post("/api/v1/users/self/communication_channels",
                      data={"communication_channel[address]": "+1 555 0100", "communication_channel[type]": "sms"})
        by_id = c.delete(f"/api/v1/users/self/communication_channels/{made.json()['id']}")
        by_address = c.delete("/api/v1/users/self/communication_channels/email/RIA@example.test")
        again = c.delete(f"/api/v1/users/self/communication_channels/{made.json()['id']}")
        listed = c.get("/api/v1/users/self/communication_channels")
    assert by_id.status_code == 200
    assert by_id.json() == {**made.json(), "workflow_state": "retired"}
    assert (by_address.json()["address"], by_address.json()["workflow_state"]) == ("ria@example.test", "retired")
    assert (again.status_code, again.json()) == (404, NOT_FOUND)
    assert listed.json() == []
    assert _channels(world, user.id) == [("email", "ria@example.test", 1, "retired"),
                                         ("sms", "+1 555 0100", 2, "retired")]


def test_settings_read_all_false_then_as_set(world):
    user, token = world.user_with_token("sue")
    with world.client(token) as c:
        first = c.get("/api/v1/users/self/settings")
        put = c.put(f"/api/v1/users/{user.id}/settings",
                    data={"manual_mark_as_read": "true", "collapse_global_nav": "1", "unknown_setting": "true"})
        later = c.get(f"/api/v1/users/{user.id}/settings")
    assert first.json() == SETTINGS_OFF
    expected = {**SETTINGS_OFF, "manual_mark_as_read": True, "collapse_global_nav": True}
    assert put.json() == expected and later.json() == expected
    assert _preferences(world, user.id) == [("setting", "collapse_global_nav", "true"),
                                            ("setting", "manual_mark_as_read", "true")]


def test_settings_refusals(world):
    owner = world.user("owen")
    _, token = world.user_with_token("peer")
    with world.client(token) as c:
        read = c.get(f"/api/v1/users/{owner.id}/settings")
        write = c.put(f"/api/v1/users/{owner.id}/settings", data={"manual_mark_as_read": "true"})
        bad = c.put("/api/v1/users/self/settings", data={"collapse_course_nav": "maybe"})
    assert (read.status_code, read.json()) == (403, FORBIDDEN)
    assert (write.status_code, write.json()) == (403, FORBIDDEN)
    assert (bad.status_code, bad.json()) == (400, {"errors": [{
        "message": "collapse_course_nav must be a boolean (true or false), got 'maybe'",
        "field": "collapse_course_nav"}]})
    with world.tx() as db:
        assert db.scalars(select(UserPreference)).all() == []


def test_an_admin_sets_a_users_settings(world):
    user = world.user("uma")
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/users/{user.id}/settings", json={"hide_dashcard_color_overlays": True})
    assert r.json() == {**SETTINGS_OFF, "hide_dashcard_color_overlays": True}


def test_custom_colors_set_read_and_list(world):
    course = world.course("Colors")
    user, token = world.user_with_token("cal")
    world.enroll(user, course)
    other = world.user("mia")
    with world.client(token) as c:
        none = c.get("/api/v1/users/self/colors")
        unset = c.get(f"/api/v1/users/self/colors/course_{course.id}")
        hashed = c.put(f"/api/v1/users/self/colors/course_{course.id}", data={"hexcode": "#ABCdef"})
        bare = c.put(f"/api/v1/users/{user.id}/colors/user_{other.id}", data={"hexcode": "0f0"})
        one = c.get(f"/api/v1/users/self/colors/course_{course.id}")
        every = c.get(f"/api/v1/users/{user.id}/colors")
    assert none.json() == {"custom_colors": {}}
    assert (unset.status_code, unset.json()) == (404, NOT_FOUND)
    assert hashed.json() == {"hexcode": "#ABCdef"} and one.json() == {"hexcode": "#ABCdef"}
    assert bare.json() == {"hexcode": "#0f0"}
    assert every.json() == {"custom_colors": {f"course_{course.id}": "#ABCdef", f"user_{other.id}": "#0f0"}}
    assert _preferences(world, user.id) == [("color", f"course_{course.id}", "#ABCdef"),
                                            ("color", f"user_{other.id}", "#0f0")]


def test_custom_color_refusals(world):
    course = world.course("Closed")
    user, token = world.user_with_token("cy")
    owner = world.user("opal")
    with world.client(token) as c:
        unseen = c.put(f"/api/v1/users/self/colors/course_{course.id}", data={"hexcode": "abcdef"})
        missing = c.put("/api/v1/users/self/colors/group_99999999", data={"hexcode": "abcdef"})
        odd = c.put(f"/api/v1/users/self/colors/account_{course.id}", data={"hexcode": "abcdef"})
        bad_hex = c.put(f"/api/v1/users/self/colors/user_{user.id}", data={"hexcode": "abcd"})
        no_hex = c.put(f"/api/v1/users/self/colors/user_{user.id}")
        theirs = c.put(f"/api/v1/users/{owner.id}/colors/user_{owner.id}", data={"hexcode": "abcdef"})
        read_theirs = c.get(f"/api/v1/users/{owner.id}/colors")
    for r in (unseen, missing, odd):
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert (bad_hex.status_code, bad_hex.json()) == (400, {"errors": [{
        "message": "hexcode must be 3 or 6 hex digits, with or without #, got 'abcd'", "field": "hexcode"}]})
    assert (no_hex.status_code, no_hex.json()) == (400, {"errors": [{
        "message": "hexcode must be 3 or 6 hex digits, with or without #, got None", "field": "hexcode"}]})
    assert (theirs.status_code, theirs.json()) == (403, FORBIDDEN)
    assert (read_theirs.status_code, read_theirs.json()) == (403, FORBIDDEN)
    with world.tx() as db:
        assert db.scalars(select(UserPreference)).all() == []
        assert db.get(User, owner.id) is not None
