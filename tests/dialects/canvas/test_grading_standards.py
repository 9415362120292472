"""Canvas grading standards over raw HTTP: exact bodies, paging, a course's standard in its JSON and its totals,
and refusals with their error bodies (nothing stored)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from courseport.schema import Course, GradingStandard
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


@pytest.fixture
def cls(world):
    course = world.course("Chemistry")
    tina, tina_token = world.user_with_token(f"tina{course.id}")
    ann, ann_token = world.user_with_token(f"ann{course.id}")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    return course, tina_token, (ann, ann_token)


def _form(title, *entries):
    """The body canvasapi sends: title, then each entry's name and value in turn."""
    pairs = [("title", title)] if title is not None else []
    for name, value in entries:
        pairs += [("grading_scheme_entry[][name]", name), ("grading_scheme_entry[][value]", value)]
    return pairs


def _post(world, token, path, pairs):
    with world.client(token) as c:
        return c.post(f"/api/v1/{path}/grading_standards", content=urlencode(pairs),
                      headers={"content-type": "application/x-www-form-urlencoded"})


def _stored(world) -> list[tuple]:
    with world.tx() as db:
        return [(s.title, s.course_id, s.account_id, s.entries)
                for s in db.scalars(select(GradingStandard).order_by(GradingStandard.id))]


def test_create_answers_the_standard_and_stores_it_best_first(world, cls):
    course, tina_token, _ = cls
    r = _post(world, tina_token, f"courses/{course.id}", _form("Lab scale", ("Pass", "50"), ("Distinction", "85.5"),
                                                                ("Fail", "0")))
    body = r.json()
    assert (r.status_code, body) == (200, {
        "title": "Lab scale", "id": body["id"], "context_type": "Course", "context_id": course.id,
        "points_based": False, "scaling_factor": 1.0, "grading_scheme": [
            {"name": "Distinction", "value": 0.855, "calculated_value": 85.5},
            {"name": "Pass", "value": 0.5, "calculated_value": 50.0},
            {"name": "Fail", "value": 0.0, "calculated_value": 0.0}]})
    assert _stored(world) == [("Lab scale", course.id, None, [["Distinction", 85.5], ["Pass", 50.0], ["Fail", 0.0]])]
    with world.client(tina_token) as c:
        shown = c.get(f"/api/v1/courses/{course.id}/grading_standards/{body['id']}")
        assert (shown.status_code, shown.json()) == (200, body)


def test_lists_page_with_links_and_a_course_sees_its_accounts_standards(world, cls):
    course, tina_token, _ = cls
    account = _post(world, world.admin_token, "accounts/1", _form("House", ("Top", "80"), ("Rest", "0"))).json()
    other = world.course("Other")
    _post(world, world.admin_token, f"courses/{other.id}", _form("Theirs", ("X", "0")))
    own = _post(world, tina_token, f"courses/{course.id}", _form("Mine", ("Y", "0"))).json()
    with world.client(tina_token) as c:
        first = c.get(f"/api/v1/courses/{course.id}/grading_standards", params={"per_page": 1})
        second = c.get(f"/api/v1/courses/{course.id}/grading_standards", params={"per_page": 1, "page": 2})
        foreign = c.get(f"/api/v1/courses/{other.id}/grading_standards")
    assert (first.status_code, first.json(), second.json()) == (200, [account], [own])
    assert 'rel="next"' in first.headers["link"] and 'rel="next"' not in second.headers["link"]
    assert (foreign.status_code, foreign.json()) == (403, FORBIDDEN)
    with world.client(world.admin_token) as c:
        listed = c.get("/api/v1/accounts/1/grading_standards")
        missing = c.get(f"/api/v1/accounts/1/grading_standards/{own['id']}")
    assert (listed.status_code, listed.json()) == (200, [account])
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("pairs, message", [
    (_form("Dup", ("A", "90"), ("a", "0")), "grading scheme entry names must be unique (a repeats)"),
    (_form("Blank", ("", "90"), ("B", "0")), "every grading scheme entry needs a name of 1 to 255 characters"),
    (_form("High", ("A", "101"), ("B", "0")), "the value of A must be a number from 0 to 100"),
    (_form("Low", ("A", "-1")), "the value of A must be a number from 0 to 100"),
    (_form("Same", ("A", "50"), ("B", "50")), "grading scheme entry values must be unique"),
    (_form("Word", ("A", "lots")), "grading_scheme_entry must be a number, got 'lots'"),
    (_form("None"), "at least one grading scheme entry is required"),
])
def test_bad_entries_are_refused_naming_the_parameter(world, cls, pairs, message):
    course, tina_token, _ = cls
    r = _post(world, tina_token, f"courses/{course.id}", pairs)
    assert (r.status_code, r.json()) == (400, {"errors": [{"message": message, "field": "grading_scheme_entry"}]})
    assert _stored(world) == []


def test_a_title_is_required(world, cls):
    course, tina_token, _ = cls
    r = _post(world, tina_token, f"courses/{course.id}", _form(None, ("A", "0")))
    assert (r.status_code, r.json()) == (400, {"errors": [{"message": "title is required", "field": "title"}]})
    assert _stored(world) == []


def test_students_and_teachers_outside_their_reach_are_refused(world, cls):
    course, tina_token, (_, ann_token) = cls
    as_student = _post(world, ann_token, f"courses/{course.id}", _form("Mine", ("A", "0")))
    on_account = _post(world, tina_token, "accounts/1", _form("Ours", ("A", "0")))
    with world.client(ann_token) as c:
        listed = c.get(f"/api/v1/courses/{course.id}/grading_standards")
    assert [(r.status_code, r.json()) for r in (as_student, on_account, listed)] == [(403, FORBIDDEN)] * 3
    assert _stored(world) == []


