"""Observer links: an observer (a parent, say) linked to a student in a root account, and the observer
enrollments the link keeps beside each of the student's enrollments there (Canvas's observees).

While a link lives, the observer holds an observer enrollment of the student in every section where the
student holds a student enrollment, in that enrollment's state: linking creates them, a new or changed
student enrollment is mirrored (`mirror`, which the enrollment writes call), and unlinking deletes them.
Who may link: the root account's admins; an observer may also link themself with the student's login and
password (Canvas's credentials form). Who may unlink or read an observer's students: the observer and
admins over them; a student's observers: the student and admins over them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.core.identity import account_users, accounts, logins, tenancy, users
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotAuthenticated, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Enrollment, ObserverLink, User
from courseport.schema.base import utcnow

STUDENT, OBSERVER = "StudentEnrollment", "ObserverEnrollment"
_MIRRORED_STATES = ("active", "invited", "creation_pending", "completed", "inactive")


def root_of(db: Session, user: User) -> int:
    return tenancy.tenant_of(db, user.id) or accounts.ROOT_ACCOUNT_ID


def _require_reader(db: Session, actor: User, user: User) -> None:
    if user.id != actor.id and not account_users.administers_user(db, actor.id, user):
        raise NotAllowed()


def observes(db: Session, observer_id: int, student_id: int) -> bool:
    """Whether the observer is linked to the student (a link, or an active observer enrollment of them)."""
    linked = select(ObserverLink.id).where(ObserverLink.observer_id == observer_id,
                                           ObserverLink.student_id == student_id)
    enrolled = select(Enrollment.id).where(Enrollment.user_id == observer_id, Enrollment.type == OBSERVER,
                                           Enrollment.associated_user_id == student_id,
                                           Enrollment.workflow_state == "active")
    return db.scalar(linked.limit(1)) is not None or db.scalar(enrolled.limit(1)) is not None


def link(db: Session, actor: User, observer_ref: str, student_ref: str) -> User:
    """Link the observer to the student (admins of the root account); answers the student."""
    observer = users.resolve_user(db, observer_ref, actor)
    student = _live(db, actor, student_ref, "observee")
    root = root_of(db, observer)
    if not accounts.is_admin_of(db, actor.id, root):
        raise NotAllowed()
    link_users(db, observer, student, root)
    return student


def link_by_login(db: Session, actor: User, observer_ref: str, unique_id: str | None, password: str | None) -> User:
    """The observer (themself, or an admin over them) links a student whose login and password they know."""
    observer = users.resolve_user(db, observer_ref, actor)
    _require_reader(db, actor, observer)
    if not unique_id or password is None:
        raise InvalidInput("unique_id", "the observee's unique_id and password are required")
    root = root_of(db, observer)
    try:
        student = logins.credentials_user(db, unique_id, password, root)
    except NotAuthenticated:
        raise NotAuthenticated("Invalid credentials provided.", invalid=True, challenge=False) from None
    link_users(db, observer, student, root)
    return student


def _live(db: Session, actor: User, ref: str, field: str) -> User:
    user = users.resolve_user(db, ref, actor)
    if user.workflow_state == "deleted":
        raise NotFound(field)
    return user


def link_users(db: Session, observer: User, student: User, root: int) -> None:
    """Link the two in the root account (once) and mirror the student's enrollments for the observer."""
    if observer.id == student.id:
        raise InvalidInput("observee", "a user cannot observe themself")
    found = db.scalar(select(ObserverLink.id).where(ObserverLink.observer_id == observer.id,
                                                    ObserverLink.student_id == student.id,
                                                    ObserverLink.root_account_id == root))
    if found is None:
        try:
            with db.begin_nested():
                db.add(ObserverLink(observer_id=observer.id, student_id=student.id, root_account_id=root))
        except IntegrityError:
            pass  # a concurrent request linked them first: the link stands either way
    for enrollment in db.scalars(select(Enrollment).where(
            Enrollment.user_id == student.id, Enrollment.type == STUDENT, Enrollment.root_account_id == root,
            Enrollment.workflow_state.in_(_MIRRORED_STATES)).order_by(Enrollment.id)):
        _mirror_one(db, enrollment, observer.id)
    db.flush()


