"""Canvas rubric assessment routes: assess a student's submission through an assignment's rubric association,
reassess, delete (`rubric_assessment[user_id]`, `[assessment_type]`, `[criterion_<id>][points|comments|
rating_id]`); answers the assessment with its full data."""

from __future__ import annotations

from courseport.core.coursework import rubric_assessments
from courseport.dialects.canvas.protocol import Call, delete, post, put
from courseport.dialects.canvas.rubric_json import render_assessment
from courseport.dialects.canvas.rubric_params import assessment_entry, assessment_spelled

_ASSESSMENTS = "/courses/{course_id:str}/rubric_associations/{association_id:str}/rubric_assessments"


@post(_ASSESSMENTS, status_code=200)
def create_rubric_assessment(call: Call, course_id: str, association_id: str) -> dict:
    entry = assessment_entry(call)
    with call.write() as (db, me), assessment_spelled(call):
        where = rubric_assessments.target(db, me, course_id, association_id)
        return render_assessment(rubric_assessments.assess(db, me, where, entry))


@put(_ASSESSMENTS + "/{assessment_id:str}")
def update_rubric_assessment(call: Call, course_id: str, association_id: str, assessment_id: str) -> dict:
    entry = assessment_entry(call)
    with call.write() as (db, me), assessment_spelled(call):
        where = rubric_assessments.target(db, me, course_id, association_id)
        return render_assessment(rubric_assessments.reassess(db, me, where, assessment_id, entry))


@delete(_ASSESSMENTS + "/{assessment_id:str}")
def delete_rubric_assessment(call: Call, course_id: str, association_id: str, assessment_id: str) -> dict:
    with call.write() as (db, me):
        where = rubric_assessments.target(db, me, course_id, association_id)
        return render_assessment(rubric_assessments.remove(db, me, where, assessment_id))


ROUTES = [create_rubric_assessment, update_rubric_assessment, delete_rubric_assessment]
