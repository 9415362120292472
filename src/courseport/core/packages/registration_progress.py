"""A registration's progress over its attempts: runtime commits from the player (with a postback
when progress changes), reset, global data, instances and launch history."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from courseport.blobs import BlobStore
from courseport.core.packages import attempts, launch_navigation, sequencing, statements
from courseport.core.packages.registration_postbacks import queue_postback
from courseport.core.packages.registrations import RegistrationView, find_registration, get_registration, view_of
from courseport.core.packages.statements import StatementFilter
from courseport.schema import AttemptLaunch, Registration, User
from courseport.schema.base import utcnow


def runtime_commit(db: Session, secret: bytes, session_token: str, body: object,
                   now: datetime | None = None) -> None:
    """Keep a runtime commit in the registration attempt the session plays; post changed progress."""
    changed = attempts.record_runtime(db, secret, session_token, body, now)
    if changed is not None:
        registration = db.get(Registration, changed.registration_id)
        if registration is not None:
            queue_postback(db, registration, changed)


def reset_progress(db: Session, actor: User, key: str) -> None:
    """Forget the newest instance's progress (SCORM Cloud's delete progress)."""
    registration = find_registration(db, actor, key)
    attempts.reset(attempts.attempt_of(db, registration))
    registration.updated_at = utcnow()
    db.flush()


def delete_global_data(db: Session, blobs: BlobStore, actor: User, key: str) -> None:
    """Forget what the registration's instances share (SCORM Cloud's delete global data): SCORM 2004's shared
    objectives and shared data buckets. What each activity tracked and rolled up stays."""
    registration = find_registration(db, actor, key)
    registration.global_data = None
    for attempt in attempts.instances_of(db, registration):
        state = (attempt.sequencing or {}).get("state")
        if state is not None:
            version = view_of(db, registration, attempt.instance).version
            tree = launch_navigation.tree_of(db, blobs, version)
            launch_navigation.keep_in_attempt(attempt, tree, sequencing.without_shared(state))
    registration.updated_at = utcnow()
    db.flush()


def instances(db: Session, actor: User, key: str) -> list[RegistrationView]:
    registration = find_registration(db, actor, key)
    return [view_of(db, registration, a.instance) for a in attempts.instances_of(db, registration)]


def create_instance(db: Session, actor: User, key: str) -> RegistrationView:
    registration = find_registration(db, actor, key)
    attempt = attempts.new_instance(db, registration)
    return view_of(db, registration, attempt.instance)


def delete_instance(db: Session, actor: User, key: str, instance: int) -> None:
    attempts.delete_instance(db, find_registration(db, actor, key), instance)


def registration_statements(db: Session, actor: User, key: str, instance: int | None,
                            filters: StatementFilter) -> tuple[list[dict], StatementFilter | None]:
    """One page of the statements a registration's launches made (those of an instance: of its course
    version), oldest first, and the filter of the next page. Statements are stored per course and
    learner; a page holds those of the registration among one or more pages of those."""
    view = get_registration(db, actor, key, instance)
    wanted, course_key = view.registration.xapi_registration, view.course.scorm_course_id or ""
    version = view.attempt.version if instance is not None else None
    current: StatementFilter | None = replace(filters, learner_id=view.registration.learner_id)
    found: list[dict] = []
    while current is not None and not found:
        page, current = statements.list_statements(db, actor, course_key, version, current)
        found = [s for s in page if (s.get("context") or {}).get("registration") == wanted]
    return found, current


def launch_history(db: Session, actor: User, key: str, instance: int | None = None) -> list[tuple[int, AttemptLaunch]]:
    """(instance, launch) pairs, oldest first."""
    return attempts.launches_of(db, find_registration(db, actor, key), instance)
