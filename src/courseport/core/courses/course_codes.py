"""The one course-code policy, whichever face writes the code (Canvas course[course_code], Learn
courseId, D2L Code).

What the vendors do: Canvas's course_code is a short display label, and Canvas accepts any number of
courses with the same one (sis_course_id is its unique handle). Learn's courseId is the record's key:
unique across the system, and an API address (`courseId:x`). Brightspace's Code is the label of an org
unit; our D2L face has always let two offerings share one. So uniqueness belongs to the record scope,
not to a face: a record course (one an SIS manages: it has an external id) owns its code, and

- a record's code is unique among all live courses (a new record, or a code written to a record from
  any face, is refused when another live course holds it);
- a code written to any other course is refused only when a live record holds it, so a record's
  `courseId:` address never becomes ambiguous, while Canvas and D2L courses may still share codes.

Deleted courses release their codes. The code's length is checked with every other course attribute's
(`courses.check_length`); a face may hold it shorter (Learn: 100).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.kit.errors import Conflict, FieldText
from courseport.schema import Course


def check_course_code(db: Session, course: Course | None, code: str, *, record: bool = False,
                      root_account_id: int | None = None) -> str:
    """`code` if `course` (None: one being created in `root_account_id`; `record`: as a record) may take it;
    Conflict naming `course_code` when the policy above refuses it. Codes compare as stripped, within a tenant."""
    taken = select(Course.id).where(Course.course_code == code.strip(), Course.workflow_state != "deleted")
    if course is not None and course.id is not None:
        taken = taken.where(Course.id != course.id)
    root = course.root_account_id if course is not None and course.root_account_id else root_account_id
    if root is not None:
        taken = taken.where(Course.root_account_id == root)
    if not (record or (course is not None and course.external_id is not None)):
        taken = taken.where(Course.external_id.is_not(None))
    if db.scalar(taken.limit(1)) is not None:
        raise Conflict(FieldText("A course with {course_code} {code} already exists", code=repr(code)))
    return code
