"""Grades: turning a posted grade into a score, a score into a grade, and course totals.

Course totals follow Canvas's grade calculator: the current score counts graded work only, the
final score counts ungraded work as zero; excused work and assignments omitted from the final
grade do not count; assignment group weights apply when the course weights its groups (weights of
the groups that count are scaled up to 100 when they sum to less). Letter grades come from the scheme
the caller passes (`courses.grading_standards.scheme_for`: the assignment's standard, else the course's,
else the default), and only when the course (or assignment) uses one. Work waiting for a
grade is counted here too (needs_grading_count).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from courseport.core.content.due_dates import STUDENT_TYPES
from courseport.core.courses.grading_standards import SCHEME_TYPES, Scheme, course_schemes
from courseport.core.identity.accounts import is_admin_of
from courseport.core.identity.permissions import holds_right
from courseport.core.kit.errors import InvalidInput
from courseport.schema import Course, Enrollment, User
from courseport.schema.content import ContentItem, Submission

GRADING_TYPES = ("points", "percent", "letter_grade", "gpa_scale", "pass_fail", "not_graded")
# "8", "-1.5", ".5": one reading per input, so matching takes time linear in its length.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")
# Longer than any grade anyone posts (Canvas's own column is a short string); checked before parsing.
MAX_POSTED_GRADE = 255


def number_text(value: float) -> str:
    """13.0 -> "13", 13.5 -> "13.5" (Canvas shows whole numbers without a decimal point)."""
    value = round(value, 2)
    return str(int(value)) if value == int(value) else str(value)


def scheme_grade(percent: float, scheme: Scheme) -> str:
    """The scheme's letter for a percentage (the lowest letter's range reaches down to 0)."""
    for letter, minimum in scheme:
        if percent >= minimum:
            return letter
    return scheme[-1][0]


def scheme_percent(letter: str, scheme: Scheme) -> float | None:
    """The top of a letter's range: 100 for the best letter, else one below the next letter up."""
    names = [name.lower() for name, _ in scheme]
    if letter.strip().lower() not in names:
        return None
    index = names.index(letter.strip().lower())
    if index == 0:
        return 100.0
    return max(scheme[index - 1][1] - 1.0, scheme[index][1])


def score_for_posted_grade(assignment: ContentItem, posted: str, scheme: Scheme) -> float:
    """The score a posted grade ("8", "85%", "B", "complete") is worth on this assignment."""
    if len(posted) > MAX_POSTED_GRADE:
        raise InvalidInput("submission[posted_grade]", f"a grade may be at most {MAX_POSTED_GRADE} characters long")
    text, points = posted.strip(), assignment.points or 0.0
    grading_type = (assignment.data or {}).get("grading_type", "points")
    score: float | None
    if text.endswith("%") and _NUMBER.fullmatch(text, 0, len(text) - 1):
        score = points * float(text[:-1]) / 100.0
    elif _NUMBER.fullmatch(text):
        score = float(text)
    elif text.lower() in ("pass", "complete"):
        score = points
    elif text.lower() in ("fail", "incomplete"):
        score = 0.0
    else:
        percent = scheme_percent(text, scheme) if grading_type in SCHEME_TYPES else None
        score = None if percent is None else points * percent / 100.0
    if score is None:
        raise InvalidInput("submission[posted_grade]", f"invalid grade {posted!r} for a {grading_type} assignment")
    if grading_type == "pass_fail" and score not in (0.0, points):
        raise InvalidInput("submission[posted_grade]", "a pass_fail assignment takes 0 or its points possible only")
    return round(score, 2)


def grade_for_score(assignment: ContentItem, score: float, scheme: Scheme) -> str | None:
    points = assignment.points or 0.0
    grading_type = (assignment.data or {}).get("grading_type", "points")
    if grading_type == "not_graded":
        return None
    if grading_type == "pass_fail":
        return "complete" if score > 0 or points == 0 else "incomplete"
    if grading_type == "percent":
        return number_text(score / points * 100.0) + "%" if points else number_text(score) + "%"
    if grading_type in SCHEME_TYPES:
        return scheme_grade(round(score / points * 100.0, 2) if points else 100.0, scheme)
    return number_text(score)


