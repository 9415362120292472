"""canvasapi's rubric calls against the live server: create (with an association), list, show, associate,
update and delete an association, assess through it, delete a rubric; refusals as canvasapi raises them."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist
from canvasapi.rubric import Rubric, RubricAssessment, RubricAssociation
from sqlalchemy import select

from courseport.schema import ContentItem
from courseport.schema import RubricAssessment as AssessmentRow
from courseport.schema.content import Submission

_RUBRIC = {"title": "Lab report", "free_form_criterion_comments": False, "criteria": {
    "0": {"description": "Method", "points": 5, "ratings": {"0": {"description": "Sound", "points": 5},
                                                             "1": {"description": "Flawed", "points": 1}}},
    "1": {"description": "Results", "points": 3}}}


@pytest.fixture
def cls(world):
    course = world.course("Chemistry")
    tina, tina_token = world.user_with_token("tina")
    ann, ann_token = world.user_with_token("ann")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    lab = world.assignment(course, "Titration", points=8.0)
    return course, lab, (tina, tina_token), (ann, ann_token)


def _live(world, course, kind: str) -> list[int]:
    with world.tx() as db:
        return list(db.scalars(select(ContentItem.id).where(
            ContentItem.course_id == course.id, ContentItem.type == kind, ContentItem.workflow_state != "deleted")
            .order_by(ContentItem.id)))


def test_create_list_show_associate_assess_and_delete(world, cls):
    course, lab, (_, tina_token), (ann, ann_token) = cls
    teacher_course = world.canvas(tina_token).get_course(course.id)
    made = teacher_course.create_rubric(rubric=_RUBRIC, rubric_association={
        "association_id": lab.id, "association_type": "Assignment", "use_for_grading": True, "purpose": "grading"})
    rubric, link = made["rubric"], made["rubric_association"]
    assert isinstance(rubric, Rubric) and isinstance(link, RubricAssociation)
    assert (rubric.title, rubric.points_possible, rubric.context_id) == ("Lab report", 8.0, course.id)
    assert [(c["description"], c["points"], [r["points"] for r in c["ratings"]]) for c in rubric.data] == [
        ("Method", 5.0, [5.0, 1.0]), ("Results", 3.0, [3.0, 0.0])]
    assert (link.rubric_id, link.association_id, link.association_type, link.use_for_grading) == (
        rubric.id, lab.id, "Assignment", True)
    assert _live(world, course, "rubric") == [rubric.id] and _live(world, course, "rubric_association") == [link.id]

    student_course = world.canvas(ann_token).get_course(course.id)
    assert [r.id for r in student_course.get_rubrics()] == [rubric.id]
    shown = student_course.get_rubric(rubric.id, include=["associations"])
    assert (shown.title, [a["id"] for a in shown.associations]) == ("Lab report", [link.id])
    assert world.canvas(ann_token).get_course(course.id).get_assignment(lab.id).rubric_settings["id"] == rubric.id

    # canvasapi's create_rubric leaves its RubricAssociation without course_id; create_rubric_association sets it.
    # Associating the assignment again ends the association made with the rubric (one rubric per assignment).
    grading = teacher_course.create_rubric_association(rubric_association={
        "rubric_id": rubric.id, "association_id": lab.id, "association_type": "Assignment", "use_for_grading": True})
    assert _live(world, course, "rubric_association") == [grading.id] != [link.id]
    method = rubric.data[0]
    assessment = grading.create_rubric_assessment(rubric_assessment={
        "user_id": ann.id, "assessment_type": "grading",
        f"criterion_{method['id']}": {"rating_id": method["ratings"][1]["id"], "comments": "Check the burette"}})
    assert isinstance(assessment, RubricAssessment)
    assert (assessment.score, assessment.assessment_type, assessment.rubric_association_id) == (
        1.0, "grading", grading.id)
    with world.tx() as db:
        row = db.scalar(select(Submission).where(Submission.item_id == lab.id, Submission.user_id == ann.id))
        assert (row.score, row.grade) == (1.0, "1")
        assert db.scalar(select(AssessmentRow.score)) == 1.0

    bookmark = teacher_course.create_rubric_association(rubric_association={
        "rubric_id": rubric.id, "association_id": course.id, "association_type": "Course"})
    assert (bookmark.association_type, bookmark.purpose, bookmark.rubric_id) == ("Course", "bookmark", rubric.id)
    bookmark.update(rubric_association={"hide_score_total": True})
    assert bookmark.hide_score_total is True
    gone = bookmark.delete()
    assert (gone.id, _live(world, course, "rubric_association")) == (bookmark.id, [grading.id])

    deleted = teacher_course.get_rubric(rubric.id).delete()
    assert deleted.id == rubric.id
    assert _live(world, course, "rubric") == [] and _live(world, course, "rubric_association") == []
    with pytest.raises(ResourceDoesNotExist):
        teacher_course.get_rubric(rubric.id)


def test_refusals_as_canvasapi_raises_them(world, cls):
    course, lab, (_, tina_token), (_, ann_token) = cls
    with pytest.raises(Forbidden):
        world.canvas(ann_token).get_course(course.id).create_rubric(rubric=_RUBRIC)
    teacher_course = world.canvas(tina_token).get_course(course.id)
    with pytest.raises(BadRequest):
        teacher_course.create_rubric(rubric={"title": "No criteria"})
    with pytest.raises(BadRequest):
        teacher_course.create_rubric(rubric=_RUBRIC, rubric_association={
            "association_id": 999999, "association_type": "Assignment"})
    assert _live(world, course, "rubric") == []
