"""Canvas Enrollment Terms API routes: list, show, create, update and delete the terms of a root account."""

from __future__ import annotations

from datetime import datetime

from litestar import Response

from courseport.core.identity import terms
from courseport.core.identity.terms import TermChanges
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.protocol import Call, coerce, delete, get, post, prefixed_params, put
from courseport.dialects.canvas.term_json import render_enrollment_term

_FIELDS = {"name": str, "start_at": datetime, "end_at": datetime, "sis_term_id": str}
_PARAMS = ("name", "start_at", "end_at", "sis_term_id", "overrides")


def term_changes(call: Call) -> TermChanges:
    """`enrollment_term[...]`, which Canvas requires on create and update."""
    node = call.raw("enrollment_term")
    if not isinstance(node, dict) or not node:
        raise InvalidInput("enrollment_term", "param is missing or the value is empty: enrollment_term")
    if "sis_source_id" in node and "sis_term_id" not in node:  # Canvas's older name for it
        node = {**node, "sis_term_id": node["sis_source_id"]}
    changes = TermChanges()
    for key, kind in _FIELDS.items():
        if key in node:
            changes.given.add(key)
            setattr(changes, key, coerce(node[key], kind, f"enrollment_term[{key}]"))
    if node.get("overrides") not in (None, ""):
        changes.overrides = _overrides(node["overrides"])
    return changes


def _overrides(node: object) -> dict[str, dict[str, datetime | None]]:
    name = "enrollment_term[overrides]"
    if not isinstance(node, dict):
        raise InvalidInput(name, f"{name} must be a hash of enrollment types")
    found: dict[str, dict[str, datetime | None]] = {}
    for etype, dates in node.items():
        if not isinstance(dates, dict):
            raise InvalidInput(f"{name}[{etype}]", f"{name}[{etype}] must be a hash of start_at and end_at")
        found[etype] = {k: coerce(dates.get(k), datetime, f"{name}[{etype}][{k}]") for k in ("start_at", "end_at")}
    return found


@get("/accounts/{account_id:str}/terms")
def list_terms(call: Call, account_id: str) -> Response:
    window, includes = call.window(), set(call.list("include[]"))
    with call.read() as (db, me):
        page = terms.list_terms(db, me, account_id, call.list("workflow_state[]"), call.str("term_name"), window,
                                course_counts="course_count" in includes)
    items = [render_enrollment_term(v, includes) for v in page.items]
    return Response({"enrollment_terms": items}, headers=call.page_links(window, page))


@get("/accounts/{account_id:str}/terms/{term_id:str}")
def get_term(call: Call, account_id: str, term_id: str) -> dict:
    with call.read() as (db, me):
        view = terms.get_term(db, me, account_id, term_id)
    return render_enrollment_term(view, {"overrides"})


@post("/accounts/{account_id:str}/terms", status_code=200)
def create_term(call: Call, account_id: str) -> dict:
    changes = term_changes(call)
    with call.write() as (db, me), prefixed_params("enrollment_term", _PARAMS):
        view = terms.create_term(db, me, account_id, changes)
    return render_enrollment_term(view, {"overrides"})


@put("/accounts/{account_id:str}/terms/{term_id:str}")
def update_term(call: Call, account_id: str, term_id: str) -> dict:
    changes = term_changes(call)
    with call.write() as (db, me), prefixed_params("enrollment_term", _PARAMS):
        view = terms.update_term(db, me, account_id, term_id, changes)
    return render_enrollment_term(view, {"overrides"})


@delete("/accounts/{account_id:str}/terms/{term_id:str}")
def delete_term(call: Call, account_id: str, term_id: str) -> dict:
    with call.write() as (db, me):
        view = terms.delete_term(db, me, account_id, term_id)
    return render_enrollment_term(view, set())


ROUTES = [list_terms, get_term, create_term, update_term, delete_term]
