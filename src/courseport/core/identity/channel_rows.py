"""The stored rows of users' communication channels, below the rules of who may read or change them
(communication_channels.py): a user's email given when they are made or edited becomes an email channel."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.schema import CommunicationChannel, User

LIVE_STATES = ("unconfirmed", "active")


def live_channel(db: Session, user_id: int, path_type: str, address: str) -> CommunicationChannel | None:
    """The user's unretired channel of that type at that address (compared case-insensitively, as Canvas does)."""
    return db.scalar(select(CommunicationChannel).where(
        CommunicationChannel.user_id == user_id, CommunicationChannel.path_type == path_type,
        func.lower(CommunicationChannel.address) == address.lower(),
        CommunicationChannel.workflow_state.in_(LIVE_STATES)).limit(1))


def add_channel(db: Session, user_id: int, path_type: str, address: str, workflow_state: str) -> CommunicationChannel:
    """A new channel after the user's others (positions count from 1, retired channels included)."""
    last = db.scalar(select(func.max(CommunicationChannel.position)).where(CommunicationChannel.user_id == user_id))
    channel = CommunicationChannel(user_id=user_id, path_type=path_type, address=address,
                                   position=(last or 0) + 1, workflow_state=workflow_state)
    db.add(channel)
    db.flush()
    return channel


def record_email(db: Session, user: User, *, active: bool = True) -> None:
    """The user's email (users.email) as an email channel, unless they have a live one at that address."""
    if user.email and live_channel(db, user.id, "email", user.email) is None:
        add_channel(db, user.id, "email", user.email, "active" if active else "unconfirmed")
