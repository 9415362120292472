"""Outcome results: a student's score on a learning outcome, from the rubric assessments of their submissions.

When a rubric criterion is aligned to an outcome (its `learning_outcome_id`, rubrics.py) and a grader assesses a
submission with that rubric (a "grading" assessment, rubric_assessments.py), the student has one result for
that outcome through that assignment: the criterion's points (score) out of the criterion's points (possible;
the outcome's when the criterion is worth none), `percent` their ratio, `mastery` whether the score scaled to
the outcome's points reaches its mastery points, dated by the submission (or, unsubmitted, by the assessment).

Results are derived at read time, never stored: an assessment redone or deleted, a rubric's alignment edited or
an outcome's mastery points changed are then seen at once, with no second copy to keep in step and no write
path (grading, copies, deletes) that has to remember one. The cost is a read that walks the course's grading
assessments, bounded by students x assignments, which the mastery gradebook reads anyway.

Graders read every student's results; a student reads their own and an observer their observees' (Canvas's
rule), and only of grades already posted. Rollups (one score per student and outcome by the outcome's
calculation method, and the course aggregate) are outcome_rollups.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.coursework import outcome_groups, outcome_owners, submission_views
from courseport.core.coursework.rubric_assessments import GRADED
from courseport.core.identity import users
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Window
from courseport.schema import Course, RubricAssessment, User
from courseport.schema.content import ContentItem, Submission

MAX_LINKS = 10_000


@dataclass(frozen=True)
class OutcomeResult:
    id: str  # "<assessment id>_<criterion id>": stable while the assessment and its criterion live
    user_id: int
    outcome: ContentItem
    assignment: ContentItem
    score: float
    possible: float
    assessed_at: datetime

    @property
    def percent(self) -> float:
        return self.score / self.possible if self.possible else 0.0

    @property
    def scaled(self) -> float:
        """The score on the outcome's own scale (what rollups and mastery compare)."""
        return self.percent * float(self.outcome.points or 0.0) if self.possible else self.score

    @property
    def mastery(self) -> bool:
        return self.scaled >= float((self.outcome.data or {}).get("mastery_points") or 0.0)


@dataclass(frozen=True)
class Scope:
    """Whose results on which outcomes one request reads."""

    course: Course
    user_ids: list[int]  # the students read, in the course's student order
    outcomes: list[ContentItem]  # the outcomes read, by id
    reads_all: bool


def scope(db: Session, actor: User, course_ref: str | int, user_refs: list[str], outcome_refs: list[str]) -> Scope:
    """The course and the students and outcomes the actor asked for and may read. A student naming anyone but
    themselves (an observer, anyone but their observees) is refused; an id of no student (or no outcome of the
    course) is an error naming the parameter."""
    course, rights = readable_course(db, actor, course_ref)
    readable = submission_views.readable_students(db, course, rights, actor)
    students = list(db.scalars(select(User.id).where(User.id.in_(submission_views.students_stmt(course.id)))
                               .order_by(User.sortable_name, User.id)))
    if user_refs:
        wanted = []
        for ref in user_refs:
            try:
                wanted.append(users.resolve_user(db, ref, actor).id)
            except NotFound:
                raise InvalidInput("user_ids", f"user_ids: {ref} is not a student of this course") from None
        for user_id, ref in zip(wanted, user_refs, strict=True):
            if readable is not None and user_id not in readable:
                raise NotAllowed()
            if user_id not in students:
                raise InvalidInput("user_ids", f"user_ids: {ref} is not a student of this course")
        students = [s for s in students if s in set(wanted)]
    elif readable is not None:
        students = [s for s in students if s in readable]
    return Scope(course, students, _outcomes(db, course, outcome_refs), readable is None)


def _outcomes(db: Session, course: Course, outcome_refs: list[str]) -> list[ContentItem]:
    usable = outcome_groups.course_outcome_ids(db, course.id)
    if outcome_refs:
        for ref in outcome_refs:
            if not ref.strip().isdigit() or int(ref) not in usable:
                raise InvalidInput("outcome_ids", f"outcome_ids: {ref} is not an outcome of this course")
        usable = {int(ref) for ref in outcome_refs}
    if not usable:
        return []
    return list(db.scalars(select(ContentItem).where(ContentItem.id.in_(usable)).order_by(ContentItem.id)))


def results(db: Session, where: Scope) -> list[OutcomeResult]:
    """The students' results on the outcomes, by student (in scope order), then date, then id."""
    outcomes = {o.id: o for o in where.outcomes}
    if not outcomes or not where.user_ids:
        return []
    rows = db.execute(select(RubricAssessment, Submission, ContentItem)
                      .join(Submission, Submission.id == RubricAssessment.submission_id)
                      .join(ContentItem, ContentItem.id == Submission.item_id)
                      .where(RubricAssessment.course_id == where.course.id,
                             RubricAssessment.assessment_type == GRADED[0],
                             RubricAssessment.user_id.in_(where.user_ids),
                             ContentItem.workflow_state != "deleted")).all()
    rubrics = {r.id: r for r in db.scalars(select(ContentItem).where(
        ContentItem.id.in_({a.rubric_id for a, _, _ in rows})))} if rows else {}
    out: list[OutcomeResult] = []
    for assessment, submission, assignment in rows:
        rubric = rubrics.get(assessment.rubric_id)
        if rubric is None or not (where.reads_all or submission.posted_at is not None):
            continue
        out.extend(_results_of(assessment, submission, assignment, rubric, outcomes))
    order = {user_id: n for n, user_id in enumerate(where.user_ids)}
    return sorted(out, key=lambda r: (order[r.user_id], r.assessed_at, r.id))


def _results_of(assessment: RubricAssessment, submission: Submission, assignment: ContentItem, rubric: ContentItem,
                outcomes: dict[int, ContentItem]) -> list[OutcomeResult]:
    criteria = {c["id"]: c for c in (rubric.data or {}).get("criteria") or []}
    out = []
    for entry in assessment.data or []:
        criterion = criteria.get(entry.get("criterion_id"))
        outcome = outcomes.get((criterion or {}).get("learning_outcome_id") or 0)
        if criterion is None or outcome is None or entry.get("points") is None:
            continue
        possible = float(criterion.get("points") or 0.0) or float(outcome.points or 0.0)
        out.append(OutcomeResult(f"{assessment.id}{criterion['id']}", assessment.user_id, outcome, assignment,
                                 float(entry["points"]), possible,
                                 submission.submitted_at or assessment.updated_at))
    return out


@dataclass(frozen=True)
class Linked:
    """What a results or rollups answer may carry beside them: the students, and the outcomes' links in the
    course's groups with each outcome's path of group titles from the root group."""

    users: list[User]
    links: list[outcome_groups.LinkView]
    paths: dict[int, list[str]]


def linked(db: Session, where: Scope, user_ids: list[int]) -> Linked:
    wanted = {o.id for o in where.outcomes}
    by_id = {u.id: u for u in db.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    page = outcome_groups.link_views(db, outcome_owners.of_course(where.course), None, Window(0, MAX_LINKS))
    links = [v for v in page.items if v.outcome.id in wanted]
    paths: dict[int, list[str]] = {}
    for view in links:
        if view.outcome.id not in paths:
            chain = [db.get(ContentItem, g) for g in reversed(outcome_groups.ancestry(db, view.group))]
            paths[view.outcome.id] = [g.title for g in chain if g is not None] + [view.outcome.title]
    return Linked([by_id[u] for u in user_ids if u in by_id], links, paths)
