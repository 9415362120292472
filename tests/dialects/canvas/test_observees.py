"""Canvas observees over raw HTTP: links made and ended, the observer enrollments they keep beside the
student's, what each side may read, and refusals that change nothing."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import Enrollment, Login, ObserverLink
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _observing(world, observer_id: int) -> list[tuple[int, int | None, str]]:
    """(course id, associated user id, state) of the observer's observer enrollments."""
    with world.tx() as db:
        rows = db.execute(select(Enrollment.course_id, Enrollment.associated_user_id, Enrollment.workflow_state)
                          .where(Enrollment.user_id == observer_id, Enrollment.type == "ObserverEnrollment")
                          .order_by(Enrollment.course_id))
        return [tuple(r) for r in rows]


def _links(world) -> list[tuple[int, int]]:
    with world.tx() as db:
        return [tuple(r) for r in db.execute(select(ObserverLink.observer_id, ObserverLink.student_id))]


def _enroll(c, course_id: int, user_id: int) -> dict:
    r = c.post(f"/api/v1/courses/{course_id}/enrollments",
               data={"enrollment[user_id]": str(user_id), "enrollment[enrollment_state]": "active"})
    assert r.status_code == 200, r.text
    return r.json()


def test_a_link_enrols_the_observer_beside_the_student_now_and_later(world):
    math, art = world.course("Math"), world.course("Art")
    kid = world.user("kid", "Kid Student", sis_user_id="K1")
    parent, parent_token = world.user_with_token("parent", name="Pat Parent")
    with world.client(world.admin_token) as c:
        _enroll(c, math.id, kid.id)
        r = c.put(f"/api/v1/users/{parent.id}/observees/{kid.id}")
        again = c.put(f"/api/v1/users/{parent.id}/observees/sis_user_id:K1")
        assert _observing(world, parent.id) == [(math.id, kid.id, "active")]
        later = _enroll(c, art.id, kid.id)
        assert _observing(world, parent.id) == [(math.id, kid.id, "active"), (art.id, kid.id, "active")]
        concluded = c.delete(f"/api/v1/courses/{art.id}/enrollments/{later['id']}", params={"task": "conclude"})
        admin_view = c.get(f"/api/v1/users/{parent.id}/observees").json()
        observers = c.get(f"/api/v1/users/{kid.id}/observers").json()
    assert r.status_code == 200 and again.status_code == 200
    assert r.json() == {"id": kid.id, "name": "Kid Student", "created_at": r.json()["created_at"],
                        "sortable_name": "Student, Kid", "short_name": "Kid Student", "sis_user_id": "K1",
                        "integration_id": None, "sis_import_id": None, "login_id": "kid"}
    assert concluded.status_code == 200
    assert _observing(world, parent.id) == [(math.id, kid.id, "active"), (art.id, kid.id, "completed")]
    assert _links(world) == [(parent.id, kid.id)]
    assert [u["id"] for u in admin_view] == [kid.id] and admin_view[0]["sis_user_id"] == "K1"
    link_roots = "observation_link_root_account_ids"
    assert admin_view[0][link_roots] == [1] == observers[0][link_roots]
    assert [u["id"] for u in observers] == [parent.id]
    with world.client(parent_token) as c:
        own = c.get("/api/v1/users/self/observees", params={"include[]": "avatar_url"}).json()
        one = c.get(f"/api/v1/users/self/observees/{kid.id}")
        courses = c.get("/api/v1/courses").json()
    assert [u["id"] for u in own] == [kid.id] and "sis_user_id" not in own[0] and "avatar_url" in own[0]
    assert one.json()["name"] == "Kid Student"
    assert [(c["id"], c["enrollments"][0]["type"]) for c in courses] == [(math.id, "observer")]


def test_unlinking_deletes_the_observer_enrollments_it_kept(world):
    course = world.course("Math")
    kid = world.user("kid")
    parent, parent_token = world.user_with_token("parent")
    with world.client(world.admin_token) as c:
        _enroll(c, course.id, kid.id)
        c.put(f"/api/v1/users/{parent.id}/observees/{kid.id}")
    with world.client(parent_token) as c:
        removed = c.delete(f"/api/v1/users/self/observees/{kid.id}")
        twice = c.delete(f"/api/v1/users/self/observees/{kid.id}")
        gone = c.get(f"/api/v1/users/self/observees/{kid.id}")
    assert removed.status_code == 200 and removed.json()["id"] == kid.id
    assert [(r.status_code, r.json()) for r in (twice, gone)] == [(404, NOT_FOUND)] * 2
    assert _links(world) == [] and _observing(world, parent.id) == [(course.id, kid.id, "deleted")]
    with world.client(world.admin_token) as c:
        _enroll(c, world.course("Later").id, kid.id)
    assert len(_observing(world, parent.id)) == 1  # no link, nothing mirrored


def test_an_observer_links_themself_with_the_students_login(world):
    course = world.course("Math")
    kid = world.user("kid")
    parent, parent_token = world.user_with_token("parent")
    with world.client(world.admin_token) as c:
        assert c.post("/api/v1/accounts/1/logins", data={
            "user[id]": str(kid.id), "login[unique_id]": "kid.login", "login[password]": "correct-horse"
        }).status_code == 200
        _enroll(c, course.id, kid.id)
    with world.client(parent_token) as c:
        wrong = c.post("/api/v1/users/self/observees",
                       data={"observee[unique_id]": "kid.login", "observee[password]": "wrong-horse"})
        pairing = c.post("/api/v1/users/self/observees", data={"pairing_code": "ABC123"})
        missing = c.post("/api/v1/users/self/observees", data={"observee[unique_id]": "kid.login"})
        assert _links(world) == []
        right = c.post("/api/v1/users/self/observees",
                       data={"observee[unique_id]": "KID.login", "observee[password]": "correct-horse"})
    assert wrong.status_code == 401 and "WWW-Authenticate" not in wrong.headers
    assert pairing.status_code == 400 and "pairing_code" in pairing.text
    assert missing.status_code == 400 and "unique_id" in missing.text
    assert right.status_code == 200 and right.json()["id"] == kid.id
    assert _links(world) == [(parent.id, kid.id)]
    assert _observing(world, parent.id) == [(course.id, kid.id, "active")]
    with world.tx() as db:  # proving the credentials is not the student signing in
        assert db.scalar(select(Login.last_login_at).where(Login.unique_id == "kid.login")) is None


def test_refusals(world):
    kid = world.user("kid")
    other, other_token = world.user_with_token("other")
    parent, parent_token = world.user_with_token("parent")
    with world.client(parent_token) as c:
        not_admin = c.put(f"/api/v1/users/self/observees/{kid.id}")
        others = c.get(f"/api/v1/users/{other.id}/observees")
    with world.client(world.admin_token) as c:
        themself = c.put(f"/api/v1/users/{parent.id}/observees/{parent.id}")
        unknown = c.put(f"/api/v1/users/{parent.id}/observees/999999")
        c.put(f"/api/v1/users/{parent.id}/observees/{kid.id}")
    with world.client(other_token) as c:
        peek = c.get(f"/api/v1/users/{parent.id}/observees/{kid.id}")
        cut = c.delete(f"/api/v1/users/{parent.id}/observees/{kid.id}")
        observers = c.get(f"/api/v1/users/{kid.id}/observers")
    assert [(r.status_code, r.json()) for r in (not_admin, others, peek, cut, observers)] == [(403, FORBIDDEN)] * 5
    assert themself.status_code == 400 and "observee" in themself.text
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    assert _links(world) == [(parent.id, kid.id)]
