"""Canvas Planner API routes: the caller's (or an observed student's) planner items, and upcoming events."""

from __future__ import annotations

from litestar import Response

from courseport.core.views import planner
from courseport.dialects.canvas.planner_item_json import render_planner_item, render_upcoming
from courseport.dialects.canvas.protocol import Call, get


def _items(call: Call, user_ref: str) -> Response:
    window = call.window()
    query = planner.PlannerQuery(call.str("start_date"), call.str("end_date"), tuple(call.list("context_codes[]")),
                                 call.str("filter"))
    with call.read() as (db, me):
        page = planner.planner_items(db, me, user_ref, query, window)
        return call.paged([render_planner_item(i, call.origin) for i in page.items], window, page)


@get("/planner/items")
def list_planner_items(call: Call) -> Response:
    return _items(call, "self")


@get("/users/{user_id:str}/planner/items")
def list_user_planner_items(call: Call, user_id: str) -> Response:
    return _items(call, user_id)


@get("/users/self/upcoming_events")
def list_upcoming_events(call: Call) -> list:
    with call.read() as (db, me):
        return [render_upcoming(i, call.origin) for i in planner.upcoming(db, me)]


ROUTES = [list_planner_items, list_user_planner_items, list_upcoming_events]
