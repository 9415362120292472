"""Merging one user into another (Canvas's merge_into): the source user's logins, enrollments, communication
channels, submissions, observer links, group memberships and access tokens move to the destination, and the
source user is deleted. Where both hold the same thing, the destination's wins and the source's copy goes:
an enrollment of the same type in the same section, a submission to the same assignment, a membership of the
same group, a live channel to the same address, the same observer link. Everything happens in the caller's
one transaction, so a merge that fails midway leaves both users as they were.

The rows moved are plain schema rows keyed by user; no higher core package is called, so identity stays low.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from courseport.core.identity import account_users, accounts, logins, users
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.schema import (
    AccessToken,
    CommunicationChannel,
    Enrollment,
    GroupMembership,
    Login,
    ObserverLink,
    Submission,
    User,
)
from courseport.schema.base import utcnow


def merge_into(db: Session, actor: User, source_ref: str, destination_ref: str,
               destination_account_ref: str | None = None) -> User:
    """Merge the source user into the destination (admins over both); answers the destination."""
    source = _mergeable(db, actor, source_ref)
    if destination_account_ref is not None:
        accounts.resolve_account(db, destination_account_ref, actor.id)  # an unknown account is not found
    destination = _mergeable(db, actor, destination_ref)
    if source.id == destination.id:
        raise InvalidInput("destination_user_id", "a user cannot be merged into themself")
    _move_logins(db, source, destination)
    _move_enrollments(db, source, destination)
    _move_submissions(db, source, destination)
    _move_channels(db, source, destination)
    _move_observer_links(db, source, destination)
    _move_keyed(db, GroupMembership, GroupMembership.group_id, source, destination)
    db.execute(update(AccessToken).where(AccessToken.user_id == source.id).values(user_id=destination.id))
    source.workflow_state = "deleted"
    source.login_id = source.sis_user_id = source.integration_id = None
    db.flush()
    db.refresh(destination)
    return destination


def _mergeable(db: Session, actor: User, ref: str) -> User:
    user = users.resolve_user(db, ref, actor)
    if user.workflow_state == "deleted":
        raise NotFound("user")
    if not account_users.administers_user(db, actor.id, user):
        raise NotAllowed()
    return user


def _move_logins(db: Session, source: User, destination: User) -> None:
    db.execute(update(Login).where(Login.user_id == source.id).values(user_id=destination.id))
    db.flush()
    logins.mirror_primary(db, destination)


def _move_enrollments(db: Session, source: User, destination: User) -> None:
    """An enrollment of the destination's type and role in the same section (for an observer: of the same
    student) wins; the source's copy is deleted, as Canvas keeps one enrollment there."""
    held = {_enrollment_key(e) for e in db.scalars(select(Enrollment).where(
        Enrollment.user_id == destination.id, Enrollment.workflow_state != "deleted"))}
    for enrollment in db.scalars(select(Enrollment).where(Enrollment.user_id == source.id)):
        if enrollment.workflow_state != "deleted" and _enrollment_key(enrollment) in held:
            enrollment.workflow_state, enrollment.updated_at = "deleted", utcnow()
        enrollment.user_id = destination.id
    db.execute(update(Enrollment).where(Enrollment.associated_user_id == source.id)
               .values(associated_user_id=destination.id))


def _enrollment_key(e: Enrollment) -> tuple[Any, ...]:
    return e.course_section_id, e.type, e.role_id, e.associated_user_id


def _move_submissions(db: Session, source: User, destination: User) -> None:
    """The destination's submission to an assignment wins unless it is unsubmitted and ungraded while the
    source's is not (Canvas keeps the one with work in it)."""
    theirs = {s.item_id: s for s in db.scalars(select(Submission).where(Submission.user_id == destination.id))}
    for submission in db.scalars(select(Submission).where(Submission.user_id == source.id)).all():
        kept = theirs.get(submission.item_id)
        if kept is not None and _has_work(kept) or kept is not None and not _has_work(submission):
            db.delete(submission)
            continue
        if kept is not None:
            db.delete(kept)
            db.flush()
        submission.user_id = destination.id
    db.flush()


def _has_work(s: Submission) -> bool:
    return s.workflow_state != "unsubmitted" or s.score is not None or s.excused


def _move_channels(db: Session, source: User, destination: User) -> None:
    live = {(c.path_type, c.address.lower()) for c in db.scalars(select(CommunicationChannel).where(
        CommunicationChannel.user_id == destination.id, CommunicationChannel.workflow_state != "retired"))}
    for channel in db.scalars(select(CommunicationChannel).where(CommunicationChannel.user_id == source.id)):
        if (channel.path_type, channel.address.lower()) in live:
            channel.workflow_state = "retired"
        channel.user_id = destination.id


def _move_observer_links(db: Session, source: User, destination: User) -> None:
    for mine, other in ((ObserverLink.observer_id, ObserverLink.student_id),
                        (ObserverLink.student_id, ObserverLink.observer_id)):
        for link in db.scalars(select(ObserverLink).where(mine == source.id)).all():
            twin = select(ObserverLink.id).where(mine == destination.id, other == getattr(link, other.key),
                                                 ObserverLink.root_account_id == link.root_account_id)
            if db.scalar(twin) is not None or getattr(link, other.key) == destination.id:
                db.delete(link)
            else:
                setattr(link, mine.key, destination.id)
        db.flush()


def _move_keyed(db: Session, model: Any, key: Any, source: User, destination: User) -> None:
    """Rows unique per (key, user): the destination's win, the source's others move."""
    held = select(key).where(model.user_id == destination.id)
    db.execute(delete(model).where(model.user_id == source.id, key.in_(held)))
    db.execute(update(model).where(model.user_id == source.id).values(user_id=destination.id))
