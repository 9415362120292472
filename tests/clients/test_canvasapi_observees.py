"""canvasapi 3.6.0, unmodified, against the live server: a parent linked to a student (by an admin and by
the student's login), what the parent then sees, and the link ended."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import Forbidden, ResourceDoesNotExist, Unauthorized
from canvasapi.user import User as CanvasUser

from courseport.schema import User


def test_a_parent_observes_a_student_through_the_api(world):
    admin = world.canvas()
    root = admin.get_account(1)
    kid = root.create_user({"unique_id": "kid@example.test", "password": "kid-secret-1"}, user={"name": "Kid"})
    parent = root.create_user({"unique_id": "parent@example.test"}, user={"name": "Parent"})
    course = root.create_course(course={"name": "Biology"})
    course.update(course={"event": "offer"})
    course.enroll_user(kid.id, "StudentEnrollment", enrollment={"enrollment_state": "active"})

    linked = admin.get_user(parent.id).add_observee(kid.id)
    assert isinstance(linked, CanvasUser) and (linked.id, linked.name) == (kid.id, "Kid")
    assert [u.id for u in admin.get_user(parent.id).get_observees()] == [kid.id]
    assert [u.id for u in admin.get_user(kid.id).get_observers()] == [parent.id]

    with world.tx() as db:
        stored = db.get_one(User, parent.id)
    as_parent = world.canvas(world.token(stored))
    me = as_parent.get_current_user()
    assert me.show_observee(kid.id).name == "Kid"
    seen = list(as_parent.get_courses())
    assert [(c.id, c.enrollments[0]["type"], c.enrollments[0]["associated_user_id"]) for c in seen] == [
        (course.id, "observer", kid.id)]
    with pytest.raises(Forbidden):
        me.add_observee(kid.id)  # only admins link by id

    me.remove_observee(kid.id)
    assert list(me.get_observees()) == [] and list(as_parent.get_courses()) == []
    with pytest.raises(ResourceDoesNotExist):
        me.show_observee(kid.id)
    with pytest.raises(Unauthorized):
        me.add_observee_with_credentials(observee={"unique_id": "kid@example.test", "password": "nope"})
    again = me.add_observee_with_credentials(observee={"unique_id": "kid@example.test", "password": "kid-secret-1"})
    assert again.id == kid.id and [c.id for c in as_parent.get_courses()] == [course.id]
