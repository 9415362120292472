"""Canvas Quizzes and Quiz Questions API routes (classic quizzes): list, create, show, edit, delete."""

from __future__ import annotations

from litestar import Response

from courseport.core.coursework import quiz_questions, quizzes
from courseport.dialects.canvas.protocol import Call, delete, get, post, prefixed_fields, prefixed_params, put
from courseport.dialects.canvas.quiz_json import render_question, render_quiz

_QUIZZES = "/courses/{course_id:str}/quizzes"
_QUIZ = _QUIZZES + "/{quiz_id:str}"
_QUESTIONS = _QUIZ + "/questions"


def _quiz_params():  # noqa: ANN202
    return prefixed_params("quiz", quizzes.QUIZ_FIELDS)


def _question_params():  # noqa: ANN202
    return prefixed_params("question", quiz_questions.QUESTION_FIELDS)


@get(_QUIZZES)
def list_quizzes(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = quizzes.list_quizzes(db, me, course_id, call.str("search_term"), window)
    return call.paged([render_quiz(v, call.origin) for v in page.items], window, page)


@post(_QUIZZES, status_code=200)
def create_quiz(call: Call, course_id: str) -> dict:
    fields = prefixed_fields(call, "quiz", quizzes.QUIZ_FIELDS)
    with call.write() as (db, me), _quiz_params():
        view = quizzes.create_quiz(db, me, course_id, fields)
    return render_quiz(view, call.origin)


@get(_QUIZ)
def get_quiz(call: Call, course_id: str, quiz_id: str) -> dict:
    with call.read() as (db, me):
        view = quizzes.get_quiz(db, me, course_id, quiz_id)
    return render_quiz(view, call.origin)


@put(_QUIZ)
def update_quiz(call: Call, course_id: str, quiz_id: str) -> dict:
    fields = prefixed_fields(call, "quiz", quizzes.QUIZ_FIELDS)
    with call.write() as (db, me), _quiz_params():
        view = quizzes.update_quiz(db, me, course_id, quiz_id, fields)
    return render_quiz(view, call.origin)


@delete(_QUIZ)
def delete_quiz(call: Call, course_id: str, quiz_id: str) -> dict:
    with call.write() as (db, me):
        view = quizzes.delete_quiz(db, me, course_id, quiz_id)
    return render_quiz(view, call.origin)


@get(_QUESTIONS)
def list_questions(call: Call, course_id: str, quiz_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = quiz_questions.list_questions(db, me, course_id, quiz_id, window)
    return call.paged([render_question(q) for q in page.items], window, page)


@post(_QUESTIONS, status_code=200)
def create_question(call: Call, course_id: str, quiz_id: str) -> dict:
    fields = prefixed_fields(call, "question", quiz_questions.QUESTION_FIELDS)
    with call.write() as (db, me), _question_params():
        item = quiz_questions.create_question(db, me, course_id, quiz_id, fields)
    return render_question(item)


@get(_QUESTIONS + "/{question_id:str}")
def get_question(call: Call, course_id: str, quiz_id: str, question_id: str) -> dict:
    with call.read() as (db, me):
        item = quiz_questions.get_question(db, me, course_id, quiz_id, question_id)
    return render_question(item)


@put(_QUESTIONS + "/{question_id:str}")
def update_question(call: Call, course_id: str, quiz_id: str, question_id: str) -> dict:
    fields = prefixed_fields(call, "question", quiz_questions.QUESTION_FIELDS)
    with call.write() as (db, me), _question_params():
        item = quiz_questions.update_question(db, me, course_id, quiz_id, question_id, fields)
    return render_question(item)


@delete(_QUESTIONS + "/{question_id:str}", status_code=204)
def delete_question(call: Call, course_id: str, quiz_id: str, question_id: str) -> None:
    with call.write() as (db, me):
        quiz_questions.delete_question(db, me, course_id, quiz_id, question_id)


ROUTES = [list_quizzes, create_quiz, get_quiz, update_quiz, delete_quiz,
          list_questions, create_question, get_question, update_question, delete_question]
