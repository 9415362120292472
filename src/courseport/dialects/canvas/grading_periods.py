"""Canvas Grading Periods and Grading Period Sets API routes: an account's sets (applied to enrollment terms),
a course's periods (its term's set, or its own), read by the course's members and written by the set's keepers
(`grading_periods[][title|start_date|end_date|close_date|weight|id]`, batch or one at a time)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Response
from sqlalchemy.orm import Session

from courseport.core.courses import grading_periods
from courseport.core.courses.grading_periods import PeriodChanges, Periods, SetChanges
from courseport.core.kit.changes import given
from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.core.kit.paging import Slice
from courseport.dialects.canvas.grading_period_json import page_meta, render_periods, render_set
from courseport.dialects.canvas.protocol import Call, coerce, delete, get, patch, post, put
from courseport.schema import GradingPeriodSet

_SET = "grading_period_set"
_PERIODS = "grading_periods"
SET_NAMES = {"title": f"{_SET}[title]", "term_ids": "enrollment_term_ids[]"}
PERIOD_NAMES = {name: f"{_PERIODS}[][{name}]" for name in ("title", "start_date", "end_date", "close_date", "weight")}
_SET_KEYS = {"title": ("title", str), "weighted": ("weighted", bool),
             "display_totals_for_all_grading_periods": ("display_totals", bool)}
_PERIOD_KINDS = {"id": int, "title": str, "start_date": datetime, "end_date": datetime,
                 "close_date": datetime, "weight": float}


@get("/accounts/{account_id:str}/grading_period_sets")
def list_sets(call: Call, account_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = grading_periods.list_sets(db, grading_periods.managed_account(db, me, account_id), window)
        body = [_set_body(db, row) for row in page.items]
    links = call.page_links(window, page)
    meta = page_meta(links, window.limit, window.offset // window.limit + 1, "grading_period_sets")
    return Response({"grading_period_sets": body, "meta": meta}, headers=links)


@post("/accounts/{account_id:str}/grading_period_sets", status_code=201)
def create_set(call: Call, account_id: str) -> dict:
    changes = _set_changes(call)
    with call.write() as (db, me), spelled_as(SET_NAMES):
        account = grading_periods.managed_account(db, me, account_id)
        return {"grading_period_set": _set_body(db, grading_periods.create_set(db, account, changes))}


@patch("/accounts/{account_id:str}/grading_period_sets/{set_id:int}", status_code=204)
def update_set(call: Call, account_id: str, set_id: int) -> None:
    changes = _set_changes(call)
    with call.write() as (db, me), spelled_as(SET_NAMES):
        grading_periods.update_set(db, me, grading_periods.managed_account(db, me, account_id), set_id, changes)


@delete("/accounts/{account_id:str}/grading_period_sets/{set_id:int}", status_code=204)
def delete_set(call: Call, account_id: str, set_id: int) -> None:
    with call.write() as (db, me):
        grading_periods.delete_set(db, me, grading_periods.managed_account(db, me, account_id), set_id)


@get("/courses/{course_id:str}/grading_periods")
def list_course_periods(call: Call, course_id: str) -> Response:
    with call.read() as (db, me):
        _, periods = grading_periods.course_periods(db, me, course_id)
    return _listed(call, periods)


@get("/accounts/{account_id:str}/grading_periods")
def list_account_periods(call: Call, account_id: str) -> Response:
    with call.read() as (db, me):
        periods = grading_periods.account_periods(db, me, account_id)
    return _listed(call, periods)


@get("/courses/{course_id:str}/grading_periods/{period_id:int}")
def get_course_period(call: Call, course_id: str, period_id: int) -> dict:
    with call.read() as (db, me):
        periods, period = grading_periods.get_course_period(db, me, course_id, period_id)
        return {_PERIODS: [p for p in render_periods(periods.periods, periods.can_manage) if p["id"] == period.id]}


@put("/courses/{course_id:str}/grading_periods/{period_id:int}")
def update_course_period(call: Call, course_id: str, period_id: int) -> dict:
    items = _period_changes(call)[:1]
    with call.write() as (db, me), spelled_as(PERIOD_NAMES):
        found = grading_periods.course_set_for_writing(db, me, course_id)
        periods = grading_periods.batch_update(db, found, [PeriodChanges(**{**given(items[0]), "id": period_id})])
        return {_PERIODS: [p for p in render_periods(periods, True) if p["id"] == period_id]}


@patch("/courses/{course_id:str}/grading_periods/batch_update")
def batch_update_course(call: Call, course_id: str) -> dict:
    return _batch_update_course(call, course_id)


@put("/courses/{course_id:str}/grading_periods/batch_update")
def batch_update_course_put(call: Call, course_id: str) -> dict:
    return _batch_update_course(call, course_id)


@patch("/grading_period_sets/{set_id:int}/grading_periods/batch_update")
def batch_update_set(call: Call, set_id: int) -> dict:
    items = _period_changes(call)
    with call.write() as (db, me), spelled_as(PERIOD_NAMES):
        found = grading_periods.account_set_for_writing(db, me, set_id)
        return {_PERIODS: render_periods(grading_periods.batch_update(db, found, items), True)}


@delete("/courses/{course_id:str}/grading_periods/{period_id:int}", status_code=204)
def delete_course_period(call: Call, course_id: str, period_id: int) -> None:
    with call.write() as (db, me):
        grading_periods.delete_period(db, grading_periods.course_set_for_writing(db, me, course_id), period_id)


@delete("/accounts/{account_id:str}/grading_periods/{period_id:int}", status_code=204)
def delete_account_period(call: Call, account_id: str, period_id: int) -> None:
    with call.write() as (db, me):
        found = grading_periods.deletable_account_period(db, me, account_id, period_id)
        grading_periods.delete_period(db, found, period_id)


def _batch_update_course(call: Call, course_id: str) -> dict:
    items = _period_changes(call)
    with call.write() as (db, me), spelled_as(PERIOD_NAMES):
        found = grading_periods.course_set_for_writing(db, me, course_id)
        return {_PERIODS: render_periods(grading_periods.batch_update(db, found, items), True)}


def _listed(call: Call, periods: Periods) -> Response:
    window = call.window()
    rows = periods.periods[window.offset:window.offset + window.limit]
    page = Slice(rows, len(periods.periods) > window.offset + window.limit, len(periods.periods))
    links = call.page_links(window, page)
    meta = {**page_meta(links, window.limit, window.offset // window.limit + 1, _PERIODS),
            "grading_periods_read_only": not periods.can_manage}
    body = [p for p in render_periods(periods.periods, periods.can_manage) if p["id"] in {r.id for r in rows}]
    return Response({_PERIODS: body, "meta": meta}, headers=links)


def _set_body(db: Session, row: GradingPeriodSet) -> dict:
    return render_set(row, grading_periods.periods_of_sets(db, [row.id])[row.id],
                      grading_periods.set_terms(db, [row.id])[row.id])


def _set_changes(call: Call) -> SetChanges:
    node = call.raw(_SET)
    if isinstance(node, list) and len(node) == 1:  # grading_period_set[][title], as Canvas's docs spell it
        node = node[0]
    if node is not None and not isinstance(node, dict):
        raise InvalidInput(_SET, f"{_SET} must be a hash of attributes")
    fields = {core: coerce(node[wire], kind, f"{_SET}[{wire}]")
              for wire, (core, kind) in _SET_KEYS.items() if node and wire in node}
    if call.has("enrollment_term_ids"):
        fields["term_ids"] = call.list("enrollment_term_ids[]")
    return SetChanges(**fields)


def _period_changes(call: Call) -> list[PeriodChanges]:
    raw = call.raw(_PERIODS)
    items: Any = list(raw.values()) if isinstance(raw, dict) else raw
    if not isinstance(items, list) or not items or not all(isinstance(e, dict) for e in items):
        raise InvalidInput(f"{_PERIODS}[]", f"{_PERIODS}[] must be a list of hashes of period attributes")
    return [PeriodChanges(**{key: _coerced(item[key], kind, key) for key, kind in _PERIOD_KINDS.items()
                             if key in item}) for item in items]


def _coerced(value: Any, kind: type, key: str) -> Any:
    return coerce(value, kind, f"{_PERIODS}[][{key}]")


ROUTES = [list_sets, create_set, update_set, delete_set, list_course_periods, list_account_periods,
          get_course_period, update_course_period, batch_update_course, batch_update_course_put, batch_update_set,
          delete_course_period, delete_account_period]
