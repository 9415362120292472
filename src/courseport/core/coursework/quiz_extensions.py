"""Quiz extensions: a grader's accommodations for a student on a classic quiz, or on every quiz of a course.

An extension is kept on the student's quiz submission row (schema/quiz_submissions.py), made for it when the
student has not started the quiz yet (`attempt` 0), and binds when they take it (`quiz_attempts.py`):
`extra_attempts` on top of the quiz's allowed attempts, `extra_time` minutes on top of its time limit for each
attempt started afterwards, and `manually_unlocked` to start it outside its dates. An attempt under way is
moved by `extend_from_now` (its end becomes now plus that many minutes) or, failing that, `extend_from_end_at`
(its end moves that many minutes later). Fields not given are left as they are. Limits as Canvas documents
them: 1000 extra attempts, 10080 extra minutes (a week), 1440 minutes (a day) for either move.

Only graders (manage_grades) extend, and only for students of the course; every extension of a call is
checked before any is kept, so a refused call stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.coursework import submission_views
from courseport.core.coursework.quiz_submissions import latest, quiz_in
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import store_id
from courseport.schema import ContentItem, Course, QuizAttempt, QuizSubmission, User
from courseport.schema.base import utcnow

LIMITS = {"extra_attempts": 1000, "extra_time": 10080, "extend_from_now": 1440, "extend_from_end_at": 1440}
_KEPT = ("extra_attempts", "extra_time", "manually_unlocked")


@dataclass(frozen=True)
class ExtensionChanges:
    """One student's extension; fields left UNSET keep what the student has."""

    extra_attempts: int | Unset = UNSET
    extra_time: int | Unset = UNSET
    manually_unlocked: bool | Unset = UNSET
    extend_from_now: int | Unset = UNSET
    extend_from_end_at: int | Unset = UNSET


@dataclass(frozen=True)
class Extension:
    user_id: str | None
    changes: ExtensionChanges


@dataclass(frozen=True)
class ExtensionView:
    quiz_id: int
    submission: QuizSubmission
    end_at: datetime | None  # the end of the student's latest attempt, if they started one


def extend(db: Session, actor: User, course_ref: str | int, quiz_id: str, extensions: list[Extension]
           ) -> list[ExtensionView]:
    """Set students' extensions on one quiz, in the order given."""
    course, rights, quiz = quiz_in(db, actor, course_ref, quiz_id)
    checked = _checked(db, course, rights, extensions)
    now = utcnow()
    return [_apply(db, course, quiz, user_id, changes, now) for user_id, changes in checked]


def extend_in_course(db: Session, actor: User, course_ref: str | int, extensions: list[Extension]
                     ) -> list[ExtensionView]:
    """Set students' extensions on every quiz of the course: one view per student and quiz, by student, then quiz."""
    course, rights = readable_course(db, actor, course_ref)
    checked = _checked(db, course, rights, extensions)
    found = list(db.scalars(select(ContentItem).where(
        ContentItem.course_id == course.id, ContentItem.type == "quiz", ContentItem.workflow_state != "deleted")
        .order_by(ContentItem.id)))
    now = utcnow()
    return [_apply(db, course, quiz, user_id, changes, now) for user_id, changes in checked for quiz in found]


def _checked(db: Session, course: Course, rights: CourseRights, extensions: list[Extension]
             ) -> list[tuple[int, ExtensionChanges]]:
    """Each extension's student id, refused unless the actor grades and every one names a student of the course
    within Canvas's limits."""
    if not rights.can("manage_grades"):
        raise NotAllowed()
    if not extensions:
        raise InvalidInput("extensions", "extensions must name at least one student")
    for extension in extensions:
        if extension.user_id in (None, ""):
            raise InvalidInput("user_id", "user_id is required")
        for name, value in given(extension.changes).items():
            if name in LIMITS and not 0 <= value <= LIMITS[name]:
                raise InvalidInput(name, f"{name} must be between 0 and {LIMITS[name]}")
    ids = [store_id(str(e.user_id)) or 0 for e in extensions]
    if set(ids) - submission_views.student_ids(db, course.id, ids):
        raise NotFound("user")
    return [(user_id, e.changes) for user_id, e in zip(ids, extensions, strict=True)]


def _apply(db: Session, course: Course, quiz: ContentItem, user_id: int, changes: ExtensionChanges,
           now: datetime) -> ExtensionView:
    row = _row(db, course, quiz, user_id)
    for name, value in given(changes).items():
        if name in _KEPT:
            setattr(row, name, value)
    end_at = None
    if row.attempt > 0:
        current = latest(db, row, for_update=True)
        if current.workflow_state == "untaken":
            _move_end(current, changes, now)
        end_at = current.end_at
    db.flush()
    return ExtensionView(quiz.id, row, end_at)


def _move_end(current: QuizAttempt, changes: ExtensionChanges, now: datetime) -> None:
    """extend_from_now, else extend_from_end_at (of an attempt with an end), moves the attempt's end."""
    from_now, from_end = changes.extend_from_now, changes.extend_from_end_at
    if isinstance(from_now, int) and from_now > 0:
        current.end_at = now + timedelta(minutes=from_now)
    elif isinstance(from_end, int) and from_end > 0 and current.end_at is not None:
        current.end_at = current.end_at + timedelta(minutes=from_end)


def _row(db: Session, course: Course, quiz: ContentItem, user_id: int) -> QuizSubmission:
    """The student's submission row, made (without an attempt) if they have none; one a concurrent start or
    extension made first is taken."""
    def find() -> QuizSubmission | None:
        return db.scalar(select(QuizSubmission).where(QuizSubmission.quiz_id == quiz.id,
                                                      QuizSubmission.user_id == user_id,
                                                      QuizSubmission.preview.is_(False)))
    row = find()
    if row is not None:
        return row
    try:
        with db.begin_nested():
            row = QuizSubmission(quiz_id=quiz.id, course_id=course.id, user_id=user_id, preview=False, attempt=0)
            db.add(row)
        return row
    except IntegrityError:
        made = find()
        if made is None:
            raise
        return made
