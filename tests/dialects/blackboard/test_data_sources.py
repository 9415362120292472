"""Learn data sources over HTTP: create, list (the built-in SYSTEM first, search, paging), get by either
id form, update, delete, the stored rows after each call, errors and who may call."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema import DataSource
from tests.dialects.blackboard.test_entitlements import REFUSED, app_token

SOURCES = "/learn/api/public/v1/dataSources"
SYSTEM = {"id": "_2_1", "externalId": "SYSTEM", "description": (
    "Internal data source used for associating records that are created for use by the Bb system.")}


@pytest.fixture
def learn(world):
    with world.client(world.blackboard_token()) as http:
        yield http


def stored(world) -> list[tuple[str, str | None]]:
    with world.tx() as db:
        return [(s.external_id, s.description) for s in db.scalars(select(DataSource).order_by(DataSource.id))]


def make(learn, external_id, **body):
    answer = learn.post(SOURCES, json={"externalId": external_id, **body})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_create_answers_the_source_and_stores_it(world, learn):
    body = make(learn, "sis-feed", description="Nightly SIS feed")
    with world.tx() as db:
        row = db.scalars(select(DataSource)).one()
    assert body.pop("created").endswith("Z")
    assert body == {"id": f"_{row.id + 2}_1", "externalId": "sis-feed", "description": "Nightly SIS feed"}
    assert stored(world) == [("sis-feed", "Nightly SIS feed")]
    again = learn.post(SOURCES, json={"externalId": "sis-feed"})
    assert (again.status_code, again.json()) == (409, {
        "status": 409, "message": "A data source with the same externalId already exists"})
    for bad, message in (({}, "externalId is required"), ({"externalId": ""}, "externalId is required"),
                         ({"externalId": 7}, "externalId must be a string"),
                         ({"externalId": "x", "id": "_9_1"}, "id is not a field that may be set"),
                         ({"externalId": "x" * 257}, "externalId may be at most 256 characters long")):
        answer = learn.post(SOURCES, json=bad)
        assert (answer.status_code, answer.json()) == (400, {"status": 400, "message": message}), bad
    assert stored(world) == [("sis-feed", "Nightly SIS feed")]


def test_list_search_and_paging(learn):
    made = [make(learn, name) for name in ("hr-feed", "sis-a", "sis-b")]
    body = learn.get(SOURCES, params={"fields": "id,externalId"}).json()
    assert body == {"results": [{"id": "_2_1", "externalId": "SYSTEM"}] + [
        {"id": m["id"], "externalId": m["externalId"]} for m in made]}
    first = learn.get(SOURCES, params={"limit": 2}).json()
    assert [s["externalId"] for s in first["results"]] == ["SYSTEM", "hr-feed"]
    rest = learn.get(first["paging"]["nextPage"]).json()
    assert [s["externalId"] for s in rest["results"]] == ["sis-a", "sis-b"] and "paging" not in rest
    found = learn.get(SOURCES, params={"externalId": "sis-"}).json()
    assert [s["externalId"] for s in found["results"]] == ["sis-a", "sis-b"]
    assert [s["externalId"] for s in learn.get(SOURCES, params={"externalId": "SYS"}).json()["results"]] == [
        "SYSTEM"]


def test_get_by_either_id_form(learn):
    made = make(learn, "sis-feed")
    for ref in (made["id"], "externalId:sis-feed"):
        assert learn.get(f"{SOURCES}/{ref}").json() == made, ref
    for ref in ("_2_1", "externalId:SYSTEM"):
        assert learn.get(f"{SOURCES}/{ref}").json() == SYSTEM, ref
    for ref in ("_1_1", "_99999999_1", "externalId:nope", "sis-feed", "courseId:sis-feed"):
        answer = learn.get(f"{SOURCES}/{ref}")
        assert (answer.status_code, answer.json()) == (404, {"status": 404, "message": "Data source not found"}), ref


def test_update_and_delete(world, learn):
    made = make(learn, "sis-feed")
    make(learn, "other")
    answer = learn.patch(f"{SOURCES}/externalId:sis-feed", json={"externalId": "sis-2", "description": "renamed"})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["id"], answer.json()["externalId"], answer.json()["description"]) == (
        made["id"], "sis-2", "renamed")
    assert stored(world) == [("sis-2", "renamed"), ("other", None)]
    taken = learn.patch(f"{SOURCES}/{made['id']}", json={"externalId": "other"})
    assert taken.status_code == 409 and stored(world)[0] == ("sis-2", "renamed")
    cleared = learn.patch(f"{SOURCES}/{made['id']}", json={"description": None}).json()
    assert "description" not in cleared and stored(world)[0] == ("sis-2", None)
    for ref in ("_2_1", "externalId:SYSTEM"):
        for answer in (learn.patch(f"{SOURCES}/{ref}", json={"description": "x"}), learn.delete(f"{SOURCES}/{ref}")):
            assert (answer.status_code, answer.json()) == (400, {
                "status": 400, "message": "dataSourceId: the SYSTEM data source cannot be changed"}), ref
    answer = learn.delete(f"{SOURCES}/{made['id']}")
    assert answer.status_code == 204 and answer.content == b""
    assert stored(world) == [("other", None)]
    assert learn.get(f"{SOURCES}/{made['id']}").status_code == 404
    assert learn.delete(f"{SOURCES}/{made['id']}").status_code == 404


def test_an_administrators_and_entitled(world, learn):
    make(learn, "sis-feed")
    teacher, _ = world.user_with_token("teacher")
    with world.client(world.blackboard_token(teacher)) as http:
        for answer in (http.get(SOURCES), http.get(f"{SOURCES}/_2_1"), http.post(SOURCES, json={"externalId": "x"}),
                       http.delete(f"{SOURCES}/externalId:sis-feed")):
            assert (answer.status_code, answer.json()) == (403, REFUSED)
    with world.client(app_token(world, ["system.user.VIEW"])) as http:
        assert http.get(SOURCES).json() == REFUSED
    with world.client(app_token(world, ["system.datasource.manager.VIEW"])) as http:
        assert http.get(SOURCES).status_code == 200
    assert stored(world) == [("sis-feed", None)]