@dataclass(frozen=True)
class Scores:
    """A student's course totals (percentages); `unposted_*` also count grades not yet posted."""

    current_score: float | None
    final_score: float | None
    current_grade: str | None
    final_grade: str | None
    unposted_current_score: float | None
    unposted_final_score: float | None
    unposted_current_grade: str | None
    unposted_final_grade: str | None


@dataclass
class _Group:
    weight: float
    assignments: list[ContentItem]


def course_scores(db: Session, wanted: list[tuple[Course, list[int]]],
                  counted: dict[tuple[int, int], set[int]] | None = None) -> dict[tuple[int, int], Scores]:
    """Totals keyed by (course id, user id) for the users asked per course, in three queries (four when a course
    has a grading standard of its own). `counted`: per (course id, user id), the only assignments that count (a
    grading period's, `period_scores`); a pair it leaves out counts none."""
    wanted = [(c, ids) for c, ids in wanted if ids]
    if not wanted:
        return {}
    groups = _counted_groups(db, [c.id for c, _ in wanted])
    assignment_ids = [a.id for gs in groups.values() for g in gs for a in g.assignments]
    user_ids = {u for _, ids in wanted for u in ids}
    subs: dict[tuple[int, int], dict[int, Submission]] = defaultdict(dict)
    if assignment_ids:
        for s in db.scalars(select(Submission).where(Submission.item_id.in_(assignment_ids),
                                                     Submission.user_id.in_(user_ids))):
            subs[(s.course_id, s.user_id)][s.item_id] = s
    schemes = course_schemes(db, {c.id: c.grading_standard_id for c, _ in wanted})
    out: dict[tuple[int, int], Scores] = {}
    for course, ids in wanted:
        for user_id in ids:
            kept = groups.get(course.id, [])
            if counted is not None:
                only = counted.get((course.id, user_id), set())
                kept = [_Group(g.weight, [a for a in g.assignments if a.id in only]) for g in kept]
            out[(course.id, user_id)] = _scores(course, kept, subs.get((course.id, user_id), {}), schemes[course.id])
    return out


def _scores(course: Course, groups: list[_Group], subs: dict[int, Submission], scheme: Scheme) -> Scores:
    weighted = course.apply_assignment_group_weights
    posted = {k: s for k, s in subs.items() if s.posted_at is not None}
    current, final = (_total(groups, posted, final=f, weighted=weighted) for f in (False, True))
    all_current, all_final = (_total(groups, subs, final=f, weighted=weighted) for f in (False, True))

    def letter(score: float | None) -> str | None:
        return scheme_grade(score, scheme) if course.grading_standard_id is not None and score is not None else None

    return Scores(current, final, letter(current), letter(final), all_current, all_final, letter(all_current),
                  letter(all_final))


def _counted_groups(db: Session, course_ids: list[int]) -> dict[int, list[_Group]]:
    rows = db.scalars(select(ContentItem).where(
        ContentItem.course_id.in_(course_ids), ContentItem.type.in_(("assignment_group", "assignment")),
        ContentItem.workflow_state.in_(("published", "available", "active"))).order_by(ContentItem.position,
                                                                                       ContentItem.id)).all()
    groups = {g.id: _Group(float((g.data or {}).get("group_weight") or 0.0), [])
              for g in rows if g.type == "assignment_group"}
    ungrouped = {course_id: _Group(0.0, []) for course_id in course_ids}
    for a in rows:
        data = a.data or {}
        if a.type != "assignment" or data.get("omit_from_final_grade") or data.get("grading_type") == "not_graded":
            continue
        groups.get(a.parent_id or 0, ungrouped[a.course_id]).assignments.append(a)
    by_course: dict[int, list[_Group]] = defaultdict(list)
    for g in rows:
        if g.type == "assignment_group":
            by_course[g.course_id].append(groups[g.id])
    for course_id, group in ungrouped.items():
        by_course[course_id].append(group)
    return by_course


