"""Statistics of a classic quiz (student and item analysis), computed on read from its stored attempts
(schema/quiz_submissions.py) in a fixed number of queries whatever the number of students: the course and
the actor's rights, the quiz, its questions, the students' finished attempts and the takers' names.

Counted: finished attempts (complete or pending_review) of the course's students; previews, attempts under
way and non-students are not. Each student counts with their kept attempt (the latest if its score is the
kept score of the quiz's scoring policy, else the earliest attempt with that score, else the latest), or with
every finished attempt when `all_versions` is asked for. Attempts are taken newest-finished first (the later
started first within one second): the order of each answer's user ids. An attempt's questions are those it
showed: the questions outside groups and the ones drawn for it from each question group, each worth its
points there; a question nobody was shown is not listed, and a student counts for a question only if they
were shown it. text_only questions are not listed. A question's outcome in an attempt: a person's questions
(essay, file upload, calculated) are graded or ungraded (an ungraded one counts 0 points), others correct
(full points), partial or incorrect.

Submission figures: the mean, highest, lowest and population standard deviation of the scores (None
without attempts), the mean counts of correct and incorrect questions and the mean duration (seconds from
start to finish; 0 without attempts), the number of students, and the scores by percentile of the quiz's
points (at least 1 point; rounded half up) counting each student once, by their newest-finished attempt
counted.
The item figures of single-answer questions come from each student's latest finished attempt
(`quiz_item_analysis.py`), whatever `all_versions` says.

Those who grade (manage_grades, view_all_grades) or manage the course's content read them; others are
refused, and an unpublished quiz is not found for those who do not manage content.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.coursework import quiz_groups, quizzes, submission_views
from courseport.core.coursework.quiz_answer_figures import (
    BLANKS,
    CHOICES,
    AnswerFigures,
    AnswerSet,
    blank_sets,
    choices,
    matching_sets,
    numbers,
    parts_given,
    short_answers,
)
from courseport.core.coursework.quiz_grading import FOR_A_PERSON, score
from courseport.core.coursework.quiz_item_analysis import SINGLE_ANSWER, ItemFigures, analyse
from courseport.core.coursework.quiz_submissions import FINISHED_STATES, kept_score, questions_of, quiz_in
from courseport.core.kit.errors import NotAllowed
from courseport.schema import ContentItem, QuizAttempt, QuizSubmission, User
from courseport.schema.base import utcnow

CORRECT, PARTIAL, INCORRECT, GRADED, UNGRADED = "correct", "partial", "incorrect", "graded", "ungraded"


@dataclass(frozen=True)
class Outcome:
    """One question as one attempt showed it, and what the student made of it."""

    question_id: int
    user_id: int
    points: float
    answer: Any
    earned: float
    verdict: str


@dataclass(frozen=True)
class QuestionFigures:
    question: ContentItem
    kind: str
    responses: int  # students who answered (for blanks and matching: filled or matched one at least)
    answered: int | None  # blanks and matching: students who filled or matched every one
    answers: list[AnswerFigures] | None  # choice, short answer and numerical questions
    answer_sets: list[AnswerSet] | None  # blanks and matching
    correct: int
    partially_correct: int
    incorrect: int
    graded: int
    full_credit: int
    point_distribution: list[tuple[float, int]]
    item: ItemFigures | None  # single-answer questions only


@dataclass(frozen=True)
class SubmissionFigures:
    by_percentile: dict[int, int]
    score_average: float | None
    score_high: float | None
    score_low: float | None
    score_stdev: float | None
    correct_count_average: float
    incorrect_count_average: float
    duration_average: float
    unique_count: int


@dataclass(frozen=True)
class CountedAttempt:
    """One counted attempt and its outcomes, newest-finished first (what a student analysis report lists)."""

    user_id: int
    attempt: QuizAttempt
    outcomes: list[Outcome]


@dataclass(frozen=True)
class QuizStatistics:
    quiz: ContentItem
    includes_all_versions: bool
    multiple_attempts_exist: bool
    anonymous: bool
    generated_at: datetime
    submissions: SubmissionFigures
    questions: list[QuestionFigures]
    names: dict[int, str]
    counted: list[CountedAttempt]


def quiz_statistics(db: Session, actor: User, course_ref: str | int, quiz_id: str, *, all_versions: bool = False
                    ) -> QuizStatistics:
    _, rights, quiz = quiz_in(db, actor, course_ref, quiz_id)
    if not (submission_views.reads_all(rights) or rights.can(quizzes.MANAGE)):
        raise NotAllowed()
    questions = questions_of(db, quiz)
    taken = _finished(db, quiz)
    counted = [a for attempts in taken.values() for a in (attempts if all_versions else [_kept(quiz, attempts)])]
    counted.sort(key=lambda a: (a.finished_at or a.started_at, a.id), reverse=True)
    owners = {a.submission_id: user_id for user_id, attempts in taken.items() for a in attempts}
    outcomes = {a.id: _outcomes(quiz, questions, a, owners[a.submission_id]) for a in counted}
    items = _items(quiz, questions, taken)
    names = dict(db.execute(select(User.id, User.name).where(User.id.in_(taken))).tuples().all()) if taken else {}
    data = quiz.data or {}
    return QuizStatistics(
        quiz, all_versions, any(a.attempt > 1 for a in counted),
        bool(data.get("anonymous_submissions")) and data.get("quiz_type") in ("survey", "graded_survey"), utcnow(),
        _submission_figures(quiz, counted, outcomes, owners),
        _question_figures(quiz, questions, [outcomes[a.id] for a in counted], items), names,
        [CountedAttempt(owners[a.submission_id], a, outcomes[a.id]) for a in counted])


def _finished(db: Session, quiz: ContentItem) -> dict[int, list[QuizAttempt]]:
    """Each student's finished attempts, by number."""
    rows = db.execute(select(QuizSubmission.user_id, QuizAttempt).join(
        QuizAttempt, QuizAttempt.submission_id == QuizSubmission.id).where(
        QuizSubmission.quiz_id == quiz.id, QuizSubmission.preview.is_(False),
        QuizSubmission.user_id.in_(submission_views.students_stmt(quiz.course_id)),
        QuizAttempt.workflow_state.in_(FINISHED_STATES)).order_by(QuizSubmission.id, QuizAttempt.attempt)).tuples()
    found: dict[int, list[QuizAttempt]] = {}
    for user_id, attempt in rows:
        found.setdefault(user_id, []).append(attempt)
    return found


