"""Who gave which answer to a quiz question, per question type, for its statistics
(core/coursework/quiz_statistics.py): pure computation over the answers stored with each attempt.

Choice questions (multiple choice, true/false, multiple answers) list each predefined answer with the students
who chose it; short answers list each predefined answer with the students whose text equals it (case and
outer spaces ignored, as graded), then those whose text matched none (`unmatched`); numerical questions each
answer with the students whose number fits it first (as graded), then those whose number fits none. Fill in
multiple blanks and multiple dropdowns give one set per blank (by its name) of the blank's answers; matching
one set per left side (by its answer id) of the question's right-hand matches, the right one marked. Every
list ends with the students who gave nothing there, when there are any. User ids are in the order the answers
are given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from courseport.core.coursework.quiz_grading import fitting_answer
from courseport.core.kit.html import plain_text

CHOICES = frozenset({"multiple_choice_question", "true_false_question", "multiple_answers_question"})
BLANKS = frozenset({"fill_in_multiple_blanks_question", "multiple_dropdowns_question"})


@dataclass(frozen=True)
class AnswerFigures:
    """A predefined answer (`answer_id`), or with `answer_id` None: the students whose answer matched none of
    them (`unmatched`) or who gave none."""

    answer_id: int | None
    text: str
    correct: bool
    user_ids: list[int] = field(default_factory=list)
    unmatched: bool = False
    numeric: dict[str, Any] | None = None  # a numerical answer's stored kind, value, margin, range or precision


@dataclass(frozen=True)
class AnswerSet:
    """One blank (`key` its name) or one left side of a matching question (`key` its answer id)."""

    key: str
    text: str
    answers: list[AnswerFigures]


def _right(answer: dict[str, Any]) -> bool:
    return float(answer.get("weight") or 0) == 100


def _predefined(answers: list[dict[str, Any]], *, all_right: bool = False) -> list[AnswerFigures]:
    return [AnswerFigures(a.get("id"), str(a.get("text") or "") or plain_text(a.get("html") or ""),
                          all_right or _right(a)) for a in answers]


def _same(given: Any, text: Any) -> bool:
    return str(given).strip().lower() == str(text or "").strip().lower()


def _tally(found: list[AnswerFigures], picks: list[tuple[int, list[AnswerFigures] | None]]) -> list[AnswerFigures]:
    """Add each student to the answers they picked (None: something matching no answer; []: nothing)."""
    other, nobody = AnswerFigures(None, "", False, unmatched=True), AnswerFigures(None, "", False)
    for user_id, hits in picks:
        for figures in hits if hits else [other] if hits is None else [nobody]:
            figures.user_ids.append(user_id)
    return found + [f for f in (other, nobody) if f.user_ids]


def choices(data: dict[str, Any], given: list[tuple[int, Any]]) -> list[AnswerFigures]:
    found = _predefined(data.get("answers") or [])
    picks: list[tuple[int, list[AnswerFigures] | None]] = []
    for user_id, answer in given:
        chosen = answer if isinstance(answer, list) else [answer]
        picks.append((user_id, [f for f in found if f.answer_id in chosen]))
    return _tally(found, picks)


def short_answers(data: dict[str, Any], given: list[tuple[int, Any]]) -> list[AnswerFigures]:
    found = _predefined(data.get("answers") or [], all_right=True)
    picks: list[tuple[int, list[AnswerFigures] | None]] = []
    for user_id, answer in given:
        if not str(answer or "").strip():
            picks.append((user_id, []))
            continue
        hit = next((f for f in found if _same(answer, f.text)), None)
        picks.append((user_id, [hit] if hit else None))
    return _tally(found, picks)


def numbers(data: dict[str, Any], given: list[tuple[int, Any]]) -> list[AnswerFigures]:
    """Each numerical answer with the students whose number fits it (the first that fits, as graded)."""
    answers = data.get("answers") or []
    found = [AnswerFigures(a.get("id"), str(a.get("text") or ""), True, numeric=a) for a in answers]
    picks: list[tuple[int, list[AnswerFigures] | None]] = []
    for user_id, answer in given:
        if not isinstance(answer, (int, float)) or isinstance(answer, bool):
            picks.append((user_id, []))
            continue
        hit = fitting_answer(answers, float(answer))
        picks.append((user_id, [f for f in found if hit is not None and f.answer_id == hit.get("id")] or None))
    return _tally(found, picks)


def blank_sets(kind: str, data: dict[str, Any], given: list[tuple[int, Any]]) -> list[AnswerSet]:
    answers = data.get("answers") or []
    sets = []
    for blank in dict.fromkeys(str(a.get("blank_id")) for a in answers):
        found = _predefined([a for a in answers if str(a.get("blank_id")) == blank])
        picks: list[tuple[int, list[AnswerFigures] | None]] = []
        for user_id, answer in given:
            value = answer.get(blank) if isinstance(answer, dict) else None
            if value is None or not str(value).strip():
                picks.append((user_id, []))
                continue
            hit = next((f for f in found if (f.answer_id == value if kind == "multiple_dropdowns_question"
                                             else _same(value, f.text))), None)
            picks.append((user_id, [hit] if hit else None))
        sets.append(AnswerSet(blank, blank, _tally(found, picks)))
    return sets


def matching_sets(data: dict[str, Any], given: list[tuple[int, Any]]) -> list[AnswerSet]:
    sets = []
    for left in data.get("answers") or []:
        found = [AnswerFigures(m.get("match_id"), str(m.get("text") or ""), m.get("match_id") == left.get("match_id"))
                 for m in data.get("matches") or []]
        picks: list[tuple[int, list[AnswerFigures] | None]] = []
        for user_id, answer in given:
            pairs = {p.get("answer_id"): p.get("match_id") for p in answer if isinstance(p, dict)} \
                if isinstance(answer, list) else {}
            picks.append((user_id, [f for f in found if f.answer_id == pairs.get(left.get("id"))]))
        sets.append(AnswerSet(str(left.get("id")), str(left.get("left") or left.get("text") or ""),
                              _tally(found, picks)))
    return sets


def parts_given(kind: str, data: dict[str, Any], answer: Any) -> tuple[int, int]:
    """How many blanks (or left sides) the answer fills, of how many."""
    if kind == "matching_question":
        lefts = {a.get("id") for a in data.get("answers") or []}
        done = {p.get("answer_id") for p in answer if isinstance(p, dict)} if isinstance(answer, list) else set()
        return len(lefts & done), len(lefts)
    blanks = set(str(a.get("blank_id")) for a in data.get("answers") or [])
    filled = {k for k, v in answer.items() if v is not None and str(v).strip()} if isinstance(answer, dict) else set()
    return len(blanks & filled), len(blanks)
