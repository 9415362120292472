"""Canvas Grading Standards API routes: a course's or an account's letter-grade schemes, created, listed, shown
(`grading_scheme_entry[][name]`, `grading_scheme_entry[][value]` as a percent)."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.courses import grading_standards
from courseport.core.courses.grading_standards import Context
from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.dialects.canvas.grading_standard_json import render_grading_standard
from courseport.dialects.canvas.protocol import Call, get, post, to_float

_ENTRY = "grading_scheme_entry"
NAMES = {"entries": _ENTRY, "title": "title", "grading_standard_id": "id"}


@post("/courses/{course_id:str}/grading_standards", status_code=200)
def create_course_standard(call: Call, course_id: str) -> dict:
    title, entries = call.str("title"), _entries(call)
    with call.write() as (db, me), spelled_as(NAMES):
        context, _ = grading_standards.course_context(db, me, course_id)
        return render_grading_standard(grading_standards.create_standard(db, context, title, entries))


@post("/accounts/{account_id:str}/grading_standards", status_code=200)
def create_account_standard(call: Call, account_id: str) -> dict:
    title, entries = call.str("title"), _entries(call)
    with call.write() as (db, me), spelled_as(NAMES):
        context, _ = grading_standards.account_context(db, me, account_id)
        return render_grading_standard(grading_standards.create_standard(db, context, title, entries))


@get("/courses/{course_id:str}/grading_standards")
def list_course_standards(call: Call, course_id: str) -> Response:
    with call.read() as (db, me):
        return _listed(call, db, *grading_standards.course_context(db, me, course_id))


@get("/accounts/{account_id:str}/grading_standards")
def list_account_standards(call: Call, account_id: str) -> Response:
    with call.read() as (db, me):
        return _listed(call, db, *grading_standards.account_context(db, me, account_id))


@get("/courses/{course_id:str}/grading_standards/{standard_id:int}")
def get_course_standard(call: Call, course_id: str, standard_id: int) -> dict:
    with call.read() as (db, me):
        context, above = grading_standards.course_context(db, me, course_id)
        return render_grading_standard(grading_standards.get_standard(db, context, above, standard_id))


@get("/accounts/{account_id:str}/grading_standards/{standard_id:int}")
def get_account_standard(call: Call, account_id: str, standard_id: int) -> dict:
    with call.read() as (db, me):
        context, above = grading_standards.account_context(db, me, account_id)
        return render_grading_standard(grading_standards.get_standard(db, context, above, standard_id))


def _listed(call: Call, db: Any, context: Context, above: list[int]) -> Response:
    window = call.window()
    page = grading_standards.list_standards(db, context, above, window)
    return call.paged([render_grading_standard(row) for row in page.items], window, page)


def _entries(call: Call) -> list[tuple[str | None, float | None]]:
    """The `grading_scheme_entry[]` hashes (a list, or a hash by index) as (name, percent) pairs."""
    raw = call.raw(_ENTRY)
    entries: Any = list(raw.values()) if isinstance(raw, dict) else raw
    if raw is None:
        return []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InvalidInput(_ENTRY, f"{_ENTRY} must be a list of hashes with a name and a value")
    if any(isinstance(e.get("name"), (dict, list, bool)) for e in entries):
        raise InvalidInput(_ENTRY, f"{_ENTRY}[][name] must be a string")
    return [(None if e.get("name") is None else str(e["name"]), to_float(e.get("value"), _ENTRY)) for e in entries]


ROUTES = [create_course_standard, create_account_standard, list_course_standards, list_account_standards,
          get_course_standard, get_account_standard]
