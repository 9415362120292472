"""Quiz questions: content items of type "quiz_question" under their quiz (`parent_id`).

`title` holds the question name, `body` the sanitised question text, `points` its points; data
holds question_type, question_name, the comments and the answers in the shape Canvas stores them
(id, text, html, comments, comments_html, weight; left/right/match_id for matching; exact/margin,
start/end or approximate/precision for numerical). Reading questions needs the right to manage the
quiz, as in Canvas, so answer weights never reach students. The quiz's question_count and
points_possible follow its live questions and groups; `data.quiz_group_id` names the question group
(core/coursework/quiz_groups.py) a question is in.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.coursework import quiz_groups, quizzes
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import ContentItem, User

QUESTION_TYPES = (
    "calculated_question", "essay_question", "file_upload_question", "fill_in_multiple_blanks_question",
    "matching_question", "multiple_answers_question", "multiple_choice_question", "multiple_dropdowns_question",
    "numerical_question", "short_answer_question", "text_only_question", "true_false_question",
)
NUMERICAL_ANSWER_TYPES = ("exact_answer", "range_answer", "precision_answer")
# Every writable question attribute and its type: the one table dialects coerce wire values by.
QUESTION_FIELDS: dict[str, type] = {
    "question_name": str, "question_text": str, "question_type": str, "points_possible": float, "position": int,
    "correct_comments": str, "incorrect_comments": str, "neutral_comments": str, "correct_comments_html": str,
    "incorrect_comments_html": str, "neutral_comments_html": str, "text_after_answers": str,
    "matching_answer_incorrect_matches": str, "answers": list, "quiz_group_id": int,
}
DEFAULT_NAME, DEFAULT_TEXT, DEFAULT_TYPE = "Question", "Question text", "text_only_question"
_HTML_KEYS = frozenset({"correct_comments_html", "incorrect_comments_html", "neutral_comments_html"})
_TEXT_KEYS = frozenset({"correct_comments", "incorrect_comments", "neutral_comments", "text_after_answers",
                        "matching_answer_incorrect_matches"})
_NO_ANSWERS = frozenset({"essay_question", "file_upload_question", "text_only_question"})
_ONE_CORRECT = frozenset({"multiple_choice_question", "true_false_question"})
_BLANKS = frozenset({"fill_in_multiple_blanks_question", "multiple_dropdowns_question"})
_ANSWERS_MESSAGE = "answers must be a list of answer objects"


def _question(db: Session, quiz: ContentItem, question_id: str) -> ContentItem:
    item = content.get_item(db, quiz.course_id, question_id, "quiz_question")
    if item.parent_id != quiz.id:
        raise NotFound("quiz question")
    return item


def list_questions(db: Session, actor: User, course_ref: str | int, quiz_id: str,
                   window: Window) -> Slice[ContentItem]:
    _, quiz = quizzes.quiz_to_manage(db, actor, course_ref, quiz_id)
    stmt = select(ContentItem).where(ContentItem.parent_id == quiz.id, ContentItem.type == "quiz_question",
                                     ContentItem.workflow_state != "deleted")
    return fetch_window(db, stmt.order_by(ContentItem.position, ContentItem.id), window)


def get_question(db: Session, actor: User, course_ref: str | int, quiz_id: str, question_id: str) -> ContentItem:
    _, quiz = quizzes.quiz_to_manage(db, actor, course_ref, quiz_id)
    return _question(db, quiz, question_id)


def create_question(db: Session, actor: User, course_ref: str | int, quiz_id: str,
                    fields: dict[str, Any]) -> ContentItem:
    course, quiz = quizzes.quiz_to_manage(db, actor, course_ref, quiz_id)
    start = {"question_type": DEFAULT_TYPE, "question_name": DEFAULT_NAME, "answers": [],
             **{k: "" for k in _TEXT_KEYS | _HTML_KEYS}}
    values = _values({"answers": [], **fields}, start)
    quiz_groups.checked_member(quiz, fields.get("quiz_group_id"))
    values.setdefault("title", DEFAULT_NAME)
    values.setdefault("body", DEFAULT_TEXT)
    values.setdefault("points", 0.0)
    if values.get("position") is None:
        values["position"] = content.next_position(db, course.id, "quiz_question", quiz.id)
    item = content.create_item(db, course.id, "quiz_question", {
        "parent_id": quiz.id, "workflow_state": "active", **values}, user_id=actor.id)
    quizzes.follow_questions(db, course, actor, quiz)
    return item


def update_question(db: Session, actor: User, course_ref: str | int, quiz_id: str, question_id: str,
                    fields: dict[str, Any]) -> ContentItem:
    """Change the fields given; the others stay (answers are replaced only when given)."""
    course, quiz = quizzes.quiz_to_manage(db, actor, course_ref, quiz_id)
    item = _question(db, quiz, question_id)
    values = _values(fields, dict(item.data or {}))
    quiz_groups.checked_member(quiz, fields.get("quiz_group_id"))
    if values.get("position", 0) is None:
        del values["position"]
    content.update_item(db, item, values)
    quizzes.follow_questions(db, course, actor, quiz)
    return item


def delete_question(db: Session, actor: User, course_ref: str | int, quiz_id: str, question_id: str) -> None:
    course, quiz = quizzes.quiz_to_manage(db, actor, course_ref, quiz_id)
    content.delete_item(db, _question(db, quiz, question_id))
    quizzes.follow_questions(db, course, actor, quiz)


def _values(fields: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Item fields and the merged `data` for the given question attributes, each checked."""
    values: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in QUESTION_FIELDS or key == "answers":
            continue
        if key == "question_type":
            if value not in QUESTION_TYPES:
                raise InvalidInput(key, f"{key} must be one of: {', '.join(QUESTION_TYPES)}")
            data[key] = value
        elif key == "question_name":
            data[key] = values["title"] = (value or "").strip()[:255] or DEFAULT_NAME
        elif key == "question_text":
            values["body"] = sanitize_html(value or "")
        elif key == "points_possible":
            if value is not None and value < 0:
                raise InvalidInput(key, f"{key} must not be negative")
            values["points"] = value or 0.0
        elif key == "quiz_group_id":
            data[key] = value
        elif key == "position":
            if value is not None and value < 1:
                raise InvalidInput(key, f"{key} must be at least 1")
            values["position"] = value
        else:
            data[key] = sanitize_html(value or "") if key in _HTML_KEYS else (value or "")
    if "answers" in fields or "question_type" in fields or "matching_answer_incorrect_matches" in fields:
        raw = fields["answers"] if "answers" in fields else data.get("answers", [])
        data["answers"], matches = parse_answers(data.get("question_type", DEFAULT_TYPE), raw,
                                                 data.get("matching_answer_incorrect_matches") or "")
        data["matches"] = matches
    values["data"] = data
    return values


