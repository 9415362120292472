"""Conversations between users: starting them (with users or whole contexts), adding messages and
recipients, and each participant's own state of one: read, unread or archived, starred, subscribed,
the messages they removed (deleting a conversation removes them all, for that participant alone).

A conversation with one recipient is private, and the sender's private conversation with that user is
found again rather than started twice (unless `force_new`). Several recipients get one private
conversation each, or one group conversation with them all (`group`, at most MAX_GROUP recipients).
A new message is unread for every subscribed participant but its author, and brings an archived or deleted conversation
back to the others' inboxes. Who may be messaged: conversation_recipients.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from courseport.core.courses import conversation_recipients as recipients
from courseport.core.courses.conversation_views import participant, participant_ids
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import InvalidInput
from courseport.schema import Conversation, ConversationMessage, ConversationParticipant, RemovedMessage, User

MAX_GROUP = 100
MAX_SUBJECT = 255
STATES = ("read", "unread", "archived")
EVENTS = ("mark_as_read", "mark_as_unread", "star", "unstar", "archive", "destroy")


@dataclass(frozen=True)
class NewConversation:
    recipients: list[str]  # user ids and context codes
    body: str | None
    subject: str | None = None
    group: bool = False  # one conversation for all recipients
    bulk: bool = False  # one private conversation each, whatever `group` says
    context_code: str | None = None
    force_new: bool = False


@dataclass(frozen=True)
class ParticipantChanges:
    state: str | Unset = UNSET
    subscribed: bool | Unset = UNSET
    starred: bool | Unset = UNSET


def start(db: Session, actor: User, new: NewConversation) -> list[tuple[int, ConversationMessage]]:
    """Send `new`; each conversation it went to (id) with the message sent there."""
    body = _body(new.body)
    if not new.recipients:
        raise InvalidInput("recipients", "recipients is required")
    if new.subject is not None and len(new.subject) > MAX_SUBJECT:
        raise InvalidInput("subject", f"subject is longer than {MAX_SUBJECT} characters")
    users, contexts = recipients.resolve(db, actor, new.recipients)
    if not users:
        raise InvalidInput("recipients", "recipients: no one to send to")
    where = contexts[0] if contexts else None
    if new.context_code:
        where = recipients.context(db, actor, new.context_code, "context_code")
    context = (where.kind if where.kind != "section" else "course", where.id if where.kind != "section"
               else where.course_id) if where is not None else (None, None)
    if len(users) > 1 and new.group and not new.bulk:
        if len(users) > MAX_GROUP:
            raise InvalidInput("group_conversation", f"group_conversation: at most {MAX_GROUP} recipients")
        groups = [[actor.id, *users]]
    else:
        groups = [[actor.id, user] for user in users]
    sent = []
    for members in groups:
        found = _private(db, members) if len(members) == 2 and not new.force_new else None
        conversation = found or _new(db, members, new.subject, context)
        sent.append((conversation.id, _post(db, actor, conversation.id, body)))
    return sent


def add_message(db: Session, actor: User, conversation_id: int, body: str | None) -> ConversationMessage:
    participant(db, actor, conversation_id)
    return _post(db, actor, conversation_id, _body(body))


def add_recipients(db: Session, actor: User, conversation_id: int, refs: list[str]) -> ConversationMessage:
    """Add users (or contexts' members) to a group conversation; the message that says so."""
    participant(db, actor, conversation_id)
    conversation = db.get(Conversation, conversation_id)
    assert conversation is not None
    if conversation.private:
        raise InvalidInput("recipients", "recipients can't be added to a private conversation")
    if not refs:
        raise InvalidInput("recipients", "recipients is required")
    users, _ = recipients.resolve(db, actor, refs)
    present = set(participant_ids(db, conversation_id))
    added = [u for u in users if u not in present]
    if not added:
        raise InvalidInput("recipients", "recipients: everyone named is in the conversation already")
    if len(present) - 1 + len(added) > MAX_GROUP:
        raise InvalidInput("recipients", f"recipients: at most {MAX_GROUP} recipients")
    db.add_all(ConversationParticipant(conversation_id=conversation_id, user_id=u, state="unread") for u in added)
    names = [db.get(User, u).name for u in added]  # type: ignore[union-attr]  # resolve found them
    text = f"{', '.join(names)} {'was' if len(names) == 1 else 'were'} added to the conversation by {actor.name}"
    return _post(db, actor, conversation_id, text, generated=True)


def remove_messages(db: Session, actor: User, conversation_id: int, message_ids: list[int]) -> None:
    """Remove messages from the actor's view of a conversation (ids of other conversations are ignored)."""
    participant(db, actor, conversation_id)
    if not message_ids:
        raise InvalidInput("remove", "remove is required")
    ids = set(db.scalars(select(ConversationMessage.id).where(
        ConversationMessage.conversation_id == conversation_id, ConversationMessage.id.in_(message_ids))))
    _remove(db, actor, ids)


def delete_for(db: Session, actor: User, conversation_id: int) -> None:
    """Remove every message of a conversation from the actor's view; the others keep theirs."""
    participant(db, actor, conversation_id)
    _remove(db, actor, set(db.scalars(select(ConversationMessage.id).where(
        ConversationMessage.conversation_id == conversation_id))))


def change(db: Session, actor: User, conversation_id: int, changes: ParticipantChanges) -> None:
    mine = participant(db, actor, conversation_id)
    fields = given(changes)
    if "state" in fields and fields["state"] not in STATES:
        raise InvalidInput("state", f"state must be one of {', '.join(STATES)}")
    for name, value in fields.items():
        if value is None:
            raise InvalidInput(name, f"{name} can't be blank")
        setattr(mine, name, value)


def apply_event(db: Session, actor: User, conversation_id: int, event: str) -> None:
    """One batch event on the actor's state of a conversation."""
    if event == "destroy":
        delete_for(db, actor, conversation_id)
        return
    changes = {"mark_as_read": ParticipantChanges(state="read"), "mark_as_unread": ParticipantChanges(state="unread"),
               "star": ParticipantChanges(starred=True), "unstar": ParticipantChanges(starred=False),
               "archive": ParticipantChanges(state="archived")}
    change(db, actor, conversation_id, changes[event])


def mark_all_read(db: Session, actor: User) -> None:
    db.execute(update(ConversationParticipant).where(ConversationParticipant.user_id == actor.id,
                                                     ConversationParticipant.state == "unread").values(state="read"))


def _body(body: str | None) -> str:
    if body is None or not body.strip():
        raise InvalidInput("body", "body is required")
    return body


def _new(db: Session, members: list[int], subject: str | None, context: tuple[str | None, int | None]) -> Conversation:
    conversation = Conversation(subject=subject or None, private=len(members) == 2,
                                context_type=context[0], context_id=context[1])
    db.add(conversation)
    db.flush()
    db.add_all(ConversationParticipant(conversation_id=conversation.id, user_id=u, state="unread") for u in members)
    return conversation


def _private(db: Session, members: list[int]) -> Conversation | None:
    """The private conversation of exactly these two users, if any."""
    theirs = (select(ConversationParticipant.conversation_id).where(ConversationParticipant.user_id.in_(members))
              .group_by(ConversationParticipant.conversation_id).having(func.count() == 2))
    return db.scalar(select(Conversation).where(Conversation.private.is_(True), Conversation.id.in_(theirs))
                     .order_by(Conversation.id).limit(1))


def _post(db: Session, actor: User, conversation_id: int, body: str, *, generated: bool = False) -> ConversationMessage:
    message = ConversationMessage(conversation_id=conversation_id, author_id=actor.id, body=body, generated=generated)
    db.add(message)
    db.execute(update(ConversationParticipant).where(ConversationParticipant.conversation_id == conversation_id,
                                                     ConversationParticipant.user_id != actor.id,
                                                     ConversationParticipant.subscribed.is_(True))
               .values(state="unread"))
    db.execute(update(ConversationParticipant).where(ConversationParticipant.conversation_id == conversation_id,
                                                     ConversationParticipant.user_id == actor.id)
               .values(state="read"))
    db.flush()
    return message


def _remove(db: Session, actor: User, message_ids: set[int]) -> None:
    done = set(db.scalars(select(RemovedMessage.message_id).where(RemovedMessage.user_id == actor.id,
                                                                   RemovedMessage.message_id.in_(message_ids))))
    db.add_all(RemovedMessage(user_id=actor.id, message_id=m) for m in sorted(message_ids - done))
    db.flush()
