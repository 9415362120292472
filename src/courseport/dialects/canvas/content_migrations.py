"""Canvas Content Migrations API for course copies (`course_copy_importer`): create, list, show,
choose content for a selective import, migrators, and migration issues."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.copy import components, content_migrations, copying
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.paging import window_of
from courseport.dialects.canvas.content_migration_json import (
    COURSE_COPY,
    MIGRATORS,
    render_issue,
    render_migration,
)
from courseport.dialects.canvas.copy_components import (
    COPY_KEYS,
    SELECT,
    SELECT_KEYS,
    canvas_copy_fields,
    copy_all_types,
)
from courseport.dialects.canvas.protocol import Call, get, get_writing, post, put, to_bool, to_int


def _picked(call: Call, name: str, node: Any) -> dict[str, list[int]]:
    """`select[key][]=id` (or `copy[key][id]=1`): source ids per item type."""
    if node is None:
        return {}
    if not isinstance(node, dict):
        raise InvalidInput(name, f"{name} must be a hash of content types")
    picked: dict[str, list[int]] = {}
    keys = COPY_KEYS if name == "copy" else SELECT_KEYS
    for key, ids in node.items():
        if key.startswith("all_"):
            continue
        item_type = keys.get(key)
        if item_type is None:
            raise InvalidInput(f"{name}[{key}]",
                               f"{name}[{key}]: unknown content type; known: {', '.join(SELECT)}")
        if isinstance(ids, dict):  # copy[type][id]=1
            ids = [i for i, on in ids.items() if to_bool(on, f"{name}[{key}][{i}]")]
        ids = ids if isinstance(ids, list) else [ids]
        values = [to_int(i, f"{name}[{key}]") for i in ids]
        picked.setdefault(item_type, []).extend(v for v in values if v is not None)
    return picked


def _copy_all(call: Call) -> frozenset[str] | None:
    node = call.raw("copy")
    if not isinstance(node, dict):
        return None
    chosen: set[str] = set()
    for key, value in node.items():
        if key.startswith("all_"):
            types = copy_all_types(key)
            if types is None:
                raise InvalidInput(f"copy[{key}]", f"copy[{key}]: unknown content type")
            if to_bool(value, f"copy[{key}]"):
                chosen |= types
    return frozenset(chosen)


def _choice(call: Call) -> tuple[frozenset[str], dict[str, list[int]] | None]:
    """What to copy: copy[all_...] types whole, plus select[...]/copy[type][id] items; None = all."""
    picked = {**_picked(call, "select", call.raw("select")), **_picked(call, "copy", call.raw("copy"))}
    whole = _copy_all(call)
    if whole is None and not picked:
        return components.selection(), None
    return whole or frozenset(), picked or None


@post("/courses/{course_id:str}/content_migrations", status_code=200)
def create_migration(call: Call, course_id: str) -> dict:
    migration_type = call.str("migration_type")
    if migration_type != COURSE_COPY:
        raise InvalidInput("migration_type", f"migration_type: invalid migration type {migration_type!r}; "
                           f"supported: {COURSE_COPY}")
    source = call.str("settings[source_course_id]")
    if not source:
        raise InvalidInput("settings[source_course_id]", "settings[source_course_id] is required")
    selection, picked = _choice(call)
    hold = bool(call.bool("selective_import", False)) and picked is None and call.raw("copy") is None
    with canvas_copy_fields(), call.write() as (db, me):
        job = copying.queue_copy(db, me, source, course_id, selection, picked=picked)
        if hold:
            content_migrations.hold_for_selection(db, job)
        record = content_migrations.get_copy(db, me, course_id, job.id)
    call.services.jobs.notify()
    return render_migration(record, call.origin)


@put("/courses/{course_id:str}/content_migrations/{migration_id:int}")
def choose_content(call: Call, course_id: str, migration_id: int) -> dict:
    selection, picked = _choice(call)
    with call.write() as (db, me):
        record = content_migrations.choose_content(db, me, course_id, migration_id, selection, picked)
    call.services.jobs.notify()
    return render_migration(record, call.origin)


@get("/courses/{course_id:str}/content_migrations")
def list_migrations(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = content_migrations.list_copies(db, me, course_id, window)
    return call.paged([render_migration(r, call.origin) for r in page.items], window, page)


@get("/courses/{course_id:str}/content_migrations/migrators")
def list_migrators(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        content_migrations.migration_context(db, me, course_id)
    page = window_of(MIGRATORS, window)
    return call.paged(page.items, window, page)


@get_writing("/courses/{course_id:str}/content_migrations/{migration_id:int}")  # counts polls
def show_migration(call: Call, course_id: str, migration_id: int) -> dict:
    with call.read() as (db, me):
        record = content_migrations.get_copy(db, me, course_id, migration_id, poll=True)
    return render_migration(record, call.origin)


@get("/courses/{course_id:str}/content_migrations/{migration_id:int}/migration_issues")
def list_issues(call: Call, course_id: str, migration_id: int) -> Response:
    window = call.window()
    with call.read() as (db, me):
        record = content_migrations.get_copy(db, me, course_id, migration_id)
    issues = [render_issue(record, n, issue, call.origin) for n, issue in enumerate(record.issues, start=1)]
    page = window_of(issues, window)
    return call.paged(page.items, window, page)


@get("/courses/{course_id:str}/content_migrations/{migration_id:int}/migration_issues/{issue_id:int}")
def show_issue(call: Call, course_id: str, migration_id: int, issue_id: int) -> dict:
    with call.read() as (db, me):
        record = content_migrations.get_copy(db, me, course_id, migration_id)
    if not 1 <= issue_id <= len(record.issues):
        raise NotFound("migration issue")
    return render_issue(record, issue_id, record.issues[issue_id - 1], call.origin)


ROUTES = [create_migration, choose_content, list_migrations, list_migrators, show_migration, list_issues,
          show_issue]
