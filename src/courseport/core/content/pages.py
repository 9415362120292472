"""Wiki pages: content items of type "page", addressed by a url slug derived from the title.

A page's url follows its title ("My Page" -> "my-page") and is unique among the live pages of its
context, a course or one of its groups (core/courses/content_contexts.py), (-2, -3, ...); so is its
title. At most one page of a context is the front page; it must stay published and cannot be deleted.
Members who may not manage content see published pages only and may edit the body of pages whose
editing roles include them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from courseport.core.content import content, page_revisions
from courseport.core.content.page_revisions import Revision
from courseport.core.courses.content_contexts import Context, ContextRef, in_group, readable_context
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.ids import store_id
from courseport.core.kit.paging import Slice, Window, fetch_window, window_of
from courseport.schema import ContentItem, User

EDITING_ROLES = ("teachers", "students", "members", "public")
SORTS = ("title", "created_at", "updated_at", "todo_date")
LIVE = ("published", "unpublished")
FRONT_PAGE_TITLE = "Front Page"
_SUFFIXED = re.compile(r"-\d+\Z")


@dataclass(frozen=True)
class PageView:
    item: ContentItem
    editor: User | None
    include_body: bool = True


@dataclass(frozen=True)
class PageFilters:
    sort: str | None = None
    order: str = "asc"
    search_term: str | None = None
    published: bool | None = None


@dataclass
class PageChanges:
    """What a create or update asks for; None = leave as is."""

    title: str | None = None
    body: str | None = None
    editing_roles: str | None = None
    published: bool | None = None
    front_page: bool | None = None
    publish_at: datetime | None = None
    todo_date: datetime | None = None
    given: set[str] = field(default_factory=set)  # names present in the request, even when empty


def slug_for(title: str) -> str:
    """A url from a title: lower-case ASCII words joined by hyphens ("My Page!" -> "my-page")."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['\u2019]", "", text.replace("&", " and "))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _live_pages(course_id: int, group_id: int | None) -> Select:
    return select(ContentItem).where(ContentItem.course_id == course_id, in_group(group_id), ContentItem.type == "page",
                                     ContentItem.workflow_state.in_(LIVE))


def _taken(db: Session, course_id: int, group_id: int | None, column, prefix: str,  # noqa: ANN001
           exclude_id: int | None) -> set[str]:
    stmt = select(column).where(ContentItem.course_id == course_id, in_group(group_id), ContentItem.type == "page",
                                ContentItem.workflow_state.in_(LIVE), column.startswith(prefix, autoescape=True))
    if exclude_id is not None:
        stmt = stmt.where(ContentItem.id != exclude_id)
    return set(db.scalars(stmt))


