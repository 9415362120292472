"""Canvas rubric assessments over raw HTTP: grading through an association used for grading sets the submission's
score, peer review assessments by the assigned reviewer, the submission PUT's rubric_assessment[...], submission
reads' include[]=rubric_assessment, rubrics' assessment includes, refusals and stored state."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema import RubricAssessment
from courseport.schema.content import Submission
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND
from tests.dialects.canvas.test_rubrics import CRITERIA
from tests.races import meeting


@pytest.fixture
def graded(world):
    """tina teaches; ann submitted the essay; bob reviews ann's essay; cid is another student. The essay's rubric
    (Thesis _1: Strong _2 6 / Weak _3 2; Style _4: Good _5 4 / Poor _6 0) is used for grading."""
    course = world.course("Writing")
    people = {}
    for login, etype in (("tina", "TeacherEnrollment"), ("ann", "StudentEnrollment"), ("bob", "StudentEnrollment"),
                         ("cid", "StudentEnrollment")):
        user, token = world.user_with_token(login)
        world.enroll(user, course, etype)
        people[login] = (user, token)
    essay = world.assignment(course, "Essay", points=10.0, data={"peer_reviews": True})
    with world.client(people["ann"][1]) as c:
        sub = c.post(f"/api/v1/courses/{course.id}/assignments/{essay.id}/submissions", data={
            "submission[submission_type]": "online_text_entry", "submission[body]": "<p>essay</p>"}).json()
    with world.client(people["tina"][1]) as c:
        made = c.post(f"/api/v1/courses/{course.id}/rubrics", data={
            **CRITERIA, "rubric_association[association_id]": str(essay.id),
            "rubric_association[association_type]": "Assignment", "rubric_association[use_for_grading]": "true"})
        review = c.post(f"/api/v1/courses/{course.id}/assignments/{essay.id}/submissions/{sub['id']}/peer_reviews",
                        data={"user_id": people["bob"][0].id})
    assert made.status_code == 200 and review.status_code == 200, (made.text, review.text)
    return course, essay, people, made.json(), sub["id"]


def _path(course, assoc_id, tail: str = "") -> str:
    return f"/api/v1/courses/{course.id}/rubric_associations/{assoc_id}/rubric_assessments{tail}"


def _stored(world) -> list[tuple]:
    with world.tx() as db:
        return [(r.user_id, r.assessor_id, r.assessment_type, r.score, [(d["criterion_id"], d["points"], d["rating_id"],
                                                                          d["comments"]) for d in r.data])
                for r in db.scalars(select(RubricAssessment).order_by(RubricAssessment.id))]


def _score(world, submission_id) -> tuple:
    with world.tx() as db:
        row = db.get(Submission, submission_id)
        return row.score, row.grade, row.workflow_state


def test_grading_assessment_sets_the_submission_score(world, graded):
    course, essay, people, made, sid = graded
    ann, tina = people["ann"][0], people["tina"][0]
    assoc_id, rubric_id = made["rubric_association"]["id"], made["rubric"]["id"]
    with world.client(people["tina"][1]) as c:
        r = c.post(_path(course, assoc_id), data={
            "rubric_assessment[user_id]": ann.id, "rubric_assessment[assessment_type]": "grading",
            "rubric_assessment[criterion__1][rating_id]": "_2",
            "rubric_assessment[criterion__1][comments]": "Sharp claim",
            "rubric_assessment[criterion__4][points]": "1.5"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == {
        "id": body["id"], "rubric_id": rubric_id, "rubric_association_id": assoc_id, "score": 7.5,
        "artifact_type": "Submission", "artifact_id": sid, "artifact_attempt": 1, "assessment_type": "grading",
        "assessor_id": tina.id, "user_id": ann.id, "data": [
            {"id": "_2", "criterion_id": "_1", "points": 6.0, "description": "Strong", "comments": "Sharp claim",
             "comments_enabled": True},
            {"id": None, "criterion_id": "_4", "points": 1.5, "description": None, "comments": "",
             "comments_enabled": True}]}
    assert _score(world, sid) == (7.5, "7.5", "graded")
    assert _stored(world) == [(ann.id, tina.id, "grading", 7.5, [("_1", 6.0, "_2", "Sharp claim"),
                                                                ("_4", 1.5, None, "")])]
    with world.client(people["tina"][1]) as c:  # assessing again updates the one grading assessment
        again = c.put(_path(course, assoc_id, f"/{body['id']}"), data={
            "rubric_assessment[criterion__1][points]": "2", "rubric_assessment[criterion__4][rating_id]": "_5"})
    assert (again.status_code, again.json()["id"], again.json()["score"]) == (200, body["id"], 6.0)
    assert _score(world, sid)[0] == 6.0 and len(_stored(world)) == 1


def test_an_association_not_used_for_grading_leaves_the_score(world, graded):
    course, essay, people, made, sid = graded
    assoc_id = made["rubric_association"]["id"]
    with world.client(people["tina"][1]) as c:
        c.put(f"/api/v1/courses/{course.id}/rubric_associations/{assoc_id}",
              data={"rubric_association[use_for_grading]": "false"})
        r = c.post(_path(course, assoc_id), data={"rubric_assessment[user_id]": people["ann"][0].id,
                                                  "rubric_assessment[assessment_type]": "grading",
                                                  "rubric_assessment[criterion__1][points]": "5"})
    assert (r.status_code, r.json()["score"]) == (200, 5.0)
    assert _score(world, sid) == (None, None, "submitted")
    with world.client(people["tina"][1]) as c:  # nor does a provisional grade's, even used for grading
        c.put(f"/api/v1/courses/{course.id}/rubric_associations/{assoc_id}",
              data={"rubric_association[use_for_grading]": "true"})
        r = c.post(_path(course, assoc_id), data={"rubric_assessment[user_id]": people["ann"][0].id,
                                                  "rubric_assessment[assessment_type]": "provisional_grade",
                                                  "rubric_assessment[criterion__4][points]": "3"})
    assert (r.status_code, r.json()["assessment_type"], r.json()["score"]) == (200, "provisional_grade", 3.0)
    assert _score(world, sid) == (None, None, "submitted")
    assert [(t, s) for _, _, t, s, _ in _stored(world)] == [("grading", 5.0), ("provisional_grade", 3.0)]


def test_peer_review_assessment_by_the_assigned_reviewer_only(world, graded):
    course, essay, people, made, sid = graded
    ann, bob = people["ann"][0], people["bob"][0]
    assoc_id = made["rubric_association"]["id"]
    data = {"rubric_assessment[user_id]": ann.id, "rubric_assessment[assessment_type]": "peer_review",
            "rubric_assessment[criterion__4][rating_id]": "_5", "rubric_assessment[criterion__4][comments]": "Nice"}
    with world.client(people["cid"][1]) as c:
        refused = c.post(_path(course, assoc_id), data=data)
    with world.client(people["bob"][1]) as c:
        grading = c.post(_path(course, assoc_id), data={**data, "rubric_assessment[assessment_type]": "grading"})
        r = c.post(_path(course, assoc_id), data=data)
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    assert (grading.status_code, grading.json()) == (403, FORBIDDEN)
    assert r.status_code == 200, r.text
    assert (r.json()["assessment_type"], r.json()["assessor_id"], r.json()["score"]) == ("peer_review", bob.id, 4.0)
    assert _score(world, sid) == (None, None, "submitted")  # a peer's assessment never grades
    assert _stored(world) == [(ann.id, bob.id, "peer_review", 4.0, [("_4", 4.0, "_5", "Nice")])]
    with world.client(people["tina"][1]) as c:
        reviews = c.get(f"/api/v1/courses/{course.id}/assignments/{essay.id}/peer_reviews").json()
    assert [p["workflow_state"] for p in reviews] == ["completed"]
    with world.client(people["cid"][1]) as c:  # nor may another student delete it
        gone = c.delete(_path(course, assoc_id, f"/{r.json()['id']}"))
    assert (gone.status_code, gone.json()) == (403, FORBIDDEN)
    with world.client(people["bob"][1]) as c:
        gone = c.delete(_path(course, assoc_id, f"/{r.json()['id']}"))
    assert (gone.status_code, gone.json()["id"]) == (200, r.json()["id"])
    assert _stored(world) == []


def _error(field: str, message: str) -> dict:
    return {"errors": [{"message": message, "field": field}]}


def test_bad_assessments_are_refused_naming_the_field_with_nothing_written(world, graded):
    course, essay, people, made, sid = graded
    ann = people["ann"][0]
    assoc_id = made["rubric_association"]["id"]
    base = {"rubric_assessment[user_id]": ann.id, "rubric_assessment[assessment_type]": "grading"}
    cases = [
        ({**base, "rubric_assessment[criterion__1][points]": "lots"}, 400, _error(
            "rubric_assessment[criterion__1][points]", "rubric_assessment[criterion__1][points] must be a number, "
                                                       "got 'lots'")),
        ({**base, "rubric_assessment[criterion__1][rating_id]": "_5"}, 400, _error(
            "rubric_assessment[criterion__1][rating_id]",
            "rubric_assessment[criterion__1][rating_id] names no rating of this criterion")),
        ({**base, "rubric_assessment[criterion__9][points]": "1"}, 400, _error(
            "rubric_assessment[criterion__9]", "rubric_assessment[criterion__9] names no criterion of this rubric")),
        ({**base, "rubric_assessment[assessment_type]": "self"}, 400, _error(
            "rubric_assessment[assessment_type]",
            "rubric_assessment[assessment_type] must be one of grading, peer_review, provisional_grade")),
        ({"rubric_assessment[assessment_type]": "grading"}, 400, _error(
            "rubric_assessment[user_id]", "rubric_assessment[user_id] is required")),
        ({**base, "rubric_assessment[user_id]": people["tina"][0].id}, 404, NOT_FOUND),
    ]
    for data, status, body in cases:
        with world.client(people["tina"][1]) as c:
            r = c.post(_path(course, assoc_id), data=data)
        assert (r.status_code, r.json()) == (status, body), data
    with world.client(people["tina"][1]) as c:
        unknown = [c.post(_path(course, 999999), data=base), c.put(_path(course, assoc_id, "/999999"), data=base),
                   c.delete(_path(course, assoc_id, "/999999"))]
    assert [(r.status_code, r.json()) for r in unknown] == [(404, NOT_FOUND)] * 3
    assert _stored(world) == [] and _score(world, sid) == (None, None, "submitted")


def test_submission_put_takes_rubric_scores_and_reads_include_them(world, graded):
    course, essay, people, made, sid = graded
    ann = people["ann"][0]
    sub_path = f"/api/v1/courses/{course.id}/assignments/{essay.id}/submissions/{ann.id}"
    with world.client(people["tina"][1]) as c:
        bad = c.put(sub_path, data={"rubric_assessment[criterion__1][rating_id]": "_9"})
        r = c.put(sub_path, data={"rubric_assessment[criterion__1][rating_id]": "_3",
                                  "rubric_assessment[criterion__4][points]": "4",
                                  "rubric_assessment[criterion__4][comments]": "Tidy",
                                  "include[]": "rubric_assessment"})
    assert (bad.status_code, bad.json()) == (400, _error(
        "rubric_assessment[criterion__1][rating_id]",
        "rubric_assessment[criterion__1][rating_id] names no rating of this criterion"))
    assert r.status_code == 200, r.text
    assert r.json()["score"] == 6.0
    assert r.json()["rubric_assessment"] == {"_1": {"rating_id": "_3", "comments": "", "points": 2.0},
                                             "_4": {"rating_id": None, "comments": "Tidy", "points": 4.0}}
    assert r.json()["full_rubric_assessment"]["score"] == 6.0
    assert _score(world, sid)[0] == 6.0
    with world.client(people["ann"][1]) as c:
        own = c.get(sub_path, params={"include[]": "rubric_assessment"}).json()
        plain = c.get(sub_path).json()
    assert own["rubric_assessment"]["_4"]["comments"] == "Tidy"
    assert "rubric_assessment" not in plain and "full_rubric_assessment" not in plain
    with world.client(people["tina"][1]) as c:
        listed = c.get(f"/api/v1/courses/{course.id}/assignments/{essay.id}/submissions",
                       params={"include[]": "rubric_assessment"}).json()
    assert {s["user_id"]: s.get("rubric_assessment", {}).get("_1", {}).get("points") for s in listed} == {
        ann.id: 2.0, people["bob"][0].id: None, people["cid"][0].id: None}
    with world.client(people["ann"][1]) as c:
        mine = c.get(f"/api/v1/courses/{course.id}/students/submissions",
                     params={"include[]": "full_rubric_assessment"}).json()
    assert [(s["full_rubric_assessment"]["score"], "rubric_assessment" in s) for s in mine] == [(6.0, False)]


def test_submission_put_with_rubric_scores_on_an_assignment_without_rubric(world, graded):
    course, _, people, _, _ = graded
    other = world.assignment(course, "Quiz-less")
    with world.client(people["tina"][1]) as c:
        r = c.put(f"/api/v1/courses/{course.id}/assignments/{other.id}/submissions/{people['ann'][0].id}",
                  data={"rubric_assessment[criterion__1][points]": "1"})
    assert (r.status_code, r.json()) == (400, _error(
        "rubric_assessment", "rubric_assessment: this assignment has no rubric"))
    assert _stored(world) == []


def test_rubric_assessment_includes_show_students_only_their_own(world, graded):
    course, essay, people, made, sid = graded
    ann = people["ann"][0]
    assoc_id, rubric_id = made["rubric_association"]["id"], made["rubric"]["id"]
    with world.client(people["cid"][1]) as c:
        c.post(f"/api/v1/courses/{course.id}/assignments/{essay.id}/submissions", data={
            "submission[submission_type]": "online_text_entry", "submission[body]": "cid's"})
    with world.client(people["tina"][1]) as c:
        for student in (ann, people["cid"][0]):
            assert c.post(_path(course, assoc_id), data={
                "rubric_assessment[user_id]": student.id, "rubric_assessment[assessment_type]": "grading",
                "rubric_assessment[criterion__1][points]": "3",
                "rubric_assessment[criterion__1][comments]": "ok"}).status_code == 200
    with world.client(people["bob"][1]) as c:
        c.post(_path(course, assoc_id), data={"rubric_assessment[user_id]": ann.id,
                                              "rubric_assessment[assessment_type]": "peer_review",
                                              "rubric_assessment[criterion__4][points]": "2"})
    shown = {}
    for login in ("tina", "ann", "bob"):
        with world.client(people[login][1]) as c:
            shown[login] = c.get(f"/api/v1/courses/{course.id}/rubrics/{rubric_id}",
                                 params={"include[]": "assessments", "style": "comments_only"}).json()
    who = {k: [(a["user_id"], a["assessment_type"]) for a in v["assessments"]] for k, v in shown.items()}
    cid = people["cid"][0]
    assert who == {"tina": [(ann.id, "grading"), (cid.id, "grading"), (ann.id, "peer_review")],
                   "ann": [(ann.id, "grading"), (ann.id, "peer_review")], "bob": [(ann.id, "peer_review")]}
    assert shown["tina"]["assessments"][0]["comments"] == [{"criterion_id": "_1", "comments": "ok"}]
    assert "data" not in shown["tina"]["assessments"][0]
    with world.client(people["tina"][1]) as c:
        peers = c.get(f"/api/v1/courses/{course.id}/rubrics/{rubric_id}",
                      params={"include[]": "peer_assessments", "style": "full"}).json()
        bad = c.get(f"/api/v1/courses/{course.id}/rubrics/{rubric_id}", params={"style": "short"})
    assert [(a["assessment_type"], a["data"][0]["points"]) for a in peers["assessments"]] == [("peer_review", 2.0)]
    assert (bad.status_code, bad.json()) == (400, _error("style", "style must be one of full, comments_only"))


def test_two_first_grading_assessments_at_once_keep_one(world, graded, monkeypatch):
    """Both requests looked for the student's grading assessment before either stored one (PostgreSQL; SQLite's
    writers take turns): the second waits for the first and updates its row."""
    from concurrent.futures import ThreadPoolExecutor

    from courseport.core.coursework import rubric_assessments

    course, essay, people, made, sid = graded
    ann, tina = people["ann"][0], people["tina"][0]
    # after the look-up, before the write
    monkeypatch.setattr(rubric_assessments, "scored", meeting(rubric_assessments.scored))

    def assess(points: str) -> int:
        with world.client(people["tina"][1]) as c:
            return c.post(_path(course, made["rubric_association"]["id"]), data={
                "rubric_assessment[user_id]": ann.id, "rubric_assessment[assessment_type]": "grading",
                "rubric_assessment[criterion__1][points]": points}).status_code

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(assess, ["2", "6"])) == [200, 200]
    (stored,) = _stored(world)
    assert stored[:3] == (ann.id, tina.id, "grading") and stored[3] in (2.0, 6.0)
    assert _score(world, sid)[0] == stored[3]  # the grade is the kept assessment's
