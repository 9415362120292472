"""canvasapi 3.6.0, unmodified, against the live server: a sub-account's admins made, listed and removed
through the Admins API, and what the adminship lets its user do in between."""

from __future__ import annotations

import pytest
from canvasapi.account import Admin
from canvasapi.exceptions import Forbidden, ResourceDoesNotExist

from courseport.schema import AccountUser, User


def test_an_admin_made_through_the_api_runs_their_sub_account_until_removed(world):
    root = world.canvas().get_account(1)
    science = root.create_subaccount(account={"name": "Science"})
    user = root.create_user({"unique_id": "sciadmin@example.test"}, user={"name": "Sci Admin"})
    with world.tx() as db:  # a token for the user made through the API
        stored = db.get_one(User, user.id)
    token = world.token(stored)
    with pytest.raises(Forbidden):
        world.canvas(token).get_account(science.id)

    admin = science.create_admin(user)
    assert isinstance(admin, Admin)
    assert (admin.role, admin.role_id, admin.workflow_state, admin.user["id"]) == ("AccountAdmin", 1, "active", user.id)
    theirs = world.canvas(token).get_account(science.id)
    course = theirs.create_course(course={"name": "Chemistry 101"})
    assert course.account_id == science.id
    assert [a.user["name"] for a in theirs.get_admins()] == ["Sci Admin"]
    assert [a.id for a in science.get_admins(user_id=[user.id])] == [admin.id]

    removed = science.delete_admin(user)
    assert (removed.id, removed.workflow_state) == (admin.id, "deleted")
    assert list(science.get_admins()) == []
    with world.tx() as db:
        assert db.query(AccountUser).filter_by(user_id=user.id).count() == 0
    with pytest.raises(Forbidden):
        theirs.create_course(course={"name": "Too late"})
    with pytest.raises(ResourceDoesNotExist):
        science.delete_admin(user)
