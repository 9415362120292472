"""Canvas JSON for conversations (the Conversation and message objects of the Conversations API) and for
the recipients the search finds (users and contexts)."""

from __future__ import annotations

from typing import Any

from courseport.core.courses.conversation_recipients import Context, Recipient
from courseport.core.courses.conversation_views import ConversationView
from courseport.dialects.canvas.protocol import iso
from courseport.dialects.canvas.user_json import avatar_url_of
from courseport.schema import ConversationMessage, User

_PREVIEW = 100  # characters of the last message shown in a list


def render_conversation(view: ConversationView, origin: str,
                        messages: list[ConversationMessage] | None = None) -> dict[str, Any]:
    """The conversation as `view`'s participant sees it; `messages` (or the view's own, when it has them)."""
    conversation, mine, last = view.conversation, view.mine, view.last_message
    me, others = view.participants[0], view.participants[1:]
    context = conversation.context_type
    body: dict[str, Any] = {
        "id": conversation.id, "subject": conversation.subject, "workflow_state": mine.state,
        "last_message": last.body[:_PREVIEW] if last is not None else None,
        "last_message_at": iso(last.created_at) if last is not None else None,
        "last_authored_message": view.last_authored.body[:_PREVIEW] if view.last_authored is not None else None,
        "last_authored_message_at": iso(view.last_authored.created_at) if view.last_authored is not None else None,
        "message_count": view.message_count, "subscribed": mine.subscribed, "private": conversation.private,
        "starred": mine.starred, "properties": _properties(view, me),
        "audience": [u.id for u in others],
        "audience_contexts": {"courses": {str(conversation.context_id): []} if context == "course" else {},
                              "groups": {str(conversation.context_id): []} if context == "group" else {}},
        "avatar_url": avatar_url_of(others[0] if len(others) == 1 else me, origin),
        "participants": [_participant(u, origin) for u in view.participants],
        "visible": view.message_count > 0,
        "context_name": view.context_name,
        "context_code": f"{context}_{conversation.context_id}" if context else None,
    }
    shown = messages if messages is not None else view.messages
    if messages is not None or view.messages:
        body["messages"] = [render_message(m, view) for m in shown]
        body["submissions"] = []
    return body


def render_message(message: ConversationMessage, view: ConversationView) -> dict[str, Any]:
    return {"id": message.id, "created_at": iso(message.created_at), "body": message.body,
            "author_id": message.author_id, "generated": message.generated, "media_comment": None,
            "forwarded_messages": [], "attachments": [],
            "participating_user_ids": [u.id for u in view.participants]}


def render_recipient(recipient: Recipient, origin: str) -> dict[str, Any]:
    user = recipient.user
    return {"id": user.id, "name": user.short_name or user.name, "full_name": user.name,
            "avatar_url": avatar_url_of(user, origin), "pronouns": user.pronouns,
            "common_courses": {str(k): v for k, v in recipient.courses.items()},
            "common_groups": {str(k): v for k, v in recipient.groups.items()}}


def render_context(context: Context, origin: str) -> dict[str, Any]:
    return {"id": context.code, "name": context.name, "avatar_url": f"{origin}/images/messages/avatar-group-50.png",
            "type": "context", "user_count": len(context.members), "permissions": {}}


def _participant(user: User, origin: str) -> dict[str, Any]:
    return {"id": user.id, "name": user.short_name or user.name, "full_name": user.name,
            "avatar_url": avatar_url_of(user, origin), "pronouns": user.pronouns}


def _properties(view: ConversationView, me: User) -> list[str]:
    last = view.last_message
    return ["last_author"] if last is not None and last.author_id == me.id else []
