"""Quiz submissions, written: starting an attempt, answering and flagging its questions, completing it (graded
by `quiz_grading.py`) and a grader's changes to a finished attempt's scores (reads: `quiz_submissions.py`).

Refusals follow Canvas's quiz submission service, in its order, as `quiz_grading.Refusal`s. Every change to
an attempt names its number (only the latest attempt changes) and the validation token it was started with.
A finished attempt takes no answers. An attempt draws its questions from each question group when it starts
(`quiz_groups.draw`, kept as `picks` in its data) and is graded on them, each worth its group's
question_points. A graded quiz's dates for a student are its assignment's with the student's overrides
applied. A time limit (or the student's lock date) sets `end_at`; past it, answers are refused ("quiz
submission is overdue", nothing stored) and the attempt is graded with the answers it holds when it is next
written to: completed by its taker, or when they start again (`finish_overdue`, even
if the start is then refused). The kept score
of a graded quiz is the score of the student's submission to the quiz's assignment. A grader's extensions
(`quiz_extensions.py`, kept on the student's row) bind here: extra attempts on top of allowed_attempts, extra
minutes on top of the time limit, and a manual unlock that lifts the student's dates (and their cap on end_at).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.core.content.due_dates import StudentDates, effective_dates
from courseport.core.coursework import quiz_grading, quiz_groups, quizzes, submissions
from courseport.core.coursework.quiz_grading import RefusedAgain, RefusedRight, RefusedState
from courseport.core.coursework.quiz_submissions import (
    FINISHED_STATES,
    OPEN_STATES,
    AttemptView,
    QuestionView,
    attempt_questions,
    finished_attempts,
    is_overdue,
    kept_score,
    latest,
    question_views,
    questions_of,
    quiz_in,
    readable_submission,
    submission_by_id,
    takes_part,
    views,
)
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import NotFound
from courseport.core.kit.ids import store_id
from courseport.schema import ContentItem, Course, QuizAttempt, QuizSubmission, User
from courseport.schema.base import utcnow

NOT_PARTICIPANT = "you are not allowed to participate in this quiz"


@dataclass(frozen=True)
class Ticket:
    """What a taker sends with every change: the attempt's number and its validation token."""

    attempt: str | None
    validation_token: str | None


@dataclass(frozen=True)
class ScoreChange:
    """A grader's change to a finished attempt: question id -> points, question id -> comment, fudge points."""

    attempt: str | None
    fudge_points: float | None = None
    scores: dict[int, float] = field(default_factory=dict)
    comments: dict[int, str] = field(default_factory=dict)


def start(db: Session, actor: User, course_ref: str | int, quiz_id: str, *, access_code: str | None,
          preview: bool) -> AttemptView:
    """Start an attempt (or resume an open preview): refused while one is under way or none is left."""
    course, rights, quiz = quiz_in(db, actor, course_ref, quiz_id)
    now = utcnow()
    if preview and not rights.can(quizzes.MANAGE):
        raise RefusedRight("you are not allowed to preview this quiz")
    row = db.scalar(select(QuizSubmission).where(QuizSubmission.quiz_id == quiz.id,
                                                 QuizSubmission.user_id == actor.id,
                                                 QuizSubmission.preview.is_(preview)))
    lock_at = quiz.lock_at if preview else _check_takeable(db, course, rights, actor, quiz, access_code, now,
                                                            unlocked=bool(row and row.manually_unlocked))
    if row is None:
        row = _new_row(db, course, quiz, actor, preview)
    elif row.attempt == 0:  # a grader's extensions made the row: this is its first attempt
        row.attempt = 1
    else:
        current = latest(db, row, for_update=True)
        if is_overdue(current, now):
            _finish(db, course, quiz, row, current, now)
        if current.workflow_state in OPEN_STATES:
            if preview:
                return views(db, quiz, [(row, current)], actor)[0]
            raise RefusedAgain("a quiz submission already exists")
        allowed = (quiz.data or {}).get("allowed_attempts", 1)
        if not preview and allowed is not None and 0 <= allowed and allowed + (row.extra_attempts or 0) <= row.attempt:
            raise RefusedAgain("a quiz submission already exists")
        row.attempt += 1
    picks = quiz_groups.draw(quiz, questions_of(db, quiz))  # kept only for a quiz with question groups
    attempt = QuizAttempt(submission_id=row.id, attempt=row.attempt, workflow_state="preview" if preview else "untaken",
                          validation_token=secrets.token_hex(32), started_at=now,
                          end_at=_end_at(quiz, lock_at, now, row.extra_time),
                          data={"answers": {}, "flagged": [], "scores": {}, **({"picks": picks} if picks else {})})
    try:
        with db.begin_nested():
            db.add(attempt)
    except IntegrityError:  # a concurrent start made this attempt first
        raise RefusedAgain("a quiz submission already exists") from None
    return views(db, quiz, [(row, attempt)], actor)[0]


