"""The dates each quiz has for one viewer, from its assignment's overrides (Canvas's quiz assignment
overrides): `due_dates` are the sets that apply to the viewer (for a student or observer, the one set
their effective dates come from; for staff, every set), `all_dates` every set, shown to staff only.

A quiz's dates live on the assignment it grades into (`quizzes.sync_assignment`); an ungraded quiz
(practice, survey) has no assignment and so no overrides: its own dates are its one set.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content.due_dates import effective_dates
from courseport.core.coursework.assignments import Access, access_for, visible_items
from courseport.core.kit.ids import store_id
from courseport.core.views.assignment_views import AssignmentView, DateSet, load_views
from courseport.schema import ContentItem, User


@dataclass(frozen=True)
class QuizDates:
    quiz_id: int
    due_dates: list[DateSet]
    all_dates: list[DateSet] | None  # None for who is not staff


def quiz_dates(db: Session, actor: User, course_ref: str | int, quiz_ids: tuple[str, ...] = ()) -> list[QuizDates]:
    """Per quiz the viewer may see (all of the course's, or those of `quiz_ids`; others are left out), by id."""
    access = access_for(db, actor, course_ref)
    stmt = select(ContentItem).where(ContentItem.course_id == access.course.id, ContentItem.type == "quiz",
                                     ContentItem.workflow_state != "deleted").order_by(ContentItem.id)
    if not access.manages:
        stmt = stmt.where(ContentItem.workflow_state == "published")
    if quiz_ids:
        stmt = stmt.where(ContentItem.id.in_([i for i in map(store_id, quiz_ids) if i is not None]))
    quizzes = list(db.scalars(stmt))
    linked = list(db.scalars(select(ContentItem).where(
        ContentItem.id.in_([q.ref_id for q in quizzes if q.ref_id]), ContentItem.workflow_state != "deleted")))
    views = {v.item.id: v for v in load_views(db, access, visible_items(db, access, linked), frozenset({"all_dates"}))}
    out = []
    for quiz in quizzes:
        view = views.get(quiz.ref_id) if quiz.ref_id else None
        if quiz.ref_id and view is None:
            continue  # its assignment is not the viewer's (only visible to others' overrides)
        if view is None:
            own = [DateSet(quiz.due_at, quiz.unlock_at, quiz.lock_at)]
            out.append(QuizDates(quiz.id, own, own if access.manages else None))
            continue
        sets = view.all_dates or []
        mine = sets if access.manages else [_applying(db, access, view)]
        out.append(QuizDates(quiz.id, mine, sets if access.manages else None))
    return out


def _applying(db: Session, access: Access, view: AssignmentView) -> DateSet:
    """The one set the viewer's effective dates come from (the first of them and their observees who has one)."""
    dates = effective_dates(db, access.course.id, [view.item.id], access.observed).get(view.item.id, {})
    override_id = next((dates[u].override_id for u in access.observed if u in dates), None)
    found = next((s for s in view.all_dates or [] if s.override and s.override.override.id == override_id), None)
    return found or DateSet(view.dates.due_at, view.dates.unlock_at, view.dates.lock_at)
