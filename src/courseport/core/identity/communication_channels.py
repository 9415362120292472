"""Users' communication channels: list, add (email or SMS) and delete them.

Who: the user themself and admins over them (account_users.administers_user); others are refused. A channel
added by an admin who asks to skip confirmation is active at once, any other starts unconfirmed (nothing here
sends confirmation messages). A user's email given at creation or edit is a stored channel too
(channel_rows.record_email). Push channels need a registered device, which this service has none of.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity import account_users, channel_rows, users
from courseport.core.kit.errors import Conflict, InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import CommunicationChannel, User

TYPES = ("email", "sms", "push")
_MAX_ADDRESS = 255


class DuplicateChannel(Conflict):
    """The user already has a live channel of that type at that address."""

    def __init__(self, address: str):
        super().__init__(f"the user already has the channel {address!r}")


class PushUnsupported(InvalidInput):
    """A push channel was asked for: it needs a registered device, and there are none here."""

    def __init__(self) -> None:
        super().__init__("type", "Push is not supported: no device is registered to receive notifications")


@dataclass(frozen=True)
class NewChannel:
    path_type: str | None
    address: str | None
    skip_confirmation: bool = False


def _channel_owner(db: Session, actor: User, user_ref: str) -> tuple[User, bool]:
    """The user whose channels are meant and whether the actor administers them; others are refused."""
    user = users.resolve_user(db, user_ref, actor)
    admin = account_users.administers_user(db, actor.id, user)
    if user.id != actor.id and not admin:
        raise NotAllowed()
    return user, admin


def list_channels(db: Session, actor: User, user_ref: str, window: Window) -> Slice[CommunicationChannel]:
    """The user's unretired channels by position."""
    user, _ = _channel_owner(db, actor, user_ref)
    stmt = select(CommunicationChannel).where(CommunicationChannel.user_id == user.id,
                                              CommunicationChannel.workflow_state.in_(channel_rows.LIVE_STATES))
    return fetch_window(db, stmt.order_by(CommunicationChannel.position, CommunicationChannel.id), window)


def create_channel(db: Session, actor: User, user_ref: str, new: NewChannel) -> CommunicationChannel:
    user, admin = _channel_owner(db, actor, user_ref)
    path_type, address = _checked(new)
    if channel_rows.live_channel(db, user.id, path_type, address) is not None:
        raise DuplicateChannel(address)
    state = "active" if new.skip_confirmation and admin else "unconfirmed"
    return channel_rows.add_channel(db, user.id, path_type, address, state)


def _checked(new: NewChannel) -> tuple[str, str]:
    path_type = (new.path_type or "email").strip().lower()
    if path_type not in TYPES:
        raise InvalidInput("type", f"type must be one of {', '.join(TYPES)}")
    if path_type == "push":
        raise PushUnsupported()
    address = (new.address or "").strip()
    if not address:
        raise InvalidInput("address", "address is required")
    if len(address) > _MAX_ADDRESS:
        raise InvalidInput("address", f"address is too long (maximum is {_MAX_ADDRESS} characters)")
    if path_type == "email" and not _is_email(address):
        raise InvalidInput("address", f"address must be an email address, got {address!r}")
    if path_type == "sms" and not _is_phone_number(address):
        raise InvalidInput("address", f"address must be a phone number (digits), got {address!r}")
    return path_type, address


def _is_email(address: str) -> bool:
    """One @ between a local part and a domain with a dot inside it; no spaces."""
    local, _, domain = address.partition("@")
    return bool(local) and "@" not in domain and "." in domain.strip(".") and not any(c.isspace() for c in address)


def _is_phone_number(address: str) -> bool:
    """Digits (4 to 20), after an optional + and with spaces or dashes between them."""
    digits = address.removeprefix("+").replace(" ", "").replace("-", "")
    return digits.isascii() and digits.isdigit() and 4 <= len(digits) <= 20


def user_channel(db: Session, actor: User, user_ref: str, channel_id: str) -> CommunicationChannel:
    """The user's live channel by id, for the user themself or an admin over them."""
    user, _ = _channel_owner(db, actor, user_ref)
    row_id = store_id(channel_id)
    channel = db.get(CommunicationChannel, row_id) if row_id is not None else None
    if channel is None or channel.user_id != user.id or channel.workflow_state not in channel_rows.LIVE_STATES:
        raise NotFound("communication channel")
    return channel


def user_channel_at(db: Session, actor: User, user_ref: str, path_type: str, address: str) -> CommunicationChannel:
    """The user's live channel of that type at that address, for the user themself or an admin over them."""
    user, _ = _channel_owner(db, actor, user_ref)
    channel = channel_rows.live_channel(db, user.id, path_type, address)
    if channel is None:
        raise NotFound("communication channel")
    return channel


def delete_channel(db: Session, actor: User, user_ref: str, channel_id: str) -> CommunicationChannel:
    """Retire the user's live channel by id."""
    return _retire(db, user_channel(db, actor, user_ref, channel_id))


def delete_channel_at(db: Session, actor: User, user_ref: str, path_type: str, address: str) -> CommunicationChannel:
    """Retire the user's live channel of that type at that address."""
    return _retire(db, user_channel_at(db, actor, user_ref, path_type, address))


def _retire(db: Session, channel: CommunicationChannel) -> CommunicationChannel:
    channel.workflow_state = "retired"
    db.flush()
    return channel