def _first_free(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def unique_title_and_slug(db: Session, course_id: int, title: str, exclude_id: int | None = None, *,
                          group_id: int | None = None) -> tuple[str, str]:
    """A free title and url among the live pages of the course's own content, or (group_id) of that group's."""
    title = title.strip()
    if not title:
        raise InvalidInput("title", "Title can't be blank")
    if len(title) > 255:
        raise InvalidInput("title", "Title can't exceed 255 characters")
    if not slug_for(title):
        raise InvalidInput("title", "Title must contain at least one letter or number")
    titles = _taken(db, course_id, group_id, ContentItem.title, title, exclude_id)
    if title in titles and _SUFFIXED.search(title):
        raise InvalidInput("title", "A page with this title already exists. Please choose a different title.")
    title = _first_free(title, titles)
    base = slug_for(title)
    return title, _first_free(base, _taken(db, course_id, group_id, ContentItem.slug, base, exclude_id))


def find_page(db: Session, context: Context, url_or_id: str) -> ContentItem | None:
    """By url first (as Canvas: the url wins when ambiguous), then `page_id:N` or a bare id."""
    live = _live_pages(context.course.id, context.group_id)
    page = db.scalars(live.where(ContentItem.slug.in_({url_or_id, slug_for(url_or_id)}))).first()
    if page is not None:
        return page
    match = re.fullmatch(r"(?:page_id:)?(\d+)", url_or_id)
    page_id = store_id(match.group(1)) if match else None
    return db.scalars(live.where(ContentItem.id == page_id)).first() if page_id is not None else None


def front_page_of(db: Session, course_id: int, group_id: int | None) -> ContentItem | None:
    return db.scalars(_live_pages(course_id, group_id).where(ContentItem.data["front_page"].as_boolean())).first()


def _visible(item: ContentItem | None, rights: CourseRights) -> ContentItem:
    if item is None or (item.workflow_state != "published" and not rights.can("manage_content")):
        raise NotFound("page")
    return item


def _view(db: Session, item: ContentItem, include_body: bool = True) -> PageView:
    return PageView(item, db.get(User, item.user_id) if item.user_id else None, include_body)


def list_pages(db: Session, actor: User, course_ref: ContextRef, filters: PageFilters, window: Window,
               include_body: bool = False) -> Slice[PageView]:
    context = readable_context(db, actor, course_ref)
    rights = context.rights
    stmt = _live_pages(context.course.id, context.group_id)
    if not rights.can("manage_content"):
        stmt = stmt.where(ContentItem.workflow_state == "published")
    if filters.published is not None:
        stmt = stmt.where(ContentItem.workflow_state == ("published" if filters.published else "unpublished"))
    if filters.search_term is not None:
        if len(filters.search_term) < 2:
            raise InvalidInput("search_term", "2 or more characters is required")
        stmt = stmt.where(ContentItem.title.icontains(filters.search_term, autoescape=True))
    stmt = stmt.order_by(*_ordering(filters))
    page = fetch_window(db, stmt, window)
    editors = _users(db, {i.user_id for i in page.items if i.user_id})
    views = [PageView(i, editors.get(i.user_id), include_body) for i in page.items]
    return Slice(views, page.has_more, page.total)


def _ordering(filters: PageFilters) -> list[Any]:
    if filters.sort is not None and filters.sort not in SORTS:
        raise InvalidInput("sort", f"sort must be one of {', '.join(SORTS)}")
    if filters.order not in ("asc", "desc"):
        raise InvalidInput("order", "order must be asc or desc")
    desc = filters.order == "desc"
    columns = []
    if filters.sort == "todo_date":
        columns.append(ContentItem.data["todo_date"].as_string())
    elif filters.sort:
        columns.append(getattr(ContentItem, filters.sort))
    columns.append(ContentItem.id)
    return [c.desc() if desc else c.asc() for c in columns]


def _users(db: Session, ids: set[int]) -> dict[int, User]:
    return {u.id: u for u in db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def get_page(db: Session, actor: User, course_ref: ContextRef, url_or_id: str) -> PageView:
    context = readable_context(db, actor, course_ref)
    return _view(db, _visible(find_page(db, context, url_or_id), context.rights))


def get_front_page(db: Session, actor: User, course_ref: ContextRef) -> PageView:
    context = readable_context(db, actor, course_ref)
    page = front_page_of(db, context.course.id, context.group_id)
    if page is None:
        raise NotFound("front page", "No front page has been set")
    return _view(db, _visible(page, context.rights))


def preview_course_html(db: Session, actor: User, course_ref: ContextRef, html: str | None) -> str:
    """The HTML as the course's pages would show it; any member who can read the course may ask."""
    readable_context(db, actor, course_ref)
    return sanitize_html(html or "", "html")


def create_page(db: Session, actor: User, course_ref: ContextRef, changes: PageChanges) -> PageView:
    context = readable_context(db, actor, course_ref, "manage_content")
    if changes.title is None:
        raise InvalidInput("title", "title is required")
    return _view(db, _create(db, actor, context, changes))


def _create(db: Session, actor: User, context: Context, changes: PageChanges) -> ContentItem:
    course = context.course
    title, slug = unique_title_and_slug(db, course.id, changes.title or "", group_id=context.group_id)
    state = "published" if changes.published else "unpublished"
    _check_front_page(bool(changes.front_page), state)
    item = content.create_item(db, course.id, "page", {
        "title": title, "slug": slug, "body": sanitize_html(changes.body or ""), "workflow_state": state,
        "unlock_at": changes.publish_at,
        "data": {"front_page": False, "editing_roles": _roles(changes.editing_roles) or "teachers",
                 "todo_date": _iso(changes.todo_date)},
    }, user_id=actor.id, group_id=context.group_id)
    if changes.front_page:
        _make_front_page(db, item)
    page_revisions.record(db, item)
    return item


def update_page(db: Session, actor: User, course_ref: ContextRef, url_or_id: str, changes: PageChanges) -> PageView:
    """Canvas's update-or-create: a url that names no page creates one (needs the right to create)."""
    context = readable_context(db, actor, course_ref)
    rights = context.rights
    page = find_page(db, context, url_or_id)
    if page is None:
        if not rights.can("manage_content"):
            raise NotAllowed()
        if changes.title is None:
            changes.title = re.sub(r"[^\w]+", " ", url_or_id).strip().title() or url_or_id
        return _view(db, _create(db, actor, context, changes))
    return _view(db, _update(db, actor, rights, _visible(page, rights), changes))


def update_front_page(db: Session, actor: User, course_ref: ContextRef, changes: PageChanges) -> PageView:
    context = readable_context(db, actor, course_ref)
    rights = context.rights
    page = front_page_of(db, context.course.id, context.group_id)
    if page is None:
        if not rights.can("manage_content"):
            raise NotAllowed()
        changes.title = changes.title or FRONT_PAGE_TITLE
        changes.front_page, changes.published = True, True if changes.published is None else changes.published
        return _view(db, _create(db, actor, context, changes))
    return _view(db, _update(db, actor, rights, _visible(page, rights), changes))


def _update(db: Session, actor: User, rights: CourseRights, page: ContentItem, changes: PageChanges) -> ContentItem:
    _check_editor(rights, page, changes)
    page_revisions.record(db, page)  # a state another write left (a copy, a sync) is kept before it changes
    fields: dict[str, Any] = {}
    if changes.title is not None and changes.title != page.title:
        fields["title"], fields["slug"] = unique_title_and_slug(db, page.course_id, changes.title, page.id,
                                                                     group_id=page.group_id)
    if changes.body is not None:
        fields["body"] = sanitize_html(changes.body)
    if changes.published is not None:
        fields["workflow_state"] = "published" if changes.published else "unpublished"
    if "publish_at" in changes.given:
        fields["unlock_at"] = changes.publish_at
    data: dict[str, Any] = {}
    if changes.editing_roles is not None:
        data["editing_roles"] = _roles(changes.editing_roles)
    if "todo_date" in changes.given:
        data["todo_date"] = _iso(changes.todo_date)
    is_front = bool(page.data.get("front_page"))
    wants_front = is_front if changes.front_page is None else changes.front_page
    _check_front_page(wants_front, fields.get("workflow_state", page.workflow_state),
                      published_given=changes.published is not None, front_given=changes.front_page is not None)
    if data:
        fields["data"] = data
    content.update_item(db, page, {**fields, "user_id": actor.id})
    if wants_front and not is_front:
        _make_front_page(db, page)
    elif is_front and not wants_front:
        content.update_item(db, page, {"data": {"front_page": False}})
    page_revisions.record(db, page)
    return page


def _check_editor(rights: CourseRights, page: ContentItem, changes: PageChanges) -> None:
    """Non-managers may change the body of a published page whose editing roles include them."""
    if rights.can("manage_content"):
        return
    roles = set((page.data.get("editing_roles") or "teachers").split(","))
    student = rights.can("participate_as_student")
    if not (student and roles & {"students", "members", "public"}) and "public" not in roles:
        raise NotAllowed()
    if changes.title is not None and changes.title != page.title:
        raise NotAllowed("You are not allowed to update the title of this wiki page")
    published = page.workflow_state == "published"
    if changes.published is not None and changes.published != published:
        raise NotAllowed("You are not allowed to update the published state of this wiki page")
    if changes.editing_roles is not None and set(_roles(changes.editing_roles).split(",")) != roles:
        raise NotAllowed("You are not allowed to update the editing roles of this wiki page")
    if changes.front_page is not None and changes.front_page != bool(page.data.get("front_page")):
        raise NotAllowed("You are not allowed to change the wiki front page")


def _check_front_page(front: bool, state: str, *, published_given: bool = True, front_given: bool = True) -> None:
    if front and state != "published":
        field_name = "published" if published_given and not front_given else "front_page"
        raise InvalidInput(field_name, "The front page cannot be unpublished")


def _make_front_page(db: Session, page: ContentItem) -> None:
    current = front_page_of(db, page.course_id, page.group_id)
    if current is not None and current.id != page.id:
        content.update_item(db, current, {"data": {"front_page": False}})
    content.update_item(db, page, {"data": {"front_page": True}})


def _roles(value: str | None) -> str:
    if value is None:
        return ""
    roles = [r.strip() for r in value.split(",") if r.strip()]
    if not roles or any(r not in EDITING_ROLES for r in roles):
        raise InvalidInput("editing_roles", "The provided editing roles are invalid")
    return ",".join(roles)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def delete_page(db: Session, actor: User, course_ref: ContextRef, url_or_id: str) -> PageView:
    context = readable_context(db, actor, course_ref, "manage_content")
    page = _visible(find_page(db, context, url_or_id), context.rights)
    if page.data.get("front_page"):
        raise InvalidInput("front_page", "The front page cannot be deleted")
    content.delete_item(db, page)
    return _view(db, page)


@dataclass(frozen=True)
class RevisionView:
    page: ContentItem
    revision: Revision
    editor: User | None


def _revision_view(db: Session, page: ContentItem, revision: Revision) -> RevisionView:
    return RevisionView(page, revision, db.get(User, revision.editor_id) if revision.editor_id else None)


def _edited_page(db: Session, actor: User, course_ref: ContextRef, url_or_id: str) -> tuple[ContentItem, CourseRights]:
    context = readable_context(db, actor, course_ref, "manage_content")
    return _visible(find_page(db, context, url_or_id), context.rights), context.rights


def list_page_revisions(db: Session, actor: User, course_ref: ContextRef, url_or_id: str,
                        window: Window) -> Slice[RevisionView]:
    """A page's revisions, newest first (editors only)."""
    page, _ = _edited_page(db, actor, course_ref, url_or_id)
    found = window_of(page_revisions.history(db, page), window)
    return Slice([_revision_view(db, page, r) for r in found.items], found.has_more, found.total)


def page_revision(db: Session, actor: User, course_ref: ContextRef, url_or_id: str, revision: str) -> RevisionView:
    """The latest revision is any reader's; a numbered one is for editors."""
    if revision == "latest":
        page = get_page(db, actor, course_ref, url_or_id).item
        return _revision_view(db, page, page_revisions.history(db, page)[0])
    page, _ = _edited_page(db, actor, course_ref, url_or_id)
    return _revision_view(db, page, _numbered(db, page, revision))


def _numbered(db: Session, page: ContentItem, revision: str) -> Revision:
    found = next((r for r in page_revisions.history(db, page) if str(r.number) == revision), None)
    if found is None:
        raise NotFound("revision")
    return found


def revert_page(db: Session, actor: User, course_ref: ContextRef, url_or_id: str, revision: str) -> RevisionView:
    """The page's title and body become a revision's again, which makes a new revision (editors only)."""
    page, rights = _edited_page(db, actor, course_ref, url_or_id)
    target = _numbered(db, page, revision)
    _update(db, actor, rights, page, PageChanges(title=target.title, body=target.body, given={"title", "body"}))
    return _revision_view(db, page, page_revisions.history(db, page)[0])
