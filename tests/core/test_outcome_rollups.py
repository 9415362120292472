"""Each outcome calculation method of the rollups (core/coursework/outcome_rollups.py), the course aggregate
statistics, and the rollups' sort checks, on results made in memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from courseport.core.coursework.outcome_results import OutcomeResult
from courseport.core.coursework.outcome_rollups import Rollup, calculate, course_rollup, rollup_score, sorted_rollups
from courseport.core.kit.errors import InvalidInput
from courseport.schema.content import ContentItem

_T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _outcome(method: str, number: int | None = None, mastery: float = 3.0, points: float = 5.0) -> ContentItem:
    return ContentItem(id=7, course_id=1, type="outcome", title="O", points=points,
                       data={"calculation_method": method, "calculation_int": number, "mastery_points": mastery})


def _results(outcome: ContentItem, scores: list[float], possible: float = 5.0) -> list[OutcomeResult]:
    """Results oldest first, given out of date order to show the rollup sorts them by date."""
    made = [OutcomeResult(f"{n}_1", 3, outcome, ContentItem(id=100 + n), s, possible, _T0 + timedelta(days=n))
            for n, s in enumerate(scores)]
    return list(reversed(made))


@pytest.mark.parametrize(("method", "number", "scores", "expected"), [
    ("highest", None, [2.0, 5.0, 1.0], 5.0),
    ("latest", None, [2.0, 5.0, 1.0], 1.0),
    ("average", None, [2.0, 5.0, 1.0], 2.67),
    # latest weighs 65%, the mean of the earlier ones 35%: 1*0.65 + 3.5*0.35
    ("decaying_average", 65, [2.0, 5.0, 1.0], 1.88),
    ("decaying_average", 80, [2.0, 4.0], 3.6),
    ("decaying_average", 65, [4.0], 4.0),
    # at least 2 scores at or above mastery (3): the mean of those
    ("n_mastery", 2, [2.0, 5.0, 3.0], 4.0),
    ("n_mastery", 3, [2.0, 5.0, 3.0], None),
])
def test_each_calculation_method(method, number, scores, expected):
    outcome = _outcome(method, number)
    score = rollup_score(outcome, _results(outcome, scores))
    assert (score.score, score.count, score.submitted_at) == (expected, len(scores),
                                                              _T0 + timedelta(days=len(scores) - 1))


def test_scores_are_scaled_to_the_outcome_and_default_method_is_decaying_average():
    outcome = _outcome("highest", points=4.0)
    assert rollup_score(outcome, _results(outcome, [5.0], possible=10.0)).score == 2.0  # 50% of 4 points
    assert calculate("decaying_average", None, 0.0, [0.0, 10.0]) == 6.5
    assert rollup_score(outcome, []).score is None


def test_course_aggregate_mean_and_median_and_bad_stat():
    outcome = _outcome("highest")
    rollups = [Rollup(u, [rollup_score(outcome, _results(outcome, [s]))]) for u, s in ((1, 1.0), (2, 2.0), (3, 6.0))]
    rollups.append(Rollup(4, []))
    assert [(s.score, s.count) for s in course_rollup([outcome], rollups, None).scores] == [(3.0, 3)]
    assert [(s.score, s.count) for s in course_rollup([outcome], rollups, "median").scores] == [(2.0, 3)]
    with pytest.raises(InvalidInput) as refused:
        course_rollup([outcome], rollups, "mode")
    assert refused.value.field == "aggregate_stat"


def test_sorting_by_student_and_by_outcome_score():
    outcome = _outcome("highest")
    rollups = [Rollup(u, [rollup_score(outcome, _results(outcome, [s]))] if s else [])
               for u, s in ((1, 1.0), (2, 4.0), (3, None))]
    names = {1: "Cole, Ann", 2: "Avery, Bo", 3: "Bell, Cy"}
    assert [r.user_id for r in sorted_rollups(rollups, names, None, None, None)] == [2, 3, 1]
    assert [r.user_id for r in sorted_rollups(rollups, names, "student", None, "desc")] == [1, 3, 2]
    assert [r.user_id for r in sorted_rollups(rollups, names, "outcome", "7", "desc")] == [2, 1, 3]
    for args, field in (((" x", None, None), "sort_by"), (("outcome", None, None), "sort_outcome_id"),
                        ((None, None, "up"), "sort_order")):
        with pytest.raises(InvalidInput) as refused:
            sorted_rollups(rollups, names, *args)
        assert refused.value.field == field
