"""Console blueprint forms over raw HTTP: restricting an item writes its lock; a wrong kind is refused
with a page naming it and changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import BlueprintLock
from tests.web.test_console_auth import console, csrf_of, sign_in


def test_restricting_an_item_locks_it_and_a_wrong_kind_is_refused(world):
    blueprint = world.course("Blueprint", blueprint=True)
    assignment = world.assignment(blueprint, "Essay")
    with console(world) as c:
        assert sign_in(c, access_token=world.admin_token).status_code == 303
        page = c.get(f"/console/courses/{blueprint.id}/blueprint")
        assert page.status_code == 200 and "Restrict an item" in page.text
        form = {"csrf_token": csrf_of(page.text), "content_type": "assignment", "content_id": str(assignment.id),
                "restriction": ["content", "points"]}
        saved = c.post(f"/console/courses/{blueprint.id}/blueprint/restrictions", data=form)
        assert saved.status_code == 303 and saved.headers["location"] == f"/console/courses/{blueprint.id}/blueprint"
        wrong = c.post(f"/console/courses/{blueprint.id}/blueprint/restrictions",
                       data={**form, "content_type": "sandwich"})
        assert wrong.status_code == 400 and "content_type must be one of" in wrong.text
    with world.tx() as db:
        [lock] = db.scalars(select(BlueprintLock)).all()
        assert (lock.item_id, lock.restricted, lock.restrictions) == (assignment.id, True,
                                                                     {"content": True, "points": True})
