"""Registrations: a learner registered on a packaged course (SCORM Cloud's Registration Service, in
core words). Create, find, list with filters, delete, and tags. A registration's attempts and its
progress live in `attempts`; launches in `registration_launches`; settings in `registration_settings`.

A learner is the caller's learner id with names, not a courseport user. Applications act as a user;
as for packaged courses, only administrators of the root account manage registrations.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from courseport.core.kit import outbound
from courseport.core.kit.errors import Conflict, InvalidInput, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.core.packages import attempts
from courseport.core.packages.list_filters import ListFilters
from courseport.core.packages.package_settings import checked_value
from courseport.core.packages.scorm_courses import CourseView, packaged_version, require_app_admin
from courseport.core.packages.tags import add_tags, clean_tags
from courseport.schema import (
    Attempt,
    Course,
    LearnerTag,
    PackageVersion,
    Registration,
    RegistrationSetting,
    RegistrationTag,
    User,
)
from courseport.schema.base import utcnow

PAGE_SIZE = 100
MAX_ID = 255
FILTER_BY = ("registration_id", "course_id", "course_title", "learner_id", "learner_first_name",
             "learner_last_name", "learner_email")
ORDER_BY = ("creation_date_asc", "creation_date_desc", "updated_asc", "updated_desc", "registration_id_asc",
            "registration_id_desc", "course_id_asc", "course_id_desc", "learner_id_asc", "learner_id_desc")
AUTH_TYPES = ("undefined", "form", "httpbasic")
RESULT_LEVELS = ("undefined", "course", "activity", "full")


@dataclass(frozen=True)
class Learner:
    id: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None


@dataclass(frozen=True)
class Postback:
    """Where progress is posted; `shape` is the dialect's body, its leaves naming progress fields
    (`attempts.progress_fields`), a leaf [field, {core value: wire value}] also mapping the value."""

    url: str
    auth_type: str = "undefined"
    user: str | None = None
    password: str | None = None
    level: str = "course"
    shape: dict = field(default_factory=dict)
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewRegistration:
    course_id: str
    learner: Learner
    registration_id: str
    xapi_registration: str | None = None
    version: int | None = None
    postback: Postback | None = None
    registration_tags: tuple[str, ...] = ()
    learner_tags: tuple[str, ...] = ()
    course_tags: tuple[str, ...] = ()
    settings: tuple[tuple[str, object], ...] = ()  # registration-level setting values


@dataclass(frozen=True)
class RegistrationFilters(ListFilters):
    FILTER_BY: ClassVar[tuple[str, ...]] = FILTER_BY
    ORDER_BY: ClassVar[tuple[str, ...]] = ORDER_BY

    course_id: str | None = None
    learner_id: str | None = None
    filter_by: str = "registration_id"


@dataclass
class RegistrationView:
    registration: Registration
    course: Course
    attempt: Attempt
    version: PackageVersion
    tags: list[str]


def _text(value: str | None, name: str, *, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(name, f"{name} is required")
        return None
    if not isinstance(value, str) or len(value) > MAX_ID:
        raise InvalidInput(name, f"{name} must be a string of at most {MAX_ID} characters")
    return value


def check_learner(learner: Learner) -> Learner:
    _text(learner.id, "learner_id", required=True)
    for name in ("email", "first_name", "last_name"):
        _text(getattr(learner, name), f"learner_{name}")
    return learner


def check_postback(postback: Postback) -> Postback:
    outbound.check_url(postback.url, "postback_url", outbound.OutboundPolicy(allow=postback.allow))
    if postback.auth_type not in AUTH_TYPES:
        raise InvalidInput("postback_auth_type", f"postback_auth_type must be one of {', '.join(AUTH_TYPES)}")
    if postback.auth_type == "form":
        raise InvalidInput("postback_auth_type", "postback_auth_type form is not supported: use httpbasic")
    if postback.level not in RESULT_LEVELS:
        raise InvalidInput("postback_level", f"postback_level must be one of {', '.join(RESULT_LEVELS)}")
    return postback


def _xapi_registration(value: str | None) -> str:
    if value is None:
        return str(uuid.uuid4())
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise InvalidInput("xapi_registration_id", f"xapi_registration_id must be a UUID, got {value!r}") from None


def create_registration(db: Session, actor: User, new: NewRegistration) -> RegistrationView:
    key = _text(new.registration_id, "registration_id", required=True)
    check_learner(new.learner)
    postback = check_postback(new.postback) if new.postback is not None else None
    course, version = packaged_version(db, actor, new.course_id, new.version)
    tags = [clean_tags(list(t), name) for name, t in (("registration_tags", new.registration_tags),
                                                     ("learner_tags", new.learner_tags),
                                                     ("course_tags", new.course_tags))]
    settings = [(name, checked_value(name, value)) for name, value in new.settings]
    if db.scalar(select(Registration.id).where(Registration.key == key)) is not None:
        raise Conflict(f"Registration '{key}' already exists")
    row = Registration(key=key, xapi_registration=_xapi_registration(new.xapi_registration), course_id=course.id,
                       learner_id=new.learner.id, learner_email=new.learner.email,
                       learner_first_name=new.learner.first_name, learner_last_name=new.learner.last_name,
                       postback=_postback_record(postback))
    db.add(row)
    db.flush()
    db.add(Attempt(registration_id=row.id, instance=0, version=version.version, runtime={}))
    db.add_all(RegistrationTag(registration_id=row.id, tag=t) for t in tags[0])
    db.add_all(RegistrationSetting(registration_id=row.id, name=n, value=v) for n, v in dict(settings).items())
    add_learner_tags(db, new.learner.id, tags[1])
    if tags[2]:
        add_tags(db, course, tags[2])
    db.flush()
    return view_of(db, row)


def _postback_record(postback: Postback | None) -> dict | None:
    if postback is None:
        return None
    return {"url": postback.url, "auth_type": postback.auth_type, "user": postback.user,
            "password": postback.password, "level": postback.level, "shape": postback.shape,
            "allow": list(postback.allow)}


def find_registration(db: Session, actor: User, key: str) -> Registration:
    require_app_admin(db, actor)
    row = db.scalar(select(Registration).where(Registration.key == key))
    if row is None:
        raise NotFound("registration", f"Registration '{key}' not found")
    return row


def view_of(db: Session, row: Registration, instance: int | None = None) -> RegistrationView:
    attempt = attempts.attempt_of(db, row, instance)
    course = db.get(Course, row.course_id)
    version = db.scalar(select(PackageVersion).where(PackageVersion.course_id == row.course_id,
                                                     PackageVersion.version == attempt.version))
    if course is None or version is None:
        raise NotFound("course", f"The course version of registration '{row.key}' no longer exists")
    return RegistrationView(row, course, attempt, version, tags_of(db, row.id))


def get_registration(db: Session, actor: User, key: str, instance: int | None = None) -> RegistrationView:
    return view_of(db, find_registration(db, actor, key), instance)


def list_registrations(db: Session, actor: User, filters: RegistrationFilters, offset: int, *,
                       count: bool = False) -> Slice[RegistrationView]:
    require_app_admin(db, actor)
    stmt = (select(Registration).join(Course, Course.id == Registration.course_id)
            .where(*_conditions(filters.check())).order_by(*_order(filters)))
    page = fetch_window(db, stmt, Window(offset, PAGE_SIZE), count=count)
    return Slice([view_of(db, r) for r in page.items], page.has_more, page.total)


def _conditions(f: RegistrationFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if f.course_id is not None:
        conditions.append(Course.scorm_course_id == f.course_id)
    if f.learner_id is not None:
        conditions.append(Registration.learner_id == f.learner_id)
    stamp = f.stamp(Registration.created_at, Registration.updated_at)
    if f.since:
        conditions.append(stamp >= f.since)
    if f.until:
        conditions.append(stamp < attempts.end_of_millisecond(f.until))
    if f.tags:
        conditions.append(Registration.id.in_(select(RegistrationTag.registration_id)
                                              .where(RegistrationTag.tag.in_(f.tags))))
    if f.filter:
        conditions.append(f.text_match({
            "registration_id": Registration.key, "course_id": Course.scorm_course_id, "course_title": Course.name,
            "learner_id": Registration.learner_id, "learner_first_name": Registration.learner_first_name,
            "learner_last_name": Registration.learner_last_name, "learner_email": Registration.learner_email}))
    return conditions


def _order(f: RegistrationFilters) -> list[Any]:
    return f.ordering({"creation_date": Registration.created_at, "updated": Registration.updated_at,
                       "registration_id": Registration.key, "course_id": Course.scorm_course_id,
                       "learner_id": Registration.learner_id}, Registration.id)


def count_registrations(db: Session, views: list[CourseView]) -> None:
    """Fill each course view's `registration_count` (SCORM Cloud's includeRegistrationCount)."""
    ids = [v.course.id for v in views]
    counts = dict(db.execute(select(Registration.course_id, func.count()).where(Registration.course_id.in_(ids))
                             .group_by(Registration.course_id)).tuples().all())
    for view in views:
        view.registration_count = counts.get(view.course.id, 0)


def delete_registration(db: Session, actor: User, key: str) -> None:
    row = find_registration(db, actor, key)
    db.delete(row)
    db.flush()


# --- tags ------------------------------------------------------------------------------------

def tags_of(db: Session, registration_id: int) -> list[str]:
    return list(db.scalars(select(RegistrationTag.tag).where(RegistrationTag.registration_id == registration_id)
                           .order_by(RegistrationTag.tag)))


def get_tags(db: Session, actor: User, key: str) -> list[str]:
    return tags_of(db, find_registration(db, actor, key).id)


def set_tags(db: Session, actor: User, key: str, tags: list[str] | None) -> None:
    wanted = clean_tags(tags)
    row = find_registration(db, actor, key)
    db.execute(delete(RegistrationTag).where(RegistrationTag.registration_id == row.id))
    db.add_all(RegistrationTag(registration_id=row.id, tag=t) for t in wanted)
    row.updated_at = utcnow()
    db.flush()


def remove_tags(db: Session, actor: User, key: str, tags: list[str] | None) -> None:
    unwanted = clean_tags(tags)
    row = find_registration(db, actor, key)
    db.execute(delete(RegistrationTag).where(RegistrationTag.registration_id == row.id,
                                             RegistrationTag.tag.in_(unwanted)))
    row.updated_at = utcnow()


def tag_registrations(db: Session, actor: User, keys: list[str] | None, tags: list[str] | None) -> None:
    """Add `tags` to every registration in `keys`: all or nothing (an unknown one refuses the batch)."""
    wanted, ids = clean_tags(tags), clean_tags(keys, "ids")
    rows = [find_registration(db, actor, key) for key in ids]
    for row in rows:
        have = set(tags_of(db, row.id))
        db.add_all(RegistrationTag(registration_id=row.id, tag=t) for t in wanted if t not in have)
        row.updated_at = utcnow()
    db.flush()


def add_learner_tags(db: Session, learner_id: str, tags: list[str]) -> None:
    have = set(db.scalars(select(LearnerTag.tag).where(LearnerTag.learner_id == learner_id)))
    db.add_all(LearnerTag(learner_id=learner_id, tag=t) for t in tags if t not in have)
    db.flush()
