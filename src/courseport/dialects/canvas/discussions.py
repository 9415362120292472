"""Canvas Discussion Topics and Announcements API routes: topics, entries, replies, read marks, subscriptions,
announcements."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Response

from courseport.core.coursework import (
    announcements,
    discussion_entries,
    discussion_pins,
    discussion_ratings,
    discussion_views,
    discussions,
)
from courseport.core.coursework.announcements import AnnouncementQuery
from courseport.core.coursework.discussions import TopicChanges, TopicFilters
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.discussion_json import render_entry, render_full_view, render_topic
from courseport.dialects.canvas.protocol import (
    Call,
    coerce,
    delete,
    get,
    in_contexts,
    iso,
    post,
    put,
    to_datetime,
    to_int,
)
from courseport.schema.base import utcnow

_FIELDS = {"title": str, "message": str, "discussion_type": str, "published": bool, "delayed_post_at": datetime,
           "lock_at": datetime, "pinned": bool, "locked": bool, "require_initial_post": bool,
           "is_announcement": bool, "allow_rating": bool, "only_graders_can_rate": bool, "sort_by_rating": bool}
_ASSIGNMENT_DATES = ("due_at", "unlock_at", "lock_at")


def topic_changes(call: Call) -> TopicChanges:
    changes = TopicChanges()
    for key, kind in _FIELDS.items():
        if key in call.params:
            value = coerce(call.params[key], kind, key)
            changes.given.add(key)
            if value is not None or kind is datetime:
                setattr(changes, key, value)
    if isinstance(call.raw("assignment"), dict):
        changes.assignment = assignment_spec(call.raw("assignment"))
    return changes


def assignment_spec(node: dict[str, Any]) -> dict[str, Any]:
    """The graded-topic `assignment[...]` hash, typed."""
    spec: dict[str, Any] = {}
    if node.get("points_possible") not in (None, ""):
        try:
            spec["points_possible"] = float(node["points_possible"])
        except (TypeError, ValueError):
            raise InvalidInput("assignment[points_possible]", "assignment[points_possible] must be a number") from None
    for key in _ASSIGNMENT_DATES:
        if key in node:
            spec[key] = to_datetime(node[key], f"assignment[{key}]")
    if node.get("grading_type"):
        spec["grading_type"] = coerce(node["grading_type"], str, "assignment[grading_type]")
    if node.get("assignment_group_id") not in (None, ""):
        spec["assignment_group_id"] = to_int(node["assignment_group_id"], "assignment[assignment_group_id]")
    return spec


@get(in_contexts("/discussion_topics"))
def list_topics(call: Call) -> Response:
    window = call.window()
    scopes = tuple(s.strip() for s in (call.str("scope") or "").split(",") if s.strip())
    filters = TopicFilters(only_announcements=bool(call.bool("only_announcements", False)),
                           search_term=call.str("search_term"), scopes=scopes,
                           order_by=call.str("order_by") or "position")
    with call.read() as (db, me):
        page = discussions.list_topics(db, me, call.context_ref(), filters, window)
    return call.paged([render_topic(v, call.origin) for v in page.items], window, page)


@post(in_contexts("/discussion_topics"), status_code=200)
def create_topic(call: Call) -> dict:
    changes = topic_changes(call)
    with call.write() as (db, me):
        view = discussions.create_topic(db, me, call.context_ref(), changes)
    return render_topic(view, call.origin)


@post(in_contexts("/discussion_topics/reorder"), status_code=200)
def reorder_pinned(call: Call) -> dict:
    """`order` is the pinned topics' ids: a list (order[]) or one comma-separated string (canvasapi sends that)."""
    raw = call.raw("order")
    items = raw if isinstance(raw, list) else [] if raw in (None, "") else str(raw).split(",")
    order = [to_int(str(v).strip(), "order") for v in items]
    with call.write() as (db, me):
        ids = discussion_pins.reorder_pinned(db, me, call.context_ref(), [v for v in order if v is not None])
    return {"reorder": True, "order": ids}


@get(in_contexts("/discussion_topics/{topic_id:str}"))
def get_topic(call: Call, topic_id: str) -> dict:
    with call.read() as (db, me):
        view = discussions.get_topic(db, me, call.context_ref(), topic_id)
    return render_topic(view, call.origin)


@put(in_contexts("/discussion_topics/{topic_id:str}"))
def update_topic(call: Call, topic_id: str) -> dict:
    changes = topic_changes(call)
    with call.write() as (db, me):
        view = discussions.update_topic(db, me, call.context_ref(), topic_id, changes)
    return render_topic(view, call.origin)


@delete(in_contexts("/discussion_topics/{topic_id:str}"))
def delete_topic(call: Call, topic_id: str) -> dict:
    with call.write() as (db, me):
        view = discussions.delete_topic(db, me, call.context_ref(), topic_id)
    return {**render_topic(view, call.origin), "workflow_state": "deleted", "deleted_at": iso(utcnow())}


@post(in_contexts("/discussion_topics/{topic_id:str}/entries"), status_code=201)
def post_entry(call: Call, topic_id: str) -> dict:
    with call.write() as (db, me):
        view = discussion_entries.post_entry(db, me, call.context_ref(), topic_id, call.str("message"))
    return render_entry(view, call.origin)


