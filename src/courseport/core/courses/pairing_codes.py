"""Observer pairing codes (Canvas's ObserverPairingCode): a student, or an admin over them, makes a
six-character code valid for seven days; an observer who presents it is linked to that student
(`observer_links.link_users`) and the code is spent (workflow_state "deleted"). An unknown, spent or
expired code is refused alike, so codes cannot be probed."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from courseport.core.courses import observer_links
from courseport.core.identity import account_users, users
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.schema import ObserverPairingCode, User
from courseport.schema.base import utcnow

LIFETIME = timedelta(days=7)
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/l/I)
CODE_LENGTH = 6


def create_code(db: Session, actor: User, student_ref: str) -> ObserverPairingCode:
    student = users.resolve_user(db, student_ref, actor)
    if student.workflow_state == "deleted":
        raise NotFound("user")
    if student.id != actor.id and not account_users.administers_user(db, actor.id, student):
        raise NotAllowed()
    taken = True
    while taken:
        code = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
        taken = db.scalar(select(ObserverPairingCode.id).where(ObserverPairingCode.code == code)) is not None
    row = ObserverPairingCode(user_id=student.id, code=code, expires_at=utcnow() + LIFETIME)
    db.add(row)
    db.flush()
    return row


def link_by_code(db: Session, actor: User, observer_ref: str, code: str) -> User:
    """The observer (themself, or an admin over them) links the student whose live code they hold."""
    observer = users.resolve_user(db, observer_ref, actor)
    if observer.id != actor.id and not account_users.administers_user(db, actor.id, observer):
        raise NotAllowed()
    row = db.scalar(select(ObserverPairingCode).where(ObserverPairingCode.code == code,
                                                      ObserverPairingCode.workflow_state == "active"))
    student = db.get(User, row.user_id) if row is not None and row.expires_at > utcnow() else None
    if row is None or student is None or student.workflow_state == "deleted":
        raise InvalidInput("pairing_code", "Invalid pairing code")
    spent = db.execute(update(ObserverPairingCode).where(ObserverPairingCode.id == row.id,
                                                         ObserverPairingCode.workflow_state == "active")
                       .values(workflow_state="deleted").execution_options(synchronize_session="fetch"))
    if spent.rowcount != 1:  # type: ignore[attr-defined]  # a concurrent request spent it first
        raise InvalidInput("pairing_code", "Invalid pairing code")
    observer_links.link_users(db, observer, student, observer_links.root_of(db, observer))
    return student
