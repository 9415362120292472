"""Grading period scores, and the closed period refusal of grading.

An assignment counts in the grading period that holds the student's effective due date (their override's, else
the assignment's: `content.due_dates.effective_dates`), and work with no due date in the last period, as Canvas
places it; an assignment not assigned to the student counts in no period. A period's scores are the course totals
(`grades.course_scores`: posted and unposted, current and final, group weights) over the work that counts in it.

Once a period has closed, work that counts in it for a student is no longer graded for that student, except by an
admin of the course's account (Canvas refuses the teacher as it refuses any grader without the right).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from courseport.core.content.due_dates import effective_dates
from courseport.core.courses import grading_periods
from courseport.core.coursework.grades import Scores, course_scores
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import InvalidInput, NotAllowed
from courseport.schema import Course, GradingPeriod
from courseport.schema.content import ContentItem


def period_scores(db: Session, course: Course, periods: Sequence[GradingPeriod], period: GradingPeriod,
                  user_ids: list[int]) -> dict[int, Scores]:
    """Per user id, the scores of `period` (one of the course's `periods`) over the work that counts in it."""
    if not user_ids:
        return {}
    counted: dict[tuple[int, int], set[int]] = {(course.id, u): set() for u in user_ids}
    for item_id, by_student in effective_dates(db, course.id, None, user_ids).items():
        for user_id, dates in by_student.items():
            found = grading_periods.period_of(periods, dates.due_at)
            if found is not None and found.id == period.id and (course.id, user_id) in counted:
                counted[(course.id, user_id)].add(item_id)
    found_scores = course_scores(db, [(course, user_ids)], counted)
    return {u: found_scores[(course.id, u)] for u in user_ids}


def check_open_for_grading(db: Session, course: Course, rights: CourseRights, assignment: ContentItem,
                           student_id: int) -> None:
    """Refuse (NotAllowed) a grader who is no admin grading work that counts, for this student, in a closed
    period of the course."""
    if rights.is_admin:
        return
    found = grading_periods.course_set(db, course)
    if found is None:
        return
    periods = grading_periods.periods_of_sets(db, [found.id])[found.id]
    dates = effective_dates(db, course.id, [assignment.id], [student_id]).get(assignment.id, {}).get(student_id)
    due_at = dates.due_at if dates is not None else assignment.due_at
    if grading_periods.closed_period_of(periods, due_at) is not None:
        raise NotAllowed()


def enrollment_scores(db: Session, wanted: list[tuple[Course, list[int]]], period: GradingPeriod | None = None, *,
                      current: bool = False) -> dict[tuple[int, int], tuple[Scores | None, int | None]]:
    """Per (course id, user id), the scores an enrollment shows and the id of the period they are of (None: the
    course totals). With `period`: its scores in the courses using it, none in courses using other periods, the
    totals in courses with none; else with `current`: each course's current period's (the totals in none)."""
    wanted = [(c, ids) for c, ids in wanted if ids]
    totals = course_scores(db, wanted)
    if period is None and not current:
        return {key: (found, None) for key, found in totals.items()}
    set_of = grading_periods.course_set_ids(db, [c for c, _ in wanted])
    periods = grading_periods.periods_of_sets(db, sorted(set(set_of.values())))
    out: dict[tuple[int, int], tuple[Scores | None, int | None]] = {}
    for course, ids in wanted:
        mine = periods[set_of[course.id]] if course.id in set_of else []
        chosen = period if period is not None else grading_periods.current_period(mine)
        if chosen is not None and any(p.id == chosen.id for p in mine):
            found = period_scores(db, course, mine, chosen, ids)
            out.update({(course.id, u): (found[u], chosen.id) for u in ids})
        else:
            none_here = period is not None and bool(mine)
            out.update({(course.id, u): (None if none_here else totals[(course.id, u)], None) for u in ids})
    return out


def period_in_courses(db: Session, courses: Sequence[Course], ref: str) -> GradingPeriod:
    """The grading period `ref` names among those the courses use; refused, naming grading_period_id, if none."""
    set_of = grading_periods.course_set_ids(db, courses)
    for periods in grading_periods.periods_of_sets(db, sorted(set(set_of.values()))).values():
        for period in periods:
            if str(period.id) == ref.strip():
                return period
    raise InvalidInput("grading_period_id", "invalid grading_period_id")
