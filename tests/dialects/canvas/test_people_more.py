"""Canvas people endpoints over raw HTTP: deleting a sub-account, merging users, observer pairing codes and
terminating sessions: exact bodies, every refusal's body, and the stored state after each call (a refusal or
a failure midway changes nothing)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from courseport.core.identity import user_merges
from courseport.schema import (
    AccessToken,
    Account,
    CommunicationChannel,
    Enrollment,
    GroupMembership,
    Login,
    ObserverLink,
    ObserverPairingCode,
    Submission,
    User,
)
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _sub_account(c, parent_id: int, name: str) -> dict:
    r = c.post(f"/api/v1/accounts/{parent_id}/sub_accounts", data={"account[name]": name})
    assert r.status_code == 200, r.text
    return r.json()


def _state(world, model, row_id: int) -> str:
    with world.tx() as db:
        return db.get_one(model, row_id).workflow_state


# --- DELETE /accounts/:account_id/sub_accounts/:id ---------------------------------------------------------

def test_deleting_a_sub_account_answers_it_deleted_and_hides_it(world):
    with world.client(world.admin_token) as c:
        dept = _sub_account(c, 1, "Dept")
        r = c.delete(f"/api/v1/accounts/1/sub_accounts/{dept['id']}")
        listed = c.get("/api/v1/accounts/1/sub_accounts").json()
        shown = c.get(f"/api/v1/accounts/{dept['id']}")
        again = c.delete(f"/api/v1/accounts/1/sub_accounts/{dept['id']}")
    assert r.status_code == 200 and r.json() == {**dept, "workflow_state": "deleted"}
    assert listed == [] and shown.status_code == 404
    assert again.status_code == 404 and again.json() == NOT_FOUND
    assert _state(world, Account, dept["id"]) == "deleted"


def test_a_sub_account_with_live_courses_or_sub_accounts_is_refused(world):
    with world.client(world.admin_token) as c:
        busy, parent = _sub_account(c, 1, "Busy"), _sub_account(c, 1, "Parent")
        child = _sub_account(c, parent["id"], "Child")
        course = world.course("Kept", account_id=busy["id"])
        courses = c.delete(f"/api/v1/accounts/1/sub_accounts/{busy['id']}")
        subs = c.delete(f"/api/v1/accounts/1/sub_accounts/{parent['id']}")
        grandchild = c.delete(f"/api/v1/accounts/1/sub_accounts/{child['id']}")  # not a direct sub-account
        assert c.delete(f"/api/v1/courses/{course.id}", params={"event": "delete"}).status_code == 200
        emptied = c.delete(f"/api/v1/accounts/1/sub_accounts/{busy['id']}")
    assert courses.status_code == 409
    assert courses.json() == {"message": "You can't delete a sub-account that has courses in it."}
    assert subs.status_code == 409
    assert subs.json() == {"message": "You can't delete a sub-account that has sub-accounts in it."}
    assert grandchild.status_code == 404 and grandchild.json() == NOT_FOUND
    assert emptied.status_code == 200 and emptied.json()["workflow_state"] == "deleted"
    assert [_state(world, Account, a["id"]) for a in (parent, child)] == ["active", "active"]


def test_only_admins_of_the_parent_delete_a_sub_account(world):
    _, token = world.user_with_token("teacher")
    with world.client(world.admin_token) as c:
        dept = _sub_account(c, 1, "Dept")
    with world.client(token) as c:
        r = c.delete(f"/api/v1/accounts/1/sub_accounts/{dept['id']}")
    assert r.status_code == 403 and r.json() == FORBIDDEN
    assert _state(world, Account, dept["id"]) == "active"


# --- PUT /users/:id/merge_into/:destination_user_id ---------------------------------------------------------

def _people(world):
    course = world.course("Biology")
    old, new = world.user("old", "Old Self"), world.user("new", "New Self")
    return course, old, new


def _owned(world, user_id: int) -> dict[str, list]:
    """What each table holds for the user, to compare before and after."""
    with world.tx() as db:
        return {
            "logins": db.scalars(select(Login.unique_id).where(Login.user_id == user_id).order_by(Login.id)).all(),
            "enrollments": db.execute(select(Enrollment.id, Enrollment.workflow_state).where(
                Enrollment.user_id == user_id).order_by(Enrollment.id)).all(),
            "submissions": db.execute(select(Submission.id, Submission.item_id).where(
                Submission.user_id == user_id).order_by(Submission.id)).all(),
            "channels": db.execute(select(CommunicationChannel.address, CommunicationChannel.workflow_state).where(
                CommunicationChannel.user_id == user_id).order_by(CommunicationChannel.id)).all(),
            "groups": db.scalars(select(GroupMembership.group_id).where(
                GroupMembership.user_id == user_id).order_by(GroupMembership.group_id)).all(),
            "tokens": db.scalars(select(AccessToken.id).where(AccessToken.user_id == user_id)).all(),
            "state": [db.get_one(User, user_id).workflow_state],
        }


def _group(c, course_id: int, *user_ids: int) -> int:
    category = c.post(f"/api/v1/courses/{course_id}/group_categories", data={"name": f"Set {user_ids}"}).json()
    group = c.post(f"/api/v1/group_categories/{category['id']}/groups", data={"name": "G"}).json()
    for user_id in user_ids:
        r = c.post(f"/api/v1/groups/{group['id']}/memberships", data={"user_id": str(user_id)})
        assert r.status_code == 200, r.text
    return group["id"]


def test_a_merge_moves_everything_and_the_destination_wins_duplicates(world):
    course, old, new = _people(world)
    other = world.course("Art")
    both = world.enroll(old, course), world.enroll(new, course)
    only_old = world.enroll(old, other)
    one, two = world.assignment(course, "One"), world.assignment(course, "Two")
    with world.tx() as db:
        db.add_all([Submission(item_id=one.id, course_id=course.id, user_id=old.id, workflow_state="submitted"),
                    Submission(item_id=one.id, course_id=course.id, user_id=new.id, workflow_state="graded",
                               score=9.0),
                    Submission(item_id=two.id, course_id=course.id, user_id=old.id, workflow_state="submitted")])
    parent, kid = world.user("parent"), world.user("kid")
    with world.tx() as db:
        db.add(CommunicationChannel(user_id=old.id, path_type="email", address="NEW@example.test",
                                    workflow_state="active"))
        db.add_all([ObserverLink(observer_id=parent.id, student_id=old.id, root_account_id=1),
                    ObserverLink(observer_id=old.id, student_id=kid.id, root_account_id=1)])
    old_token = world.token(old)
    with world.client(world.admin_token) as c:
        shared, own = _group(c, course.id, old.id, new.id), _group(c, course.id, old.id)
        r = c.put(f"/api/v1/users/{old.id}/merge_into/{new.id}")
        shown = c.get(f"/api/v1/users/{old.id}")
    body = r.json()
    assert r.status_code == 200 and body == {
        "id": new.id, "name": "New Self", "created_at": body["created_at"], "sortable_name": "Self, New",
        "short_name": "New Self", "sis_user_id": None, "integration_id": None, "sis_import_id": None,
        "login_id": "old", "locale": None}  # the user row mirrors the oldest live login (by id)
    assert shown.status_code == 404
    after = _owned(world, new.id)
    assert after["logins"] == ["old", "new"]  # by id
    assert after["enrollments"] == sorted([(both[0].id, "deleted"), (both[1].id, "active"), (only_old.id, "active")])
    with world.tx() as db:
        kept = dict(db.execute(select(Submission.item_id, Submission.score).where(Submission.user_id == new.id)).all())
        links = sorted(db.execute(select(ObserverLink.observer_id, ObserverLink.student_id)).all())
    assert kept == {one.id: 9.0, two.id: None}
    assert after["channels"] == [("old@example.test", "active"), ("new@example.test", "active"),
                                 ("NEW@example.test", "retired")]  # the same address: the destination's wins
    assert after["groups"] == sorted([shared, own])
    assert links == sorted([(parent.id, new.id), (new.id, kid.id)])
    assert _owned(world, old.id) == {"logins": [], "enrollments": [], "submissions": [], "channels": [],
                                     "groups": [], "tokens": [], "state": ["deleted"]}
    with world.client(old_token) as c:  # Canvas moves access tokens with the rest
        assert c.get("/api/v1/users/self").json()["id"] == new.id


def test_the_account_form_merges_too_and_an_unknown_account_is_not_found(world):
    _, old, new = _people(world)
    with world.client(world.admin_token) as c:
        unknown = c.put(f"/api/v1/users/{old.id}/merge_into/accounts/99999999/users/{new.id}")
        assert _owned(world, old.id)["state"] == ["registered"]
        r = c.put(f"/api/v1/users/{old.id}/merge_into/accounts/1/users/{new.id}")
    assert unknown.status_code == 404 and unknown.json() == NOT_FOUND
    assert r.status_code == 200 and r.json()["id"] == new.id
    assert _owned(world, old.id)["state"] == ["deleted"]


def test_merge_refusals_change_nothing(world):
    course, old, new = _people(world)
    world.enroll(old, course)
    _, token = world.user_with_token("someone")
    before = _owned(world, old.id), _owned(world, new.id)
    with world.client(world.admin_token) as c:
        itself = c.put(f"/api/v1/users/{old.id}/merge_into/{old.id}")
        unknown = c.put(f"/api/v1/users/{old.id}/merge_into/99999999")
    with world.client(token) as c:
        forbidden = c.put(f"/api/v1/users/{old.id}/merge_into/{new.id}")
    assert itself.status_code == 400 and itself.json() == {"errors": [{
        "message": "a user cannot be merged into themself", "field": "destination_user_id"}]}
    assert unknown.status_code == 404 and unknown.json() == NOT_FOUND
    assert forbidden.status_code == 403 and forbidden.json() == FORBIDDEN
    assert (_owned(world, old.id), _owned(world, new.id)) == before


def test_a_merge_failing_midway_leaves_both_users_as_they_were(world, monkeypatch):
    course, old, new = _people(world)
    world.enroll(old, course)
    world.token(old)
    before = _owned(world, old.id), _owned(world, new.id)

    def broken(*_args) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(user_merges, "_move_channels", broken)  # after logins, enrollments and submissions
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/users/{old.id}/merge_into/{new.id}")
    assert r.status_code == 500
    assert (_owned(world, old.id), _owned(world, new.id)) == before


# --- observer pairing codes -------------------------------------------------------------------------------

def test_a_student_makes_a_code_and_a_parent_links_with_it_once(world):
    course = world.course("Biology")
    kid, kid_token = world.user_with_token("kid")
    world.enroll(kid, course)
    parent, parent_token = world.user_with_token("parent")
    with world.client(kid_token) as c:
        r = c.post("/api/v1/users/self/observer_pairing_codes")
    body = r.json()
    assert r.status_code == 200 and set(body) == {"user_id", "code", "expires_at", "workflow_state"}
    assert (body["user_id"], body["workflow_state"]) == (kid.id, "active")
    assert re.fullmatch(r"[A-Za-z0-9]{6}", body["code"])
    expires = datetime.fromisoformat(body["expires_at"].replace("Z", "+00:00"))
    assert abs(expires - (datetime.now(UTC) + timedelta(days=7))) < timedelta(minutes=5)
    with world.client(parent_token) as c:
        linked = c.post("/api/v1/users/self/observees", data={"pairing_code": body["code"]})
        spent = c.post("/api/v1/users/self/observees", data={"pairing_code": body["code"]})
    assert linked.status_code == 200 and linked.json()["id"] == kid.id
    assert spent.status_code == 400 and spent.json() == {"errors": [{"message": "Invalid pairing code",
                                                                     "field": "pairing_code"}]}
    with world.tx() as db:
        assert db.execute(select(ObserverLink.observer_id, ObserverLink.student_id)).all() == [(parent.id, kid.id)]
        assert db.scalars(select(ObserverPairingCode.workflow_state)).all() == ["deleted"]
        assert db.scalars(select(Enrollment.associated_user_id).where(
            Enrollment.user_id == parent.id, Enrollment.type == "ObserverEnrollment")).all() == [kid.id]


def test_an_admin_makes_a_code_for_a_student_and_others_may_not(world):
    kid = world.user("kid")
    _, other_token = world.user_with_token("other")
    with world.client(world.admin_token) as c:
        made = c.post(f"/api/v1/users/{kid.id}/observer_pairing_codes")
    with world.client(other_token) as c:
        refused = c.post(f"/api/v1/users/{kid.id}/observer_pairing_codes")
    assert made.status_code == 200 and made.json()["user_id"] == kid.id
    assert refused.status_code == 403 and refused.json() == FORBIDDEN
    with world.tx() as db:
        assert db.scalars(select(ObserverPairingCode.user_id)).all() == [kid.id]


@pytest.mark.parametrize("case", ["expired", "unknown", "others_observer"])
def test_bad_codes_link_nobody(world, case):
    kid, kid_token = world.user_with_token("kid")
    parent, parent_token = world.user_with_token("parent")
    _, other_token = world.user_with_token("other")
    with world.client(kid_token) as c:
        code = c.post("/api/v1/users/self/observer_pairing_codes").json()["code"]
    if case == "expired":
        with world.tx() as db:
            db.execute(update(ObserverPairingCode).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    sent = "zzzzzz" if case == "unknown" else code
    token = other_token if case == "others_observer" else parent_token
    with world.client(token) as c:
        r = c.post(f"/api/v1/users/{parent.id}/observees", data={"pairing_code": sent})
    if case == "others_observer":
        assert r.status_code == 403 and r.json() == FORBIDDEN
    else:
        assert r.status_code == 400 and r.json() == {"errors": [{"message": "Invalid pairing code",
                                                                 "field": "pairing_code"}]}
    with world.tx() as db:
        assert db.scalars(select(ObserverLink.id)).all() == []
        assert db.scalars(select(ObserverPairingCode.workflow_state)).all() == ["active"]


# --- DELETE /users/:id/sessions ---------------------------------------------------------------------------

def test_terminating_sessions_deletes_every_token_and_answers_ok(world):
    user, token = world.user_with_token("leaver")
    spare = world.token(user)
    with world.client(world.admin_token) as c:
        r = c.delete(f"/api/v1/users/{user.id}/sessions")
    assert r.status_code == 200 and r.content == b'"ok"' and r.json() == "ok"
    for gone in (token, spare):
        with world.client(gone) as c:
            assert c.get("/api/v1/users/self").status_code == 401
    with world.tx() as db:
        assert db.scalars(select(AccessToken.id).where(AccessToken.user_id == user.id)).all() == []


def test_a_user_terminates_their_own_sessions_but_not_anothers(world):
    me, my_token = world.user_with_token("me")
    other, other_token = world.user_with_token("other")
    with world.client(my_token) as c:
        refused = c.delete(f"/api/v1/users/{other.id}/sessions")
        own = c.delete("/api/v1/users/self/sessions")
    assert refused.status_code == 403 and refused.json() == FORBIDDEN
    assert own.status_code == 200 and own.json() == "ok"
    with world.client(other_token) as c:
        assert c.get("/api/v1/users/self").status_code == 200
    with world.tx() as db:
        assert db.scalars(select(AccessToken.id).where(AccessToken.user_id == me.id)).all() == []
