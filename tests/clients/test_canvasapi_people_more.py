"""canvasapi 3.6.0, unmodified, against the live server: a sub-account deleted, two users merged, a parent
linked with a student's pairing code, and a user's sessions terminated."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import CanvasException, InvalidAccessToken, ResourceDoesNotExist
from sqlalchemy import select

from courseport.schema import AccessToken, Account, Enrollment, Login, ObserverLink, User


def test_an_admin_deletes_an_empty_sub_account(world):
    admin = world.canvas()
    root = admin.get_account(1)
    dept = root.create_subaccount(account={"name": "Dept"})
    busy = root.create_subaccount(account={"name": "Busy"})
    busy.create_course(course={"name": "Kept"})
    assert dept.delete() is True
    with pytest.raises(CanvasException):
        busy.delete()  # 409: it still has a live course
    assert [a.name for a in root.get_subaccounts()] == ["Busy"]
    with pytest.raises(ResourceDoesNotExist):
        admin.get_account(dept.id)
    with world.tx() as db:
        assert db.get_one(Account, dept.id).workflow_state == "deleted"
        assert db.get_one(Account, busy.id).workflow_state == "active"


def test_an_admin_merges_one_user_into_another(world):
    admin = world.canvas()
    root = admin.get_account(1)
    old = root.create_user({"unique_id": "old@example.test"}, user={"name": "Old Self"})
    new = root.create_user({"unique_id": "new@example.test"}, user={"name": "New Self"})
    course = root.create_course(course={"name": "Biology"})
    course.enroll_user(old.id, "StudentEnrollment", enrollment={"enrollment_state": "active"})
    merged = admin.get_user(old.id).merge_into(new.id)
    assert (merged.id, merged.name) == (new.id, "New Self")
    assert [e.user_id for e in course.get_enrollments()] == [new.id]
    assert sorted(lg.unique_id for lg in admin.get_user(new.id).get_user_logins()) == [
        "new@example.test", "old@example.test"]
    with world.tx() as db:
        assert db.get_one(User, old.id).workflow_state == "deleted"
        assert db.scalars(select(Login.user_id).where(Login.unique_id == "old@example.test")).all() == [new.id]
        assert db.scalars(select(Enrollment.user_id).where(Enrollment.course_id == course.id)).all() == [new.id]


def test_a_parent_links_to_a_student_with_the_students_pairing_code(world):
    admin = world.canvas()
    root = admin.get_account(1)
    kid = root.create_user({"unique_id": "kid@example.test"}, user={"name": "Kid"})
    parent = root.create_user({"unique_id": "parent@example.test"}, user={"name": "Parent"})
    with world.tx() as db:
        kid_row, parent_row = db.get_one(User, kid.id), db.get_one(User, parent.id)
    kid_token, parent_token = world.token(kid_row), world.token(parent_row)
    code = world.canvas(kid_token).get_current_user().create_pairing_code()
    assert (code.user_id, len(code.code), code.workflow_state) == (kid.id, 6, "active")
    me = world.canvas(parent_token).get_current_user()
    linked = me.add_observee_with_credentials(pairing_code=code.code)
    assert linked.id == kid.id and [u.id for u in me.get_observees()] == [kid.id]
    with pytest.raises(CanvasException):
        me.add_observee_with_credentials(pairing_code=code.code)  # spent
    with world.tx() as db:
        assert db.execute(select(ObserverLink.observer_id, ObserverLink.student_id)).all() == [(parent.id, kid.id)]


def test_terminating_sessions_ends_every_token(world):
    admin = world.canvas()
    user = admin.get_account(1).create_user({"unique_id": "leaver@example.test"}, user={"name": "Leaver"})
    with world.tx() as db:
        stored = db.get_one(User, user.id)
    first, second = world.token(stored), world.token(stored)
    assert world.canvas(first).get_current_user().id == user.id
    assert admin.get_user(user.id).terminate_sessions() == "ok"
    for token in (first, second):
        with pytest.raises(InvalidAccessToken):
            world.canvas(token).get_current_user()
    with world.tx() as db:
        assert db.scalars(select(AccessToken.id).where(AccessToken.user_id == user.id)).all() == []
