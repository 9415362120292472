"""Classic quizzes: content items of type "quiz", and the assignment a graded quiz is submitted to.

A quiz keeps its description in `body`, points_possible in `points`, and its settings in `data`.
A graded quiz (quiz_type "assignment" or "graded_survey") refers (`ref_id`) to an assignment item
with data {"quiz": true} and submission type "online_quiz", kept titled, dated, pointed and
published like the quiz; making the quiz ungraded deletes that assignment. Its question groups are kept in
`data` too (`GROUPS`, core/coursework/quiz_groups.py). Members who may not
manage content see published quizzes only; a quiz a student has started (core/coursework/quiz_attempts.py) or
whose assignment has submissions cannot be unpublished. Questions live in `core/coursework/quiz_questions.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.courses.courses import readable_course
from courseport.core.coursework import assignment_groups, late_regrades
from courseport.core.identity.permissions import CourseRights, require
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import ContentItem, Course, QuizSubmission, Submission, User
from courseport.schema.base import utcnow

QUIZ_TYPES = ("practice_quiz", "assignment", "graded_survey", "survey")
GRADED_TYPES = frozenset({"assignment", "graded_survey"})
HIDE_RESULTS = ("always", "until_after_last_attempt")
SCORING_POLICIES = ("keep_highest", "keep_latest", "keep_average")
MANAGE = "manage_content"
# Where a quiz's `data` keeps its question groups and the last group id it gave (core/coursework/quiz_groups.py).
GROUPS, GROUP_SEQUENCE = "quiz_groups", "quiz_group_sequence"
DEFAULT_TITLE = "Unnamed Quiz"
MIN_SEARCH_LENGTH = 2
# Every writable quiz attribute and its type: the one table dialects coerce wire values by.
QUIZ_FIELDS: dict[str, type] = {
    "title": str, "description": str, "quiz_type": str, "assignment_group_id": int, "time_limit": int,
    "shuffle_answers": bool, "hide_results": str, "show_correct_answers": bool,
    "show_correct_answers_last_attempt": bool, "show_correct_answers_at": datetime,
    "hide_correct_answers_at": datetime, "allowed_attempts": int, "scoring_policy": str,
    "one_question_at_a_time": bool, "cant_go_back": bool, "access_code": str, "ip_filter": str,
    "due_at": datetime, "lock_at": datetime, "unlock_at": datetime, "published": bool,
    "one_time_results": bool, "only_visible_to_overrides": bool, "points_possible": float,
    "anonymous_submissions": bool,
}
# The settings kept in `data`, with the values a new quiz starts from (Canvas's defaults).
SETTINGS: dict[str, Any] = {
    "quiz_type": "assignment", "time_limit": None, "shuffle_answers": False, "hide_results": None,
    "show_correct_answers": True, "show_correct_answers_last_attempt": False, "show_correct_answers_at": None,
    "hide_correct_answers_at": None, "allowed_attempts": 1, "scoring_policy": "keep_highest",
    "one_question_at_a_time": False, "cant_go_back": False, "access_code": None, "ip_filter": None,
    "one_time_results": False, "only_visible_to_overrides": False, "anonymous_submissions": False,
}
_COLUMNS = {"title": "title", "description": "body", "points_possible": "points", "due_at": "due_at",
            "lock_at": "lock_at", "unlock_at": "unlock_at"}
_ASSIGNMENT_DATA = {"quiz": True, "submission_types": ["online_quiz"], "grading_type": "points",
                    "omit_from_final_grade": False, "only_visible_to_overrides": False, "peer_reviews": False}


@dataclass(frozen=True)
class QuizView:
    item: ContentItem
    assignment: ContentItem | None
    rights: CourseRights
    question_types: tuple[str, ...]
    has_submissions: bool
    now: datetime

    @property
    def manages(self) -> bool:
        return self.rights.can(MANAGE)

    @property
    def locked(self) -> bool:
        """Locked for this viewer: outside the quiz's availability dates (staff never are)."""
        if self.manages:
            return False
        item = self.item
        return bool((item.unlock_at and item.unlock_at > self.now) or (item.lock_at and item.lock_at <= self.now))


