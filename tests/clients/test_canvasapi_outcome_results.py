"""canvasapi's outcome results calls against the live server: an outcome, a rubric with a criterion aligned to
it on an assignment, a student's submission assessed through the rubric, then get_outcome_results and
get_outcome_result_rollups (per student and the course aggregate) for the teacher and the student; a student
naming another student is refused as canvasapi raises it."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden
from canvasapi.outcome import OutcomeResult
from sqlalchemy import select

from courseport.schema import ContentItem
from courseport.schema import RubricAssessment as AssessmentRow

_RATINGS = [{"description": "Mastered", "points": 4}, {"description": "Near", "points": 2},
            {"description": "Not yet", "points": 0}]


@pytest.fixture
def cls(world):
    course = world.course("Chemistry")
    tina, tina_token = world.user_with_token("tina")
    ann, ann_token = world.user_with_token("ann", name="Ann Archer")
    bob, bob_token = world.user_with_token("bob", name="Bob Baker")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    world.enroll(bob, course)
    return course, tina_token, (ann, ann_token), (bob, bob_token)


def test_results_and_rollups_from_an_aligned_rubric_assessment(world, cls):
    course, tina_token, (ann, ann_token), (bob, bob_token) = cls
    teacher = world.canvas(tina_token).get_course(course.id)
    outcome = teacher.get_root_outcome_group().link_new(
        "Titrate", ratings=_RATINGS, mastery_points=3, calculation_method="highest").get_outcome()
    lab = teacher.create_assignment({"name": "Titration", "points_possible": 10, "published": True,
                                     "submission_types": ["online_text_entry"]})
    made = teacher.create_rubric(rubric={"title": "Lab", "criteria": {
        "0": {"description": "Technique", "points": 5, "learning_outcome_id": outcome.id},
        "1": {"description": "Write-up", "points": 5}}})
    rubric = made["rubric"]
    assert [c.get("learning_outcome_id") for c in rubric.data] == [outcome.id, None]
    grading = teacher.create_rubric_association(rubric_association={
        "rubric_id": rubric.id, "association_id": lab.id, "association_type": "Assignment",
        "use_for_grading": True, "purpose": "grading"})
    world.canvas(ann_token).get_course(course.id).get_assignment(lab.id).submit(
        {"submission_type": "online_text_entry", "body": "my titration"})
    technique, writeup = rubric.data[0]["id"], rubric.data[1]["id"]
    grading.create_rubric_assessment(rubric_assessment={
        "user_id": ann.id, "assessment_type": "grading",
        f"criterion_{technique}": {"points": 4}, f"criterion_{writeup}": {"points": 2}})
    with world.tx() as db:
        row = db.scalar(select(AssessmentRow))
        assert (row.user_id, row.score) == (ann.id, 6.0)

    found = list(teacher.get_outcome_results(include=["outcomes", "alignments"]))
    assert [type(r) for r in found] == [OutcomeResult]
    result = found[0]
    assert (result.score, result.percent, result.mastery, result.possible) == (4.0, 0.8, True, 5.0)
    assert result.links == {"user": str(ann.id), "learning_outcome": str(outcome.id),
                            "alignment": f"assignment_{lab.id}", "assignment": f"assignment_{lab.id}"}
    assert result.id == f"{row.id}{technique}"

    rollups = teacher.get_outcome_result_rollups(include=["users", "outcomes"])
    assert [(r["links"]["user"], [(s["score"], s["count"], s["links"]["outcome"]) for s in r["scores"]])
            for r in rollups["rollups"]] == [(str(ann.id), [(3.2, 1, str(outcome.id))]), (str(bob.id), [])]
    assert [u["name"] for u in rollups["linked"]["users"]] == ["Ann Archer", "Bob Baker"]
    assert [o["id"] for o in rollups["linked"]["outcomes"]] == [outcome.id]
    aggregate = teacher.get_outcome_result_rollups(aggregate="course", aggregate_stat="median")
    assert aggregate["rollups"] == [{"scores": [{"score": 3.2, "title": "Titrate", "count": 1, "hide_points": False,
                                                 "submitted_at": aggregate["rollups"][0]["scores"][0]["submitted_at"],
                                                 "links": {"outcome": str(outcome.id)}}],
                                     "links": {"course": str(course.id)}}]
    with pytest.raises(BadRequest):
        teacher.get_outcome_result_rollups(aggregate="section")

    mine = world.canvas(ann_token).get_course(course.id)
    assert [r.id for r in mine.get_outcome_results()] == [result.id]
    assert [r["links"]["user"] for r in mine.get_outcome_result_rollups()["rollups"]] == [str(ann.id)]
    with pytest.raises(Forbidden):
        list(world.canvas(bob_token).get_course(course.id).get_outcome_results(user_ids=[ann.id]))
    assert list(world.canvas(bob_token).get_course(course.id).get_outcome_results()) == []
    with world.tx() as db:  # reading wrote nothing
        assert db.scalar(select(AssessmentRow.score)) == 6.0
        assert db.get(ContentItem, outcome.id).workflow_state == "active"
