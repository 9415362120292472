"""Learn Users API over HTTP: exact bodies, every id form, filters, paging, errors."""

from __future__ import annotations

import re

import pytest

from courseport.db import transaction
from courseport.schema import User

USERS = "/learn/api/public/v1/users"
_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
def learn(world):
    with world.client(world.blackboard_token()) as http:
        yield http


def create(learn, user_name="jdoe", **body):
    answer = learn.post(USERS, json={"userName": user_name, "password": "s3cret-pass",
                                     "name": {"given": "Jane", "family": "Doe"}, **body})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_create_answers_the_user_object(world, learn):
    body = create(learn, externalId="SIS-7", contact={"email": "jane@example.test"})
    number = int(body["id"].split("_")[1])
    with transaction(world.engine, write=False) as db:
        user = db.get(User, number)
        uuid = user.uuid
        assert (user.login_id, user.sis_user_id, user.name, user.sortable_name) == (
            "jdoe", "SIS-7", "Jane Doe", "Doe, Jane")
    assert _STAMP.match(body.pop("created")) and _STAMP.match(body.pop("modified"))
    assert body == {"id": f"_{number}_1", "uuid": uuid, "externalId": "SIS-7", "dataSourceId": "_2_1",
                    "userName": "jdoe", "availability": {"available": "Yes"},
                    "name": {"given": "Jane", "family": "Doe"}, "contact": {"email": "jane@example.test"}}


def test_external_id_defaults_to_the_user_name(learn):
    assert create(learn)["externalId"] == "jdoe"


def test_every_id_form_reaches_the_user(learn):
    body = create(learn, externalId="SIS-7")
    for ref in (body["id"], "userName:jdoe", "externalId:SIS-7", f"uuid:{body['uuid']}"):
        answer = learn.get(f"{USERS}/{ref}")
        assert answer.status_code == 200, ref
        assert answer.json()["id"] == body["id"]
    for ref in ("jdoe", "_99999999_1", "userName:nobody", "courseId:jdoe", "_1_2"):
        answer = learn.get(f"{USERS}/{ref}")
        assert (answer.status_code, answer.json()) == (404, {"status": 404, "message": "User not found"}), ref


def test_create_refuses_missing_and_taken_names(learn):
    answer = learn.post(USERS, json={"userName": "x", "name": {"given": "A", "family": "B"}})
    assert (answer.status_code, answer.json()) == (400, {"status": 400, "message": "password is required"})
    create(learn)
    answer = learn.post(USERS, json={"userName": "jdoe", "password": "s3cret-pass",
                                     "name": {"given": "A", "family": "B"}})
    assert answer.json() == {"status": 409, "message": "A user with the same userName or externalId already exists"}
    create(learn, "first", externalId="SIS-1")
    answer = learn.post(USERS, json={"userName": "second", "password": "s3cret-pass", "externalId": "SIS-1",
                                     "name": {"given": "A", "family": "B"}})
    assert answer.json() == {"status": 409, "message": "A user with the same userName or externalId already exists"}
    answer = learn.post(USERS, json={"userName": "w", "password": "x", "name": {"given": "A", "family": "B"}})
    assert answer.json()["status"] == 400 and answer.json()["message"].startswith("password must be at least")
    answer = learn.post(USERS, json={"userName": "z", "password": "s3cret-pass", "name": {"given": "A",
                                     "family": "B"}, "gender": "Other"})
    assert answer.json() == {"status": 400, "message": "gender is not a field that may be set"}


def test_patch_changes_names_and_email(learn):
    body = create(learn)
    answer = learn.patch(f"{USERS}/userName:jdoe", json={"name": {"family": "Roe"},
                                                         "contact": {"email": "roe@example.test"}})
    assert answer.status_code == 200, answer.text
    assert answer.json()["name"] == {"given": "Jane", "family": "Roe"}
    assert learn.get(f"{USERS}/{body['id']}").json()["contact"] == {"email": "roe@example.test"}
    answer = learn.patch(f"{USERS}/{body['id']}", json={"userName": "other"})
    assert answer.json() == {"status": 400, "message": "userName is not a field that may be set"}


def test_list_filters_and_pages(learn):
    for n in range(3):
        create(learn, f"pupil{n}")
    create(learn, "teacher")
    first = learn.get(USERS, params={"userName": "pupil", "limit": 2}).json()
    assert [u["userName"] for u in first["results"]] == ["pupil0", "pupil1"]
    assert first["paging"]["nextPage"] == f"{USERS}?userName=pupil&offset=2&limit=2"
    second = learn.get(first["paging"]["nextPage"]).json()
    assert [u["userName"] for u in second["results"]] == ["pupil2"] and "paging" not in second


def test_delete_then_gone(learn):
    body = create(learn)
    assert learn.delete(f"{USERS}/{body['id']}").status_code == 204
    assert learn.get(f"{USERS}/{body['id']}").status_code == 404


def test_a_plain_user_reads_only_themselves(world, learn):
    other = create(learn, "other")
    me, _ = world.user_with_token("plain")
    with world.client(world.blackboard_token(me)) as http:
        assert http.get(f"{USERS}/userName:plain").status_code == 200
        answer = http.get(f"{USERS}/{other['id']}")
        assert answer.json() == {"status": 403, "message": "User is not authorized to perform this operation"}
        assert http.post(USERS, json={"userName": "x", "password": "s3cret-pass",
                                      "name": {"given": "A", "family": "B"}}).status_code == 403