def visible_quiz(db: Session, course_id: int, rights: CourseRights, quiz_id: int | str) -> ContentItem:
    """A live quiz of the course; an unpublished one only for those who manage content."""
    item = content.get_item(db, course_id, quiz_id, "quiz")
    if item.workflow_state != "published" and not rights.can(MANAGE):
        raise NotFound("quiz")
    return item


def quiz_to_manage(db: Session, actor: User, course_ref: str | int, quiz_id: str) -> tuple[Course, ContentItem]:
    """The quiz, for those who may manage it; others get 404 for an unpublished quiz, else 403."""
    course, rights = readable_course(db, actor, course_ref)
    quiz = visible_quiz(db, course.id, rights, quiz_id)
    require(rights, MANAGE)
    return course, quiz


def quiz_views(db: Session, rights: CourseRights, items: list[ContentItem]) -> list[QuizView]:
    ids = [i.id for i in items]
    refs = [i.ref_id for i in items if i.ref_id]
    assignments = {a.id: a for a in db.scalars(select(ContentItem).where(ContentItem.id.in_(refs)))} if refs else {}
    types: dict[int, set[str | None]] = {}
    if ids:
        for parent, data in db.execute(select(ContentItem.parent_id, ContentItem.data).where(
                ContentItem.parent_id.in_(ids), ContentItem.type == "quiz_question",
                ContentItem.workflow_state != "deleted")):
            types.setdefault(parent, set()).add((data or {}).get("question_type"))
    submitted = set(db.scalars(select(Submission.item_id).where(
        Submission.item_id.in_(refs), Submission.workflow_state != "unsubmitted"))) if refs else set()
    taken = set(db.scalars(select(QuizSubmission.quiz_id).where(
        QuizSubmission.quiz_id.in_(ids), QuizSubmission.preview.is_(False),
        QuizSubmission.attempt > 0))) if ids else set()
    now = utcnow()
    return [QuizView(i, assignments.get(i.ref_id) if i.ref_id else None, rights,
                     tuple(sorted(t for t in types.get(i.id, ()) if t)), i.ref_id in submitted or i.id in taken, now)
            for i in items]


def list_quizzes(db: Session, actor: User, course_ref: str | int, search_term: str | None,
                 window: Window) -> Slice[QuizView]:
    course, rights = readable_course(db, actor, course_ref)
    stmt = select(ContentItem).where(ContentItem.course_id == course.id, ContentItem.type == "quiz",
                                     ContentItem.workflow_state != "deleted")
    if not rights.can(MANAGE):
        stmt = stmt.where(ContentItem.workflow_state == "published")
    if search_term is not None:
        if len(search_term.strip()) < MIN_SEARCH_LENGTH:
            raise InvalidInput("search_term", f"search_term of {MIN_SEARCH_LENGTH} or more characters is required")
        stmt = stmt.where(ContentItem.title.icontains(search_term.strip(), autoescape=True))
    # Canvas lists a course's quizzes by lock date, then title.
    stmt = stmt.order_by(ContentItem.lock_at.is_(None), ContentItem.lock_at, ContentItem.title, ContentItem.id)
    page = fetch_window(db, stmt, window)
    return Slice(quiz_views(db, rights, page.items), page.has_more, page.total)


def get_quiz(db: Session, actor: User, course_ref: str | int, quiz_id: str) -> QuizView:
    course, rights = readable_course(db, actor, course_ref)
    return quiz_views(db, rights, [visible_quiz(db, course.id, rights, quiz_id)])[0]