def finish_overdue(db: Session, actor: User, course_ref: str | int, quiz_id: str) -> None:
    """Grade the actor's attempt at the quiz if it is past its end: a start does this first, in its own
    transaction, so the attempt is graded even when the start is then refused."""
    course, _, quiz = quiz_in(db, actor, course_ref, quiz_id)
    row = db.scalar(select(QuizSubmission).where(QuizSubmission.quiz_id == quiz.id, QuizSubmission.user_id == actor.id,
                                                 QuizSubmission.preview.is_(False), QuizSubmission.attempt > 0))
    if row is None:
        return
    current = latest(db, row, for_update=True)
    if is_overdue(current, utcnow()):
        _finish(db, course, quiz, row, current, utcnow())


def _check_takeable(db: Session, course: Course, rights: CourseRights, actor: User, quiz: ContentItem,
                    access_code: str | None, now: datetime, *, unlocked: bool) -> datetime | None:
    """Refuse a start the quiz's rules forbid; the lock date that ends the actor's attempt otherwise (none for a
    student a grader unlocked: their dates do not apply)."""
    dates = _dates(db, course, quiz, actor)
    unlock_at, lock_at = (dates.unlock_at, dates.lock_at) if dates else (quiz.unlock_at, quiz.lock_at)
    if unlocked:
        unlock_at = lock_at = None
    if (unlock_at and unlock_at > now) or (lock_at and lock_at <= now):
        raise RefusedState(NOT_PARTICIPANT)
    if quiz.workflow_state != "published" or not takes_part(db, course, rights, actor) or (quiz.ref_id and not dates):
        raise RefusedRight(NOT_PARTICIPANT)
    wanted = (quiz.data or {}).get("access_code")
    if wanted and not hmac.compare_digest(str(access_code or "").encode(), str(wanted).encode()):
        raise RefusedRight("invalid access code")
    return lock_at


def _dates(db: Session, course: Course, quiz: ContentItem, actor: User) -> StudentDates | None:
    """A graded quiz's dates for the actor: its assignment's, overrides applied (None: not assigned to them)."""
    if quiz.ref_id is None:
        return None
    return effective_dates(db, course.id, [quiz.ref_id], [actor.id]).get(quiz.ref_id, {}).get(actor.id)


def _new_row(db: Session, course: Course, quiz: ContentItem, actor: User, preview: bool) -> QuizSubmission:
    """The actor's submission row, made now; a concurrent start that made it first is refused as Canvas would."""
    try:
        with db.begin_nested():
            row = QuizSubmission(quiz_id=quiz.id, course_id=course.id, user_id=actor.id, preview=preview, attempt=1)
            db.add(row)
    except IntegrityError:
        raise RefusedAgain("a quiz submission already exists") from None
    return row


def _end_at(quiz: ContentItem, lock_at: datetime | None, now: datetime, extra_time: int | None) -> datetime | None:
    """The time limit and the student's extra minutes from now (extra minutes alone set no limit), capped by the
    lock date."""
    limit = (quiz.data or {}).get("time_limit")
    end = now + timedelta(minutes=limit + (extra_time or 0)) if limit else None
    if lock_at is not None and (end is None or lock_at < end):
        end = lock_at
    return end


def answer(db: Session, actor: User, submission_id: str, ticket: Ticket, given: list[tuple[str, object]]
           ) -> list[QuestionView]:
    """Store answers to questions of the latest attempt; ids that name no question of the quiz are skipped."""
    _, _, quiz, row = submission_by_id(db, actor, submission_id)
    if row.user_id != actor.id:
        raise RefusedRight("you are not allowed to update questions for this quiz submission")
    questions = {d.item.id: d for d in attempt_questions(db, quiz, latest(db, row))}
    checked: dict[str, object] = {}
    for question_id, raw in given:
        shown = questions.get(store_id(question_id) or 0)
        if shown is not None:
            checked[str(shown.item.id)] = quiz_grading.checked_answer(shown.item.data or {}, raw)
    current = _changeable(db, row, ticket)
    current.data = {**(current.data or {}), "answers": {**(current.data or {}).get("answers", {}), **checked}}
    db.flush()
    return question_views(current, [d for d in questions.values() if str(d.item.id) in checked])


def flag(db: Session, actor: User, submission_id: str, question_id: str, ticket: Ticket, flagged: bool
         ) -> QuestionView:
    _, _, quiz, row = submission_by_id(db, actor, submission_id)
    question = next((d for d in attempt_questions(db, quiz, latest(db, row)) if d.item.id == store_id(question_id)),
                    None)
    if question is None:
        raise NotFound("quiz question")
    if row.user_id != actor.id:
        raise RefusedRight("you are not allowed to update questions for this quiz submission")
    current = _changeable(db, row, ticket)
    marks = set((current.data or {}).get("flagged") or [])
    marks = marks | {question.item.id} if flagged else marks - {question.item.id}
    current.data = {**(current.data or {}), "flagged": sorted(marks)}
    db.flush()
    return question_views(current, [question])[0]


def _changeable(db: Session, row: QuizSubmission, ticket: Ticket) -> QuizAttempt:
    current = latest(db, row, for_update=True)
    if current.workflow_state in FINISHED_STATES:
        raise RefusedState("quiz submission is already complete")
    if is_overdue(current, utcnow()):
        raise RefusedState("quiz submission is overdue")
    _check_token(current, ticket)
    _check_attempt(current, ticket)
    return current