def unlink(db: Session, actor: User, observer_ref: str, student_ref: str) -> User:
    """End the link and the observer enrollments it kept; answers the student."""
    observer = users.resolve_user(db, observer_ref, actor)
    _require_reader(db, actor, observer)
    student = users.resolve_user(db, student_ref, actor)
    row = db.scalar(select(ObserverLink).where(ObserverLink.observer_id == observer.id,
                                               ObserverLink.student_id == student.id))
    if row is None:
        raise NotFound("observee")
    for enrollment in db.scalars(_observer_enrollments(observer.id, student.id, row.root_account_id)):
        enrollment.workflow_state, enrollment.updated_at = "deleted", utcnow()
    db.delete(row)
    db.flush()
    return student


@dataclass(frozen=True)
class LinkedUser:
    user: User
    root_account_ids: list[int]  # the root accounts the two are linked in


def observees(db: Session, actor: User, observer_ref: str, window: Window) -> Slice[LinkedUser]:
    """The students the observer is linked to, by id."""
    observer = users.resolve_user(db, observer_ref, actor)
    _require_reader(db, actor, observer)
    return _linked(db, ObserverLink.observer_id == observer.id, ObserverLink.student_id, window)


def observers(db: Session, actor: User, student_ref: str, window: Window) -> Slice[LinkedUser]:
    """The observers linked to the student, by id."""
    student = users.resolve_user(db, student_ref, actor)
    _require_reader(db, actor, student)
    return _linked(db, ObserverLink.student_id == student.id, ObserverLink.observer_id, window)


def _linked(db: Session, side: Any, other: Any, window: Window) -> Slice[LinkedUser]:
    links = select(other).where(side)
    stmt = select(User).where(User.id.in_(links), User.workflow_state != "deleted").order_by(User.id)
    page = fetch_window(db, stmt, window)
    roots: dict[int, list[int]] = {}
    for user_id, root in db.execute(select(other, ObserverLink.root_account_id).where(
            side, other.in_([u.id for u in page.items])).order_by(ObserverLink.root_account_id)):
        roots.setdefault(user_id, []).append(root)
    return Slice([LinkedUser(u, roots.get(u.id, [])) for u in page.items], page.has_more, page.total)


def linked_user(db: Session, actor: User, observer_ref: str, student_ref: str, *, want_observer: bool) -> User:
    """One side of a link the actor may read: the student (observees/:id) or the observer (observers/:id)."""
    observer = users.resolve_user(db, observer_ref, actor)
    student = users.resolve_user(db, student_ref, actor)
    _require_reader(db, actor, observer if not want_observer else student)
    found = db.scalar(select(ObserverLink.id).where(ObserverLink.observer_id == observer.id,
                                                    ObserverLink.student_id == student.id))
    if found is None:
        raise NotFound("observer" if want_observer else "observee")
    return observer if want_observer else student


def mirror(db: Session, enrollment: Enrollment) -> None:
    """After a student enrollment is written or changes state: its linked observers' follow it."""
    if enrollment.type != STUDENT:
        return
    for observer_id in db.scalars(select(ObserverLink.observer_id).where(
            ObserverLink.student_id == enrollment.user_id,
            ObserverLink.root_account_id == enrollment.root_account_id)):
        _mirror_one(db, enrollment, observer_id)
    db.flush()


def _mirror_one(db: Session, student_enrollment: Enrollment, observer_id: int) -> None:
    e = student_enrollment
    row = db.scalar(select(Enrollment).where(
        Enrollment.user_id == observer_id, Enrollment.course_section_id == e.course_section_id,
        Enrollment.type == OBSERVER, Enrollment.associated_user_id == e.user_id).order_by(Enrollment.id).limit(1))
    if row is None:
        if e.workflow_state not in _MIRRORED_STATES:
            return
        row = Enrollment(user_id=observer_id, course_id=e.course_id, course_section_id=e.course_section_id,
                         root_account_id=e.root_account_id, type=OBSERVER,
                         role_id=accounts.BUILT_IN_ROLES[OBSERVER], associated_user_id=e.user_id)
        db.add(row)
    row.workflow_state, row.updated_at = e.workflow_state, utcnow()
    row.start_at, row.end_at = e.start_at, e.end_at


def _observer_enrollments(observer_id: int, student_id: int, root: int):  # noqa: ANN202 - a select
    return select(Enrollment).where(Enrollment.user_id == observer_id, Enrollment.associated_user_id == student_id,
                                    Enrollment.type == OBSERVER, Enrollment.root_account_id == root)
