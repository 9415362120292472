"""What a participant sees of conversations: their list (by scope and filters, latest message first), one
conversation with its messages and participants, and how many they have not read.

Each participant sees the messages they did not remove; a conversation whose messages they all removed
(deleted it) is gone from their lists until a new message arrives.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session

from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.paging import Slice, Window
from courseport.schema import (
    Conversation,
    ConversationMessage,
    ConversationParticipant,
    Course,
    CourseGroup,
    RemovedMessage,
    User,
)

SCOPES = ("inbox", "unread", "starred", "archived", "sent")


@dataclass(frozen=True)
class ConversationView:
    conversation: Conversation
    mine: ConversationParticipant
    participants: list[User]  # the actor first, then by id
    message_count: int
    last_message: ConversationMessage | None
    last_authored: ConversationMessage | None  # the actor's latest message
    messages: list[ConversationMessage]  # newest first; only when asked for
    context_name: str | None


def visible_to(user_id: int) -> ColumnElement[bool]:
    """A condition on ConversationMessage: the user did not remove it."""
    return ~exists(select(RemovedMessage.message_id).where(RemovedMessage.user_id == user_id,
                                                           RemovedMessage.message_id == ConversationMessage.id))


def participant(db: Session, actor: User, conversation_id: int) -> ConversationParticipant:
    row = db.get(ConversationParticipant, (conversation_id, actor.id))
    if row is None:
        raise NotFound("conversation")
    return row


def list_conversations(db: Session, actor: User, scope: str | None, filters: list[str],
                       window: Window) -> Slice[ConversationView]:
    latest = (select(func.max(ConversationMessage.created_at))
              .where(ConversationMessage.conversation_id == ConversationParticipant.conversation_id,
                     visible_to(actor.id)).scalar_subquery())
    stmt = (select(ConversationParticipant, latest.label("latest"))
            .where(ConversationParticipant.user_id == actor.id, latest.is_not(None)))
    stmt = stmt.where(_scope(actor, scope or "inbox"))
    if filters:
        stmt = stmt.where(_filtered(filters))
    rows = db.execute(stmt.order_by(latest.desc(), ConversationParticipant.conversation_id.desc())
                      .offset(window.offset).limit(window.limit + 1)).all()
    views = [view(db, actor, row[0].conversation_id) for row in rows[:window.limit]]
    return Slice(views, len(rows) > window.limit)


def view(db: Session, actor: User, conversation_id: int, *, with_messages: bool = False) -> ConversationView:
    mine = participant(db, actor, conversation_id)
    conversation = db.get(Conversation, conversation_id)
    assert conversation is not None  # a participant's conversation exists (cascade)
    messages = list(db.scalars(select(ConversationMessage).where(
        ConversationMessage.conversation_id == conversation_id, visible_to(actor.id))
        .order_by(ConversationMessage.created_at.desc(), ConversationMessage.id.desc())))
    others = db.scalars(select(User).join(ConversationParticipant, ConversationParticipant.user_id == User.id)
                        .where(ConversationParticipant.conversation_id == conversation_id, User.id != actor.id)
                        .order_by(User.id))
    authored = next((m for m in messages if m.author_id == actor.id and not m.generated), None)
    return ConversationView(conversation, mine, [actor, *others], len(messages), messages[0] if messages else None,
                            authored, messages if with_messages else [], _context_name(db, conversation))


def unread_count(db: Session, actor: User) -> int:
    visible = exists(select(ConversationMessage.id).where(
        ConversationMessage.conversation_id == ConversationParticipant.conversation_id, visible_to(actor.id)))
    return db.scalar(select(func.count()).select_from(ConversationParticipant).where(
        ConversationParticipant.user_id == actor.id, ConversationParticipant.state == "unread", visible)) or 0


def participant_ids(db: Session, conversation_id: int) -> list[int]:
    return list(db.scalars(select(ConversationParticipant.user_id)
                           .where(ConversationParticipant.conversation_id == conversation_id)
                           .order_by(ConversationParticipant.user_id)))


def _scope(actor: User, scope: str) -> ColumnElement[bool]:
    state = ConversationParticipant.state
    if scope == "inbox":
        return state != "archived"
    if scope in ("unread", "archived"):
        return state == scope
    if scope == "starred":
        return ConversationParticipant.starred.is_(True)
    if scope == "sent":
        return exists(select(ConversationMessage.id).where(
            ConversationMessage.conversation_id == ConversationParticipant.conversation_id,
            ConversationMessage.author_id == actor.id, ConversationMessage.generated.is_(False),
            visible_to(actor.id)))
    raise InvalidInput("scope", f"scope must be one of {', '.join(SCOPES)}")


def _filtered(filters: list[str]) -> ColumnElement[bool]:
    """Conversations in any of the named contexts (course_1, group_2) or with any named user (user_3)."""
    conditions: list[ColumnElement[bool]] = []
    for code in filters:
        kind, _, ident = code.strip().partition("_")
        if kind not in ("course", "group", "user") or not ident.isdigit() or len(ident) > 18:
            raise InvalidInput("filter", f"filter: {code} is not a course, group or user code")
        if kind == "user":
            conditions.append(exists(select(ConversationParticipant.user_id).where(
                ConversationParticipant.user_id == int(ident),
                ConversationParticipant.conversation_id == Conversation.id)))
        else:
            conditions.append((Conversation.context_type == kind) & (Conversation.context_id == int(ident)))
    return ConversationParticipant.conversation_id.in_(select(Conversation.id).where(or_(*conditions)))


def _context_name(db: Session, conversation: Conversation) -> str | None:
    if conversation.context_id is None:
        return None
    row = db.get(Course, conversation.context_id) if conversation.context_type == "course" else \
        db.get(CourseGroup, conversation.context_id)
    return row.name if row is not None else None

