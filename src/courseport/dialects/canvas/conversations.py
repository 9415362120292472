"""Canvas conversation routes (Conversations API): the caller's conversations, listed, started, read,
changed, deleted, added to; batch updates (answered with a Progress); and the recipient search."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.courses import conversation_batches, conversation_recipients, conversation_views, conversations
from courseport.core.kit.errors import spelled_as
from courseport.dialects.canvas.conversation_json import render_context, render_conversation, render_recipient
from courseport.dialects.canvas.progress import render_progress
from courseport.dialects.canvas.protocol import Call, delete, get, get_writing, post, prefixed_fields, put, to_int

_NAMES = {"state": "conversation[workflow_state]", "subscribed": "conversation[subscribed]",
          "starred": "conversation[starred]", "conversation_ids": "conversation_ids[]", "filter": "filter[]",
          "remove": "remove[]"}
_CHANGES = {"workflow_state": str, "subscribed": bool, "starred": bool}  # conversation[...]


def _refs(call: Call, name: str) -> list[str]:
    """A list parameter, its items split at commas as well (recipients=1,2)."""
    return [part for item in call.list(name) for part in item.split(",") if part.strip()]


def _ids(call: Call, name: str) -> list[int]:
    return [to_int(item, name) for item in _refs(call, name)]  # type: ignore[misc]  # never None for text


def _show(call: Call, db, me, conversation_id: int, messages: Any = None) -> dict:  # noqa: ANN001
    view = conversation_views.view(db, me, conversation_id, with_messages=messages is None)
    return render_conversation(view, call.origin, messages if messages is not None else view.messages)


@get("/conversations")
def list_conversations(call: Call) -> Response:
    window, filters = call.window(), _refs(call, "filter[]")
    with call.read() as (db, me), spelled_as(_NAMES):
        page = conversation_views.list_conversations(db, me, call.str("scope"), filters, window)
    return call.paged([render_conversation(v, call.origin) for v in page.items], window, page)


@post("/conversations")  # 201 Created, as Canvas answers a message sent at once
def create_conversation(call: Call) -> list:
    new = conversations.NewConversation(
        _refs(call, "recipients[]"), call.str("body"), call.str("subject"), bool(call.bool("group_conversation")),
        bool(call.bool("bulk_message")), call.str("context_code"), bool(call.bool("force_new")))
    with call.write() as (db, me):
        sent = conversations.start(db, me, new)
        return [_show(call, db, me, conversation_id, [message]) for conversation_id, message in sent]


@get_writing("/conversations/{conversation_id:int}")  # reading marks it read (auto_mark_as_read)
def get_conversation(call: Call, conversation_id: int) -> dict:
    with call.write() as (db, me):
        mine = conversation_views.participant(db, me, conversation_id)
        if call.bool("auto_mark_as_read", True) and mine.state == "unread":
            conversations.change(db, me, conversation_id, conversations.ParticipantChanges(state="read"))
        return _show(call, db, me, conversation_id)


@put("/conversations/{conversation_id:int}")
def update_conversation(call: Call, conversation_id: int) -> dict:
    fields = prefixed_fields(call, "conversation", _CHANGES)
    if "workflow_state" in fields:
        fields["state"] = fields.pop("workflow_state")
    changes = conversations.ParticipantChanges(**fields)
    with call.write() as (db, me), spelled_as(_NAMES):
        conversations.change(db, me, conversation_id, changes)
        return _show(call, db, me, conversation_id, [])


@delete("/conversations/{conversation_id:int}")
def delete_conversation(call: Call, conversation_id: int) -> dict:
    with call.write() as (db, me):
        conversations.delete_for(db, me, conversation_id)
        return _show(call, db, me, conversation_id, [])


@post("/conversations/{conversation_id:int}/add_message", status_code=200)
def add_message(call: Call, conversation_id: int) -> dict:
    with call.write() as (db, me):
        message = conversations.add_message(db, me, conversation_id, call.str("body"))
        return _show(call, db, me, conversation_id, [message])


@post("/conversations/{conversation_id:int}/add_recipients", status_code=200)
def add_recipients(call: Call, conversation_id: int) -> dict:
    with call.write() as (db, me):
        message = conversations.add_recipients(db, me, conversation_id, _refs(call, "recipients[]"))
        return _show(call, db, me, conversation_id, [message])


@post("/conversations/{conversation_id:int}/remove_messages", status_code=200)
def remove_messages(call: Call, conversation_id: int) -> dict:
    removed = _ids(call, "remove[]")
    with call.write() as (db, me), spelled_as(_NAMES):
        conversations.remove_messages(db, me, conversation_id, removed)
        return _show(call, db, me, conversation_id, [])


@post("/conversations/mark_all_as_read", status_code=200)
def mark_all_as_read(call: Call) -> dict:
    with call.write() as (db, me):
        conversations.mark_all_read(db, me)
    return {}


@get("/conversations/unread_count")
def unread_count(call: Call) -> dict:
    with call.read() as (db, me):
        return {"unread_count": str(conversation_views.unread_count(db, me))}


@put("/conversations")
def batch_update(call: Call) -> dict:
    ids, event = _ids(call, "conversation_ids[]"), call.str("event")
    with call.write() as (db, me), spelled_as(_NAMES):
        job = conversation_batches.queue_batch_update(db, me, ids, event)
    call.services.jobs.notify()
    return render_progress(job, call.origin)


@get("/conversations/batches")
def running_batches(call: Call) -> list:
    """Canvas lists bulk messages still being sent; every message here is sent before its call answers."""
    with call.read():
        return []


@get("/search/recipients")
def search_recipients(call: Call) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = conversation_recipients.search(db, me, call.str("search", "") or "", call.str("context"),
                                              call.str("type"), window)
    items = [render_context(r, call.origin) if isinstance(r, conversation_recipients.Context)
             else render_recipient(r, call.origin) for r in page.items]
    return call.paged(items, window, page)


ROUTES = [list_conversations, create_conversation, get_conversation, update_conversation, delete_conversation,
          add_message, add_recipients, remove_messages, mark_all_as_read, unread_count, batch_update,
          running_batches, search_recipients]
