"""Course offerings, templates and schemas over HTTP: exact Valence blocks, org units, rights, errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from courseport.core.courses import org_units
from courseport.core.identity import accounts
from courseport.schema import Course, CourseTemplate
from tests.dialects.d2l.org_ids import ou, ref

LP = "/d2l/api/lp/1.4"


def new_offering(template_id, **extra):
    return {"Name": "Biology 101", "Code": "BIO-101", "Path": "", "CourseTemplateId": template_id,
            "SemesterId": None, "StartDate": None, "EndDate": None, "LocaleId": None, "ForceLocale": False,
            "ShowAddressBook": False, **extra}


@pytest.fixture
def org(world):
    """A department (account) and a semester (term) in the store."""
    with world.tx() as db:
        department = accounts.create_account(db, "Science", 1, sis_account_id="SCI")
        semester = accounts.create_term(db, 1, "Fall 2014", sis_term_id="F14")
        return (org_units.org_unit_id_of(db, org_units.DEPARTMENT, department.id),
                org_units.org_unit_id_of(db, org_units.SEMESTER, semester.id))


def test_template_then_offering_with_org_units(world, org):
    department, semester = org
    with world.client(world.admin_token) as http:
        made = http.post(f"{LP}/coursetemplates/", json={"Name": "Biology", "Code": "BIO", "Path": "",
                                                         "ParentOrgUnitIds": [department]})
        assert made.status_code == 200
        tid = int(made.json()["Identifier"])
        assert made.json() == {"Identifier": str(tid), "Code": "BIO", "Name": "Biology",
                               "Path": f"/content/enforced/{tid}-BIO/"}
        answer = http.post(f"{LP}/courses/", json=new_offering(tid, SemesterId=semester,
                                                                 StartDate="2014-09-01T00:00:00.000Z"))
        assert answer.status_code == 200, answer.text
        cid = answer.json()["Identifier"]
        expected = {
            "Identifier": cid, "Name": "Biology 101", "Code": "BIO-101", "IsActive": True,
            "Path": f"/content/enforced/{cid}-BIO-101/", "StartDate": "2014-09-01T00:00:00.000Z", "EndDate": None,
            "CourseTemplate": {"Identifier": str(tid), "Name": "Biology", "Code": "BIO"},
            "Semester": {"Identifier": str(semester), "Name": "Fall 2014", "Code": "F14"},
            "Department": {"Identifier": str(department), "Name": "Science", "Code": "SCI"},
        }
        assert answer.json() == expected
        assert http.get(f"{LP}/courses/{cid}").json() == expected
    expected_rows = (ref(world, department), ref(world, semester), "available")
    course_id = ref(world, cid)
    with world.tx() as db:  # the same course every dialect sees, in the department and the semester
        course = db.get(Course, course_id)
        assert (course.account_id, course.enrollment_term_id, course.workflow_state) == expected_rows
    with world.client(world.admin_token) as http:  # Canvas sees it too, under its own id
        assert http.get(f"/api/v1/courses/{course.id}").json()["course_code"] == "BIO-101"


def test_put_replaces_every_field(world, org):
    with world.client(world.admin_token) as http:
        tid = http.post(f"{LP}/coursetemplates/", json={"Name": "T", "Code": "T"}).json()["Identifier"]
        cid = http.post(f"{LP}/courses/", json=new_offering(int(tid), StartDate="2014-09-01T00:00:00Z",
                                                              EndDate="2014-12-01T00:00:00Z")).json()["Identifier"]
        answer = http.put(f"{LP}/courses/{cid}", json={"Name": "Renamed", "Code": "R-1", "StartDate": None,
                                                        "EndDate": "2015-01-31T12:00:00.000Z", "IsActive": False})
        assert (answer.status_code, answer.text) == (200, "")
        body = http.get(f"{LP}/courses/{cid}").json()
        assert (body["Name"], body["Code"], body["StartDate"], body["EndDate"], body["IsActive"]) == (
            "Renamed", "R-1", None, "2015-01-31T12:00:00.000Z", False)
        assert body["Semester"] is None and body["Department"] is None
        missing = http.put(f"{LP}/courses/{cid}", json={"Name": "X", "Code": "X"})
        assert missing.status_code == 400 and "IsActive" in missing.json()["detail"]
        http.put(f"{LP}/courses/{cid}", json={"Name": "Renamed", "Code": "R-1", "IsActive": True})
    course_id = ref(world, cid)
    with world.tx() as db:
        course = db.get(Course, course_id)
        assert (course.workflow_state, course.start_at, course.end_at) == ("available", None, None)


def test_create_errors(world, org):
    department, _ = org
    with world.client(world.admin_token) as http:
        tid = int(http.post(f"{LP}/coursetemplates/", json={"Name": "T", "Code": "T"}).json()["Identifier"])
        assert http.post(f"{LP}/courses/", json=new_offering(tid + 99)).status_code == 404
        assert http.post(f"{LP}/courses/", json=new_offering(tid, SemesterId=99999999)).status_code == 404
        for bad in ({"Name": 5}, {"CourseTemplateId": "x"}, {"StartDate": "soon"}, {"ForceLocale": "yes"},
                    {"Name": "  "}):
            answer = http.post(f"{LP}/courses/", json=new_offering(tid, **bad))
            assert answer.status_code == 400, bad
            assert answer.json()["title"] == "Bad Request"
        no_name = {k: v for k, v in new_offering(tid).items() if k != "Name"}
        assert http.post(f"{LP}/courses/", json=no_name).json()["detail"] == "Name is required."
        assert http.post(f"{LP}/courses/", content=b"{").status_code == 400
        assert http.post(f"{LP}/coursetemplates/", json={"Name": "T", "Code": "T",
                                                        "ParentOrgUnitIds": [99999999]}).status_code == 404
        assert http.get(f"{LP}/courses/99999999").status_code == 404
        assert http.get(f"{LP}/courses/abc").status_code == 404
        assert http.get(f"{LP}/coursetemplates/{tid + 99}").status_code == 404
    with world.tx() as db:
        assert db.query(Course).count() == 0


def test_rights(world, org):
    department, _ = org
    course = world.course("Canvas course")
    cast = world.cast(course)
    with world.client(world.admin_token) as http:
        tid = int(http.post(f"{LP}/coursetemplates/", json={"Name": "T", "Code": "T",
                                                             "ParentOrgUnitIds": [department]}).json()["Identifier"])
    with world.client(cast["teacher"]) as http:
        assert http.post(f"{LP}/coursetemplates/", json={"Name": "T", "Code": "T"}).status_code == 403
        assert http.post(f"{LP}/courses/", json=new_offering(tid)).status_code == 403
        assert http.get(f"{LP}/coursetemplates/{tid}").status_code == 403
        got = http.get(f"{LP}/courses/{ou(world, course)}").json()
        assert got["CourseTemplate"] is None and got["Path"] == ""
        info = {"Name": "Mine", "Code": "M", "IsActive": True}
        assert http.put(f"{LP}/courses/{ou(world, course)}", json=info).status_code == 200
    with world.client(cast["student"]) as http:
        assert http.get(f"{LP}/courses/{ou(world, course)}").status_code == 200
        assert http.put(f"{LP}/courses/{ou(world, course)}", json=info).status_code == 403
        assert http.delete(f"{LP}/courses/{ou(world, course)}").status_code == 403
    with world.client(cast["outsider"]) as http:
        assert http.get(f"{LP}/courses/{ou(world, course)}").status_code == 403


def test_template_update_delete_and_offering_delete(world, org):
    with world.client(world.admin_token) as http:
        tid = http.post(f"{LP}/coursetemplates/", json={"Name": "T", "Code": "T", "Path": "/mine/"}).json()[
            "Identifier"]
        assert http.put(f"{LP}/coursetemplates/{tid}", json={"Name": "T2", "Code": "C2"}).text == ""
        assert http.get(f"{LP}/coursetemplates/{tid}").json() == {"Identifier": tid, "Code": "C2", "Name": "T2",
                                                                   "Path": "/mine/"}
        assert http.put(f"{LP}/coursetemplates/{tid}", json={"Name": "T3"}).status_code == 400
        cid = http.post(f"{LP}/courses/", json=new_offering(int(tid))).json()["Identifier"]
        refused = http.delete(f"{LP}/coursetemplates/{tid}")
        assert refused.status_code == 400 and "offerings" in refused.json()["detail"]
        assert (http.delete(f"{LP}/courses/{cid}").status_code, http.get(f"{LP}/courses/{cid}").status_code) == (
            200, 404)
        assert http.delete(f"{LP}/coursetemplates/{tid}").status_code == 200
        assert http.get(f"{LP}/coursetemplates/{tid}").status_code == 404
    template_id, course_id = ref(world, tid), ref(world, cid)
    with world.tx() as db:
        assert db.get(CourseTemplate, template_id).workflow_state == "deleted"
        assert db.get(Course, course_id).workflow_state == "deleted"


def test_schemas(world):
    def element(type_id, code, not_allowed, required):
        return {"Type": {"Id": type_id, "Code": code, "Name": code}, "IsNotAllowed": not_allowed,
                "IsRequired": required}

    with world.client(world.admin_token) as http:
        assert http.get(f"{LP}/courses/schema").json() == [
            element(2, "Course Template", False, True), element(5, "Semester", False, False),
            element(101, "Department", True, False), element(1, "Organization", True, False)]
        assert http.get(f"{LP}/coursetemplates/schema").json() == [
            element(101, "Department", False, False), element(1, "Organization", False, False),
            element(5, "Semester", True, False)]


def test_dates_are_utc(world):
    with world.client(world.admin_token) as http:
        tid = int(http.post(f"{LP}/coursetemplates/", json={"Name": "T", "Code": "T"}).json()["Identifier"])
        body = http.post(f"{LP}/courses/", json=new_offering(tid, StartDate="2014-09-01T02:00:00+02:00")).json()
    assert body["StartDate"] == "2014-09-01T00:00:00.000Z"
    course_id = ref(world, body["Identifier"])
    with world.tx() as db:
        assert db.get(Course, course_id).start_at == datetime(2014, 9, 1, tzinfo=UTC)