def _kept(quiz: ContentItem, attempts: list[QuizAttempt]) -> QuizAttempt:
    kept = kept_score(quiz, attempts)
    if (attempts[-1].score or 0.0) == kept:
        return attempts[-1]
    return next((a for a in attempts if (a.score or 0.0) == kept), attempts[-1])


def _items(quiz: ContentItem, questions: list[ContentItem], taken: dict[int, list[QuizAttempt]]
           ) -> dict[int, ItemFigures]:
    """The item analysis of the single-answer questions, over each student's latest finished attempt."""
    data = {q.id: q.data or {} for q in questions}
    scores: dict[int, float] = {}
    shown = []
    for user_id, attempts in taken.items():
        scores[user_id] = attempts[-1].score or 0.0
        shown += [(o.question_id, data[o.question_id], o.points, user_id, o.answer)
                  for o in _outcomes(quiz, questions, attempts[-1], user_id)
                  if data[o.question_id].get("question_type") in SINGLE_ANSWER]
    return analyse(scores, shown)


def _outcomes(quiz: ContentItem, questions: list[ContentItem], attempt: QuizAttempt, user_id: int) -> list[Outcome]:
    data = attempt.data or {}
    answers, scores = data.get("answers") or {}, data.get("scores") or {}
    found = []
    for shown in quiz_groups.drawn(quiz, questions, data.get("picks") or {}):
        question = shown.item.data or {}
        kind = question.get("question_type")
        if kind == "text_only_question":
            continue
        answer, earned = answers.get(str(shown.item.id)), scores.get(str(shown.item.id))
        if kind in FOR_A_PERSON:
            verdict = UNGRADED if earned is None else GRADED
        else:
            verdict = _verdict(question, shown.points, answer, earned or 0.0)
        found.append(Outcome(shown.item.id, user_id, shown.points, answer, float(earned or 0.0), verdict))
    return found


