"""Answers to quiz questions: checking what a student gives (in the shapes Canvas documents per question
type) and scoring it against the question's stored answers (core/coursework/quiz_questions.py).

Scoring rules, as Canvas's classic quizzes score them:
- multiple_choice and true_false: all points for an answer of weight 100, else none;
- multiple_answers: the points are shared among the right answers; each right answer chosen earns its
  share and each wrong answer chosen takes one share away, never below zero;
- short_answer: all points when the text equals one of the answers, ignoring case and outer spaces;
- numerical: all points when the number fits one answer: exact (within its margin), range (ends
  included) or precision (equal to the approximate value at that many significant digits);
- matching, multiple_dropdowns and fill_in_multiple_blanks: the points times the share of parts right
  (pairs for matching, blanks for the others);
- essay, file_upload and calculated questions are left for a person (score None); text_only scores 0.
An unanswered question scores 0.
"""

from __future__ import annotations

import math
from typing import Any

from courseport.core.kit.errors import Conflict, DomainError, NotAllowed
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.ids import store_id

MAX_TEXT = 16 * 1024
FOR_A_PERSON = frozenset({"essay_question", "file_upload_question", "calculated_question"})
_ONE_ANSWER = frozenset({"multiple_choice_question", "true_false_question"})
_NUMBERS = frozenset({"numerical_question", "calculated_question"})
_TEXTS = frozenset({"short_answer_question", "essay_question"})


class Refusal(DomainError):
    """A rule of taking a quiz refused the call. Faces may render these in their own shape (Canvas does)."""


class RefusedRight(Refusal, NotAllowed):
    """The caller may not do this to the quiz or its submission (a wrong token or access code)."""


class RefusedState(Refusal):
    """The submission or the request does not allow it now: a finished or overdue attempt, a bad answer."""


class RefusedAgain(Refusal, Conflict):
    """Another attempt is not allowed: one is under way or the attempts are used up."""


# --- what a student gives -------------------------------------------------------------------------

def checked_answer(data: dict[str, Any], raw: Any) -> Any:
    """The stored form of an answer to the question whose `data` is given; None for no answer."""
    kind = data.get("question_type")
    answers = data.get("answers") or []
    if raw in (None, "", [], {}) or kind == "text_only_question":
        return None
    if kind in _ONE_ANSWER:
        return _known(answers, raw)
    if kind == "multiple_answers_question":
        if not isinstance(raw, list):
            raise RefusedState("Selection must be of type Array.")
        return sorted({_known(answers, one) for one in raw})
    if kind in _TEXTS:
        text = _text(raw)
        return sanitize_html(text, "answer") if kind == "essay_question" else text
    if kind in _NUMBERS:
        return _decimal(raw)
    if kind == "matching_question":
        return _pairs(data, raw)
    if kind in ("multiple_dropdowns_question", "fill_in_multiple_blanks_question"):
        return _blanks(kind, answers, raw)
    if kind == "file_upload_question":
        values = raw if isinstance(raw, list) else [raw]
        return [_integer(v) for v in values]
    return None


def _integer(raw: Any) -> int:
    value = store_id(raw) if not isinstance(raw, (dict, list, bool)) else None
    if value is None:
        raise RefusedState("Parameter must be of type Integer.")
    return value


def _known(answers: list[dict[str, Any]], raw: Any) -> int:
    value = _integer(raw)
    if not any(a.get("id") == value for a in answers):
        raise RefusedState(f"Unknown answer '{value}'.")
    return value


def _text(raw: Any) -> str:
    if isinstance(raw, (dict, list)):
        raise RefusedState("Parameter must be of type String.")
    text = str(raw)
    if len(text.encode()) > MAX_TEXT:
        raise RefusedState("Text is too long.")
    return text


def _decimal(raw: Any) -> float:
    try:
        value = float(str(raw).strip()) if not isinstance(raw, (dict, list, bool)) else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise RefusedState("Parameter must be a valid decimal.")
    return value


def _pairs(data: dict[str, Any], raw: Any) -> list[dict[str, int]]:
    if not isinstance(raw, list):
        raise RefusedState("Answer must be of type Array.")
    matches = {m.get("match_id") for m in data.get("matches") or []}
    pairs: dict[int, int] = {}
    for entry in raw:
        if not isinstance(entry, dict):
            raise RefusedState(f"Answer entry must be of type Hash, got '{entry}'.")
        for name in ("answer_id", "match_id"):
            if entry.get(name) in (None, ""):
                raise RefusedState(f"Missing parameter '{name}'.")
        answer_id = _known(data.get("answers") or [], entry["answer_id"])
        match_id = _integer(entry["match_id"])
        if match_id not in matches:
            raise RefusedState(f"Unknown match '{match_id}'.")
        pairs[answer_id] = match_id
    return [{"answer_id": a, "match_id": m} for a, m in pairs.items()]


