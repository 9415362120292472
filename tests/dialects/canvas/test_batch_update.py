"""Canvas batch course updates (PUT /accounts/:id/courses) and the Progress objects that track them."""

from __future__ import annotations

import pytest

from courseport.core.identity import accounts
from courseport.schema import Course
from tests.dialects.canvas.errors import NOT_FOUND


def _states(world, ids) -> list[str]:
    with world.tx() as db:
        return [db.get(Course, i).workflow_state for i in ids]


def test_progress_from_queued_to_completed(world):
    drafts = [world.course(f"D{n}", offer=False).id for n in range(2)]
    with world.client(world.admin_token) as c:
        r = c.put("/api/v1/accounts/1/courses", data={"event": "offer", "course_ids[]": [str(i) for i in drafts]})
        assert r.status_code == 200, r.text
        queued = r.json()
        assert queued == {
            "id": queued["id"], "context_id": 1, "context_type": "Account", "user_id": world.admin.id,
            "tag": "batch_update_courses", "completion": 0.0, "workflow_state": "queued",
            "created_at": queued["created_at"], "updated_at": queued["updated_at"], "message": None,
            "results": None, "url": f"{world.base_url}/api/v1/progress/{queued['id']}",
        }
        assert _states(world, drafts) == ["unpublished", "unpublished"]  # nothing happens until the job runs
        assert c.get(f"/api/v1/progress/{queued['id']}").json()["workflow_state"] == "queued"
        assert world.run_jobs() == 1
        done = c.get(f"/api/v1/progress/{queued['id']}").json()
    assert (done["workflow_state"], done["completion"], done["message"]) == ("completed", 100.0, None)
    assert done["results"] == {"updated_course_ids": drafts, "failed_course_ids": [], "errors": {}}
    assert _states(world, drafts) == ["available", "available"]


def test_a_failing_course_does_not_fail_the_others(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Sub", 1).id
    inside = world.course("Inside", account_id=sub, sis_course_id="IN-1")
    outside = world.course("Outside")
    gone = world.course("Gone", account_id=sub)
    with world.tx() as db:
        db.get(Course, gone.id).workflow_state = "deleted"
    refs = ["sis_course_id:IN-1", str(outside.id), "999999", str(gone.id)]
    with world.client(world.admin_token) as c:
        job = c.put(f"/api/v1/accounts/{sub}/courses", data={"event": "conclude", "course_ids[]": refs}).json()
        world.run_jobs()
        done = c.get(f"/api/v1/progress/{job['id']}").json()
    assert done["workflow_state"] == "completed"
    assert done["results"] == {
        "updated_course_ids": [inside.id],
        "failed_course_ids": [str(outside.id), "999999", str(gone.id)],
        "errors": {str(outside.id): f"course {outside.id} is not in account {sub}",
                   "999999": "The specified course does not exist.",
                   str(gone.id): "The specified course does not exist."},
    }
    assert _states(world, [inside.id, outside.id, gone.id]) == ["completed", "available", "deleted"]


@pytest.mark.parametrize(("event", "before", "after"), [
    ("offer", "unpublished", "available"), ("conclude", "available", "completed"),
    ("delete", "available", "deleted"), ("undelete", "deleted", "unpublished"),
])
def test_every_batch_event(world, event, before, after):
    course = world.course("Evented")
    with world.tx() as db:
        db.get(Course, course.id).workflow_state = before
    with world.client(world.admin_token) as c:
        r = c.put("/api/v1/accounts/1/courses", json={"event": event, "course_ids": [course.id]})
        assert r.status_code == 200
    world.run_jobs()
    assert _states(world, [course.id]) == [after]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"course_ids[]": ["1"]}, "event", "event is required"),
    ({"course_ids[]": ["1"], "event": "claim"}, "event", "event must be one of offer, conclude, delete, undelete"),
    ({"event": "offer"}, "course_ids[]", "course_ids[] is required"),
    ({"event": "offer", "course_ids[]": [str(n) for n in range(501)]}, "course_ids[]",
     "course_ids[] may name at most 500 courses"),
])
def test_batch_errors_name_the_field(world, data, field, message):
    with world.client(world.admin_token) as c:
        r = c.put("/api/v1/accounts/1/courses", data=data)
    assert (r.status_code, r.json()) == (400, {"errors": [{"message": message, "field": field}]})
    assert world.run_jobs() == 0  # no job was written


def test_batch_needs_an_account_admin(world):
    course = world.course("Mine")
    teacher, token = world.user_with_token("teacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    with world.client(token) as c:
        r = c.put("/api/v1/accounts/1/courses", data={"event": "delete", "course_ids[]": [str(course.id)]})
        assert r.status_code == 403
    with world.client(world.admin_token) as c:
        assert c.put("/api/v1/accounts/4242/courses",
                     data={"event": "offer", "course_ids[]": ["1"]}).json() == NOT_FOUND
    assert world.run_jobs() == 0
    assert _states(world, [course.id]) == ["available"]


def test_progress_is_private_to_its_requester_and_admins(world):
    _, other_token = world.user_with_token("other")
    sub_admin, sub_admin_token = world.user_with_token("subadmin")
    with world.tx() as db:
        sub = accounts.create_account(db, "Sub", 1).id
        accounts.make_admin(db, sub_admin.id, sub)
    with world.client(world.admin_token) as c:
        job = c.put("/api/v1/accounts/1/courses", data={"event": "offer", "course_ids[]": ["1"]}).json()
        assert c.get("/api/v1/progress/999999").json() == NOT_FOUND
        assert c.get("/api/v1/progress/999999").status_code == 404
    with world.client(other_token) as c:
        r = c.get(f"/api/v1/progress/{job['id']}")
        assert r.status_code == 403
        assert r.json() == {"status": "unauthorized",
                            "errors": [{"message": "user not authorized to perform that action"}]}
    with world.client(sub_admin_token) as c:
        assert c.get(f"/api/v1/progress/{job['id']}").status_code == 403  # an admin below the job's account
