"""Canvas usage rights over raw HTTP: set and remove on files and folders' files, exact bodies, refusals, licenses."""

from __future__ import annotations

import pytest

from courseport.schema import File
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND
from tests.dialects.canvas.test_files import upload

JUSTIFY = "own_copyright, used_by_permission, fair_use, public_domain, creative_commons"
CREATIVE = "cc_by, cc_by_sa, cc_by_nc, cc_by_nc_sa, cc_by_nd, cc_by_nc_nd"
CC_BY = {"legal_copyright": "(c) Ada", "use_justification": "creative_commons", "license": "cc_by",
         "license_name": "CC Attribution"}


@pytest.fixture
def setup(world):
    course = world.course("Rights 101")
    cast = world.cast(course)
    with world.client(cast["teacher"]) as c:
        a = upload(c, course.id, "a.txt", b"a")
        b = upload(c, course.id, "b.txt", b"b", parent_folder_path="week 1/deep")
    return course, cast, a, b


def stored(world, *ids: int) -> list[tuple]:
    with world.tx() as db:
        return [(f.use_justification, f.license, f.legal_copyright) for f in (db.get(File, i) for i in ids)]


def put_rights(c, course_id: int, **data):  # noqa: ANN001, ANN201
    return c.put(f"/api/v1/courses/{course_id}/usage_rights", data=data)


def test_set_on_a_file_and_a_folder_then_file_json_carries_it(world, setup):
    course, cast, a, b = setup
    with world.client(cast["teacher"]) as c:
        week = next(f for f in c.get(f"/api/v1/courses/{course.id}/folders").json() if f["name"] == "week 1")
        r = put_rights(c, course.id, **{"file_ids[]": [a["id"]], "folder_ids[]": [week["id"]],
                                        "usage_rights[use_justification]": "creative_commons",
                                        "usage_rights[license]": "cc_by", "usage_rights[legal_copyright]": "(c) Ada"})
        assert r.status_code == 200, r.text
        assert r.json() == {**CC_BY, "message": "2 files updated", "file_ids": [a["id"], b["id"]]}
        assert c.get(f"/api/v1/files/{b['id']}").json()["usage_rights"] == CC_BY
    assert stored(world, a["id"], b["id"]) == [("creative_commons", "cc_by", "(c) Ada")] * 2


def test_justification_sets_the_license_and_publish_publishes(world, setup):
    course, cast, a, _ = setup
    with world.client(cast["teacher"]) as c:
        c.put(f"/api/v1/files/{a['id']}", data={"locked": "true"})
        r = put_rights(c, course.id, **{"file_ids[]": a["id"], "usage_rights[use_justification]": "public_domain",
                                        "usage_rights[license]": "cc_by", "publish": "true"})
    assert r.json() == {"legal_copyright": None, "use_justification": "public_domain", "license": "public_domain",
                        "license_name": "Public Domain", "message": "1 file updated", "file_ids": [a["id"]]}
    with world.tx() as db:
        assert db.get(File, a["id"]).locked is False
    with world.client(cast["teacher"]) as c:
        r = put_rights(c, course.id, **{"file_ids[]": a["id"], "usage_rights[use_justification]": "fair_use"})
    assert (r.json()["license"], r.json()["license_name"]) == ("private", "Private (Copyrighted)")
    assert stored(world, a["id"]) == [("fair_use", "private", None)]


