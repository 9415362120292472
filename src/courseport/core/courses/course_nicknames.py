"""A user's own names for courses (course nicknames): set, read, list, remove and clear them.

A nickname is the caller's alone: course reads show it as the course's name, for that user only
(core/views/course_views.py and course_lists.py read the same rows). Setting one needs the right to
read the course; removing one needs only the course to exist, so a nickname outlives the enrollment
that allowed it and can still be taken away (as Canvas does).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course, resolve_course
from courseport.core.identity.permissions import course_rights
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.paging import Slice, Window
from courseport.schema import Course, CourseNickname, User

# Canvas: "It must be non-empty and shorter than 60 characters."
MAX_LENGTH = 59


@dataclass(frozen=True)
class Nickname:
    course_id: int
    name: str  # the course's own name
    nickname: str | None  # None: the user gave the course none


def list_nicknames(db: Session, actor: User, window: Window) -> Slice[Nickname]:
    """The actor's nicknames of courses not deleted, by course id."""
    rows = db.execute(select(CourseNickname.course_id, Course.name, CourseNickname.nickname)
                      .join(Course, Course.id == CourseNickname.course_id)
                      .where(CourseNickname.user_id == actor.id, Course.workflow_state != "deleted")
                      .order_by(CourseNickname.course_id).offset(window.offset).limit(window.limit + 1)).all()
    items = [Nickname(*row) for row in rows[: window.limit]]
    return Slice(items, len(rows) > window.limit)


def get_nickname(db: Session, actor: User, course_ref: str | int) -> Nickname:
    """The actor's nickname of a course they may read; None when they gave it none (Canvas answers null)."""
    course, _ = readable_course(db, actor, course_ref)
    row = _row(db, actor, course.id)
    return Nickname(course.id, course.name, row.nickname if row is not None else None)


def set_nickname(db: Session, actor: User, course_ref: str | int, nickname: str | None) -> Nickname:
    """Give a course the actor may read a nickname, replacing theirs if any."""
    course, _ = readable_course(db, actor, course_ref)
    nickname = check_nickname(nickname)
    row = _row(db, actor, course.id)
    if row is None:
        try:
            with db.begin_nested():
                db.add(CourseNickname(user_id=actor.id, course_id=course.id, nickname=nickname))
        except IntegrityError:  # a concurrent request set one first: this one replaces it
            row = _row(db, actor, course.id)
    if row is not None:
        row.nickname = nickname
    return Nickname(course.id, course.name, nickname)


def check_nickname(nickname: str | None) -> str:
    """The nickname as given, if it is not blank and fits Canvas's limit."""
    if nickname is None or not nickname.strip():
        raise InvalidInput("nickname", "nickname is required")
    if len(nickname) > MAX_LENGTH:
        raise InvalidInput("nickname", f"nickname must be shorter than {MAX_LENGTH + 1} characters")
    return nickname


def remove_nickname(db: Session, actor: User, course_ref: str | int) -> Nickname:
    """Remove the actor's nickname of a course and answer it; NotFound when there was none."""
    course = resolve_course(db, course_ref, include_deleted=True)
    course_rights(db, actor, course)  # a course of another tenant is not found
    row = _row(db, actor, course.id)
    if row is None:
        raise NotFound("course nickname")
    removed = Nickname(course.id, course.name, row.nickname)
    db.delete(row)
    return removed


def clear_nicknames(db: Session, actor: User) -> None:
    """Remove every nickname the actor gave."""
    db.execute(delete(CourseNickname).where(CourseNickname.user_id == actor.id))


def _row(db: Session, actor: User, course_id: int) -> CourseNickname | None:
    return db.get(CourseNickname, (actor.id, course_id))