def create_quiz(db: Session, actor: User, course_ref: str | int, fields: dict[str, Any]) -> QuizView:
    course, rights = readable_course(db, actor, course_ref, MANAGE)
    values = _checked(fields, {**SETTINGS, "question_count": 0}, None)
    title = (values.pop("title", None) or "").strip() or DEFAULT_TITLE
    item = content.create_item(db, course.id, "quiz", {
        "title": title, "workflow_state": "published" if values.pop("published", False) else "unpublished",
        "data": values.pop("data"), **values}, user_id=actor.id)
    sync_assignment(db, course, actor, item, fields.get("assignment_group_id"))
    return quiz_views(db, rights, [item])[0]


def update_quiz(db: Session, actor: User, course_ref: str | int, quiz_id: str, fields: dict[str, Any]) -> QuizView:
    course, rights = readable_course(db, actor, course_ref, MANAGE)
    item = content.get_item(db, course.id, quiz_id, "quiz")
    values = _checked(fields, dict(item.data or {}), item)
    if "title" in values:
        values["title"] = (values["title"] or "").strip() or item.title
    if "published" in values:
        published = values.pop("published")
        if published is False and item.workflow_state == "published" and _has_submissions(db, item):
            raise InvalidInput("published", "published: a quiz with submissions cannot be unpublished")
        if published is not None:
            values["workflow_state"] = "published" if published else "unpublished"
    content.update_item(db, item, values)
    sync_assignment(db, course, actor, item, fields.get("assignment_group_id"))
    return quiz_views(db, rights, [item])[0]


def delete_quiz(db: Session, actor: User, course_ref: str | int, quiz_id: str) -> QuizView:
    """Soft-delete a quiz and its assignment; the view shows the deleted quiz."""
    course, rights = readable_course(db, actor, course_ref, MANAGE)
    item = content.get_item(db, course.id, quiz_id, "quiz")
    view = quiz_views(db, rights, [item])[0]
    content.delete_item(db, item)
    if view.assignment is not None and view.assignment.workflow_state != "deleted":
        content.delete_item(db, view.assignment)
    return view


def _checked(fields: dict[str, Any], data: dict[str, Any], item: ContentItem | None) -> dict[str, Any]:
    """The item fields (and merged `data`) a create or update asks for, each value checked."""
    values: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in QUIZ_FIELDS or key == "assignment_group_id":
            continue
        value = _checked_value(key, value)
        if key in _COLUMNS:
            values[_COLUMNS[key]] = value
        elif key == "published":
            values["published"] = value
        else:
            data[key] = value.isoformat() if isinstance(value, datetime) else value
    _check_combination(data)
    unlock_at = values.get("unlock_at", item.unlock_at if item else None)
    lock_at = values.get("lock_at", item.lock_at if item else None)
    if unlock_at and lock_at and lock_at < unlock_at:
        raise InvalidInput("lock_at", "lock_at must not be before unlock_at")
    values["data"] = data
    return values


def _checked_value(key: str, value: Any) -> Any:
    allowed = {"quiz_type": QUIZ_TYPES, "hide_results": HIDE_RESULTS, "scoring_policy": SCORING_POLICIES}.get(key)
    if allowed is not None:
        value = value or None
        if value is None and key != "hide_results":
            raise InvalidInput(key, f"{key} must be one of: {', '.join(allowed)}")
        if value is not None and value not in allowed:
            raise InvalidInput(key, f"{key} must be one of: {', '.join(allowed)}")
    if key == "title" and value and len(value) > 255:
        raise InvalidInput("title", "title is too long (at most 255 characters)")
    if key == "description":
        value = sanitize_html(value or "")
    if key in ("access_code", "ip_filter"):
        value = value or None
    if key == "time_limit" and value is not None and value < 0:
        raise InvalidInput("time_limit", "time_limit must not be negative")
    if key == "allowed_attempts" and value is not None and (value < -1 or value == 0):
        raise InvalidInput("allowed_attempts", "allowed_attempts must be -1 (unlimited) or at least 1")
    if key == "allowed_attempts" and value is None:
        value = -1
    if key == "points_possible" and value is not None and value < 0:
        raise InvalidInput("points_possible", "points_possible must not be negative")
    if QUIZ_FIELDS[key] is bool and value is None:
        value = SETTINGS.get(key, False)
    return value


