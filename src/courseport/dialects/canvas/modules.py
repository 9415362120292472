"""Canvas Modules API routes: modules, module items, and marking items done or read."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.content import module_items, module_sequence, modules
from courseport.dialects.canvas.module_json import render_module, render_module_item, render_sequence
from courseport.dialects.canvas.protocol import Call, delete, get, post, prefixed_fields, prefixed_params, put

# module[...] parameters but the prerequisite list, which is read as a list of ids.
_MODULE_SCALARS = {key: kind for key, kind in modules.MODULE_FIELDS.items() if key != "prerequisite_module_ids"}
_BASE = "/courses/{course_id:str}/modules"
_ITEM = _BASE + "/{module_id:str}/items/{item_id:str}"


def module_changes(call: Call) -> modules.ModuleChanges:
    """The `module[...]` parameters present in the call (bare names are core's), coerced."""
    fields: dict[str, Any] = prefixed_fields(call, "module", _MODULE_SCALARS)
    if call.has("module[prerequisite_module_ids]"):
        fields["prerequisite_module_ids"] = [v for v in call.list("module[prerequisite_module_ids][]") if v]
    return modules.ModuleChanges(**fields)


def item_changes(call: Call) -> module_items.ModuleItemChanges:
    """The `module_item[...]` parameters present in the call (bare names are core's), coerced."""
    return module_items.ModuleItemChanges(**prefixed_fields(call, "module_item", module_items.ITEM_FIELDS))


def _includes(call: Call) -> set[str]:
    return set(call.list("include[]"))


@get(_BASE)
def list_modules(call: Call, course_id: str) -> Response:
    window, includes = call.window(), _includes(call)
    with call.read() as (db, me):
        page = modules.list_modules(db, me, course_id, window, search_term=call.str("search_term"),
                                    student_ref=call.str("student_id"), with_items="items" in includes)
    return call.paged([render_module(v, includes, call.origin) for v in page.items], window, page)


@get(_BASE + "/{module_id:str}")
def get_module(call: Call, course_id: str, module_id: str) -> dict:
    with call.read() as (db, me):
        view = modules.get_module(db, me, course_id, module_id, student_ref=call.str("student_id"))
    return render_module(view, _includes(call), call.origin)


@post(_BASE, status_code=200)
def create_module(call: Call, course_id: str) -> dict:
    with call.write() as (db, me), prefixed_params("module", modules.MODULE_FIELDS):
        view = modules.create_module(db, me, course_id, module_changes(call))
    return render_module(view, set(), call.origin)


@put(_BASE + "/{module_id:str}")
def update_module(call: Call, course_id: str, module_id: str) -> dict:
    with call.write() as (db, me), prefixed_params("module", modules.MODULE_FIELDS):
        view = modules.update_module(db, me, course_id, module_id, module_changes(call))
    return render_module(view, set(), call.origin)


@put(_BASE + "/{module_id:str}/relock")
def relock_module(call: Call, course_id: str, module_id: str) -> dict:
    with call.write() as (db, me):
        view = modules.relock_module(db, me, course_id, module_id)
    return render_module(view, set(), call.origin)


@get("/courses/{course_id:str}/module_item_sequence")
def module_item_sequence(call: Call, course_id: str) -> dict:
    with call.read() as (db, me):
        found = module_sequence.module_item_sequence(db, me, course_id, call.str("asset_type"), call.str("asset_id"))
    return render_sequence(found, call.origin)


@delete(_BASE + "/{module_id:str}")
def delete_module(call: Call, course_id: str, module_id: str) -> dict:
    with call.write() as (db, me):
        view = modules.delete_module(db, me, course_id, module_id)
    return render_module(view, set(), call.origin)


@get(_BASE + "/{module_id:str}/items")
def list_module_items(call: Call, course_id: str, module_id: str) -> Response:
    window, includes = call.window(), _includes(call)
    with call.read() as (db, me):
        page = modules.list_module_items(db, me, course_id, module_id, window, search_term=call.str("search_term"),
                                         student_ref=call.str("student_id"))
    return call.paged([render_module_item(v, includes, call.origin) for v in page.items], window, page)


@get(_ITEM)
def get_module_item(call: Call, course_id: str, module_id: str, item_id: str) -> dict:
    with call.read() as (db, me):
        view = modules.get_module_item(db, me, course_id, module_id, item_id, student_ref=call.str("student_id"))
    return render_module_item(view, _includes(call), call.origin)


@post(_BASE + "/{module_id:str}/items", status_code=200)
def create_module_item(call: Call, course_id: str, module_id: str) -> dict:
    with call.write() as (db, me), prefixed_params("module_item", module_items.ITEM_FIELDS):
        view = module_items.create_module_item(db, me, course_id, module_id, item_changes(call))
    return render_module_item(view, set(), call.origin)


@put(_ITEM)
def update_module_item(call: Call, course_id: str, module_id: str, item_id: str) -> dict:
    with call.write() as (db, me), prefixed_params("module_item", module_items.ITEM_FIELDS):
        view = module_items.update_module_item(db, me, course_id, module_id, item_id, item_changes(call))
    return render_module_item(view, set(), call.origin)


@delete(_ITEM)
def delete_module_item(call: Call, course_id: str, module_id: str, item_id: str) -> dict:
    with call.write() as (db, me):
        view = module_items.delete_module_item(db, me, course_id, module_id, item_id)
    return render_module_item(view, set(), call.origin)


def _mark(call: Call, course_id: str, module_id: str, item_id: str, **mark: bool) -> dict:
    with call.write() as (db, me):
        module_items.mark_item(db, me, course_id, module_id, item_id, **mark)
    return {"message": "OK"}


def _done(call: Call, course_id: str, module_id: str, item_id: str) -> dict:
    return _mark(call, course_id, module_id, item_id, done=True)


mark_done = put(_ITEM + "/done")(_done)
mark_done_by_post = post(_ITEM + "/done", status_code=200)(_done)


@delete(_ITEM + "/done")
def mark_not_done(call: Call, course_id: str, module_id: str, item_id: str) -> dict:
    return _mark(call, course_id, module_id, item_id, done=False)


@post(_ITEM + "/mark_read", status_code=200)
def mark_read(call: Call, course_id: str, module_id: str, item_id: str) -> dict:
    return _mark(call, course_id, module_id, item_id, read=True)


ROUTES = [list_modules, get_module, create_module, update_module, delete_module, list_module_items,
          get_module_item, create_module_item, update_module_item, delete_module_item, mark_done,
          mark_done_by_post, mark_not_done, mark_read, relock_module, module_item_sequence]
