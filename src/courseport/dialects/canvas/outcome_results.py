"""Canvas Outcome Results API routes (beta in Canvas): a course's outcome results and outcome rollups, read
from rubric assessments aligned to outcomes (core/coursework/outcome_results.py, outcome_rollups.py). Graders
read every student's; a student only their own (naming another student is refused, 403)."""

from __future__ import annotations

from typing import Any

from litestar import Response
from sqlalchemy.orm import Session

from courseport.core.coursework import outcome_results, outcome_rollups
from courseport.core.coursework.outcome_results import Scope
from courseport.core.identity.permissions import course_rights
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.paging import window_of
from courseport.dialects.canvas.outcome_result_json import render_linked, render_meta, render_result, render_rollup
from courseport.dialects.canvas.protocol import Call, get
from courseport.schema import User

COURSE = "/courses/{course_id:str}"
AGGREGATES = ("course",)


def _scope(call: Call, db: Session, me: User, course_id: str) -> Scope:
    return outcome_results.scope(db, me, course_id, call.list("user_ids[]"), call.list("outcome_ids[]"))


def _linked(call: Call, db: Session, me: User, where: Scope, user_ids: list[int],
            found: list[outcome_results.OutcomeResult]) -> dict[str, Any]:
    can_edit = course_rights(db, me, where.course).can("manage_content")
    return render_linked(outcome_results.linked(db, where, user_ids), where.outcomes, found,
                         set(call.list("include[]")), can_edit, where.course.id, call.origin)


@get(COURSE + "/outcome_results")
def list_outcome_results(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        where = _scope(call, db, me, course_id)
        found = outcome_results.results(db, where)
        page = window_of(found, window)
        links = call.page_links(window, page)
        body = {"outcome_results": [render_result(r) for r in page.items],
                "linked": _linked(call, db, me, where, sorted({r.user_id for r in page.items}), page.items),
                "meta": render_meta(links, window, page)}
        return Response(body, headers=links)


@get(COURSE + "/outcome_rollups")
def list_outcome_rollups(call: Call, course_id: str) -> Response:
    aggregate = call.str("aggregate")
    query = outcome_rollups.RollupQuery("missing_user_rollups" in call.list("exclude[]"), call.str("sort_by"),
                                        call.str("sort_outcome_id"), call.str("sort_order"))
    if aggregate is not None and aggregate not in AGGREGATES:
        raise InvalidInput("aggregate", f"aggregate must be one of {', '.join(AGGREGATES)}")
    with call.read() as (db, me):
        where = _scope(call, db, me, course_id)
        found = outcome_results.results(db, where)
        if aggregate:
            return _course_rollup(call, db, me, where, found)
        return _student_rollups(call, db, me, where, found, outcome_rollups.student_rollups(db, where, found, query))


def _course_rollup(call: Call, db: Session, me: User, where: Scope, found: list[outcome_results.OutcomeResult]
                   ) -> Response:
    every = outcome_rollups.user_rollups(where.user_ids, where.outcomes, found)
    rollup = outcome_rollups.course_rollup(where.outcomes, every, call.str("aggregate_stat"))
    return Response({"rollups": [render_rollup(rollup, where.course.id)],
                     "linked": _linked(call, db, me, where, [], found)})


def _student_rollups(call: Call, db: Session, me: User, where: Scope, found: list[outcome_results.OutcomeResult],
                     rollups: list[outcome_rollups.Rollup]) -> Response:
    window = call.window()
    page = window_of(rollups, window)
    links = call.page_links(window, page)
    shown = [r.user_id for r in page.items if r.user_id is not None]
    body = {"rollups": [render_rollup(r, where.course.id) for r in page.items],
            "linked": _linked(call, db, me, where, shown, [f for f in found if f.user_id in shown]),
            "meta": render_meta(links, window, page)}
    return Response(body, headers=links)


ROUTES = [list_outcome_results, list_outcome_rollups]