def _verdict(question: dict[str, Any], points: float, answer: Any, earned: float) -> str:
    """Correct with full points, partial with some, incorrect with none (a question of no points: by its
    answer)."""
    share = earned / points if points > 0 else (score(question, 1.0, answer) or 0.0)
    return CORRECT if share >= 1 else PARTIAL if share > 0 else INCORRECT


def _submission_figures(quiz: ContentItem, counted: list[QuizAttempt], outcomes: dict[int, list[Outcome]],
                        owners: dict[int, int]) -> SubmissionFigures:
    scores = [a.score or 0.0 for a in counted]
    possible = max(quiz.points or 0.0, 1.0)
    first: dict[int, QuizAttempt] = {}
    for attempt in counted:
        first.setdefault(owners[attempt.submission_id], attempt)
    percentiles = Counter(math.floor((a.score or 0.0) / possible * 100 + 0.5) for a in first.values())
    n = len(counted)
    mean = sum(scores) / n if n else None
    return SubmissionFigures(
        dict(sorted(percentiles.items())), mean, max(scores) if n else None, min(scores) if n else None,
        math.sqrt(sum((s - mean) ** 2 for s in scores) / n) if mean is not None else None,
        sum(o.verdict == CORRECT for a in counted for o in outcomes[a.id]) / n if n else 0.0,
        sum(o.verdict == INCORRECT for a in counted for o in outcomes[a.id]) / n if n else 0.0,
        sum(_seconds(a) for a in counted) / n if n else 0.0, len(first))


def _seconds(attempt: QuizAttempt) -> int:
    if attempt.finished_at is None:
        return 0
    return int((attempt.finished_at - attempt.started_at).total_seconds())


def _question_figures(quiz: ContentItem, questions: list[ContentItem], per_attempt: list[list[Outcome]],
                      items: dict[int, ItemFigures]) -> list[QuestionFigures]:
    """One entry per question some counted attempt showed, in the quiz's order."""
    by_question: dict[int, list[Outcome]] = {}
    for attempt in per_attempt:
        for outcome in attempt:
            by_question.setdefault(outcome.question_id, []).append(outcome)
    every = {str(g): [q.id for q in questions] for g in quiz_groups.groups_of(quiz)}
    return [_figures(d.item, by_question[d.item.id], items.get(d.item.id))
            for d in quiz_groups.drawn(quiz, questions, every) if d.item.id in by_question]


def _figures(question: ContentItem, outcomes: list[Outcome], item: ItemFigures | None) -> QuestionFigures:
    data = question.data or {}
    kind = str(data.get("question_type"))
    given = [(o.user_id, o.answer) for o in outcomes]
    answers = choices(data, given) if kind in CHOICES else \
        short_answers(data, given) if kind == "short_answer_question" else \
        numbers(data, given) if kind == "numerical_question" else None
    sets = blank_sets(kind, data, given) if kind in BLANKS else \
        matching_sets(data, given) if kind == "matching_question" else None
    answered = None if sets is None else sum(_all_parts(kind, data, o.answer) for o in outcomes)
    verdicts = Counter(o.verdict for o in outcomes)
    distribution = Counter(o.earned for o in outcomes)
    return QuestionFigures(
        question, kind, sum(_answered(kind, data, o.answer) for o in outcomes), answered, answers, sets,
        verdicts[CORRECT], verdicts[PARTIAL], verdicts[INCORRECT], verdicts[GRADED],
        sum(o.earned >= o.points for o in outcomes), sorted(distribution.items()), item)


def _all_parts(kind: str, data: dict[str, Any], answer: Any) -> bool:
    """Every blank filled (every left side matched)."""
    filled, total = parts_given(kind, data, answer)
    return filled == total


def _answered(kind: str, data: dict[str, Any], answer: Any) -> bool:
    """The student gave an answer: a predefined one for choice questions, anything but blanks otherwise."""
    if kind in CHOICES:
        known = {a.get("id") for a in data.get("answers") or []}
        return any(one in known for one in (answer if isinstance(answer, list) else [answer]))
    if isinstance(answer, str):
        return bool(answer.strip())
    if isinstance(answer, dict):
        return any(str(v).strip() for v in answer.values() if v is not None)
    return answer not in (None, [], {})
