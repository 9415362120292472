"""A user's favourite courses (the courses they starred): add, remove and reset them.

Which courses a user's favourites list shows is a course list (core/views/course_lists.py:
list_favorite_course_views): the favourites among their current courses, or, while they have none,
their current courses. Removing one from that implicit list first makes the list explicit (every
current course a favourite, as Canvas does), so the others stay starred.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course, resolve_course
from courseport.core.identity.permissions import course_rights
from courseport.schema import Favorite, User


def add_favorite(db: Session, actor: User, course_ref: str | int) -> int:
    """Star a course the actor may read (nothing changes if it is starred already); its id."""
    course, _ = readable_course(db, actor, course_ref)
    if _favorite(db, actor, course.id) is None:
        try:
            with db.begin_nested():
                db.add(Favorite(user_id=actor.id, course_id=course.id))
        except IntegrityError:  # a concurrent request starred it first
            pass
    return course.id


def remove_favorite(db: Session, actor: User, course_ref: str | int,
                    current_courses: Callable[[], Iterable[int]]) -> int | None:
    """Unstar a course (deleted ones too); its id, or None when it was not a favourite.

    `current_courses`: the ids of the actor's current courses, the list shown while they have no
    favourites, which become their favourites before this one is removed."""
    course = resolve_course(db, course_ref, include_deleted=True)
    course_rights(db, actor, course)  # a course of another tenant is not found
    if db.scalar(select(Favorite.id).where(Favorite.user_id == actor.id).limit(1)) is None:
        try:
            with db.begin_nested():
                db.add_all(Favorite(user_id=actor.id, course_id=c) for c in dict.fromkeys(current_courses()))
        except IntegrityError:  # a concurrent request made them first
            pass
    row = _favorite(db, actor, course.id)
    if row is None:
        return None
    db.delete(row)
    return course.id


def reset_favorites(db: Session, actor: User) -> None:
    """Forget every course the actor starred: their list is their current courses again."""
    db.execute(delete(Favorite).where(Favorite.user_id == actor.id))


def _favorite(db: Session, actor: User, course_id: int) -> Favorite | None:
    return db.scalar(select(Favorite).where(Favorite.user_id == actor.id, Favorite.course_id == course_id))

