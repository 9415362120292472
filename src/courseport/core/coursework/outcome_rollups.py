"""Outcome rollups: one score per student and outcome from that student's results (outcome_results.py), by
the outcome's calculation method, and the course's aggregate of those scores.

Methods, as Canvas documents them (scores on the outcome's own scale, rounded to 2 places):
- "highest": the best score; "latest": the most recent one; "average": their mean;
- "decaying_average": the most recent score weighs calculation_int percent and the mean of the earlier ones the
  rest (one score alone is itself);
- "n_mastery": at least calculation_int scores at or above the mastery points are needed, and the score is the
  mean of those; fewer give no score.
The course aggregate of each outcome is the mean (or median) of the students' rollup scores that exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from statistics import mean, median

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.coursework.outcome_results import OutcomeResult, Scope
from courseport.core.kit.errors import InvalidInput
from courseport.schema import User
from courseport.schema.content import ContentItem

STATS: dict[str, Callable[[list[float]], float]] = {"mean": mean, "median": median}
SORTS, ORDERS = ("student", "outcome"), ("asc", "desc")


@dataclass(frozen=True)
class RollupScore:
    outcome: ContentItem
    score: float | None
    count: int
    submitted_at: datetime | None


@dataclass(frozen=True)
class Rollup:
    user_id: int | None  # None for the course aggregate
    scores: list[RollupScore]


def rollup_score(outcome: ContentItem, results: list[OutcomeResult]) -> RollupScore:
    """The outcome's score from one student's results on it (any order)."""
    ordered = sorted(results, key=lambda r: (r.assessed_at, r.id))
    if not ordered:
        return RollupScore(outcome, None, 0, None)
    data = outcome.data or {}
    method = data.get("calculation_method") or "decaying_average"
    scores = [r.scaled for r in ordered]
    score = calculate(method, data.get("calculation_int"), float(data.get("mastery_points") or 0.0), scores)
    return RollupScore(outcome, None if score is None else round(score, 2), len(ordered), ordered[-1].assessed_at)


def calculate(method: str, number: int | None, mastery: float, scores: list[float]) -> float | None:
    """One calculation method over scores in date order (oldest first)."""
    if method == "highest":
        return max(scores)
    if method == "latest":
        return scores[-1]
    if method == "average":
        return mean(scores)
    if method == "n_mastery":
        met = [s for s in scores if s >= mastery]
        return mean(met) if met and len(met) >= (number or 1) else None
    weight = (65 if number is None else number) / 100  # decaying_average
    if len(scores) == 1:
        return scores[0]
    return scores[-1] * weight + mean(scores[:-1]) * (1 - weight)


@dataclass(frozen=True)
class RollupQuery:
    """How one request wants its student rollups: without students who have no score, and in which order."""

    exclude_missing: bool = False
    sort_by: str | None = None
    sort_outcome_id: str | None = None
    sort_order: str | None = None


def student_rollups(db: Session, where: Scope, results: list[OutcomeResult], query: RollupQuery) -> list[Rollup]:
    """The scope's students' rollups, filtered and sorted as asked."""
    rollups = user_rollups(where.user_ids, where.outcomes, results)
    if query.exclude_missing:
        rollups = [r for r in rollups if r.scores]
    names = dict(db.execute(select(User.id, User.sortable_name).where(User.id.in_(where.user_ids))).tuples().all()) \
        if where.user_ids else {}
    return sorted_rollups(rollups, names, query.sort_by, query.sort_outcome_id, query.sort_order)


def user_rollups(user_ids: list[int], outcomes: list[ContentItem], results: list[OutcomeResult]) -> list[Rollup]:
    """One rollup per student, with a score entry for each outcome the student has results on."""
    grouped: dict[tuple[int, int], list[OutcomeResult]] = {}
    for result in results:
        grouped.setdefault((result.user_id, result.outcome.id), []).append(result)
    return [Rollup(user_id, [rollup_score(o, grouped[(user_id, o.id)]) for o in outcomes
                             if (user_id, o.id) in grouped]) for user_id in user_ids]


def course_rollup(outcomes: list[ContentItem], rollups: list[Rollup], stat: str | None) -> Rollup:
    """The course aggregate: per outcome the mean (or median) of the students' scores, counting students."""
    if (stat or "mean") not in STATS:
        raise InvalidInput("aggregate_stat", f"aggregate_stat must be one of {', '.join(STATS)}")
    combine = STATS[stat or "mean"]
    out = []
    for outcome in outcomes:
        found = [s for r in rollups for s in r.scores if s.outcome.id == outcome.id and s.score is not None]
        if found:
            dates = [s.submitted_at for s in found if s.submitted_at is not None]
            out.append(RollupScore(outcome, round(combine([s.score for s in found if s.score is not None]), 2),
                                   len(found), max(dates) if dates else None))
    return Rollup(None, out)


def sorted_rollups(rollups: list[Rollup], names: dict[int, str], sort_by: str | None, outcome_id: str | None,
                   order: str | None) -> list[Rollup]:
    """Rollups by student name (default) or by one outcome's score (students without one last), asc or desc."""
    if sort_by is not None and sort_by not in SORTS:
        raise InvalidInput("sort_by", f"sort_by must be one of {', '.join(SORTS)}")
    if order is not None and order not in ORDERS:
        raise InvalidInput("sort_order", f"sort_order must be one of {', '.join(ORDERS)}")
    reverse = order == "desc"
    if sort_by == "outcome":
        if not (outcome_id or "").isdigit():
            raise InvalidInput("sort_outcome_id", "sort_outcome_id is required to sort by outcome")

        def score(rollup: Rollup) -> float | None:
            return next((s.score for s in rollup.scores if s.outcome.id == int(outcome_id or 0)), None)

        scored = sorted((r for r in rollups if score(r) is not None), key=lambda r: score(r) or 0.0, reverse=reverse)
        return scored + [r for r in rollups if score(r) is None]
    return sorted(rollups, key=lambda r: (names.get(r.user_id or 0, "").lower(), r.user_id), reverse=reverse)