def _check_combination(data: dict[str, Any]) -> None:
    """The settings Canvas accepts only together (it drops them silently; we say why)."""
    if data.get("hide_results") == "until_after_last_attempt" and data.get("allowed_attempts") == 1:
        raise InvalidInput("hide_results", "hide_results until_after_last_attempt needs allowed_attempts above 1")


def _has_submissions(db: Session, item: ContentItem) -> bool:
    """A student has started the quiz, or turned in or been graded on its assignment."""
    if db.scalar(select(QuizSubmission.id).where(QuizSubmission.quiz_id == item.id, QuizSubmission.preview.is_(False),
                                                 QuizSubmission.attempt > 0).limit(1)) is not None:
        return True
    if item.ref_id is None:
        return False
    return (db.scalar(select(func.count()).where(Submission.item_id == item.ref_id,
                                                 Submission.workflow_state != "unsubmitted")) or 0) > 0


def sync_assignment(db: Session, course: Course, actor: User, quiz: ContentItem, group_id: int | None) -> None:
    """Give a graded quiz its assignment and keep it like the quiz; an ungraded quiz loses it."""
    assignment = db.get(ContentItem, quiz.ref_id) if quiz.ref_id else None
    if assignment is not None and assignment.workflow_state == "deleted":
        assignment = None
    if (quiz.data or {}).get("quiz_type") not in GRADED_TYPES:
        if assignment is not None:
            content.delete_item(db, assignment)
        if quiz.ref_id is not None:
            content.update_item(db, quiz, {"ref_id": None})
        return
    fields: dict[str, Any] = {
        "title": quiz.title, "body": quiz.body, "points": quiz.points, "due_at": quiz.due_at,
        "unlock_at": quiz.unlock_at, "lock_at": quiz.lock_at,
        "workflow_state": "published" if quiz.workflow_state == "published" else "unpublished"}
    if group_id is not None or assignment is None:
        fields["parent_id"] = _group(db, course.id, group_id).id
        if assignment is not None and assignment.parent_id != fields["parent_id"]:
            fields["position"] = content.next_position(db, course.id, "assignment", fields["parent_id"])
    if assignment is None:
        assignment = content.create_item(db, course.id, "assignment", {**fields, "data": dict(_ASSIGNMENT_DATA)},
                                         user_id=actor.id)
        content.update_item(db, quiz, {"ref_id": assignment.id})
    elif "due_at" in content.update_item(db, assignment, fields):
        late_regrades.dates_moved(db, assignment)


def _group(db: Session, course_id: int, group_id: int | None) -> ContentItem:
    if group_id is None:
        return assignment_groups.default_group(db, course_id)
    try:
        return assignment_groups.group_in(db, course_id, group_id)
    except NotFound:
        raise InvalidInput("assignment_group_id",
                           "assignment_group_id must name an assignment group of this course") from None


def follow_questions(db: Session, course: Course, actor: User, quiz: ContentItem) -> None:
    """Set the quiz's question_count and points_possible from its live questions and its question groups (and
    its assignment's): a group counts as pick_count questions worth its question_points each, as in Canvas."""
    groups = {g["id"]: g for g in (quiz.data or {}).get(GROUPS) or []}
    count, total = 0, 0.0
    for points, data in db.execute(select(ContentItem.points, ContentItem.data).where(
            ContentItem.parent_id == quiz.id, ContentItem.type == "quiz_question",
            ContentItem.workflow_state != "deleted")):
        if (data or {}).get("quiz_group_id") not in groups:
            count, total = count + 1, total + (points or 0.0)
    for group in groups.values():
        count += int(group["pick_count"])
        total += int(group["pick_count"]) * float(group["question_points"])
    content.update_item(db, quiz, {"points": total, "data": {"question_count": count}})
    if quiz.ref_id is not None:
        sync_assignment(db, course, actor, quiz, None)
