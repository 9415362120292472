"""Canvas Pages API routes: list, create, show, update (or create), delete, front page, revisions and revert."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from litestar import Response

from courseport.core.content import pages
from courseport.core.content.pages import PageChanges, PageFilters
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.page_json import render_page, render_revision
from courseport.dialects.canvas.protocol import Call, coerce, delete, get, in_contexts, post, put

_FIELDS = {"title": str, "body": str, "editing_roles": str, "published": bool, "front_page": bool,
           "publish_at": datetime, "student_todo_at": datetime}


def page_changes(call: Call) -> PageChanges:
    changes = PageChanges()
    node = call.raw("wiki_page")
    if not isinstance(node, dict):
        return changes
    for key, kind in _FIELDS.items():
        if key in node:
            value = coerce(node[key], kind, f"wiki_page[{key}]")
            name = "todo_date" if key == "student_todo_at" else key
            changes.given.add(name)
            if value is not None or kind is datetime:
                setattr(changes, name, value)
    return changes


@contextmanager
def as_page_params() -> Iterator[None]:
    """Core names page fields bare (`title`); the client sent them as `wiki_page[title]`."""
    try:
        yield
    except InvalidInput as exc:
        if exc.field not in _FIELDS:
            raise
        raise InvalidInput(f"wiki_page[{exc.field}]", exc.message) from None


@get(in_contexts("/pages"))
def list_pages(call: Call) -> Response:
    window = call.window()
    filters = PageFilters(sort=call.str("sort"), order=call.str("order") or "asc",
                          search_term=call.str("search_term"), published=call.bool("published"))
    with call.read() as (db, me):
        page = pages.list_pages(db, me, call.context_ref(), filters, window, "body" in call.list("include[]"))
    return call.paged([render_page(v, call.origin) for v in page.items], window, page)


@post(in_contexts("/pages"), status_code=200)
def create_page(call: Call) -> dict:
    changes = page_changes(call)
    with call.write() as (db, me), as_page_params():
        view = pages.create_page(db, me, call.context_ref(), changes)
    return render_page(view, call.origin)


@get(in_contexts("/pages/{url_or_id:str}"))
def get_page(call: Call, url_or_id: str) -> dict:
    with call.read() as (db, me):
        view = pages.get_page(db, me, call.context_ref(), url_or_id)
    return render_page(view, call.origin)


@put(in_contexts("/pages/{url_or_id:str}"))
def update_page(call: Call, url_or_id: str) -> dict:
    changes = page_changes(call)
    with call.write() as (db, me), as_page_params():
        view = pages.update_page(db, me, call.context_ref(), url_or_id, changes)
    return render_page(view, call.origin)


@delete(in_contexts("/pages/{url_or_id:str}"))
def delete_page(call: Call, url_or_id: str) -> dict:
    with call.write() as (db, me), as_page_params():
        view = pages.delete_page(db, me, call.context_ref(), url_or_id)
    return render_page(view, call.origin)


@get(in_contexts("/front_page"))
def get_front_page(call: Call) -> dict:
    with call.read() as (db, me):
        view = pages.get_front_page(db, me, call.context_ref())
    return render_page(view, call.origin)


@put(in_contexts("/front_page"))
def update_front_page(call: Call) -> dict:
    changes = page_changes(call)
    with call.write() as (db, me), as_page_params():
        view = pages.update_front_page(db, me, call.context_ref(), changes)
    return render_page(view, call.origin)


@get(in_contexts("/pages/{url_or_id:str}/revisions"))
def list_revisions(call: Call, url_or_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        found = pages.list_page_revisions(db, me, call.context_ref(), url_or_id, window)
    return call.paged([render_revision(v, call.origin, with_content=False) for v in found.items], window, found)


@get(in_contexts("/pages/{url_or_id:str}/revisions/{revision:str}"))
def show_revision(call: Call, url_or_id: str, revision: str) -> dict:
    with call.read() as (db, me):
        view = pages.page_revision(db, me, call.context_ref(), url_or_id, revision)
    return render_revision(view, call.origin, with_content=not call.bool("summary", False))


@post(in_contexts("/pages/{url_or_id:str}/revisions/{revision:str}"), status_code=200)
def revert_to_revision(call: Call, url_or_id: str, revision: str) -> dict:
    with call.write() as (db, me):
        return render_revision(pages.revert_page(db, me, call.context_ref(), url_or_id, revision), call.origin,
                               with_content=True)


ROUTES = [list_pages, create_page, get_page, update_page, delete_page, get_front_page, update_front_page,
          list_revisions, show_revision, revert_to_revision]
