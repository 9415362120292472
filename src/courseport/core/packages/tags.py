"""Course tags: read, replace, remove, add to many courses at once (all or nothing)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.packages.scorm_courses import find_course, packaged_course, require_app_admin, tags_of
from courseport.schema import Course, CourseTag, User
from courseport.schema.base import utcnow

MAX_TAG_LENGTH = 255


def clean_tags(tags: list[str] | None, field: str = "tags") -> list[str]:
    """Distinct, stripped tags in the order given; empty or overlong ones are refused."""
    if tags is None:
        raise InvalidInput(field, f"{field} is required")
    cleaned: list[str] = []
    for tag in tags:
        if not isinstance(tag, str) or not tag.strip():
            raise InvalidInput(field, f"{field} must be non-empty strings")
        if len(tag.strip()) > MAX_TAG_LENGTH:
            raise InvalidInput(field, f"a tag may be at most {MAX_TAG_LENGTH} characters")
        if tag.strip() not in cleaned:
            cleaned.append(tag.strip())
    return cleaned


def add_tags(db: Session, course: Course, tags: list[str]) -> None:
    have = set(tags_of(db, [course.id])[course.id])
    db.add_all(CourseTag(course_id=course.id, tag=t) for t in tags if t not in have)
    course.updated_at = utcnow()
    db.flush()


def get_tags(db: Session, actor: User, course_id: str) -> list[str]:
    course = packaged_course(db, actor, course_id)
    return tags_of(db, [course.id])[course.id]


def set_tags(db: Session, actor: User, course_id: str, tags: list[str] | None) -> None:
    wanted = clean_tags(tags)
    course = packaged_course(db, actor, course_id)
    db.execute(delete(CourseTag).where(CourseTag.course_id == course.id))
    add_tags(db, course, wanted)


def remove_tags(db: Session, actor: User, course_id: str, tags: list[str] | None) -> None:
    unwanted = clean_tags(tags)
    course = packaged_course(db, actor, course_id)
    db.execute(delete(CourseTag).where(CourseTag.course_id == course.id, CourseTag.tag.in_(unwanted)))
    course.updated_at = utcnow()
    db.flush()


def tag_courses(db: Session, actor: User, course_ids: list[str] | None, tags: list[str] | None) -> None:
    """Add every tag to every course; an unknown course changes nothing."""
    wanted = clean_tags(tags)
    if not course_ids:
        raise InvalidInput("ids", "ids is required")
    require_app_admin(db, actor)
    courses = []
    for course_id in course_ids:
        course = find_course(db, actor, course_id)
        if course is None:
            raise NotFound("course", f"Course '{course_id}' not found")
        courses.append(course)
    for course in courses:
        add_tags(db, course, wanted)