@get(in_contexts("/discussion_topics/{topic_id:str}/entries"))
def list_entries(call: Call, topic_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = discussion_entries.list_entries(db, me, call.context_ref(), topic_id, window)
    return call.paged([render_entry(v, call.origin) for v in page.items], window, page)


@post(in_contexts("/discussion_topics/{topic_id:str}/entries/{entry_id:str}/replies"),
      status_code=201)
def post_reply(call: Call, topic_id: str, entry_id: str) -> dict:
    with call.write() as (db, me):
        view = discussion_entries.post_entry(db, me, call.context_ref(), topic_id, call.str("message"), entry_id)
    return render_entry(view, call.origin)


@get(in_contexts("/discussion_topics/{topic_id:str}/entries/{entry_id:str}/replies"))
def list_replies(call: Call, topic_id: str, entry_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = discussion_entries.list_replies(db, me, call.context_ref(), topic_id, entry_id, window)
    return call.paged([render_entry(v, call.origin) for v in page.items], window, page)


@put(in_contexts("/discussion_topics/{topic_id:str}/entries/{entry_id:str}"))
def update_entry(call: Call, topic_id: str, entry_id: str) -> dict:
    with call.write() as (db, me):
        view = discussion_entries.update_entry(db, me, call.context_ref(), topic_id, entry_id, call.str("message"))
    return render_entry(view, call.origin)


@delete(in_contexts("/discussion_topics/{topic_id:str}/entries/{entry_id:str}"), status_code=204)
def delete_entry(call: Call, topic_id: str, entry_id: str) -> None:
    with call.write() as (db, me):
        discussion_entries.delete_entry(db, me, call.context_ref(), topic_id, entry_id)


_TOPIC = "/discussion_topics/{topic_id:str}"


@get(in_contexts(_TOPIC + "/view"))
def full_view(call: Call, topic_id: str) -> dict:
    with call.read() as (db, me):
        view = discussion_views.full_view(db, me, call.context_ref(), topic_id)
    return render_full_view(view, call.origin)


@post(in_contexts(_TOPIC + "/entries/{entry_id:str}/rating"), status_code=204)
def rate_entry(call: Call, topic_id: str, entry_id: str) -> None:
    rating = to_int(call.raw("rating"), "rating")
    with call.write() as (db, me):
        discussion_ratings.rate_entry(db, me, call.context_ref(), topic_id, entry_id, rating)


@put(in_contexts(_TOPIC + "/read"), status_code=204)
def mark_topic_read(call: Call, topic_id: str) -> None:
    with call.write() as (db, me):
        discussion_entries.mark_topic_read(db, me, call.context_ref(), topic_id, True)


@delete(in_contexts(_TOPIC + "/read"), status_code=204)
def mark_topic_unread(call: Call, topic_id: str) -> None:
    with call.write() as (db, me):
        discussion_entries.mark_topic_read(db, me, call.context_ref(), topic_id, False)


@put(in_contexts(_TOPIC + "/read_all"), status_code=204)
def mark_all_read(call: Call, topic_id: str) -> None:
    forced = bool(call.bool("forced_read_state", False))
    with call.write() as (db, me):
        discussion_entries.mark_all_read(db, me, call.context_ref(), topic_id, True, forced)


@delete(in_contexts(_TOPIC + "/read_all"), status_code=204)
def mark_all_unread(call: Call, topic_id: str) -> None:
    forced = bool(call.bool("forced_read_state", False))
    with call.write() as (db, me):
        discussion_entries.mark_all_read(db, me, call.context_ref(), topic_id, False, forced)


@put(in_contexts(_TOPIC + "/entries/{entry_id:str}/read"), status_code=204)
def mark_entry_read(call: Call, topic_id: str, entry_id: str) -> None:
    forced = bool(call.bool("forced_read_state", False))
    with call.write() as (db, me):
        discussion_entries.mark_entry_read(db, me, call.context_ref(), topic_id, entry_id, True, forced)


@delete(in_contexts(_TOPIC + "/entries/{entry_id:str}/read"), status_code=204)
def mark_entry_unread(call: Call, topic_id: str, entry_id: str) -> None:
    forced = bool(call.bool("forced_read_state", False))
    with call.write() as (db, me):
        discussion_entries.mark_entry_read(db, me, call.context_ref(), topic_id, entry_id, False, forced)


@put(in_contexts(_TOPIC + "/subscribed"), status_code=204)
def subscribe(call: Call, topic_id: str) -> None:
    with call.write() as (db, me):
        discussion_entries.set_subscribed(db, me, call.context_ref(), topic_id, True)


@delete(in_contexts(_TOPIC + "/subscribed"), status_code=204)
def unsubscribe(call: Call, topic_id: str) -> None:
    with call.write() as (db, me):
        discussion_entries.set_subscribed(db, me, call.context_ref(), topic_id, False)


@get("/announcements")
def list_announcements(call: Call) -> Response:
    window = call.window()
    refs = []
    for code in call.list("context_codes[]"):
        if not code.startswith("course_"):
            raise InvalidInput("context_codes", f"context_codes: unsupported context {code!r}")
        refs.append(code.removeprefix("course_"))
    query = AnnouncementQuery(tuple(refs), to_datetime(call.raw("start_date"), "start_date"),
                              to_datetime(call.raw("end_date"), "end_date"),
                              bool(call.bool("active_only", False)), bool(call.bool("latest_only", False)))
    with call.read() as (db, me):
        page = announcements.list_announcements(db, me, query, window)
    return call.paged([render_topic(v, call.origin, context_code=True) for _, v in page.items], window, page)


ROUTES = [list_topics, create_topic, get_topic, update_topic, delete_topic, post_entry, list_entries, post_reply,
          list_replies, update_entry, delete_entry, list_announcements, mark_topic_read, mark_topic_unread,
          mark_all_read, mark_all_unread, mark_entry_read, mark_entry_unread, subscribe, unsubscribe, reorder_pinned,
          full_view, rate_entry]