def _blanks(kind: str, answers: list[dict[str, Any]], raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise RefusedState("Answer must be of type Hash.")
    blanks = {a.get("blank_id") for a in answers}
    given: dict[str, Any] = {}
    for blank, value in raw.items():
        if blank not in blanks:
            raise RefusedState(f"Unknown variable '{blank}'.")
        if kind == "multiple_dropdowns_question":
            given[blank] = _known([a for a in answers if a.get("blank_id") == blank], value)
        else:
            given[blank] = _text(value)
    return given


# --- scoring --------------------------------------------------------------------------------------

def score(data: dict[str, Any], points: float, answer: Any) -> float | None:
    """The points `answer` earns on the question; None when a person must grade it."""
    kind = data.get("question_type")
    if kind in FOR_A_PERSON:
        return None
    if answer is None or not points:
        return 0.0
    return points * _share(kind, data.get("answers") or [], data, answer)


def _share(kind: str | None, answers: list[dict[str, Any]], data: dict[str, Any], answer: Any) -> float:
    """The share (0..1) of the question's points the answer earns."""
    if kind in _ONE_ANSWER:
        return 1.0 if any(a.get("id") == answer and _right(a) for a in answers) else 0.0
    if kind == "multiple_answers_question":
        return _multiple_answers_share(answers, set(answer))
    if kind == "short_answer_question":
        return 1.0 if _same_text(answer, [a.get("text") for a in answers]) else 0.0
    if kind == "numerical_question":
        return 1.0 if any(_fits(a, float(answer)) for a in answers) else 0.0
    if kind == "matching_question":
        given = {p["answer_id"]: p["match_id"] for p in answer}
        right = sum(1 for a in answers if given.get(a.get("id")) == a.get("match_id"))
        return right / len(answers) if answers else 0.0
    if kind in ("multiple_dropdowns_question", "fill_in_multiple_blanks_question"):
        return _blanks_share(kind, answers, answer)
    return 0.0


def _right(answer: dict[str, Any]) -> bool:
    return float(answer.get("weight") or 0) >= 100


def _multiple_answers_share(answers: list[dict[str, Any]], chosen: set[int]) -> float:
    right = {a.get("id") for a in answers if _right(a)}
    if not right:
        return 1.0 if not chosen else 0.0
    earned = len(chosen & right) - len(chosen - right)
    return max(0.0, earned / len(right))


def _same_text(given: str, texts: list[Any]) -> bool:
    wanted = given.strip().lower()
    return any(str(t or "").strip().lower() == wanted for t in texts)


def fitting_answer(answers: list[dict[str, Any]], value: float) -> dict[str, Any] | None:
    """The first of a numerical question's answers the value fits, as scoring matches it (None: none)."""
    return next((a for a in answers if _fits(a, value)), None)


def _fits(answer: dict[str, Any], value: float) -> bool:
    kind = answer.get("numerical_answer_type", "exact_answer")
    if kind == "range_answer":
        low, high = sorted((float(answer.get("start") or 0), float(answer.get("end") or 0)))
        return low <= value <= high
    if kind == "precision_answer":
        digits = max(1, int(answer.get("precision") or 1))
        return _significant(value, digits) == _significant(float(answer.get("approximate") or 0), digits)
    exact, margin = float(answer.get("exact") or 0), abs(float(answer.get("margin") or 0))
    return abs(value - exact) <= margin + 1e-9 * max(1.0, abs(exact))


def _significant(value: float, digits: int) -> float:
    if value == 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def _blanks_share(kind: str, answers: list[dict[str, Any]], given: dict[str, Any]) -> float:
    blanks = list(dict.fromkeys(a.get("blank_id") for a in answers))
    if not blanks:
        return 0.0
    right = 0
    for blank in blanks:
        options = [a for a in answers if a.get("blank_id") == blank]
        value = given.get(str(blank))
        if kind == "multiple_dropdowns_question":
            right += any(a.get("id") == value and _right(a) for a in options)
        elif value is not None:
            right += _same_text(value, [a.get("text") for a in options])
    return right / len(blanks)
