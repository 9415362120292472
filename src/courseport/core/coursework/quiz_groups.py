"""Quiz question groups: a classic quiz's sets of questions of which each attempt draws `pick_count` at random,
each worth the group's `question_points`.

A quiz keeps its groups in its own `data` (`quizzes.GROUPS`: a list of {id, name, pick_count, question_points,
position}, ids numbered within the quiz from `quizzes.GROUP_SEQUENCE`), and a question names its group in its
`data` (`quiz_group_id`). Both travel with the quiz and its questions, so a course copy or blueprint sync keeps
each question in its group without knowing groups. A group's position shares the quiz's top-level order with
the questions outside any group; reordering a group orders its questions. Deleting a group deletes its
questions, as Canvas does (its groups own their questions). Groups drawing from question banks are not served.

Only those who manage the quiz read or write its groups. The quiz's question_count and points_possible count
each group as `pick_count` questions of `question_points` (`quizzes.follow_questions`); an attempt keeps the
questions drawn for it when it starts (`draw`, `drawn`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.coursework import quizzes
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.ids import store_id
from courseport.schema import ContentItem, User

MAX_NAME = 255
DEFAULT_PICK_COUNT, DEFAULT_QUESTION_POINTS = 1, 1.0  # what Canvas's quiz editor starts a group with


@dataclass(frozen=True)
class GroupChanges:
    """A group's fields as a create or update gives them; UNSET keeps what the group has."""

    name: str | None | Unset = UNSET
    pick_count: int | None | Unset = UNSET
    question_points: float | None | Unset = UNSET
    assessment_question_bank_id: int | None | Unset = UNSET


@dataclass(frozen=True)
class GroupView:
    quiz_id: int
    id: int
    name: str | None
    pick_count: int
    question_points: float
    position: int


@dataclass(frozen=True)
class Drawn:
    """A question as one attempt shows it: its points are its group's question_points when it is in one."""

    item: ContentItem
    points: float
    group_id: int | None


def groups_of(quiz: ContentItem) -> dict[int, dict[str, Any]]:
    """The quiz's groups by id."""
    return {g["id"]: g for g in (quiz.data or {}).get(quizzes.GROUPS) or []}


def group_of(quiz: ContentItem, question: ContentItem) -> int | None:
    """The id of the quiz's group the question is in (None: in none)."""
    group_id = (question.data or {}).get("quiz_group_id")
    return group_id if group_id in groups_of(quiz) else None


def list_groups(db: Session, actor: User, course_ref: str | int, quiz_id: str) -> list[GroupView]:
    """The quiz's groups by position."""
    _, quiz = quizzes.quiz_to_manage(db, actor, course_ref, quiz_id)
    return sorted((_view(quiz, g) for g in groups_of(quiz).values()), key=lambda v: (v.position, v.id))


def get_group(db: Session, actor: User, course_ref: str | int, quiz_id: str, group_id: str) -> GroupView:
    _, quiz = quizzes.quiz_to_manage(db, actor, course_ref, quiz_id)
    return _view(quiz, _group(quiz, group_id))


def create_group(db: Session, actor: User, course_ref: str | int, quiz_id: str, changes: GroupChanges) -> GroupView:
    course, quiz = quizzes.quiz_to_manage(db, actor, course_ref, quiz_id)
    values = _checked(changes)
    db.refresh(quiz, with_for_update=True)  # concurrent group writes to this quiz queue (PostgreSQL)
    data = quiz.data or {}
    group_id = int(data.get(quizzes.GROUP_SEQUENCE) or 0) + 1
    group = {"id": group_id, "name": None, "pick_count": DEFAULT_PICK_COUNT,
             "question_points": DEFAULT_QUESTION_POINTS, "position": _next_position(db, quiz), **values}
    content.update_item(db, quiz, {"data": {quizzes.GROUPS: [*groups_of(quiz).values(), group],
                                            quizzes.GROUP_SEQUENCE: group_id}})
    quizzes.follow_questions(db, course, actor, quiz)
    return _view(quiz, group)


def update_group(db: Session, actor: User, course_ref: str | int, quiz_id: str, group_id: str,
                 changes: GroupChanges) -> GroupView:
    course, quiz = quizzes.quiz_to_manage(db, actor, course_ref, quiz_id)
    values = _checked(changes)
    db.refresh(quiz, with_for_update=True)
    group = {**_group(quiz, group_id), **values}
    content.update_item(db, quiz, {"data": {quizzes.GROUPS: [group if g["id"] == group["id"] else g
                                                             for g in groups_of(quiz).values()]}})
    quizzes.follow_questions(db, course, actor, quiz)
    return _view(quiz, group)


def delete_group(db: Session, actor: User, course_ref: str | int, quiz_id: str, group_id: str) -> None:
    """Delete the group and the questions in it."""
    course, quiz = quizzes.quiz_to_manage(db, actor, course_ref, quiz_id)
    db.refresh(quiz, with_for_update=True)
    group = _group(quiz, group_id)
    for question in _members(db, quiz, group["id"]):
        content.delete_item(db, question)
    content.update_item(db, quiz, {"data": {quizzes.GROUPS: [g for g in groups_of(quiz).values()
                                                             if g["id"] != group["id"]]}})
    quizzes.follow_questions(db, course, actor, quiz)


