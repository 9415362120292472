"""Acting as another user (`as_user_id`) over raw HTTP: reads and writes as that user, Canvas's 401 body
for refusals, and the rule that acting as someone never gains rights the caller lacks."""

from __future__ import annotations

from sqlalchemy import select

from courseport.core.identity import accounts
from courseport.schema import Submission

REFUSED = {"errors": "Invalid as_user_id"}


def test_reads_and_writes_as_the_student(world):
    course = world.course("Acted")
    student, _ = world.user_with_token("acted", name="Acted Upon")
    world.enroll(student, course)
    assignment = world.assignment(course)
    with world.client(world.admin_token) as c:
        me = c.get("/api/v1/users/self", params={"as_user_id": f"sis_login_id:{student.login_id}"})
        submitted = c.post(f"/api/v1/courses/{course.id}/assignments/{assignment.id}/submissions",
                           data={"submission[submission_type]": "online_text_entry", "submission[body]": "as them",
                                 "as_user_id": str(student.id)})
        roster = c.get(f"/api/v1/courses/{course.id}/users", params={"as_user_id": student.id,
                                                                      "include[]": "email"})
    assert (me.status_code, me.json()["id"], me.json()["name"]) == (200, student.id, "Acted Upon")
    assert submitted.status_code == 201, submitted.text
    assert "email" not in roster.json()[0]  # what a student sees of the roster
    with world.tx() as db:
        assert db.scalar(select(Submission.user_id).where(Submission.body == "as them")) == student.id


def test_non_admins_are_refused_with_canvas_body(world):
    _, token = world.user_with_token("plain")
    other = world.user("target")
    with world.client(token) as c:
        refused = c.get("/api/v1/users/self", params={"as_user_id": other.id})
        unknown = c.get("/api/v1/users/self", params={"as_user_id": "sis_user_id:nobody"})
        as_self = c.get("/api/v1/users/self", params={"as_user_id": "self"})
    assert (refused.status_code, refused.json()) == (401, REFUSED)
    assert "www-authenticate" not in refused.headers
    assert (unknown.status_code, unknown.json()) == (401, REFUSED)
    assert as_self.status_code == 200


def test_a_sub_account_admin_may_not_act_as_a_root_admin_or_outsiders(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Arts", 1)
    sub_admin, token = world.user_with_token("subadmin")
    with world.tx() as db:
        accounts.make_admin(db, sub_admin.id, sub.id)
    member = world.user("member")
    world.enroll(member, world.course("Painting", account_id=sub.id))
    outsider = world.user("outsider")
    with world.client(token) as c:
        as_member = c.get("/api/v1/users/self", params={"as_user_id": member.id})
        as_root_admin = c.get("/api/v1/users/self", params={"as_user_id": world.admin.id})
        as_outsider = c.get("/api/v1/users/self", params={"as_user_id": outsider.id})
    assert as_member.json()["id"] == member.id
    assert [(r.status_code, r.json()) for r in (as_root_admin, as_outsider)] == [(401, REFUSED)] * 2


def test_cached_reads_are_kept_per_acted_user(world):
    course = world.course("Cached")
    student, _ = world.user_with_token("cachee")
    world.enroll(student, course)
    outsider = world.user("outsider")
    with world.tx() as db:
        accounts.make_admin(db, outsider.id)  # an admin that may act as anyone, but is enrolled nowhere
    with world.client(world.admin_token) as c:
        own = c.get(f"/api/v1/courses/{course.id}")
        acted = c.get(f"/api/v1/courses/{course.id}", params={"as_user_id": student.id})
        again = c.get(f"/api/v1/courses/{course.id}")
    assert own.status_code == acted.status_code == again.status_code == 200
    assert acted.json()["enrollments"][0]["type"] == "student"
    assert own.json().get("enrollments", []) == again.json().get("enrollments", []) == []