def parse_answers(question_type: str, raw: Any, distractors: str = "") -> tuple[list[dict], list[dict] | None]:
    """Answers in Canvas's stored shape from what a client sent (answer_text/answer_weight/... or
    the stored names), with ids kept when unique; matching questions also get their matches list."""
    items = _answer_list(raw)
    if question_type in _NO_ANSWERS:
        return [], None
    taken: set[int] = set()
    answers = [_answer(question_type, a, taken) for a in items]
    if question_type in _ONE_CORRECT and answers and not any(a["weight"] == 100 for a in answers):
        answers[0]["weight"] = 100.0  # Canvas marks the first answer correct when none is
    matches = _matches(answers, items, distractors, taken) if question_type == "matching_question" else None
    return answers, matches


def _answer_list(raw: Any) -> list[dict[str, Any]]:
    if raw in (None, ""):
        return []
    if isinstance(raw, dict):  # answers[0][answer_text]=... arrives keyed by index
        try:
            raw = [raw[k] for k in sorted(raw, key=int)]
        except ValueError:
            raise InvalidInput("answers", _ANSWERS_MESSAGE) from None
    if not isinstance(raw, list) or not all(isinstance(a, dict) for a in raw):
        raise InvalidInput("answers", _ANSWERS_MESSAGE)
    return raw


def _pick(raw: dict[str, Any], *names: str, default: Any = "") -> Any:
    return next((raw[n] for n in names if raw.get(n) not in (None, "")), default)


def _number(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput("answers", f"answers {name} must be a number, got {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidInput("answers", f"answers {name} must be a finite number")
    return number


def _new_id(given: Any, taken: set[int]) -> int:
    try:
        wanted = int(given) if given not in (None, "") else 0
    except (TypeError, ValueError):
        wanted = 0
    if wanted <= 0 or wanted in taken:
        wanted = max(taken, default=0) + 1
    taken.add(wanted)
    return wanted


def _answer(question_type: str, raw: dict[str, Any], taken: set[int]) -> dict[str, Any]:
    answer: dict[str, Any] = {"id": _new_id(_pick(raw, "id", "answer_id", default=None), taken)}
    comments = str(_pick(raw, "answer_comments", "answer_comment", "comments"))
    comments_html = sanitize_html(str(_pick(raw, "answer_comment_html", "comments_html")))
    if question_type == "matching_question":
        left = str(_pick(raw, "answer_match_left", "left"))
        answer.update(text=left, left=left, right=str(_pick(raw, "answer_match_right", "right")),
                      comments=comments, comments_html=comments_html)
        return answer
    text = str(_pick(raw, "answer_text", "text"))
    if question_type == "numerical_question":
        kind = _pick(raw, "numerical_answer_type", default="exact_answer")
        if kind not in NUMERICAL_ANSWER_TYPES:
            raise InvalidInput("answers", f"answers numerical_answer_type must be one of: "
                                          f"{', '.join(NUMERICAL_ANSWER_TYPES)}")
        answer.update(text=text, comments=comments, comments_html=comments_html, weight=100.0,
                      numerical_answer_type=kind, **_numerical(kind, raw))
        return answer
    answer.update(text=text, html=sanitize_html(str(_pick(raw, "answer_html", "html"))), comments=comments,
                  comments_html=comments_html,
                  weight=_number(_pick(raw, "answer_weight", "weight", default=0), "answer_weight"))
    if question_type in _BLANKS:
        answer["blank_id"] = str(_pick(raw, "blank_id"))
    return answer


def _numerical(kind: str, raw: dict[str, Any]) -> dict[str, float]:
    names = {"exact_answer": (("exact", "answer_exact"), ("margin", "answer_error_margin")),
             "range_answer": (("start", "answer_range_start"), ("end", "answer_range_end")),
             "precision_answer": (("approximate", "answer_approximate"), ("precision", "answer_precision"))}[kind]
    return {key: _number(_pick(raw, wire, key, default=0), wire) for key, wire in names}


def _matches(answers: list[dict], items: list[dict], distractors: str, taken: set[int]) -> list[dict]:
    """The right-hand choices: one per distinct right text (answers sharing it share its match_id),
    then the distractors, one a line."""
    by_text: dict[str, int] = {}
    for answer, raw in zip(answers, items, strict=True):
        right = answer["right"]
        if right not in by_text:
            by_text[right] = _new_id(_pick(raw, "match_id", default=None), taken)
        answer["match_id"] = by_text[right]
    for line in distractors.split("\n"):
        text = line.strip()[:255]
        if text and text not in by_text:
            by_text[text] = _new_id(None, taken)
    return [{"match_id": match_id, "text": text} for text, match_id in by_text.items()]
