"""Discussion topics and announcements: content items of type "discussion_topic" / "announcement".

A topic's body is its message; data holds its discussion_type, pinned, locked, delayed_post_at and
require_initial_post; `start_at` is when it was (or will be) posted. Published topics are
"active"; a topic waiting for its delayed_post_at is "post_delayed" and counts as posted once that
time has passed. A course's groups have topics of their own (core/courses/content_contexts.py), which are
never graded. A graded topic refers (`ref_id`) to its assignment item. Entries live in
`discussion_entries` (core/coursework/discussion_entries.py); counts are computed from them, not stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, and_, case, func, not_, or_, select
from sqlalchemy.orm import Session

from courseport.core.content import content
from courseport.core.courses import course_settings
from courseport.core.courses.content_contexts import ContextRef, in_group, readable_context
from courseport.core.coursework import assignments, discussion_reads, late_regrades
from courseport.core.coursework.assignments import AssignmentChanges
from courseport.core.coursework.discussion_reads import TopicMarks
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import ContentItem, Course, DiscussionEntry, User
from courseport.schema.base import utcnow

TOPIC_TYPES = ("discussion_topic", "announcement")
DISCUSSION_TYPES = ("side_comment", "threaded", "not_threaded", "flat")
ORDERS = ("position", "recent_activity", "title")
SCOPES = ("locked", "unlocked", "pinned", "unpinned")
RATING_FLAGS = ("allow_rating", "only_graders_can_rate", "sort_by_rating")  # stored only once given
DEFAULT_TITLE = "No Title"


@dataclass
class TopicChanges:
    """What a create or update asks for; None = leave as is. `assignment` is already typed."""

    title: str | None = None
    message: str | None = None
    discussion_type: str | None = None
    published: bool | None = None
    delayed_post_at: datetime | None = None
    lock_at: datetime | None = None
    pinned: bool | None = None
    locked: bool | None = None
    require_initial_post: bool | None = None
    is_announcement: bool | None = None
    allow_rating: bool | None = None
    only_graders_can_rate: bool | None = None
    sort_by_rating: bool | None = None
    assignment: dict[str, Any] | None = None
    given: set[str] = field(default_factory=set)  # names present in the request, even when null


@dataclass(frozen=True)
class TopicFilters:
    only_announcements: bool = False
    search_term: str | None = None
    scopes: tuple[str, ...] = ()
    order_by: str = "position"


@dataclass(frozen=True)
class TopicView:
    item: ContentItem
    author: User | None
    entry_count: int
    last_reply_at: datetime | None
    unread_count: int
    has_posted: bool
    read: bool
    subscribed: bool
    can_update: bool
    can_delete: bool
    can_reply: bool
    can_attach: bool
    moderator: bool
    comments_disabled: bool
    now: datetime

    @property
    def posted_at(self) -> datetime | None:
        return self.item.start_at if is_posted(self.item, self.now) else None

    @property
    def locked(self) -> bool:
        return is_locked(self.item, self.now)


def is_posted(item: ContentItem, now: datetime) -> bool:
    return item.workflow_state == "active" or (
        item.workflow_state == "post_delayed" and item.start_at is not None and item.start_at <= now)


def is_locked(item: ContentItem, now: datetime) -> bool:
    return bool(item.data.get("locked")) or (item.lock_at is not None and item.lock_at <= now)


def moderates(rights: CourseRights) -> bool:
    return rights.can("moderate_forum") or rights.can("manage_content")


def posted_clause(now: datetime):  # noqa: ANN201
    return or_(ContentItem.workflow_state == "active",
               and_(ContentItem.workflow_state == "post_delayed", ContentItem.start_at <= now))


def _pinned():  # noqa: ANN202
    return ContentItem.data["pinned"].as_boolean() == True  # noqa: E712


def _locked_clause(now: datetime):  # noqa: ANN202
    return or_(ContentItem.data["locked"].as_boolean() == True,  # noqa: E712
               and_(ContentItem.lock_at.is_not(None), ContentItem.lock_at <= now))


# --- reading --------------------------------------------------------------------------------------

def topics_stmt(course_id: int, rights: CourseRights, types: tuple[str, ...], now: datetime,
                group_id: int | None = None) -> Select:
    """The topics of the course's own content, or (group_id) of that group's, the member may see."""
    stmt = select(ContentItem).where(ContentItem.course_id == course_id, in_group(group_id),
                                     ContentItem.type.in_(types), ContentItem.workflow_state != "deleted")
    return stmt if moderates(rights) else stmt.where(posted_clause(now))


def list_topics(db: Session, actor: User, course_ref: ContextRef, filters: TopicFilters, window: Window
                ) -> Slice[TopicView]:
    context = readable_context(db, actor, course_ref)
    course, rights = context.course, context.rights
    now = utcnow()
    types = ("announcement",) if filters.only_announcements else ("discussion_topic",)
    stmt = topics_stmt(course.id, rights, types, now, context.group_id)
    if filters.search_term:
        stmt = stmt.where(or_(ContentItem.title.icontains(filters.search_term, autoescape=True),
                              ContentItem.body.icontains(filters.search_term, autoescape=True)))
    for scope in filters.scopes:
        if scope not in SCOPES:
            raise InvalidInput("scope", f"scope must be one of {', '.join(SCOPES)}")
        clause = _pinned() if scope.endswith("pinned") else _locked_clause(now)
        stmt = stmt.where(not_(clause) if scope.startswith("un") else clause)
    if filters.order_by not in ORDERS:
        raise InvalidInput("order_by", f"order_by must be one of {', '.join(ORDERS)}")
    page = fetch_window(db, stmt.order_by(*_ordering(filters)), window)
    return Slice(topic_views(db, course, rights, actor, page.items, now), page.has_more, page.total)


def _ordering(filters: TopicFilters) -> list[Any]:
    posted = func.coalesce(ContentItem.start_at, ContentItem.created_at)
    if filters.only_announcements:
        return [posted.desc(), ContentItem.id.desc()]
    if filters.order_by == "title":
        return [ContentItem.title, ContentItem.id]
    if filters.order_by == "recent_activity":
        last = (select(func.max(DiscussionEntry.created_at))
                .where(DiscussionEntry.topic_id == ContentItem.id, DiscussionEntry.workflow_state == "active")
                .scalar_subquery())
        return [func.coalesce(last, posted).desc(), ContentItem.id.desc()]
    pinned_first = case((_pinned(), 0), else_=1)
    return [pinned_first, case((_pinned(), ContentItem.position), else_=0), ContentItem.created_at.desc(),
            ContentItem.id.desc()]


def visible_topic(db: Session, course_id: int, rights: CourseRights, topic_id: str | int,
                  now: datetime | None = None, group_id: int | None = None) -> ContentItem:
    """A topic the member may see: moderators see drafts and delayed topics, others 404."""
    item = content.get_item(db, course_id, topic_id, TOPIC_TYPES, group_id=group_id)
    if not moderates(rights) and not is_posted(item, now or utcnow()):
        raise NotFound("discussion topic")
    return item


def get_topic(db: Session, actor: User, course_ref: ContextRef, topic_id: str) -> TopicView:
    context = readable_context(db, actor, course_ref)
    course, rights = context.course, context.rights
    now = utcnow()
    item = visible_topic(db, course.id, rights, topic_id, now, context.group_id)
    return topic_views(db, course, rights, actor, [item], now)[0]


def topic_views(db: Session, course: Course, rights: CourseRights, actor: User, items: list[ContentItem],
                now: datetime) -> list[TopicView]:
    ids = [i.id for i in items]
    stats, mine = _entry_stats(db, ids, actor.id)
    unread, marks = discussion_reads.unread_counts(db, ids, actor.id), discussion_reads.topic_marks(db, ids, actor.id)
    authors: dict[int | None, User] = {  # looked up by nullable ids
        u.id: u for u in db.scalars(select(User).where(User.id.in_({i.user_id for i in items if i.user_id})))}
    settings = course_settings.settings_of(db, course) if items else {}
    mod = moderates(rights)
    views = []
    for item in items:
        count, last = stats.get(item.id, (0, None))
        own = item.user_id == actor.id
        mark = marks.get(item.id, TopicMarks())
        joined = own or item.id in mine
        announcement_locked = item.type == "announcement" and bool(settings.get("lock_all_announcements"))
        can_reply = (rights.can("post_to_forum") and item.workflow_state != "unpublished"
                     and not announcement_locked and (mod or not is_locked(item, now)))
        views.append(TopicView(
            item=item, author=authors.get(item.user_id), entry_count=count, last_reply_at=last,
            unread_count=unread.get(item.id, 0), has_posted=item.id in mine,
            read=joined if mark.read is None else mark.read,
            subscribed=joined if mark.subscribed is None else mark.subscribed, can_update=mod or own,
            can_delete=mod or own, can_reply=can_reply,
            can_attach=mod or bool(settings.get("allow_student_forum_attachments")), moderator=mod,
            comments_disabled=announcement_locked, now=now))
    return views


def _entry_stats(db: Session, ids: list[int], user_id: int) -> tuple[dict, set[int]]:
    """Per topic: (entry count, last reply time); and the topics the user posted in."""
    if not ids:
        return {}, set()
    live = and_(DiscussionEntry.topic_id.in_(ids), DiscussionEntry.workflow_state == "active")
    stats = {t: (n, last) for t, n, last in db.execute(
        select(DiscussionEntry.topic_id, func.count(), func.max(DiscussionEntry.created_at))
        .where(live).group_by(DiscussionEntry.topic_id))}
    posted = set(db.scalars(select(DiscussionEntry.topic_id).where(live, DiscussionEntry.user_id == user_id)
                            .distinct()))
    return stats, posted


# --- writing --------------------------------------------------------------------------------------

def create_topic(db: Session, actor: User, course_ref: ContextRef, changes: TopicChanges) -> TopicView:
    context = readable_context(db, actor, course_ref)
    course, rights = context.course, context.rights
    announcement = bool(changes.is_announcement)
    if changes.assignment and context.group_id is not None:
        raise InvalidInput("assignment", "a group's discussion topics cannot be graded")
    _check_may_create(db, course, rights, announcement)
    mod = moderates(rights)
    if not mod:
        changes.published, changes.pinned, changes.locked = True, None, None
        if changes.assignment:
            raise NotAllowed()
    if announcement and changes.assignment:
        raise InvalidInput("assignment", "announcements cannot be graded")
    now = utcnow()
    default_published = not mod or context.group_id is not None  # a group's topics are posted unless asked not to
    published = True if announcement or changes.published is None and default_published else bool(changes.published)
    state, start_at = _posting(published, changes.delayed_post_at, now)
    item = content.create_item(db, course.id, "announcement" if announcement else "discussion_topic", {
        "title": _title(changes.title), "body": sanitize_html(changes.message or ""),
        "workflow_state": state, "start_at": start_at, "lock_at": changes.lock_at,
        "data": {"discussion_type": _discussion_type(changes.discussion_type) or "side_comment",
                 "pinned": bool(changes.pinned), "locked": bool(changes.locked),
                 "delayed_post_at": _iso(changes.delayed_post_at),
                 "require_initial_post": bool(changes.require_initial_post),
                 **{k: v for k in RATING_FLAGS if (v := getattr(changes, k)) is not None}},
    }, user_id=actor.id, group_id=context.group_id)
    if changes.assignment:
        content.update_item(db, item, {"ref_id": _create_assignment(db, course, actor, item, changes.assignment).id})
    return topic_views(db, course, rights, actor, [item], now)[0]


def _check_may_create(db: Session, course: Course, rights: CourseRights, announcement: bool) -> None:
    if announcement:
        if not rights.can("create_announcement"):
            raise NotAllowed()
        return
    if rights.can("create_discussion_topic"):
        return
    allowed = course_settings.settings_of(db, course)["allow_student_discussion_topics"]
    if not (rights.can("post_to_forum") and allowed):
        raise NotAllowed()


def _posting(published: bool, delayed_post_at: datetime | None, now: datetime) -> tuple[str, datetime | None]:
    """The workflow state and posting time of a topic given whether it is published and its delay."""
    if not published:
        return "unpublished", None
    if delayed_post_at is not None and delayed_post_at > now:
        return "post_delayed", delayed_post_at
    return "active", delayed_post_at or now


def _title(title: str | None) -> str:
    title = (title or "").strip()
    if len(title) > 255:
        raise InvalidInput("title", "title is too long (maximum is 255 characters)")
    return title or DEFAULT_TITLE


def _discussion_type(value: str | None) -> str | None:
    if value is not None and value not in DISCUSSION_TYPES:
        raise InvalidInput("discussion_type", f"discussion_type must be one of {', '.join(DISCUSSION_TYPES)}")
    return value


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _create_assignment(db: Session, course: Course, actor: User, topic: ContentItem, spec: dict[str, Any]
                       ) -> ContentItem:
    """The assignment a graded topic is submitted to, made by core/coursework/assignments.py; its errors name
    the `assignment[...]` attribute they concern."""
    fields = {**spec, "name": topic.title, "submission_types": ["discussion_topic"],
              "published": topic.workflow_state != "unpublished"}
    try:
        return assignments.create_assignment(db, actor, course.id, AssignmentChanges(fields=fields))[1]
    except InvalidInput as exc:
        raise InvalidInput(f"assignment[{exc.field}]", exc.message) from None


def update_topic(db: Session, actor: User, course_ref: ContextRef, topic_id: str, changes: TopicChanges
                 ) -> TopicView:
    context = readable_context(db, actor, course_ref)
    course, rights = context.course, context.rights
    now = utcnow()
    item = visible_topic(db, course.id, rights, topic_id, now, context.group_id)
    mod = moderates(rights)
    if not (mod or item.user_id == actor.id):
        raise NotAllowed()
    if not mod and (changes.published is False or changes.pinned is not None or changes.assignment):
        raise NotAllowed()
    fields = _changed_fields(db, item, changes, now)
    if changes.assignment and item.group_id is not None:
        raise InvalidInput("assignment", "a group's discussion topics cannot be graded")
    if changes.assignment and item.type == "discussion_topic":
        if item.ref_id is None:
            fields["ref_id"] = _create_assignment(db, course, actor, item, changes.assignment).id
        else:
            _sync_assignment(db, item, changes.assignment)
    content.update_item(db, item, fields)
    _sync_assignment(db, item, {})
    return topic_views(db, course, rights, actor, [item], now)[0]


def _changed_fields(db: Session, item: ContentItem, changes: TopicChanges, now: datetime) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if changes.title is not None:
        fields["title"] = _title(changes.title)
    if changes.message is not None:
        fields["body"] = sanitize_html(changes.message)
    if "lock_at" in changes.given:
        fields["lock_at"] = changes.lock_at
    data: dict[str, Any] = {}
    if changes.discussion_type is not None:
        data["discussion_type"] = _discussion_type(changes.discussion_type)
    for name in ("pinned", "locked", "require_initial_post", *RATING_FLAGS):
        if getattr(changes, name) is not None:
            data[name] = bool(getattr(changes, name))
    if changes.published is not None or "delayed_post_at" in changes.given:
        published = item.workflow_state != "unpublished" if changes.published is None else changes.published
        if item.type == "announcement":
            published = True
        if not published and item.workflow_state != "unpublished" and _has_entries(db, item):
            raise InvalidInput("published", "This topic cannot be set to draft state because it contains posts.")
        delayed = changes.delayed_post_at if "delayed_post_at" in changes.given else (
            item.start_at if item.workflow_state == "post_delayed" else None)
        state, start_at = _posting(published, delayed, now)
        if state == "active" and item.workflow_state == "active" and delayed is None:
            start_at = item.start_at  # already posted: keep the original posting time
        fields["workflow_state"], fields["start_at"] = state, start_at
        data["delayed_post_at"] = _iso(delayed)
    if data:
        fields["data"] = data
    return fields


def _has_entries(db: Session, item: ContentItem) -> bool:
    return cast(int, db.scalar(select(func.count()).where(DiscussionEntry.topic_id == item.id,
                                                          DiscussionEntry.workflow_state == "active"))) > 0


def _sync_assignment(db: Session, topic: ContentItem, spec: dict[str, Any]) -> None:
    """Keep a graded topic's assignment titled and published like the topic (Canvas does)."""
    if topic.ref_id is None:
        return
    assignment = db.get(ContentItem, topic.ref_id)
    if assignment is None or assignment.workflow_state == "deleted":
        return
    fields: dict[str, Any] = {"title": topic.title,
                              "workflow_state": "unpublished" if topic.workflow_state == "unpublished" else "published"}
    for key, column in (("points_possible", "points"), ("due_at", "due_at"), ("unlock_at", "unlock_at"),
                        ("lock_at", "lock_at")):
        if key in spec:
            fields[column] = spec[key]
    if "due_at" in content.update_item(db, assignment, fields):
        late_regrades.dates_moved(db, assignment)


def delete_topic(db: Session, actor: User, course_ref: ContextRef, topic_id: str) -> TopicView:
    context = readable_context(db, actor, course_ref)
    course, rights = context.course, context.rights
    now = utcnow()
    item = visible_topic(db, course.id, rights, topic_id, now, context.group_id)
    if not (moderates(rights) or item.user_id == actor.id):
        raise NotAllowed()
    view = topic_views(db, course, rights, actor, [item], now)[0]
    content.delete_item(db, item)
    if item.ref_id is not None and (assignment := db.get(ContentItem, item.ref_id)) is not None:
        content.delete_item(db, assignment)
    return view
