"""Canvas Quiz Assignment Overrides API: each quiz's dates as they apply to the caller."""

from __future__ import annotations

from typing import Any

from courseport.core.views import quiz_dates
from courseport.core.views.assignment_views import DateSet
from courseport.dialects.canvas.protocol import Call, get, iso


def render_quiz_date(dates: DateSet) -> dict[str, Any]:
    """A QuizAssignmentOverride: an override's dates and title, or the quiz's own (`base`)."""
    out: dict[str, Any] = {"due_at": iso(dates.due_at), "unlock_at": iso(dates.unlock_at),
                           "lock_at": iso(dates.lock_at)}
    if dates.override is None:
        return {**out, "base": True}
    return {"id": dates.override.override.id, **out, "title": dates.override.override.title}


def _quiz_ids(call: Call) -> tuple[str, ...]:
    """`quiz_assignment_overrides[][quiz_ids][]` (or `[0][quiz_ids][]`, as some clients number it)."""
    return tuple(v for k, v in call.query_pairs
                 if k.startswith("quiz_assignment_overrides[") and k.endswith(("[quiz_ids][]", "[quiz_ids]")))


@get("/courses/{course_id:str}/quizzes/assignment_overrides")
def list_quiz_overrides(call: Call, course_id: str) -> dict:
    with call.read() as (db, me):
        found = quiz_dates.quiz_dates(db, me, course_id, _quiz_ids(call))
    return {"quiz_assignment_overrides": [
        {"quiz_id": q.quiz_id, "due_dates": [render_quiz_date(d) for d in q.due_dates],
         "all_dates": None if q.all_dates is None else [render_quiz_date(d) for d in q.all_dates]} for q in found]}


ROUTES = [list_quiz_overrides]