def test_remove_clears_and_file_json_says_null(world, setup):
    course, cast, a, b = setup
    with world.client(cast["teacher"]) as c:
        put_rights(c, course.id, **{"file_ids[]": [a["id"], b["id"]], "usage_rights[use_justification]": "fair_use"})
        r = c.request("DELETE", f"/api/v1/courses/{course.id}/usage_rights", data={"file_ids[]": [a["id"]]})
        assert r.status_code == 200, r.text
        assert r.json() == {"message": "Usage rights removed", "file_ids": [a["id"]]}
        assert c.get(f"/api/v1/files/{a['id']}").json()["usage_rights"] is None
    assert stored(world, a["id"], b["id"]) == [(None, None, None), ("fair_use", "private", None)]


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"usage_rights[use_justification]": "mine"}, "usage_rights[use_justification]",
     f"usage_rights[use_justification] must be one of {JUSTIFY}"),
    ({}, "usage_rights[use_justification]", "usage_rights[use_justification] is required"),
    ({"usage_rights[use_justification]": "creative_commons"}, "usage_rights[license]",
     f"usage_rights[license] must be one of {CREATIVE} for creative_commons"),
    ({"usage_rights[use_justification]": "creative_commons", "usage_rights[license]": "private"},
     "usage_rights[license]",
     f"usage_rights[license] must be one of {CREATIVE} for creative_commons"),
    ({"usage_rights[use_justification]": "fair_use", "usage_rights[license]": "gpl"}, "usage_rights[license]",
     f"usage_rights[license] must be one of private, public_domain, {CREATIVE}"),
    ({"usage_rights[use_justification]": "fair_use", "file_ids[]": "x"}, "file_ids[]",
     "file_ids[] must be an integer, got 'x'"),
])
def test_bad_input_is_a_400_naming_the_field(world, setup, data, field, message):
    course, cast, a, _ = setup
    with world.client(cast["teacher"]) as c:
        r = put_rights(c, course.id, **{"file_ids[]": a["id"], **data})
    assert (r.status_code, r.json()) == (400, {"errors": [{"message": message, "field": field}]})
    assert stored(world, a["id"]) == [(None, None, None)]


def test_other_courses_files_are_passed_over_and_none_left_is_a_400(world, setup):
    course, cast, a, _ = setup
    other = world.course("Other")
    other_cast = world.cast(other)
    with world.client(other_cast["teacher"]) as c:
        foreign = upload(c, other.id, "f.txt", b"f")
    with world.client(cast["teacher"]) as c:
        only_foreign = put_rights(c, course.id, **{"file_ids[]": foreign["id"],
                                                   "usage_rights[use_justification]": "fair_use"})
        mixed = put_rights(c, course.id, **{"file_ids[]": [foreign["id"], a["id"]],
                                            "usage_rights[use_justification]": "fair_use"})
        nothing = c.request("DELETE", f"/api/v1/courses/{course.id}/usage_rights")
    assert (only_foreign.status_code, only_foreign.json()) == (400, {"errors": [
        {"message": "No 'file_ids' or 'folder_ids' specified", "field": "file_ids[]"}]})
    assert mixed.json()["file_ids"] == [a["id"]]
    assert nothing.status_code == 400
    assert stored(world, foreign["id"], a["id"]) == [(None, None, None), ("fair_use", "private", None)]


def test_students_may_not_set_or_remove_but_read_licenses(world, setup):
    course, cast, a, _ = setup
    with world.client(cast["student"]) as c:
        r = put_rights(c, course.id, **{"file_ids[]": a["id"], "usage_rights[use_justification]": "fair_use"})
        gone = c.request("DELETE", f"/api/v1/courses/{course.id}/usage_rights", data={"file_ids[]": a["id"]})
        licenses = c.get(f"/api/v1/courses/{course.id}/content_licenses")
        missing = c.get("/api/v1/courses/999999/content_licenses")
    assert (r.status_code, r.json()) == (403, FORBIDDEN)
    assert (gone.status_code, gone.json()) == (403, FORBIDDEN)
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    assert licenses.status_code == 200
    assert [lic["id"] for lic in licenses.json()] == [
        "private", "public_domain", "cc_by", "cc_by_sa", "cc_by_nc", "cc_by_nc_sa", "cc_by_nd", "cc_by_nc_nd"]
    assert licenses.json()[2] == {"id": "cc_by", "name": "CC Attribution",
                                  "url": "http://creativecommons.org/licenses/by/4.0"}
    assert stored(world, a["id"]) == [(None, None, None)]