def _course_standard(world, course) -> int | None:
    with world.tx() as db:
        return db.get(Course, course.id).grading_standard_id


def test_a_course_takes_its_own_or_its_accounts_standard_and_clears_it(world, cls):
    course, tina_token, _ = cls
    own = _post(world, tina_token, f"courses/{course.id}", _form("Mine", ("Y", "0"))).json()
    other = world.course("Other")
    theirs = _post(world, world.admin_token, f"courses/{other.id}", _form("Theirs", ("X", "0"))).json()
    with world.client(tina_token) as c:
        taken = c.put(f"/api/v1/courses/{course.id}", data={"course[grading_standard_id]": str(own["id"])})
        assert (taken.status_code, taken.json()["grading_standard_id"]) == (200, own["id"])
        assert c.get(f"/api/v1/courses/{course.id}").json()["grading_standard_id"] == own["id"]
        refused = c.put(f"/api/v1/courses/{course.id}", data={"course[grading_standard_id]": str(theirs["id"])})
        assert (refused.status_code, refused.json()) == (400, {"errors": [{
            "message": "course[grading_standard_id] must name a grading standard of the course or of one of its "
                       "accounts", "field": "course[grading_standard_id]"}]})
        assert _course_standard(world, course) == own["id"]
        by_settings = c.put(f"/api/v1/courses/{course.id}/settings", json={"grading_standard_id": theirs["id"]})
        assert (by_settings.status_code, by_settings.json()) == (400, {"errors": [{
            "message": "grading_standard_id must name a grading standard of the course or of one of its accounts",
            "field": "grading_standard_id"}]})
        assert _course_standard(world, course) == own["id"]
        cleared = c.put(f"/api/v1/courses/{course.id}", data={"course[grading_standard_id]": ""})
        assert (cleared.status_code, cleared.json()["grading_standard_id"]) == (200, None)
        assert _course_standard(world, course) is None
        assert c.put(f"/api/v1/courses/{course.id}", data={"course[grading_standard_id]": str(own["id"])}
                     ).status_code == 200
        by_json = c.put(f"/api/v1/courses/{course.id}", json={"course": {"grading_standard_id": None}})
        assert (by_json.status_code, by_json.json()["grading_standard_id"]) == (200, None)
    assert _course_standard(world, course) is None


def test_course_totals_and_letter_grades_follow_the_course_standard(world, cls):
    course, tina_token, (ann, ann_token) = cls
    own = _post(world, tina_token, f"courses/{course.id}", _form("Mine", ("Great", "90"), ("Good", "60"),
                                                                  ("Poor", "0"))).json()
    lab = world.assignment(course, "Lab", points=10, data={"grading_type": "letter_grade"})
    with world.client(tina_token) as c:
        assert c.put(f"/api/v1/courses/{course.id}", data={"course[grading_standard_id]": str(own["id"])}
                     ).status_code == 200
        graded = c.put(f"/api/v1/courses/{course.id}/assignments/{lab.id}/submissions/{ann.id}",
                       data={"submission[posted_grade]": "Good"})
        refused = c.put(f"/api/v1/courses/{course.id}/assignments/{lab.id}/submissions/{ann.id}",
                        data={"submission[posted_grade]": "B"})
    assert (graded.status_code, graded.json()["score"], graded.json()["grade"]) == (200, 8.9, "Good")
    assert (refused.status_code, refused.json()) == (400, {"errors": [{
        "message": "invalid grade 'B' for a letter_grade assignment", "field": "submission[posted_grade]"}]})
    with world.client(ann_token) as c:
        [enrollment] = c.get(f"/api/v1/courses/{course.id}", params={"include[]": "total_scores"}).json()[
            "enrollments"]
    assert (enrollment["computed_current_score"], enrollment["computed_current_grade"]) == (89.0, "Good")


def test_an_assignment_takes_only_a_standard_its_course_could(world, cls):
    course, tina_token, _ = cls
    other = world.course("Other")
    theirs = _post(world, world.admin_token, f"courses/{other.id}", _form("Theirs", ("X", "0"))).json()
    with world.client(tina_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/assignments", data={
            "assignment[name]": "Lab", "assignment[grading_type]": "letter_grade",
            "assignment[grading_standard_id]": str(theirs["id"])})
        listed = c.get(f"/api/v1/courses/{course.id}/assignments").json()
    assert (r.status_code, r.json()) == (400, {"errors": [{
        "message": "assignment[grading_standard_id] must name a grading standard of the course or of one of its "
                   "accounts", "field": "assignment[grading_standard_id]"}]})
    assert listed == []


@pytest.mark.parametrize("entries, message", [
    ("abc", "grading_scheme_entry must be a list of hashes with a name and a value"),
    ([1, 2], "grading_scheme_entry must be a list of hashes with a name and a value"),
    ([{"name": {"a": 1}, "value": 5}], "grading_scheme_entry[][name] must be a string"),
    ([{"name": "A", "value": "nan"}], "grading_scheme_entry must be a finite number"),
    ([{"name": "A", "value": True}], "grading_scheme_entry must be a number"),
])
def test_json_entries_of_the_wrong_shape_are_refused(world, cls, entries, message):
    course, tina_token, _ = cls
    with world.client(tina_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/grading_standards",
                   json={"title": "X", "grading_scheme_entry": entries})
    assert (r.status_code, r.json()) == (400, {"errors": [{"message": message, "field": "grading_scheme_entry"}]})
    assert _stored(world) == []
