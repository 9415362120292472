"""Canvas bulk grade updates (`POST .../submissions/update_grades`, of a course or a section, for all its
assignments or one): the grades go to a background job (`core/coursework/bulk_grades.py`) and the answer is
its Progress."""

from __future__ import annotations

from typing import Any

from courseport.core.coursework import bulk_grades
from courseport.core.coursework.bulk_grades import BulkGrade
from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.dialects.canvas.progress import render_progress
from courseport.dialects.canvas.protocol import Call, post, to_bool

FIELDS = ("posted_grade", "excuse", "text_comment")  # of grade_data[<student>]; others are refused


@post("/courses/{course_id:str}/submissions/update_grades", status_code=200)
def update_course_grades(call: Call, course_id: str) -> dict:
    return _queue(call, course_id, _by_assignment(call))


@post("/courses/{course_id:str}/assignments/{assignment_id:str}/submissions/update_grades", status_code=200)
def update_assignment_grades(call: Call, course_id: str, assignment_id: str) -> dict:
    grades = _grades(assignment_id, _mapping(call.raw("grade_data"), "grade_data"), "grade_data")
    return _queue(call, course_id, grades)


@post("/sections/{section_id:str}/submissions/update_grades", status_code=200)
def update_section_grades(call: Call, section_id: str) -> dict:
    return _queue(call, section_id, _by_assignment(call), section=True)


@post("/sections/{section_id:str}/assignments/{assignment_id:str}/submissions/update_grades", status_code=200)
def update_section_assignment_grades(call: Call, section_id: str, assignment_id: str) -> dict:
    grades = _grades(assignment_id, _mapping(call.raw("grade_data"), "grade_data"), "grade_data")
    return _queue(call, section_id, grades, section=True)


def _queue(call: Call, ref: str, grades: list[BulkGrade], *, section: bool = False) -> dict:
    queue = bulk_grades.queue_section_grading if section else bulk_grades.queue_bulk_grading
    with call.write() as (db, me), spelled_as({"grades": "grade_data"}):
        job = queue(db, me, ref, grades)
    call.services.jobs.notify()
    return render_progress(job, call.origin)


def _by_assignment(call: Call) -> list[BulkGrade]:
    """`grade_data[<assignment_id>][<student_id>][...]`, the course and section form."""
    data = _mapping(call.raw("grade_data"), "grade_data")
    return [g for aid, by_student in data.items()
            for g in _grades(aid, _mapping(by_student, f"grade_data[{aid}]"), f"grade_data[{aid}]")]


def _grades(assignment_id: str, by_student: dict[str, Any], name: str) -> list[BulkGrade]:
    grades = []
    for student, fields in by_student.items():
        where = f"{name}[{student}]"
        fields = _mapping(fields, where)
        for key in fields:
            if key not in FIELDS:
                raise InvalidInput(f"{where}[{key}]", f"{where}[{key}] is not supported "
                                                      f"(only {', '.join(FIELDS)})")
        grades.append(BulkGrade(
            assignment_id=assignment_id, user_ref=student,
            posted_grade=_text(fields.get("posted_grade"), f"{where}[posted_grade]"),
            excuse=to_bool(fields.get("excuse"), f"{where}[excuse]", None),
            comment=_text(fields.get("text_comment"), f"{where}[text_comment]")))
    return grades


def _mapping(value: Any, name: str) -> dict[str, Any]:
    if value is None:
        raise InvalidInput(name, f"{name} is required")
    if not isinstance(value, dict):
        raise InvalidInput(name, f"{name} must be a hash keyed by id")
    return value


def _text(value: Any, name: str) -> str | None:
    if value is not None and not isinstance(value, str | int | float):
        raise InvalidInput(name, f"{name} must be a string")
    return None if value is None else str(value)


ROUTES = [update_course_grades, update_assignment_grades, update_section_grades, update_section_assignment_grades]