def _group_points(group: _Group, subs: dict[int, Submission], *, final: bool) -> tuple[float, float]:
    earned = possible = 0.0
    for a in group.assignments:
        s = subs.get(a.id)
        if s is not None and s.excused:
            continue
        score = s.score if s is not None else None
        if score is not None or final:
            earned += score if score is not None else 0.0
            possible += a.points or 0.0
    return earned, possible


def _total(groups: list[_Group], subs: dict[int, Submission], *, final: bool, weighted: bool) -> float | None:
    parts = [(g, *_group_points(g, subs, final=final)) for g in groups]
    if not weighted:
        earned = sum(e for _, e, _ in parts)
        possible = sum(p for _, _, p in parts)
        return round(earned / possible * 100.0, 2) if possible else None
    counted = [(g.weight, e / p) for g, e, p in parts if p > 0]
    full_weight = sum(w for w, _ in counted)
    if not counted or full_weight == 0:
        return None
    score = sum(w * ratio for w, ratio in counted)
    return round(score * 100.0 / full_weight if full_weight < 100 else score, 2)


def _waiting_for_grade() -> ColumnElement[bool]:
    """A submission (joined to its assignment item) of an active student, waiting for a (new) grade."""
    active_student = select(Enrollment.id).where(
        Enrollment.course_id == Submission.course_id, Enrollment.user_id == Submission.user_id,
        Enrollment.type.in_(STUDENT_TYPES), Enrollment.workflow_state == "active").exists()
    return and_(Submission.workflow_state.in_(("submitted", "pending_review")), Submission.submission_type.is_not(None),
                Submission.excused.is_(False), active_student, ContentItem.type == "assignment",
                ContentItem.workflow_state == "published")


def needs_grading_counts(db: Session, course_ids: list[int], viewer: User) -> dict[int, int]:
    """Per course the viewer grades: submissions of active students waiting for a (new) grade."""
    graded_courses = _courses_graded_by(db, course_ids, viewer)
    if not graded_courses:
        return {}
    counts = dict(db.execute(
        select(Submission.course_id, func.count(Submission.id)).join(ContentItem, ContentItem.id == Submission.item_id)
        .where(Submission.course_id.in_(graded_courses), _waiting_for_grade())
        .group_by(Submission.course_id)).all())
    return {course_id: counts.get(course_id, 0) for course_id in graded_courses}


def assignments_needing_grading(db: Session, course_ids: list[int]) -> list[tuple[ContentItem, int]]:
    """The published assignments of these courses with work waiting for a grade, and how much (no rights check)."""
    if not course_ids:
        return []
    return [(item, n) for item, n in db.execute(
        select(ContentItem, func.count(Submission.id)).join(Submission, Submission.item_id == ContentItem.id)
        .where(ContentItem.course_id.in_(course_ids), _waiting_for_grade()).group_by(ContentItem.id)).all()]


def _courses_graded_by(db: Session, course_ids: list[int], viewer: User) -> list[int]:
    courses = db.execute(select(Course.id, Course.account_id).where(
        Course.id.in_(course_ids), Course.workflow_state != "deleted")).all()
    by_enrollment = set(db.scalars(select(Enrollment.course_id).join(Course, Course.id == Enrollment.course_id).where(
        Enrollment.user_id == viewer.id, Enrollment.course_id.in_(course_ids),
        holds_right("manage_grades", Course.workflow_state))))
    admin_of: dict[int, bool] = {}
    out = []
    for course_id, account_id in courses:
        if account_id not in admin_of:
            admin_of[account_id] = is_admin_of(db, viewer.id, account_id)
        if course_id in by_enrollment or admin_of[account_id]:
            out.append(course_id)
    return out
