"""bbrest 0.5.0, unmodified, against the live server: the course, system and institution roles, a parent
linked to a student as their observer, listed both ways and unlinked, and data sources made, read, changed
and deleted."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import DataSource, ObserverLink
from tests.clients.test_bbrest import bb, swagger_offline  # noqa: F401 - the fixtures


def test_bbrest_reads_the_roles(bb):
    roles = bb.GetCourseRoles(params={"limit": 2})  # bbrest follows paging.nextPage
    assert [r["roleId"] for r in roles.json()["results"]] == ["Instructor", "TeachingAssistant", "CourseBuilder",
                                                              "Grader", "Student", "Guest"]
    assert bb.GetCourseRole(roleId="roleId:Student").json()["id"] == "_5_1"
    assert bb.GetSystemRole(roleId="_8_1").json()["roleId"] == "SystemAdmin"
    assert len(bb.GetSystemRoles().json()["results"]) == 10
    assert bb.GetInstitutionRole(roleId="roleId:FACULTY").json()["name"] == "Faculty"
    assert [r["roleId"] for r in bb.GetInstitutionRoles(params={"roleId": "STAFF"}).json()["results"]] == ["STAFF"]
    missing = bb.GetSystemRole(roleId="roleId:Dean")
    assert (missing.status_code, missing.json()) == (404, {"status": 404, "message": "System role not found"})


def test_bbrest_links_lists_and_unlinks_an_observer(world, bb):
    made = {}
    for name in ("kid", "parent"):
        answer = bb.CreateUser(payload={"userName": name, "password": "s3cret-pass",
                                        "name": {"given": name.title(), "family": "Doe"}})
        assert answer.status_code == 201, answer.text
        made[name] = answer.json()
    linked = bb.CreateObserver(userId="kid", observerId="userName:parent")  # bbrest prefixes only userId
    assert linked.status_code == 201 and linked.json()["id"] == made["parent"]["id"]
    with world.tx() as db:
        assert [(r.observer_id, r.student_id) for r in db.scalars(select(ObserverLink))] == [
            (int(made["parent"]["id"].split("_")[1]), int(made["kid"]["id"].split("_")[1]))]
    assert [u["userName"] for u in bb.GetObservers(userId="kid").json()["results"]] == ["parent"]
    assert [u["userName"] for u in bb.GetObservees(userId="parent").json()["results"]] == ["kid"]
    assert bb.CreateObserver(userId="kid", observerId=made["parent"]["id"]).status_code == 409
    assert bb.DeleteObserver(userId="kid", observerId="userName:parent").status_code == 204
    assert bb.GetObservers(userId="kid").json() == {"results": []}
    with world.tx() as db:
        assert db.scalars(select(ObserverLink)).all() == []


def test_bbrest_manages_data_sources(world, bb):
    made = bb.CreateDataSource(payload={"externalId": "sis-feed", "description": "Nightly"})
    assert made.status_code == 201, made.text
    listed = bb.GetDataSources(params={"limit": 1})  # bbrest follows paging.nextPage
    assert [s["externalId"] for s in listed.json()["results"]] == ["SYSTEM", "sis-feed"]
    assert bb.GetDataSource(dataSourceId="externalId:sis-feed").json()["id"] == made.json()["id"]
    changed = bb.UpdateDataSource(dataSourceId=made.json()["id"], payload={"description": "Hourly"})
    assert changed.status_code == 200 and changed.json()["description"] == "Hourly"
    with world.tx() as db:
        assert [(s.external_id, s.description) for s in db.scalars(select(DataSource))] == [("sis-feed", "Hourly")]
    assert bb.DeleteDataSource(dataSourceId="externalId:sis-feed").status_code == 204
    with world.tx() as db:
        assert db.scalars(select(DataSource)).all() == []
