"""Item analysis of a classic quiz's single-answer questions (multiple choice, true/false), as Canvas computes
it for its quiz statistics (core/coursework/quiz_statistics.py reads the rows and calls `analyse`).

Pure computation over each student's latest finished attempt: the respondents of a question are the students
who chose one of its answers (a blank does not count); its right answer is the one of highest weight (the
first of them). Students are ranked by attempt score into buckets: the top 27%, the middle 46% and the bottom
27% (top from the 73rd percentile, middle from the 27th, rounded half up; students tied at a bucket's floor
all join the higher bucket). Variances and standard deviations are of the population (0 for fewer than two
scores). A point biserial compares the mean score of the students who chose an answer with that of the other
respondents: (mean - mean_other) / sd * sqrt(p * (1 - p)), p the answer's share of respondents, sd of the
respondents' scores; it is None when either side has no students or when sd is 0 (every respondent scored
alike). Cronbach's alpha is given only over more than 15 analysed questions and a non-zero score variance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

SINGLE_ANSWER = frozenset({"multiple_choice_question", "true_false_question"})
BUCKETS = (("top", 0.73), ("middle", 0.27), ("bottom", 0.0))
MIN_ITEMS_FOR_ALPHA = 15


@dataclass(frozen=True)
class Biserial:
    answer_id: int
    value: float | None
    correct: bool  # the question's right answer; the others are distractors


@dataclass(frozen=True)
class ItemFigures:
    answered: int
    top: int
    middle: int
    bottom: int
    correct: int
    incorrect: int
    correct_ratio: float
    incorrect_ratio: float
    correct_top: int
    correct_middle: int
    correct_bottom: int
    variance: float
    stdev: float
    difficulty_index: float
    alpha: float | None
    biserials: list[Biserial]


@dataclass
class _Item:
    """A question's responses: respondent -> answer chosen, and the points each respondent earned."""

    data: dict[str, Any]
    points: float
    chosen: dict[int, int]

    @property
    def ranked_answers(self) -> list[int]:
        answers = list(enumerate(self.data.get("answers") or []))
        return [a.get("id") for _, a in sorted(answers, key=lambda p: (-float(p[1].get("weight") or 0), p[0]))]

    def scores(self) -> list[float]:
        right = self.ranked_answers[0] if self.ranked_answers else None
        return [self.points if answer == right else 0.0 for answer in self.chosen.values()]


def variance(values: list[float]) -> float:
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / len(values)


def analyse(respondent_scores: dict[int, float], shown: list[tuple[int, dict[str, Any], float, int, Any]]
            ) -> dict[int, ItemFigures]:
    """Item figures by question id. `respondent_scores`: student -> latest attempt's score; `shown`: one entry
    (question id, question data, points, student, answer given) per single-answer question an attempt showed."""
    items: dict[int, _Item] = {}
    for question_id, data, points, user_id, answer in shown:
        item = items.setdefault(question_id, _Item(data, points, {}))
        if isinstance(answer, int) and not isinstance(answer, bool):
            item.chosen[user_id] = answer
    buckets = _buckets(respondent_scores)
    alpha = _alpha(respondent_scores, list(items.values())) if len(items) > MIN_ITEMS_FOR_ALPHA else None
    return {question_id: _figures(item, respondent_scores, buckets, alpha) for question_id, item in items.items()}


def _buckets(scores: dict[int, float]) -> dict[str, set[int]]:
    ranked = sorted(scores.items(), key=lambda p: p[1])
    previous = len(ranked)
    found: dict[str, set[int]] = {}
    for name, cutoff in BUCKETS:
        floor = math.floor(cutoff * len(ranked) + 0.5)
        floor_score = ranked[floor][1] if floor < len(ranked) else None
        while floor > 0 and ranked[floor - 1][1] == floor_score:
            floor -= 1
        found[name] = {user_id for user_id, _ in ranked[floor:previous]}
        previous = floor
    return found


def _figures(item: _Item, scores: dict[int, float], buckets: dict[str, set[int]], alpha: float | None
             ) -> ItemFigures:
    everyone = set(item.chosen)
    right_answer = item.ranked_answers[0] if item.ranked_answers else None
    right = {u for u, a in item.chosen.items() if a == right_answer}
    wrong = everyone - right

    def ratio(group: set[int]) -> float:
        return len(group) / len(everyone) if everyone else 0.0

    item_variance = variance(item.scores())
    return ItemFigures(
        answered=len(everyone), top=len(everyone & buckets["top"]), middle=len(everyone & buckets["middle"]),
        bottom=len(everyone & buckets["bottom"]), correct=len(right), incorrect=len(wrong),
        correct_ratio=ratio(right), incorrect_ratio=ratio(wrong), correct_top=len(right & buckets["top"]),
        correct_middle=len(right & buckets["middle"]), correct_bottom=len(right & buckets["bottom"]),
        variance=item_variance, stdev=math.sqrt(item_variance), difficulty_index=ratio(right), alpha=alpha,
        biserials=[Biserial(answer_id, _biserial(item, answer_id, scores), n == 0)
                   for n, answer_id in enumerate(item.ranked_answers)])


def _biserial(item: _Item, answer_id: int, scores: dict[int, float]) -> float | None:
    these = [u for u, a in item.chosen.items() if a == answer_id]
    others = [u for u, a in item.chosen.items() if a != answer_id]
    if not these or not others:
        return None
    sd = math.sqrt(variance([scores.get(u, 0.0) for u in item.chosen]))
    if sd == 0:
        return None
    mean = sum(scores.get(u, 0.0) for u in these) / len(these)
    mean_other = sum(scores.get(u, 0.0) for u in others) / len(others)
    share = len(these) / len(item.chosen)
    return (mean - mean_other) / sd * math.sqrt(share * (1 - share))


def _alpha(scores: dict[int, float], items: list[_Item]) -> float | None:
    total = variance(list(scores.values()))
    if len(items) < 2 or total == 0:
        return None
    return len(items) / (len(items) - 1.0) * (1 - sum(variance(i.scores()) for i in items) / total)
