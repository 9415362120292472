"""The CSV files of a classic quiz's reports, written from its statistics (`quiz_statistics.py`, which does
every computation: this module only lays the figures out).

Student analysis: one row per counted attempt (newest-finished first): the student's name, id and SIS id
(blank in an anonymous survey), when the attempt was finished and its number, then for each question the
quiz shows (its id and text as the header) the answer given and the points earned (header: the question's
points), then the counts of correct and incorrect questions and the attempt's score.

Item analysis: one row per single-answer question with item figures: the student counts by bucket, the
correct and wrong counts and ratios, the correct counts by bucket, variance, standard deviation, difficulty
index, the quiz's alpha, and the point biserials of the right answer and of each distractor in turn.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from courseport.core.coursework.quiz_statistics import CORRECT, INCORRECT, QuizStatistics
from courseport.core.kit.html import plain_text
from courseport.schema import User

STUDENT_ANALYSIS, ITEM_ANALYSIS = "student_analysis", "item_analysis"
REPORT_TYPES = (STUDENT_ANALYSIS, ITEM_ANALYSIS)
_ITEM_HEADER = [
    "Question Id", "Question Title", "Answered Student Count", "Top Student Count", "Middle Student Count",
    "Bottom Student Count", "Quiz Question Count", "Correct Student Count", "Wrong Student Count",
    "Correct Student Ratio", "Wrong Student Ratio", "Correct Top Student Count", "Correct Middle Student Count",
    "Correct Bottom Student Count", "Variance", "Standard Deviation", "Difficulty Index", "Alpha",
    "Point Biserial of Correct"]


def report_csv(report_type: str, stats: QuizStatistics, users: dict[int, User]) -> bytes:
    rows = _student_rows(stats, users) if report_type == STUDENT_ANALYSIS else _item_rows(stats)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _student_rows(stats: QuizStatistics, users: dict[int, User]) -> list[list[Any]]:
    questions = [f.question for f in stats.questions]
    header: list[Any] = ["name", "id", "sis_id", "submitted", "attempt"]
    for q in questions:
        header += [f"{q.id}: {plain_text(q.body) or q.title or ''}", _number(q.points)]
    rows = [header + ["n correct", "n incorrect", "score"]]
    for counted in stats.counted:
        user = users.get(counted.user_id)
        who = ["", "", ""] if stats.anonymous or user is None else [user.name, user.id, user.sis_user_id or ""]
        attempt = counted.attempt
        row = [*who, (attempt.finished_at.isoformat() if attempt.finished_at else ""), attempt.attempt]
        by_question = {o.question_id: o for o in counted.outcomes}
        for q in questions:
            outcome = by_question.get(q.id)
            row += ["", ""] if outcome is None else [_answer_text(q.data or {}, outcome.answer),
                                                     _number(outcome.earned)]
        row += [sum(o.verdict == CORRECT for o in counted.outcomes),
                sum(o.verdict == INCORRECT for o in counted.outcomes), _number(attempt.score or 0.0)]
        rows.append(row)
    return rows


def _item_rows(stats: QuizStatistics) -> list[list[Any]]:
    analysed = [f for f in stats.questions if f.item is not None]
    distractors = max((len(f.item.biserials) - 1 for f in analysed if f.item is not None), default=0)
    rows: list[list[Any]] = [_ITEM_HEADER + [f"Point Biserial of Distractor {n + 2}" for n in range(distractors)]]
    for figures in analysed:
        item = figures.item
        assert item is not None
        right = [b.value for b in item.biserials if b.correct]
        others = [b.value for b in item.biserials if not b.correct]
        rows.append([
            figures.question.id, figures.question.title or "", item.answered, item.top, item.middle, item.bottom,
            len(analysed), item.correct, item.incorrect, item.correct_ratio, item.incorrect_ratio, item.correct_top,
            item.correct_middle, item.correct_bottom, item.variance, item.stdev, item.difficulty_index,
            "" if item.alpha is None else item.alpha, *(_blank(v) for v in right[:1] or [None]),
            *(_blank(v) for v in others)])
    return rows


def _answer_text(data: dict[str, Any], answer: Any) -> str:
    """What the student gave, as text: a chosen answer's text, several joined by commas."""
    texts = {a.get("id"): a.get("text") for a in data.get("answers") or []}
    if isinstance(answer, list):
        return ",".join(_answer_text(data, a) for a in answer)
    if isinstance(answer, dict):
        return ",".join(f"{k}={_answer_text(data, v)}" for k, v in answer.items())
    if answer is None:
        return ""
    found = texts.get(answer) if isinstance(answer, int) else None
    return str(found if found is not None else answer)


def _number(value: Any) -> Any:
    return "" if value is None else float(value)


def _blank(value: float | None) -> Any:
    return "" if value is None else value
