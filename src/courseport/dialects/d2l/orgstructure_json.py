"""OrgUnit.* blocks: Organization, OrgUnit and OrgUnitProperties from core org units, and the paging
of org unit lists (PagedResultSet, bookmarked by the last org unit id given)."""

from __future__ import annotations

from typing import Any

from courseport.core.courses import org_units
from courseport.core.courses.org_units import OrgUnit
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.d2l.course_json import render_org_unit_type
from courseport.dialects.d2l.protocol import PAGE_SIZE, Call, d2l_id


def render_organization(unit: OrgUnit, time_zone: str) -> dict[str, Any]:
    return {"Identifier": d2l_id(unit.id), "Name": unit.name, "TimeZone": time_zone}


def render_org_unit(unit: OrgUnit) -> dict[str, Any]:
    """OrgUnit and OrgUnitProperties carry the same fields; the organization has no code."""
    code = None if unit.kind == org_units.ORGANIZATION and not unit.code else unit.code
    return {"Identifier": d2l_id(unit.id), "Name": unit.name, "Code": code, "Path": unit.path,
            "Type": render_org_unit_type(unit.kind)}


def after(call: Call) -> int:
    """The org unit id a bookmark names: the page goes on after it."""
    text = call.bookmark()
    if text is None:
        return 0
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        raise InvalidInput("bookmark", "bookmark must be a PagingInfo.Bookmark this API gave.")
    return int(text)


def paged(call: Call, units: list[OrgUnit]) -> dict[str, Any]:
    """A PagedResultSet of the units (in id order) after the bookmark, PAGE_SIZE a page."""
    start = after(call)
    rest = [u for u in units if u.id > start]
    page = rest[:PAGE_SIZE]
    bookmark = d2l_id(page[-1].id) if page else None
    return call.paged([render_org_unit(u) for u in page], bookmark, len(rest) > PAGE_SIZE)
