"""Canvas outcome results and rollups over raw HTTP: the exact JSON of results, rollups, the course aggregate,
linked objects and paging; who reads whose results; refusals (unknown course, bad parameters, another student's
results) with their bodies; rubric criteria aligned to outcomes, and that reading writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from courseport.schema import ContentItem, RubricAssessment
from courseport.schema.content import Submission
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _ok(response):
    assert response.status_code in (200, 201), response.text
    return response.json()


@pytest.fixture
def lab(world):
    """tina teaches; ann and bob are students (both submitted); ann scored 4/5 and bob 1/5 on Technique, aligned to
    the outcome Titrate (points 4, mastery 3, average); Write-up is aligned to nothing."""
    course = world.course("Chemistry")
    people = {}
    for login, name, etype in (("tina", "Tina Teach", "TeacherEnrollment"), ("ann", "Ann Archer", "StudentEnrollment"),
                               ("bob", "Bob Baker", "StudentEnrollment")):
        user, token = world.user_with_token(login, name=name)
        world.enroll(user, course, etype)
        people[login] = (user, token)
    essay = world.assignment(course, "Titration", points=10.0)
    base = f"/api/v1/courses/{course.id}"
    with world.client(people["tina"][1]) as c:
        root = _ok(c.get(f"{base}/root_outcome_group"))
        link = _ok(c.post(f"{base}/outcome_groups/{root['id']}/outcomes", json={
            "title": "Titrate", "mastery_points": 3, "calculation_method": "average",
            "ratings": [{"description": "Top", "points": 4}, {"description": "None", "points": 0}]}))
        outcome_id = link["outcome"]["id"]
        made = _ok(c.post(f"{base}/rubrics", data={
            "rubric[title]": "Lab", "rubric[criteria][0][description]": "Technique", "rubric[criteria][0][points]": "5",
            "rubric[criteria][0][learning_outcome_id]": str(outcome_id),
            "rubric[criteria][1][description]": "Write-up", "rubric[criteria][1][points]": "5",
            "rubric_association[association_id]": str(essay.id), "rubric_association[association_type]": "Assignment",
            "rubric_association[use_for_grading]": "true"}))
    for login in ("ann", "bob"):
        with world.client(people[login][1]) as c:
            _ok(c.post(f"{base}/assignments/{essay.id}/submissions", data={
                "submission[submission_type]": "online_text_entry", "submission[body]": "done"}))
    assoc = made["rubric_association"]["id"]
    with world.client(people["tina"][1]) as c:
        for login, points in (("ann", "4"), ("bob", "1")):
            _ok(c.post(f"{base}/rubric_associations/{assoc}/rubric_assessments", data={
                "rubric_assessment[user_id]": str(people[login][0].id), "rubric_assessment[assessment_type]": "grading",
                "rubric_assessment[criterion__1][points]": points, "rubric_assessment[criterion__4][points]": "5"}))
    return course, essay, people, outcome_id, root, made


def _stored(world) -> tuple:
    with world.tx() as db:
        return (db.scalar(select(func.count()).select_from(ContentItem)),
                [(r.user_id, r.score) for r in db.scalars(select(RubricAssessment).order_by(RubricAssessment.id))])


def test_results_shape_linked_and_paging(world, lab):
    course, essay, people, outcome_id, root, made = lab
    ann, bob = people["ann"][0], people["bob"][0]
    assert made["rubric"]["data"][0]["learning_outcome_id"] == outcome_id
    assert "learning_outcome_id" not in made["rubric"]["data"][1]
    with world.tx() as db:
        ids = {r.user_id: r.id for r in db.scalars(select(RubricAssessment))}
    before = _stored(world)
    with world.client(people["tina"][1]) as c:
        got = c.get(f"/api/v1/courses/{course.id}/outcome_results", params={
            "per_page": "1", "include[]": ["alignments", "outcomes.alignments", "users", "outcome_paths",
                                           "outcome_links", "outcome_groups"]})
        body = _ok(got)
        second = _ok(c.get(f"/api/v1/courses/{course.id}/outcome_results", params={"per_page": "1", "page": "2"}))
    assert body["outcome_results"] == [{
        "id": f"{ids[ann.id]}_1", "score": 4.0, "submitted_or_assessed_at": body["outcome_results"][0][
            "submitted_or_assessed_at"],
        "links": {"user": str(ann.id), "learning_outcome": str(outcome_id), "alignment": f"assignment_{essay.id}",
                  "assignment": f"assignment_{essay.id}"},
        "percent": 0.8, "mastery": True, "possible": 5.0, "hidden": False, "hide_points": False}]
    assert [(r["id"], r["score"], r["mastery"]) for r in second["outcome_results"]] == [(f"{ids[bob.id]}_1", 1.0,
                                                                                          False)]
    assert 'rel="next"' in got.headers["link"] and "page=2" in got.headers["link"]
    assert body["meta"]["pagination"]["count"] == 2 and body["meta"]["pagination"]["page_count"] == 2
    linked = body["linked"]
    assert linked["alignments"] == [{"id": f"assignment_{essay.id}", "name": "Titration",
                                     "html_url": f"{world.base_url}/courses/{course.id}/assignments/{essay.id}"}]
    assert [(o["id"], o["title"], o["alignments"]) for o in linked["outcomes"]] == [
        (outcome_id, "Titrate", [f"assignment_{essay.id}"])]
    assert [u["id"] for u in linked["users"]] == [ann.id]
    assert linked["outcome_paths"] == [{"id": outcome_id, "parts": [{"name": "Chemistry"}, {"name": "Titrate"}]}]
    assert [link["outcome"]["id"] for link in linked["outcome_links"]] == [outcome_id]
    assert [g["id"] for g in linked["outcome_groups"]] == [root["id"]]
    assert _stored(world) == before


def test_rollups_per_student_aggregate_sort_and_exclude(world, lab):
    course, _, people, outcome_id, _, _ = lab
    ann, bob = people["ann"][0], people["bob"][0]
    dan, _ = world.user_with_token("dan", name="Dan Dunn")
    world.enroll(dan, course)
    base = f"/api/v1/courses/{course.id}/outcome_rollups"
    with world.client(people["tina"][1]) as c:
        body = _ok(c.get(base))
        by_score = _ok(c.get(base, params={"sort_by": "outcome", "sort_outcome_id": str(outcome_id),
                                           "sort_order": "asc", "exclude[]": "missing_user_rollups"}))
        mean = _ok(c.get(base, params={"aggregate": "course", "include[]": "outcomes"}))
        only_bob = _ok(c.get(base, params={"user_ids[]": str(bob.id), "outcome_ids[]": str(outcome_id)}))
    score = body["rollups"][0]["scores"][0]
    assert body["rollups"] == [
        {"scores": [{"score": 3.2, "title": "Titrate", "submitted_at": score["submitted_at"], "count": 1,
                     "hide_points": False, "links": {"outcome": str(outcome_id)}}],
         "links": {"user": str(ann.id), "status": "active"}},
        {"scores": [{"score": 0.8, "title": "Titrate", "submitted_at": body["rollups"][1]["scores"][0]["submitted_at"],
                     "count": 1, "hide_points": False, "links": {"outcome": str(outcome_id)}}],
         "links": {"user": str(bob.id), "status": "active"}},
        {"scores": [], "links": {"user": str(dan.id), "status": "active"}}]
    assert body["linked"] == {} and body["meta"]["pagination"]["count"] == 3
    assert [r["links"]["user"] for r in by_score["rollups"]] == [str(bob.id), str(ann.id)]
    assert mean["rollups"] == [{"scores": [{"score": 2.0, "title": "Titrate", "submitted_at": mean["rollups"][0][
        "scores"][0]["submitted_at"], "count": 2, "hide_points": False, "links": {"outcome": str(outcome_id)}}],
        "links": {"course": str(course.id)}}]
    assert [o["id"] for o in mean["linked"]["outcomes"]] == [outcome_id]
    assert [r["links"]["user"] for r in only_bob["rollups"]] == [str(bob.id)]


def test_students_read_their_own_and_posted_only(world, lab):
    course, essay, people, _, _, _ = lab
    ann, bob = people["ann"][0], people["bob"][0]
    base = f"/api/v1/courses/{course.id}"
    with world.client(people["ann"][1]) as c:
        mine = _ok(c.get(f"{base}/outcome_results"))
        rollups = _ok(c.get(f"{base}/outcome_rollups"))
        other = c.get(f"{base}/outcome_results", params={"user_ids[]": str(bob.id)})
        other_rollup = c.get(f"{base}/outcome_rollups", params={"user_ids[]": [str(ann.id), str(bob.id)]})
    assert [r["links"]["user"] for r in mine["outcome_results"]] == [str(ann.id)]
    assert [r["links"]["user"] for r in rollups["rollups"]] == [str(ann.id)]
    assert (other.status_code, other.json()) == (403, FORBIDDEN)
    assert (other_rollup.status_code, other_rollup.json()) == (403, FORBIDDEN)
    with world.tx() as db:  # grades not posted (hidden) hide the results from the student, not from graders
        for row in db.scalars(select(Submission).where(Submission.item_id == essay.id)):
            row.posted_at = None
    with world.client(people["ann"][1]) as c:
        assert _ok(c.get(f"{base}/outcome_results"))["outcome_results"] == []
    with world.client(people["tina"][1]) as c:
        assert len(_ok(c.get(f"{base}/outcome_results"))["outcome_results"]) == 2


def test_refusals_name_the_parameter_and_write_nothing(world, lab):
    course, _, people, outcome_id, _, _ = lab
    before = _stored(world)
    base = f"/api/v1/courses/{course.id}"
    other = world.course("Elsewhere")
    with world.client(people["tina"][1]) as c:
        missing = c.get("/api/v1/courses/999999/outcome_results")
        missing_rollups = c.get("/api/v1/courses/999999/outcome_rollups")
        checks = {
            "aggregate": c.get(f"{base}/outcome_rollups", params={"aggregate": "section"}),
            "aggregate_stat": c.get(f"{base}/outcome_rollups", params={"aggregate": "course",
                                                                      "aggregate_stat": "mode"}),
            "sort_by": c.get(f"{base}/outcome_rollups", params={"sort_by": "grade"}),
            "sort_order": c.get(f"{base}/outcome_rollups", params={"sort_order": "up"}),
            "user_ids": c.get(f"{base}/outcome_results", params={"user_ids[]": str(people["tina"][0].id)}),
            "outcome_ids": c.get(f"{base}/outcome_results", params={"outcome_ids[]": "999999"}),
        }
        bad_rubric = c.post(f"{base}/rubrics", data={
            "rubric[title]": "Bad", "rubric[criteria][0][description]": "X",
            "rubric[criteria][0][learning_outcome_id]": "999999"})
        elsewhere = c.get(f"/api/v1/courses/{other.id}/outcome_results")
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    assert (missing_rollups.status_code, missing_rollups.json()) == (404, NOT_FOUND)
    for field, response in checks.items():
        assert response.status_code == 400, (field, response.text)
        assert response.json()["errors"][0]["field"] == field, response.text
    assert bad_rubric.status_code == 400
    assert bad_rubric.json()["errors"][0]["field"] == "rubric[criteria][0][learning_outcome_id]"
    assert (elsewhere.status_code, elsewhere.json()) == (403, FORBIDDEN)  # tina does not teach there
    assert _stored(world) == before
