"""Notification preferences: how often each kind of notification goes to one of a user's communication channels.

The kinds are a fixed catalogue of Canvas's notifications, each in its category with Canvas's default frequency.
A channel keeps only the frequencies its user changed (a change back to the default forgets the row). Who: the
channel's user and admins over them read (communication_channels.user_channel); only the user changes their own.
Nothing here sends notifications: the preferences are kept for the clients that set and read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity import communication_channels
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.schema import CommunicationChannel, NotificationPolicy, User

FREQUENCIES = ("immediately", "daily", "weekly", "never")

# notification -> (category, default frequency), in Canvas's names.
CATALOGUE: dict[str, tuple[str, str]] = {
    "new_announcement": ("announcement", "immediately"),
    "assignment_created": ("due_date", "weekly"),
    "assignment_due_date_changed": ("due_date", "weekly"),
    "assignment_changed": ("course_content", "never"),
    "new_file_added": ("files", "never"),
    "submission_graded": ("grading", "immediately"),
    "submission_grade_changed": ("grading", "immediately"),
    "submission_comment": ("submission_comment", "daily"),
    "new_discussion_topic": ("discussion", "never"),
    "new_discussion_entry": ("discussion_entry", "daily"),
    "conversation_message": ("conversation_message", "immediately"),
    "new_event_created": ("calendar", "never"),
    "event_date_changed": ("calendar", "never"),
    "enrollment_invitation": ("invitation", "immediately"),
    "confirm_email_communication_channel": ("registration", "immediately"),
}
CATEGORIES = tuple(dict.fromkeys(category for category, _ in CATALOGUE.values()))


@dataclass(frozen=True)
class Preference:
    channel: CommunicationChannel
    notification: str
    category: str
    frequency: str


def _changed(db: Session, channel: CommunicationChannel) -> dict[str, NotificationPolicy]:
    rows = db.scalars(select(NotificationPolicy).where(NotificationPolicy.channel_id == channel.id))
    return {row.notification: row for row in rows}


def _views(db: Session, channel: CommunicationChannel, names: list[str]) -> list[Preference]:
    changed = _changed(db, channel)
    return [Preference(channel, name, CATALOGUE[name][0],
                       changed[name].frequency if name in changed else CATALOGUE[name][1]) for name in names]


def list_preferences(db: Session, actor: User, user_ref: str, channel_id: str) -> list[Preference]:
    """Every notification's frequency on the channel, in catalogue order."""
    return _views(db, communication_channels.user_channel(db, actor, user_ref, channel_id), list(CATALOGUE))


def list_categories(db: Session, actor: User, user_ref: str, channel_id: str) -> list[str]:
    communication_channels.user_channel(db, actor, user_ref, channel_id)
    return list(CATEGORIES)


def get_preference(db: Session, actor: User, user_ref: str, channel_id: str, notification: str) -> Preference:
    channel = communication_channels.user_channel(db, actor, user_ref, channel_id)
    return _views(db, channel, [_known(notification)])[0]


def _known(notification: str) -> str:
    if notification not in CATALOGUE:
        raise NotFound("notification")
    return notification


def _frequency(value: str | None, field: str) -> str:
    frequency = (value or "").strip().lower()
    if frequency not in FREQUENCIES:
        raise InvalidInput(field, f"{field} must be one of {', '.join(FREQUENCIES)}, got {value!r}")
    return frequency


def set_preference(db: Session, actor: User, channel_id: str, notification: str, frequency: str | None
                   ) -> Preference:
    """Set one notification's frequency on the actor's own channel."""
    channel = communication_channels.user_channel(db, actor, "self", channel_id)
    name, wanted = _known(notification), _frequency(frequency, "frequency")
    _store(db, channel, {name: wanted})
    return _views(db, channel, [name])[0]


def set_category(db: Session, actor: User, channel_id: str, category: str, frequency: str | None
                 ) -> list[Preference]:
    """Set the frequency of every notification of the category on the actor's own channel."""
    channel = communication_channels.user_channel(db, actor, "self", channel_id)
    if category not in CATEGORIES:
        raise NotFound("notification category")
    wanted = _frequency(frequency, "frequency")
    names = [name for name, (of, _) in CATALOGUE.items() if of == category]
    _store(db, channel, dict.fromkeys(names, wanted))
    return _views(db, channel, names)


def set_preferences(db: Session, actor: User, channel_id: str, frequencies: dict[str, str | None]
                    ) -> list[Preference]:
    """Set several notifications' frequencies at once (all checked before any is kept)."""
    channel = communication_channels.user_channel(db, actor, "self", channel_id)
    if not frequencies:
        raise InvalidInput("notification_preferences", "notification_preferences is required")
    wanted: dict[str, str] = {}
    for name, frequency in frequencies.items():
        if name not in CATALOGUE:
            raise InvalidInput(name, f"{name} is not a notification")
        wanted[name] = _frequency(frequency, f"{name}[frequency]")
    _store(db, channel, wanted)
    return _views(db, channel, list(wanted))


def _store(db: Session, channel: CommunicationChannel, wanted: dict[str, str]) -> None:
    """Keep the frequencies that differ from the defaults; forget those set back to them."""
    changed = _changed(db, channel)
    for name, frequency in wanted.items():
        row = changed.get(name)
        if frequency == CATALOGUE[name][1]:
            if row is not None:
                db.delete(row)
        elif row is None:
            db.add(NotificationPolicy(channel_id=channel.id, notification=name, frequency=frequency))
        else:
            row.frequency = frequency
    db.flush()
