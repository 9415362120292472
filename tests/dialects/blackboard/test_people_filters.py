"""Learn user and membership searches over HTTP: every documented filter, its Compare, sort, fields and
paging, and the 400 naming the parameter for a bad value."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from courseport.schema import Enrollment, User
from tests.dialects.blackboard.test_users import USERS, create

V1 = "/learn/api/public/v1"
JAN, MAR, MAY = (datetime(2026, m, 1, tzinfo=UTC) for m in (1, 3, 5))


@pytest.fixture
def learn(world):
    with world.client(world.blackboard_token()) as http:
        yield http


def _stamp_users(world, stamps: dict[str, tuple[datetime, datetime | None]]) -> None:
    with world.tx() as db:
        for login, (created, last_login) in stamps.items():
            user = db.query(User).filter_by(login_id=login).one()
            user.created_at, user.last_login = created, last_login


def names(answer) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [u["userName"] for u in answer.json()["results"]]


@pytest.fixture
def three(world, learn):
    create(learn, "ann", externalId="SIS-A", name={"given": "Ann", "family": "Zed"})
    create(learn, "bob", externalId="SIS-B", name={"given": "Bob", "family": "Young"})
    create(learn, "cat", externalId="SIS-C", name={"given": "Cat", "family": "Xu"})
    _stamp_users(world, {"ann": (JAN, MAR), "bob": (MAR, None), "cat": (MAY, MAY)})


def test_user_dates_compare_both_ways(learn, three):
    ours = {"externalId": "SIS-"}  # the three made here, not the site admin
    assert names(learn.get(USERS, params={**ours, "created": "2026-03-01T00:00:00Z"})) == ["bob", "cat"]
    assert names(learn.get(USERS, params={**ours, "created": "2026-03-01T00:00:00Z", "createdCompare": "lessThan"})
                 ) == ["ann"]
    assert names(learn.get(USERS, params={**ours, "modified": "2026-05-01", "modifiedCompare": "greaterOrEqual"})
                 ) == ["cat"]
    assert names(learn.get(USERS, params={**ours, "lastLogin": "2026-04-01T00:00:00Z"})) == ["cat"]
    # never logged in: neither before nor after any date
    assert names(learn.get(USERS, params={**ours, "lastLogin": "2026-04-01T00:00:00Z",
                                          "lastLoginCompare": "lessThan"})) == ["ann"]


def test_user_text_filters_availability_and_sources(learn, three):
    assert names(learn.get(USERS, params={"externalId": "SIS-B"})) == ["bob"]
    assert names(learn.get(USERS, params={"name.family": "You"})) == ["bob"]
    assert names(learn.get(USERS, params={"externalId": "SIS-", "availability.available": "Yes"})
                 ) == ["ann", "bob", "cat"]
    assert names(learn.get(USERS, params={"externalId": "SIS-", "availability.available": "Disabled"})) == []
    assert names(learn.get(USERS, params={"userName": "ann", "dataSourceId": "_2_1"})) == ["ann"]
    assert names(learn.get(USERS, params={"userName": "ann", "dataSourceId": "externalId:SYSTEM"})) == ["ann"]
    assert names(learn.get(USERS, params={"userName": "ann", "dataSourceId": "_9_1"})) == []
    assert names(learn.get(USERS, params={"userName": "ann", "studentId": "123"})) == []


def test_user_sort_fields_and_paging(learn, three):
    params = {"externalId": "SIS-", "sort": "name.family"}
    assert names(learn.get(USERS, params=params)) == ["cat", "bob", "ann"]
    assert names(learn.get(USERS, params={**params, "sort": "created(desc)"})) == ["cat", "bob", "ann"]
    assert names(learn.get(USERS, params={**params, "sort": "userName(desc)"})) == ["cat", "bob", "ann"]
    assert names(learn.get(USERS, params={**params, "sort": "externalId"})) == ["ann", "bob", "cat"]
    first = learn.get(USERS, params={**params, "sort": "externalId", "limit": 2, "fields": "userName,name.family"})
    assert first.json()["results"] == [{"userName": "ann", "name": {"family": "Zed"}},
                                       {"userName": "bob", "name": {"family": "Young"}}]
    next_page = first.json()["paging"]["nextPage"]
    assert "sort=externalId" in next_page and "offset=2" in next_page
    rest = learn.get(next_page)
    assert rest.json() == {"results": [{"userName": "cat", "name": {"family": "Xu"}}]}


@pytest.mark.parametrize(("params", "field"), [
    ({"created": "yesterday"}, "created"), ({"created": "2026-01-01", "createdCompare": "before"}, "createdCompare"),
    ({"lastLoginCompare": "equal"}, "lastLoginCompare"), ({"sort": "email"}, "sort"),
    ({"availability.available": "Maybe"}, "availability.available"), ({"limit": "x"}, "limit"),
])
def test_bad_user_search_values_name_the_parameter(learn, params, field):
    answer = learn.get(USERS, params=params)
    assert answer.status_code == 400
    body = answer.json()
    assert body["status"] == 400 and body["message"].startswith(field), body


@pytest.fixture
def members(world, learn):
    course = learn.post("/learn/api/public/v3/courses", json={"courseId": "bio101", "name": "Biology"}).json()
    for login, role in (("ann", "Student"), ("bob", "Instructor"), ("cat", "Student")):
        create(learn, login)
        answer = learn.put(f"{V1}/courses/{course['id']}/users/userName:{login}", json={"courseRoleId": role})
        assert answer.status_code == 201, answer.text
    with world.tx() as db:
        for login, created, accessed in (("ann", JAN, MAY), ("bob", MAR, None), ("cat", MAY, MAR)):
            user = db.query(User).filter_by(login_id=login).one()
            row = db.query(Enrollment).filter_by(user_id=user.id, course_id=int(course["id"].split("_")[1])).one()
            row.created_at, row.updated_at, row.last_activity_at = created, created, accessed
    return course


def member_ids(world, answer) -> list[str]:
    assert answer.status_code == 200, answer.text
    by_id = {}
    with world.tx() as db:
        for user in db.query(User):
            by_id[f"_{user.id}_1"] = user.login_id
    return [by_id[m["userId"]] for m in answer.json()["results"]]


def test_membership_filters_and_sort(world, learn, members):
    path = f"{V1}/courses/courseId:bio101/users"
    assert member_ids(world, learn.get(path, params={"role": "Student", "sort": "created(desc)"})) == ["cat", "ann"]
    assert member_ids(world, learn.get(path, params={"created": "2026-03-01", "createdCompare": "lessThan"})
                      ) == ["ann"]
    assert member_ids(world, learn.get(path, params={"modified": "2026-03-01", "sort": "created"})) == ["bob", "cat"]
    assert member_ids(world, learn.get(path, params={"lastAccessed": "2026-04-01"})) == ["ann"]
    assert member_ids(world, learn.get(path, params={"sort": "lastAccessed", "lastAccessed": "2026-01-01"})
                      ) == ["cat", "ann"]
    assert member_ids(world, learn.get(path, params={"dataSourceId": "_5_1"})) == []
    page = learn.get(path, params={"sort": "created", "limit": 1, "fields": "courseRoleId"}).json()
    assert page["results"] == [{"courseRoleId": "Student"}]
    assert "offset=1" in page["paging"]["nextPage"] and "sort=created" in page["paging"]["nextPage"]
    mine = learn.get(f"{V1}/users/userName:cat/courses", params={"created": "2026-04-01", "role": "Student"})
    assert [m["courseId"] for m in mine.json()["results"]] == [members["id"]]
    assert learn.get(f"{V1}/users/userName:cat/courses", params={"created": "2026-06-01"}).json()["results"] == []


@pytest.mark.parametrize(("params", "field"), [
    ({"role": "Dean"}, "role"), ({"modifiedCompare": "after"}, "modifiedCompare"),
    ({"lastAccessed": "soon"}, "lastAccessed"), ({"sort": "userId"}, "sort"), ({"offset": "-1"}, "offset"),
])
def test_bad_membership_search_values_name_the_parameter(learn, members, params, field):
    for path in (f"{V1}/courses/courseId:bio101/users", f"{V1}/users/userName:ann/courses"):
        answer = learn.get(path, params=params)
        assert answer.status_code == 400, path
        assert answer.json()["status"] == 400 and answer.json()["message"].startswith(field), answer.json()
