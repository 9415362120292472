"""Canvas Rubrics API over raw HTTP: exact shapes of rubrics and associations, the assignment's rubric fields,
refusals with Canvas's error bodies, stored state after each call."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema import ContentItem
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

CRITERIA = {
    "rubric[title]": "Essay rubric", "rubric[free_form_criterion_comments]": "true",
    "rubric[criteria][0][description]": "Thesis", "rubric[criteria][0][long_description]": "A clear claim",
    "rubric[criteria][0][points]": "6",
    "rubric[criteria][0][ratings][0][description]": "Strong", "rubric[criteria][0][ratings][0][points]": "6",
    "rubric[criteria][0][ratings][1][description]": "Weak", "rubric[criteria][0][ratings][1][points]": "2",
    "rubric[criteria][1][description]": "Style", "rubric[criteria][1][criterion_use_range]": "true",
    "rubric[criteria][1][ratings][0][description]": "Good", "rubric[criteria][1][ratings][0][points]": "4",
    "rubric[criteria][1][ratings][1][description]": "Poor", "rubric[criteria][1][ratings][1][points]": "0",
}


@pytest.fixture
def cls(world):
    """tina teaches the course, ann studies in it; the essay is worth 10 points."""
    course = world.course("Writing")
    people = {}
    for login, etype in (("tina", "TeacherEnrollment"), ("ann", "StudentEnrollment"), ("bob", "StudentEnrollment")):
        user, token = world.user_with_token(login)
        world.enroll(user, course, etype)
        people[login] = (user, token)
    essay = world.assignment(course, "Essay", points=10.0)
    return course, essay, people


def _rubric_path(course, tail: str = "") -> str:
    return f"/api/v1/courses/{course.id}/rubrics{tail}"


def _assoc_path(course, tail: str = "") -> str:
    return f"/api/v1/courses/{course.id}/rubric_associations{tail}"


def _criteria_json(ids: list[str]) -> list[dict]:
    c1, r11, r12, c2, r21, r22 = ids
    return [
        {"id": c1, "description": "Thesis", "long_description": "A clear claim", "points": 6.0,
         "criterion_use_range": False, "ratings": [
             {"id": r11, "criterion_id": c1, "description": "Strong", "long_description": "", "points": 6.0},
             {"id": r12, "criterion_id": c1, "description": "Weak", "long_description": "", "points": 2.0}]},
        {"id": c2, "description": "Style", "long_description": "", "points": 4.0, "criterion_use_range": True,
         "ratings": [
             {"id": r21, "criterion_id": c2, "description": "Good", "long_description": "", "points": 4.0},
             {"id": r22, "criterion_id": c2, "description": "Poor", "long_description": "", "points": 0.0}]},
    ]


def _create(world, course, token, extra: dict | None = None):
    with world.client(token) as c:
        return c.post(_rubric_path(course), data={**CRITERIA, **(extra or {})})


def _items(world, course, kind: str) -> list[tuple]:
    with world.tx() as db:
        return [(i.title, i.points, i.parent_id, i.ref_id, i.workflow_state) for i in db.scalars(
            select(ContentItem).where(ContentItem.course_id == course.id, ContentItem.type == kind)
            .order_by(ContentItem.id))]


def test_create_with_an_assignment_association_answers_both_and_shows_on_the_assignment(world, cls):
    course, essay, people = cls
    r = _create(world, course, people["tina"][1], {
        "rubric_association[association_id]": str(essay.id), "rubric_association[association_type]": "Assignment",
        "rubric_association[use_for_grading]": "true", "rubric_association[purpose]": "grading",
        "rubric_association[hide_score_total]": "false"})
    assert r.status_code == 200, r.text
    body = r.json()
    rubric_id, assoc_id = body["rubric"]["id"], body["rubric_association"]["id"]
    criteria = _criteria_json(["_1", "_2", "_3", "_4", "_5", "_6"])
    assert body == {
        "rubric": {"id": rubric_id, "title": "Essay rubric", "context_id": course.id, "context_type": "Course",
                   "points_possible": 10.0, "reusable": False, "public": False, "read_only": False,
                   "free_form_criterion_comments": True, "hide_score_total": False, "data": criteria,
                   "criteria": criteria},
        "rubric_association": {"id": assoc_id, "rubric_id": rubric_id, "association_id": essay.id,
                               "association_type": "Assignment", "context_id": course.id, "context_type": "Course",
                               "title": "Essay rubric", "use_for_grading": True, "summary_data": None,
                               "purpose": "grading", "hide_score_total": False, "hide_points": False,
                               "hide_outcome_results": False}}
    assert _items(world, course, "rubric") == [("Essay rubric", 10.0, None, None, "active")]
    assert _items(world, course, "rubric_association") == [("Essay rubric", None, rubric_id, essay.id, "active")]
    for login in ("tina", "ann"):
        with world.client(people[login][1]) as c:
            shown = c.get(f"/api/v1/courses/{course.id}/assignments/{essay.id}").json()
        assert shown["use_rubric_for_grading"] is True
        assert shown["free_form_criterion_comments"] is True
        assert shown["rubric_settings"] == {"id": rubric_id, "title": "Essay rubric", "points_possible": 10.0,
                                            "free_form_criterion_comments": True, "hide_score_total": False,
                                            "hide_points": False}
        assert shown["rubric"] == [{k: v for k, v in c.items() if k != "ratings"} | {
            "ratings": [{k: v for k, v in rt.items() if k != "criterion_id"} for rt in c["ratings"]]}
            for c in criteria]


def test_an_assignment_without_a_rubric_has_no_rubric_fields(world, cls):
    course, essay, people = cls
    with world.client(people["tina"][1]) as c:
        shown = c.get(f"/api/v1/courses/{course.id}/assignments/{essay.id}").json()
    assert not {"rubric", "rubric_settings", "use_rubric_for_grading"} & set(shown)


def test_list_is_paginated_and_show_includes_associations(world, cls):
    course, essay, people = cls
    ids = [_create(world, course, people["tina"][1], {"rubric[title]": f"R{n}"}).json()["rubric"]["id"]
           for n in range(3)]
    with world.client(people["ann"][1]) as c:  # students read their course's rubrics
        first = c.get(_rubric_path(course), params={"per_page": 2})
        second = c.get(_rubric_path(course), params={"per_page": 2, "page": 2})
    assert first.status_code == 200, first.text
    assert [r["id"] for r in first.json()] == ids[:2] and [r["id"] for r in second.json()] == ids[2:]
    assert 'rel="next"' in first.headers["link"] and 'rel="next"' not in second.headers["link"]
    assert first.json()[0]["title"] == "R0" and "criteria" not in first.json()[0]
    with world.client(people["tina"][1]) as c:
        linked = c.post(_assoc_path(course), data={
            "rubric_association[rubric_id]": ids[0], "rubric_association[association_id]": str(essay.id),
            "rubric_association[association_type]": "Assignment"})
        bookmark = c.post(_assoc_path(course), data={
            "rubric_association[rubric_id]": ids[0], "rubric_association[association_type]": "Course"})
        full = c.get(_rubric_path(course, f"/{ids[0]}"), params={"include[]": "associations"})
        courses_only = c.get(_rubric_path(course, f"/{ids[0]}"), params={"include[]": "course_associations"})
        plain = c.get(_rubric_path(course, f"/{ids[0]}"))
    assert linked.status_code == 200, linked.text
    assert (linked.json()["use_for_grading"], linked.json()["purpose"]) == (False, "grading")
    assert (bookmark.json()["association_type"], bookmark.json()["association_id"], bookmark.json()["purpose"]) == (
        "Course", course.id, "bookmark")
    assert [a["id"] for a in full.json()["associations"]] == [linked.json()["id"], bookmark.json()["id"]]
    assert [a["id"] for a in courses_only.json()["associations"]] == [bookmark.json()["id"]]
    assert "associations" not in plain.json() and "assessments" not in plain.json()
    with world.client(people["tina"][1]) as c:  # an association to a deleted assignment is gone with it
        assert c.delete(f"/api/v1/courses/{course.id}/assignments/{essay.id}").status_code == 200
        after = c.get(_rubric_path(course, f"/{ids[0]}"), params={"include[]": "associations"}).json()
    assert [a["id"] for a in after["associations"]] == [bookmark.json()["id"]]
    assert plain.json()["data"] == full.json()["data"]


def test_update_keeps_criterion_ids_and_updates_the_named_association(world, cls):
    course, essay, people = cls
    made = _create(world, course, people["tina"][1], {
        "rubric_association[association_id]": str(essay.id), "rubric_association[association_type]": "Assignment"})
    rubric_id, assoc_id = made.json()["rubric"]["id"], made.json()["rubric_association"]["id"]
    with world.client(people["tina"][1]) as c:
        r = c.put(_rubric_path(course, f"/{rubric_id}"), data={
            "rubric[title]": "Essay v2", "rubric[criteria][0][id]": "_1", "rubric[criteria][0][description]": "Thesis",
            "rubric[criteria][0][ratings][0][id]": "_2", "rubric[criteria][0][ratings][0][points]": "8",
            "rubric[criteria][1][description]": "Sources", "rubric[criteria][1][points]": "3",
            "rubric_association_id": str(assoc_id), "rubric_association[use_for_grading]": "true",
            "rubric_association[hide_points]": "true"})
    assert r.status_code == 200, r.text
    rubric = r.json()["rubric"]
    assert (rubric["title"], rubric["points_possible"]) == ("Essay v2", 11.0)
    assert [(c["id"], c["points"], [(x["id"], x["description"], x["points"]) for x in c["ratings"]])
            for c in rubric["data"]] == [
        ("_1", 8.0, [("_2", "No Description", 8.0)]),
        ("_7", 3.0, [("_8", "Full Marks", 3.0), ("_9", "No Marks", 0.0)])]
    assoc = r.json()["rubric_association"]
    assert (assoc["id"], assoc["use_for_grading"], assoc["hide_points"]) == (assoc_id, True, True)
    assert _items(world, course, "rubric") == [("Essay v2", 11.0, None, None, "active")]


def test_a_new_association_ends_the_assignments_earlier_one(world, cls):
    course, essay, people = cls
    first = _create(world, course, people["tina"][1], {
        "rubric_association[association_id]": str(essay.id), "rubric_association[association_type]": "Assignment"})
    second = _create(world, course, people["tina"][1], {
        "rubric[title]": "Other", "rubric_association[association_id]": str(essay.id),
        "rubric_association[association_type]": "Assignment"})
    assert second.status_code == 200, second.text
    states = [s for *_, s in _items(world, course, "rubric_association")]
    assert states == ["deleted", "active"]
    with world.client(people["tina"][1]) as c:
        shown = c.get(f"/api/v1/courses/{course.id}/assignments/{essay.id}").json()
    assert shown["rubric_settings"]["id"] == second.json()["rubric"]["id"] != first.json()["rubric"]["id"]


def test_delete_rubric_answers_it_and_takes_its_associations(world, cls):
    course, essay, people = cls
    made = _create(world, course, people["tina"][1], {
        "rubric_association[association_id]": str(essay.id), "rubric_association[association_type]": "Assignment"})
    rubric_id, assoc_id = made.json()["rubric"]["id"], made.json()["rubric_association"]["id"]
    with world.client(people["tina"][1]) as c:
        gone = c.delete(_rubric_path(course, f"/{rubric_id}"))
        again = c.delete(_rubric_path(course, f"/{rubric_id}"))
        shown = c.get(f"/api/v1/courses/{course.id}/assignments/{essay.id}").json()
        listed = c.get(_rubric_path(course)).json()
        assoc = c.put(_assoc_path(course, f"/{assoc_id}"), data={"rubric_association[use_for_grading]": "true"})
    assert (gone.status_code, gone.json()["id"], gone.json()["title"]) == (200, rubric_id, "Essay rubric")
    assert (again.status_code, again.json()) == (404, NOT_FOUND)
    assert (assoc.status_code, assoc.json()) == (404, NOT_FOUND)
    assert "rubric" not in shown and listed == []
    assert [s for *_, s in _items(world, course, "rubric")] == ["deleted"]
    assert [s for *_, s in _items(world, course, "rubric_association")] == ["deleted"]


def test_association_update_and_delete(world, cls):
    course, essay, people = cls
    rubric_id = _create(world, course, people["tina"][1]).json()["rubric"]["id"]
    other = world.assignment(course, "Report")
    with world.client(people["tina"][1]) as c:
        made = c.post(_assoc_path(course), data={
            "rubric_association[rubric_id]": rubric_id, "rubric_association[association_id]": str(essay.id),
            "rubric_association[association_type]": "Assignment"}).json()
        moved = c.put(_assoc_path(course, f"/{made['id']}"), data={
            "rubric_association[association_id]": str(other.id), "rubric_association[purpose]": "bookmark"})
        gone = c.delete(_assoc_path(course, f"/{made['id']}"))
        again = c.delete(_assoc_path(course, f"/{made['id']}"))
    assert moved.status_code == 200, moved.text
    assert (moved.json()["association_id"], moved.json()["association_type"], moved.json()["purpose"]) == (
        other.id, "Assignment", "bookmark")
    assert (gone.status_code, gone.json()["id"]) == (200, made["id"])
    assert (again.status_code, again.json()) == (404, NOT_FOUND)
    assert _items(world, course, "rubric_association") == [("Essay rubric", None, rubric_id, other.id, "deleted")]


def _error(field: str, message: str) -> dict:
    return {"errors": [{"message": message, "field": field}]}


@pytest.mark.parametrize(("extra", "status", "body"), [
    ({"rubric[criteria][0][points]": "six"}, 400,
     _error("rubric[criteria][0][points]", "rubric[criteria][0][points] must be a number, got 'six'")),
    ({"rubric[criteria][1][ratings][0][points]": "x"}, 400, _error(
        "rubric[criteria][1][ratings][0][points]",
        "rubric[criteria][1][ratings][0][points] must be a number, got 'x'")),
    ({"rubric[criteria][0][points]": "-1"}, 400,
     _error("rubric[criteria][0][points]", "rubric[criteria][0][points] must not be negative")),
    ({"rubric[title]": ""}, 400, _error("rubric[title]", "rubric[title] is required")),
    ({"rubric[title]": "x" * 256}, 400, _error("rubric[title]", "rubric[title] must be 1 to 255 characters long")),
    ({"rubric[criteria][1][long_description]": "y" * 16_001}, 400, _error(
        "rubric[criteria][1][long_description]",
        "rubric[criteria][1][long_description] may be at most 16000 characters long")),
    ({"rubric[criteria][0][ratings][1][description]": "z" * 256}, 400, _error(
        "rubric[criteria][0][ratings][1][description]",
        "rubric[criteria][0][ratings][1][description] may be at most 255 characters long")),
    ({"rubric[criteria][0][ratings]": "none"}, 400, _error(
        "rubric[criteria][0][ratings]",
        "rubric[criteria][0][ratings] must be a list of hashes (or a hash of them by index)")),
    ({"rubric_association[association_type]": "Account", "rubric_association[association_id]": "1"}, 400,
     _error("rubric_association[association_type]",
            "rubric_association[association_type] must be one of Assignment, Course")),
    ({"rubric_association[association_type]": "Assignment", "rubric_association[association_id]": "999999"}, 400,
     _error("rubric_association[association_id]",
            "rubric_association[association_id] must name an assignment of this course")),
    ({"rubric_association[use_for_grading]": "true"}, 400,
     _error("rubric_association[association_type]",
            "rubric_association[association_type] is required (Assignment or Course)")),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(world, cls, extra, status, body):
    course, _, people = cls
    r = _create(world, course, people["tina"][1], extra)
    assert (r.status_code, r.json()) == (status, body)
    assert _items(world, course, "rubric") == [] and _items(world, course, "rubric_association") == []


def test_criteria_are_required(world, cls):
    course, _, people = cls
    with world.client(people["tina"][1]) as c:
        r = c.post(_rubric_path(course), data={"rubric[title]": "Empty"})
    assert (r.status_code, r.json()) == (400, _error(
        "rubric[criteria]", "rubric[criteria] is required: a rubric needs at least one criterion"))
    assert _items(world, course, "rubric") == []


def test_association_to_another_courses_assignment_is_refused(world, cls):
    course, _, people = cls
    elsewhere = world.course("Elsewhere")
    foreign = world.assignment(elsewhere, "Foreign")
    rubric_id = _create(world, course, people["tina"][1]).json()["rubric"]["id"]
    with world.client(people["tina"][1]) as c:
        r = c.post(_assoc_path(course), data={
            "rubric_association[rubric_id]": rubric_id, "rubric_association[association_id]": str(foreign.id),
            "rubric_association[association_type]": "Assignment"})
        no_rubric = c.post(_assoc_path(course), data={
            "rubric_association[rubric_id]": "999999", "rubric_association[association_type]": "Course"})
    assert (r.status_code, r.json()) == (400, _error(
        "rubric_association[association_id]",
        "rubric_association[association_id] must name an assignment of this course"))
    assert (no_rubric.status_code, no_rubric.json()) == (400, _error(
        "rubric_association[rubric_id]", "rubric_association[rubric_id] must name a rubric of this course"))
    assert _items(world, course, "rubric_association") == []


def test_students_and_strangers_may_not_write(world, cls):
    course, essay, people = cls
    rubric_id = _create(world, course, people["tina"][1]).json()["rubric"]["id"]
    stranger, stranger_token = world.user_with_token("sam")
    for token in (people["ann"][1], stranger_token):
        with world.client(token) as c:
            results = [
                c.post(_rubric_path(course), data=CRITERIA),
                c.put(_rubric_path(course, f"/{rubric_id}"), data={"rubric[title]": "Mine"}),
                c.delete(_rubric_path(course, f"/{rubric_id}")),
                c.post(_assoc_path(course), data={"rubric_association[rubric_id]": rubric_id,
                                                  "rubric_association[association_type]": "Course"}),
            ]
        assert [(r.status_code, r.json()) for r in results] == [(403, FORBIDDEN)] * 4
    with world.client(stranger_token) as c:
        reads = [c.get(_rubric_path(course)), c.get(_rubric_path(course, f"/{rubric_id}"))]
    assert [(r.status_code, r.json()) for r in reads] == [(403, FORBIDDEN)] * 2
    assert _items(world, course, "rubric") == [("Essay rubric", 10.0, None, None, "active")]
    assert _items(world, course, "rubric_association") == []


def test_unknown_ids_are_404(world, cls):
    course, _, people = cls
    other = world.course("Other")
    world.enroll(people["tina"][0], other, "TeacherEnrollment")
    rubric_id = _create(world, other, people["tina"][1]).json()["rubric"]["id"]
    with world.client(people["tina"][1]) as c:
        results = [c.get(_rubric_path(course, "/999999")), c.get(_rubric_path(course, f"/{rubric_id}")),
                   c.put(_rubric_path(course, f"/{rubric_id}"), data={"rubric[title]": "x"}),
                   c.delete(_assoc_path(course, "/999999")), c.get(_rubric_path(course, "/abc"))]
    assert [(r.status_code, r.json()) for r in results] == [(404, NOT_FOUND)] * 5
