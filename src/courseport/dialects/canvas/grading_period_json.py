"""Canvas GradingPeriod and GradingPeriodSet JSON, and the JSON-API style wrappers Canvas answers them in
(`{"grading_periods": [...], "meta": {...}}`, `{"grading_period_set": {...}}`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from courseport.core.courses.grading_periods import is_closed
from courseport.dialects.canvas.protocol import iso
from courseport.schema import GradingPeriod, GradingPeriodSet


def render_period(period: GradingPeriod, can_manage: bool, last_id: int | None = None,
                  now: datetime | None = None) -> dict[str, Any]:
    return {"id": period.id, "grading_period_group_id": period.set_id, "start_date": iso(period.start_date),
            "end_date": iso(period.end_date), "close_date": iso(period.close_date), "weight": period.weight,
            "title": period.title, "permissions": _permissions(can_manage),
            "is_closed": is_closed(period, now), "is_last": period.id == last_id}


def render_periods(periods: list[GradingPeriod], can_manage: bool) -> list[dict[str, Any]]:
    """Periods in start order; the last one of the list is the set's last (Canvas's is_last)."""
    last_id = max(periods, key=lambda p: p.end_date).id if periods else None
    return [render_period(p, can_manage, last_id) for p in periods]


def render_set(found: GradingPeriodSet, periods: list[GradingPeriod], term_ids: list[int]) -> dict[str, Any]:
    """A set as Canvas's set serializer writes it: ids as strings, its periods inside."""
    return {"id": str(found.id), "title": found.title, "weighted": found.weighted,
            "display_totals_for_all_grading_periods": found.display_totals,
            "account_id": _text(found.account_id), "course_id": _text(found.course_id),
            "grading_periods": [_stringified(p) for p in render_periods(periods, True)],
            "permissions": _permissions(True), "created_at": iso(found.created_at),
            "enrollment_term_ids": [str(i) for i in term_ids]}


def page_meta(links: dict[str, str], per_page: int, page: int, collection: str) -> dict[str, Any]:
    """Canvas's JSON-API `meta`: the page links (as its Link header names them) and the primary collection."""
    pagination: dict[str, Any] = {"per_page": per_page, "page": page}
    for part in links.get("Link", "").split(","):
        if part:
            url, rel = part.split(">; rel=")
            pagination[rel.strip('"')] = url.lstrip("<")
    return {"pagination": pagination, "primaryCollection": collection}


def _permissions(can_manage: bool) -> dict[str, bool]:
    return {"read": True, "create": can_manage, "update": can_manage, "delete": can_manage}


def _stringified(body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "id": str(body["id"]), "grading_period_group_id": str(body["grading_period_group_id"])}


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)