def _check_token(current: QuizAttempt, ticket: Ticket) -> None:
    if not hmac.compare_digest(str(ticket.validation_token or "").encode(), current.validation_token.encode()):
        raise RefusedRight("invalid token")


def _check_attempt(current: QuizAttempt, ticket: Ticket) -> None:
    number = _number(ticket.attempt)
    if number is None:
        raise RefusedState("invalid attempt")
    if current.workflow_state != "preview" and number != current.attempt:
        raise RefusedState(f"attempt {number} can not be modified")


def _number(text: str | None) -> int | None:
    try:
        return int(str(text).strip()) if text is not None else None
    except ValueError:
        return None


def complete(db: Session, actor: User, course_ref: str | int, quiz_id: str, submission_id: str, ticket: Ticket
             ) -> AttemptView:
    """Turn in the latest attempt: it is graded and takes no more changes."""
    course, rights, quiz = quiz_in(db, actor, course_ref, quiz_id)
    row = readable_submission(db, actor, rights, quiz, submission_id)
    if row.user_id != actor.id:
        raise RefusedRight("you are not allowed to complete this quiz submission")
    current = latest(db, row, for_update=True)
    _check_token(current, ticket)
    if current.workflow_state not in OPEN_STATES:
        raise RefusedState("quiz submission is already complete")
    _check_attempt(current, ticket)
    _finish(db, course, quiz, row, current, utcnow())
    return views(db, quiz, [(row, current)], actor)[0]


def _finish(db: Session, course: Course, quiz: ContentItem, row: QuizSubmission, attempt: QuizAttempt,
            now: datetime) -> None:
    """Grade the attempt's answers and close it (an overdue one as of its end), then keep the quiz's score."""
    questions = attempt_questions(db, quiz, attempt)
    answers = (attempt.data or {}).get("answers") or {}
    scores = {str(d.item.id): quiz_grading.score(d.item.data or {}, d.points, answers.get(str(d.item.id)))
              for d in questions}
    attempt.data = {**(attempt.data or {}), "scores": scores}
    attempt.finished_at = min(now, attempt.end_at) if attempt.end_at else now
    _rescore(attempt, questions)
    db.flush()
    _keep_score(db, course, quiz, row)


def _rescore(attempt: QuizAttempt, questions: list[quiz_groups.Drawn]) -> None:
    scores = (attempt.data or {}).get("scores") or {}
    total = sum(s for s in scores.values() if s is not None) + (attempt.fudge_points or 0.0)
    attempt.score = round(total, 2)
    waiting = any(scores.get(str(d.item.id)) is None for d in questions
                  if (d.item.data or {}).get("question_type") in quiz_grading.FOR_A_PERSON)
    attempt.workflow_state = "pending_review" if waiting else "complete"


def _keep_score(db: Session, course: Course, quiz: ContentItem, row: QuizSubmission) -> None:
    """The kept score of a graded quiz onto the student's submission to its assignment."""
    if row.preview or quiz.ref_id is None or (quiz.data or {}).get("quiz_type") not in quizzes.GRADED_TYPES:
        return
    assignment = db.get(ContentItem, quiz.ref_id)
    finished = finished_attempts(db, row)
    if assignment is None or assignment.workflow_state == "deleted" or not finished:
        return
    last = finished[-1]
    submissions.record_quiz_result(db, course, assignment, row.user_id, score=kept_score(quiz, finished),
                                   attempt=last.attempt, submitted_at=last.finished_at,
                                   pending_review=last.workflow_state == "pending_review")


def update_scores(db: Session, actor: User, course_ref: str | int, quiz_id: str, submission_id: str,
                  change: ScoreChange) -> AttemptView:
    """A grader sets question scores, comments and fudge points of a finished attempt; the score follows."""
    course, rights, quiz = quiz_in(db, actor, course_ref, quiz_id)
    row = readable_submission(db, actor, rights, quiz, submission_id)
    if not rights.can("manage_grades"):
        raise RefusedRight("you are not allowed to update scores for this quiz submission")
    number = _number(change.attempt)
    target = None if number is None else db.scalar(select(QuizAttempt).where(
        QuizAttempt.submission_id == row.id, QuizAttempt.attempt == number))
    if target is None:
        raise RefusedState("invalid attempt")
    if target.workflow_state not in FINISHED_STATES:
        raise RefusedState("quiz submission attempt must be complete")
    questions = attempt_questions(db, quiz, target)
    known = {d.item.id for d in questions}
    data = dict(target.data or {})
    data["scores"] = {**(data.get("scores") or {}), **{str(k): v for k, v in change.scores.items() if k in known}}
    data["comments"] = {**(data.get("comments") or {}),
                        **{str(k): v for k, v in change.comments.items() if k in known}}
    target.data = data
    if change.fudge_points is not None:
        target.fudge_points = change.fudge_points
    _rescore(target, questions)
    db.flush()
    _keep_score(db, course, quiz, row)
    return views(db, quiz, [(row, latest(db, row))], actor)[0]
