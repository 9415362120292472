"""Learn observer associations over HTTP: link (PUT), list both ways, unlink, the stored links and the
observer enrollments they keep, errors and who may do each."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema import Enrollment, ObserverLink, User
from tests.dialects.blackboard.test_entitlements import REFUSED, app_token
from tests.dialects.blackboard.test_users import USERS, create

COURSES = "/learn/api/public/v3/courses"


@pytest.fixture
def learn(world):
    with world.client(world.blackboard_token()) as http:
        yield http


@pytest.fixture
def pair(learn):
    """(student, parent): two Learn users."""
    return create(learn, "kid", externalId="SIS-KID"), create(learn, "parent")


def number(body: dict) -> int:
    return int(body["id"].split("_")[1])


def links(world) -> list[tuple[int, int]]:
    with world.tx() as db:
        return [(r.observer_id, r.student_id) for r in db.scalars(select(ObserverLink).order_by(ObserverLink.id))]


def test_put_links_and_answers_the_observer(world, learn, pair):
    student, parent = pair
    answer = learn.put(f"{USERS}/externalId:SIS-KID/observers/userName:parent")
    assert answer.status_code == 201, answer.text
    assert answer.json() == learn.get(f"{USERS}/{parent['id']}").json()
    assert links(world) == [(number(parent), number(student))]
    again = learn.put(f"{USERS}/{student['id']}/observers/{parent['id']}")
    assert (again.status_code, again.json()) == (409, {"status": 409,
                                                       "message": "The observer already observes this user"})
    assert links(world) == [(number(parent), number(student))]


def test_lists_both_ways_and_page(world, learn, pair):
    student, parent = pair
    other = create(learn, "kid2")
    for kid in (student, other):
        assert learn.put(f"{USERS}/{kid['id']}/observers/{parent['id']}").status_code == 201
    observers = learn.get(f"{USERS}/userName:kid/observers").json()
    assert observers == {"results": [learn.get(f"{USERS}/{parent['id']}").json()]}
    first = learn.get(f"{USERS}/{parent['id']}/observees", params={"limit": 1, "fields": "id,userName"}).json()
    assert first["results"] == [{"id": student["id"], "userName": "kid"}]
    rest = learn.get(first["paging"]["nextPage"]).json()
    assert rest == {"results": [{"id": other["id"], "userName": "kid2"}]}
    assert learn.get(f"{USERS}/{student['id']}/observees").json() == {"results": []}
    for path in ("userName:nobody/observers", "_99999999_1/observees", "nobody/observers"):
        answer = learn.get(f"{USERS}/{path}")
        assert (answer.status_code, answer.json()) == (404, {"status": 404, "message": "User not found"}), path


def test_link_mirrors_enrollments_and_delete_ends_them(world, learn, pair):
    student, parent = pair
    course = learn.post(COURSES, json={"courseId": "bio101", "name": "Biology"}).json()
    assert learn.put(f"/learn/api/public/v1/courses/{course['id']}/users/{student['id']}", json={}).status_code == 201
    assert learn.put(f"{USERS}/{student['id']}/observers/{parent['id']}").status_code == 201

    def observer_states() -> list[tuple[int | None, str]]:
        with world.tx() as db:
            return [(e.associated_user_id, e.workflow_state) for e in db.scalars(select(Enrollment).where(
                Enrollment.user_id == number(parent), Enrollment.type == "ObserverEnrollment"))]

    assert observer_states() == [(number(student), "active")]
    answer = learn.delete(f"{USERS}/{student['id']}/observers/{parent['id']}")
    assert answer.status_code == 204 and answer.content == b""
    assert links(world) == [] and observer_states() == [(number(student), "deleted")]
    again = learn.delete(f"{USERS}/{student['id']}/observers/{parent['id']}")
    assert (again.status_code, again.json()) == (404, {"status": 404, "message": "Observer not found"})
    missing = learn.delete(f"{USERS}/{student['id']}/observers/userName:nobody")
    assert (missing.status_code, missing.json()) == (404, {"status": 404, "message": "User not found"})


def test_no_one_observes_themself(world, learn, pair):
    answer = learn.put(f"{USERS}/userName:kid/observers/userName:kid")
    assert (answer.status_code, answer.json()) == (400, {"status": 400, "message": "a user cannot observe themself"})
    assert links(world) == []


def test_who_may_link_read_and_unlink(world, learn, pair):
    student, parent = pair
    with world.tx() as db:
        kid = db.get(User, number(student))
        parent_user = db.get(User, number(parent))
    with world.client(world.blackboard_token(kid)) as as_kid:
        answer = as_kid.put(f"{USERS}/{student['id']}/observers/{parent['id']}")
        assert (answer.status_code, answer.json()) == (403, REFUSED)
        assert links(world) == []
        assert learn.put(f"{USERS}/{student['id']}/observers/{parent['id']}").status_code == 201
        assert [u["id"] for u in as_kid.get(f"{USERS}/{student['id']}/observers").json()["results"]] == [parent["id"]]
        assert as_kid.get(f"{USERS}/{parent['id']}/observees").json() == REFUSED  # another user's
        assert as_kid.delete(f"{USERS}/{student['id']}/observers/{parent['id']}").json() == REFUSED
    with world.client(world.blackboard_token(parent_user)) as as_parent:
        assert [u["id"] for u in as_parent.get(f"{USERS}/{parent['id']}/observees").json()["results"]] == [
            student["id"]]
        assert as_parent.delete(f"{USERS}/{student['id']}/observers/{parent['id']}").status_code == 204
    assert links(world) == []


def test_entitlements(world, pair):
    student, parent = pair
    path = f"{USERS}/{student['id']}/observers/{parent['id']}"
    with world.client(app_token(world, ["observer.associations.VIEW"])) as viewer:
        assert viewer.get(f"{USERS}/{student['id']}/observers").status_code == 200
        assert (viewer.put(path).status_code, viewer.put(path).json()) == (403, REFUSED)
    assert links(world) == []
    with world.client(app_token(world, ["system.observer_user.CREATE"])) as creator:
        assert creator.put(path).status_code == 201
        assert creator.get(f"{USERS}/{student['id']}/observers").json() == REFUSED
        assert creator.delete(path).json() == REFUSED
    with world.client(app_token(world, ["system.observer_user.DELETE"])) as deleter:
        assert deleter.delete(path).status_code == 204
    assert links(world) == []
