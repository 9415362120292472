"""Canvas Quiz Submissions and Quiz Submission Questions API routes: taking a classic quiz, answering,
flagging, completing, timing, and a grader's score changes. Refusals of the quiz rules are answered in
Canvas's request-error shape ({"status": ..., "message": ...}), as its quiz submission service does."""

from __future__ import annotations

from typing import Any

from litestar import Response
from sqlalchemy.orm import Session

from courseport.core.coursework import quiz_attempts, quiz_submissions
from courseport.core.coursework.quiz_grading import Refusal
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.protocol import (
    Call,
    RequestError,
    as_request_errors,
    get,
    iso,
    post,
    put,
    to_float,
)
from courseport.dialects.canvas.quiz_submission_json import (
    INCLUDES,
    render_questions,
    render_related,
    render_submissions,
)
from courseport.schema import User

_SUBMISSIONS = "/courses/{course_id:str}/quizzes/{quiz_id:str}/submissions"
_SUBMISSION = _SUBMISSIONS + "/{submission_id:str}"
_QUESTIONS = "/quiz_submissions/{submission_id:str}/questions"


def _with_included(call: Call, db: Session, me: User, views: list[quiz_submissions.AttemptView]) -> dict:
    """The views, with what include[] (submission, quiz, user) asks for beside them."""
    wanted = INCLUDES & set(call.list("include[]"))
    body = render_submissions(views, call.origin)
    if not wanted:
        return body
    related = quiz_submissions.related(db, me, views, submissions="submission" in wanted, quiz="quiz" in wanted,
                                       users="user" in wanted)
    return render_related(body, related, wanted, db, me, call.origin, call.services.secret)


def _ticket(call: Call) -> quiz_attempts.Ticket:
    return quiz_attempts.Ticket(call.str("attempt"), call.str("validation_token"))


@get(_SUBMISSIONS)
def list_submissions(call: Call, course_id: str, quiz_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = quiz_submissions.list_submissions(db, me, course_id, quiz_id, window)
        body = _with_included(call, db, me, page.items)
    return Response(body, headers=call.page_links(window, page))


@post(_SUBMISSIONS, status_code=200)
def start_submission(call: Call, course_id: str, quiz_id: str) -> dict:
    preview = bool(call.bool("preview", False))
    if not preview:
        with call.write() as (db, me):
            quiz_attempts.finish_overdue(db, me, course_id, quiz_id)
    with call.write() as (db, me), as_request_errors(Refusal):
        view = quiz_attempts.start(db, me, course_id, quiz_id, access_code=call.str("access_code"), preview=preview)
    return render_submissions([view], call.origin)


@get(_SUBMISSIONS + "/self")
def own_submission(call: Call, course_id: str, quiz_id: str) -> dict:
    with call.read() as (db, me):
        views = quiz_submissions.own_submission(db, me, course_id, quiz_id)
        return _with_included(call, db, me, views)


@get(_SUBMISSION)
def get_submission(call: Call, course_id: str, quiz_id: str, submission_id: str) -> dict:
    attempt = call.int("attempt")
    with call.read() as (db, me):
        view = quiz_submissions.get_submission(db, me, course_id, quiz_id, submission_id, attempt)
        return _with_included(call, db, me, [view])


@post(_SUBMISSION + "/complete", status_code=200)
def complete_submission(call: Call, course_id: str, quiz_id: str, submission_id: str) -> dict:
    with call.write() as (db, me), as_request_errors(Refusal):
        view = quiz_attempts.complete(db, me, course_id, quiz_id, submission_id, _ticket(call))
    return render_submissions([view], call.origin)


@get(_SUBMISSION + "/time")
def submission_time(call: Call, course_id: str, quiz_id: str, submission_id: str) -> dict:
    with call.read() as (db, me):
        end_at, left = quiz_submissions.time_left(db, me, course_id, quiz_id, submission_id)
    return {"end_at": iso(end_at), "time_left": left}


@put(_SUBMISSION)
def update_submission(call: Call, course_id: str, quiz_id: str, submission_id: str) -> dict:
    change = _score_change(call)
    with call.write() as (db, me), as_request_errors(Refusal):
        view = quiz_attempts.update_scores(db, me, course_id, quiz_id, submission_id, change)
    return render_submissions([view], call.origin)


def _score_change(call: Call) -> quiz_attempts.ScoreChange:
    """quiz_submissions[][attempt], [fudge_points] and [questions][<id>][score|comment] of the first entry."""
    entries = call.raw("quiz_submissions")
    entry: Any = entries[0] if isinstance(entries, list) and entries else None
    if not isinstance(entry, dict):
        raise RequestError(InvalidInput("quiz_submissions", "missing required key :quiz_submissions"))
    scores: dict[int, float] = {}
    comments: dict[int, str] = {}
    questions = entry.get("questions")
    for key, value in (questions.items() if isinstance(questions, dict) else ()):
        if not str(key).isdigit() or not isinstance(value, dict):
            continue
        try:
            score = to_float(value.get("score"), f"quiz_submissions[][questions][{key}][score]")
        except InvalidInput as exc:
            raise RequestError(InvalidInput(exc.field, "question score must be an unsigned decimal")) from None
        if score is not None:
            scores[int(key)] = score
        if value.get("comment") is not None:
            comments[int(key)] = str(value["comment"])
    return quiz_attempts.ScoreChange(
        attempt=None if entry.get("attempt") is None else str(entry["attempt"]), scores=scores, comments=comments,
        fudge_points=to_float(entry.get("fudge_points"), "quiz_submissions[][fudge_points]"))


@get(_QUESTIONS)
def list_questions(call: Call, submission_id: str) -> dict:
    with call.read() as (db, me):
        views = quiz_submissions.submission_questions(db, me, submission_id)
    return render_questions(views)


@post(_QUESTIONS, status_code=200)
def answer_questions(call: Call, submission_id: str) -> dict:
    given = [(str(q.get("id")), q.get("answer")) for q in _entries(call.raw("quiz_questions"))]
    with call.write() as (db, me), as_request_errors(Refusal):
        views = quiz_attempts.answer(db, me, submission_id, _ticket(call), given)
    return render_questions(views)


def _entries(raw: Any) -> list[dict[str, Any]]:
    items = list(raw.values()) if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    return [q for q in items if isinstance(q, dict) and q.get("id") not in (None, "")]


@put(_QUESTIONS + "/{question_id:str}/flag")
def flag_question(call: Call, submission_id: str, question_id: str) -> dict:
    with call.write() as (db, me), as_request_errors(Refusal):
        view = quiz_attempts.flag(db, me, submission_id, question_id, _ticket(call), True)
    return render_questions([view])


@put(_QUESTIONS + "/{question_id:str}/unflag")
def unflag_question(call: Call, submission_id: str, question_id: str) -> dict:
    with call.write() as (db, me), as_request_errors(Refusal):
        view = quiz_attempts.flag(db, me, submission_id, question_id, _ticket(call), False)
    return render_questions([view])


ROUTES = [list_submissions, start_submission, own_submission, get_submission, complete_submission, submission_time,
          update_submission, list_questions, answer_questions, flag_question, unflag_question]