def reorder_group(db: Session, actor: User, course_ref: str | int, quiz_id: str, group_id: str,
                  order: list[str]) -> None:
    """Put the group's questions in the order given (ids of its questions); those not named follow in their order."""
    _, quiz = quizzes.quiz_to_manage(db, actor, course_ref, quiz_id)
    members = {q.id: q for q in _members(db, quiz, _group(quiz, group_id)["id"])}
    if not order:
        raise InvalidInput("order", "order must name at least one question of the group")
    named = [store_id(i) for i in order]
    if any(i not in members for i in named):
        raise InvalidInput("order", "order must name questions of this group")
    ordered = [members[i] for i in dict.fromkeys(named) if i is not None]
    ordered += [q for q in members.values() if q not in ordered]
    for position, question in enumerate(ordered, start=1):
        content.update_item(db, question, {"position": position})


def checked_member(quiz: ContentItem, group_id: int | None) -> int | None:
    """The group a question asks to join: None leaves any; an id must name a group of the quiz."""
    if group_id is not None and group_id not in groups_of(quiz):
        raise InvalidInput("quiz_group_id", "quiz_group_id must name a question group of this quiz")
    return group_id


def draw(quiz: ContentItem, questions: list[ContentItem]) -> dict[str, list[int]]:
    """Each group's questions for a new attempt: pick_count of them (all, if fewer) chosen at random, by
    group id."""
    pool: dict[int, list[int]] = {}
    for question in questions:
        group_id = group_of(quiz, question)
        if group_id is not None:
            pool.setdefault(group_id, []).append(question.id)
    chooser = secrets.SystemRandom()
    return {str(group_id): sorted(chooser.sample(ids, min(len(ids), groups_of(quiz)[group_id]["pick_count"])))
            for group_id, ids in pool.items()}


def drawn(quiz: ContentItem, questions: list[ContentItem], picks: dict[str, list[int]]) -> list[Drawn]:
    """The questions an attempt shows, from the quiz's live questions (by position) and the attempt's picks:
    every question outside a group, and the picked questions of each group at the group's place."""
    groups = groups_of(quiz)
    entries: list[tuple[int, int, list[Drawn]]] = []
    inside: dict[int, list[Drawn]] = {}
    for question in questions:
        group_id = group_of(quiz, question)
        if group_id is None:
            entries.append((question.position or 0, 0, [Drawn(question, question.points or 0.0, None)]))
        elif question.id in picks.get(str(group_id), []):
            points = float(groups[group_id]["question_points"] or 0.0)
            inside.setdefault(group_id, []).append(Drawn(question, points, group_id))
    entries += [(groups[g]["position"], 1, shown) for g, shown in inside.items()]
    return [d for _, _, shown in sorted(entries, key=lambda e: (e[0], e[1])) for d in shown]


def _group(quiz: ContentItem, group_id: str | int) -> dict[str, Any]:
    group = groups_of(quiz).get(store_id(group_id) or 0)
    if group is None:
        raise NotFound("quiz group")
    return dict(group)


def _members(db: Session, quiz: ContentItem, group_id: int) -> list[ContentItem]:
    questions = db.scalars(select(ContentItem).where(
        ContentItem.parent_id == quiz.id, ContentItem.type == "quiz_question",
        ContentItem.workflow_state != "deleted").order_by(ContentItem.position, ContentItem.id))
    return [q for q in questions if (q.data or {}).get("quiz_group_id") == group_id]


def _next_position(db: Session, quiz: ContentItem) -> int:
    """After the quiz's last top-level entry: its questions outside groups and its groups."""
    positions = [g["position"] for g in groups_of(quiz).values()]
    positions += [q.position or 0 for q in db.scalars(select(ContentItem).where(
        ContentItem.parent_id == quiz.id, ContentItem.type == "quiz_question",
        ContentItem.workflow_state != "deleted")) if group_of(quiz, q) is None]
    return max(positions, default=0) + 1


def _checked(changes: GroupChanges) -> dict[str, Any]:
    values = given(changes)
    if values.get("assessment_question_bank_id") is not None:
        raise InvalidInput("assessment_question_bank_id", "assessment_question_bank_id: question banks are not "
                                                          "supported")
    values.pop("assessment_question_bank_id", None)
    if "name" in values:
        name = (values["name"] or "").strip() or None
        if name is not None and len(name) > MAX_NAME:
            raise InvalidInput("name", f"name is too long (at most {MAX_NAME} characters)")
        values["name"] = name
    if "pick_count" in values:
        if values["pick_count"] is not None and values["pick_count"] < 0:
            raise InvalidInput("pick_count", "pick_count must not be negative")
        values["pick_count"] = values["pick_count"] if values["pick_count"] is not None else DEFAULT_PICK_COUNT
    if "question_points" in values:
        points = values["question_points"]
        if points is not None and points < 0:
            raise InvalidInput("question_points", "question_points must not be negative")
        values["question_points"] = float(points) if points is not None else DEFAULT_QUESTION_POINTS
    return values


def _view(quiz: ContentItem, group: dict[str, Any]) -> GroupView:
    return GroupView(quiz.id, group["id"], group.get("name"), int(group["pick_count"]),
                     float(group["question_points"]), int(group["position"]))
