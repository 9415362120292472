"""Org structure routes (lp): the organization, any org unit by id, its children, parents, ancestors
and descendants (lists and PagedResultSets, `ouTypeId` filters), the search (`orgUnitType`,
`orgUnitCode`, `orgUnitName`, `exactOrgUnitCode`, `exactOrgUnitName`, `bookmark`), childless units and
orphans, making departments, semesters and templates, renaming any, and the parent links the store keeps.
Every id is an org unit id of the one namespace (core/courses/org_units.py)."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.courses import org_tree, org_unit_changes, org_units
from courseport.core.courses.org_tree import Tree, UnitQuery
from courseport.core.courses.org_unit_changes import NewOrgUnit
from courseport.core.courses.org_units import OrgUnit
from courseport.core.identity import accounts
from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.dialects.d2l.courses import VALENCE_NAMES, content_root
from courseport.dialects.d2l.orgstructure_json import paged, render_org_unit, render_organization
from courseport.dialects.d2l.outypes import kind_of_type
from courseport.dialects.d2l.protocol import (
    D2LID,
    D2LIDS,
    OPTIONAL_STRING,
    STRING,
    Call,
    block_fields,
    delete,
    empty,
    get,
    post,
    put,
    route_id,
    to_d2lid,
)

BASE = "/api/lp/{version:str}/orgstructure"
UNIT = BASE + "/{org_unit_id:str}"
CREATE_SPEC = {"Type": (D2LID, True), "Name": (STRING, True), "Code": (STRING, True), "Parents": (D2LIDS, False)}
UPDATE_SPEC = {"Name": (STRING, True), "Code": (STRING, True), "Path": (OPTIONAL_STRING, False)}
CREATE_NAMES = {**VALENCE_NAMES, "type": "Type", "parents": "Parents", "parent": "Parents", "code": "Code",
                "sis_section_id": "Code"}
LINK_NAMES = {"parent": "body"}


@get("/api/lp/{version:str}/organization/info")
def organization_info(call: Call, version: str) -> dict:
    with call.read() as (db, me):
        unit = org_units.organization(db, me)
        return render_organization(unit, accounts.get_account(db, unit.ref_id).default_time_zone)


@get(UNIT)
def get_org_unit(call: Call, version: str, org_unit_id: str) -> dict:
    ou = route_id(org_unit_id)
    with call.read() as (db, me):
        return render_org_unit(org_tree.readable_unit(db, me, ou))


def _related(call: Call, org_unit_id: str, pick: Any) -> list[OrgUnit]:
    """The units `pick(tree, id)` gives for the org unit, filtered by `ouTypeId`."""
    ou = route_id(org_unit_id)
    kind = kind_of_type(call.query.get("ouTypeId"), "ouTypeId")
    with call.read() as (db, me):
        tree = org_tree.structure(db, me)
    if ou not in tree.units:
        raise org_units.org_unit_not_found()
    return [u for u in pick(tree, ou) if kind is None or u.kind == kind]


def _children(tree: Tree, ou: int) -> list[OrgUnit]:
    return tree.listed(tree.children.get(ou, ()))


def _parents(tree: Tree, ou: int) -> list[OrgUnit]:
    return tree.listed(tree.parents.get(ou, ()))


@get(UNIT + "/children/")
def list_children(call: Call, version: str, org_unit_id: str) -> list:
    return [render_org_unit(u) for u in _related(call, org_unit_id, _children)]


@get(UNIT + "/children/paged/")
def page_children(call: Call, version: str, org_unit_id: str) -> dict:
    return paged(call, _related(call, org_unit_id, _children))


@get(UNIT + "/parents/")
def list_parents(call: Call, version: str, org_unit_id: str) -> list:
    return [render_org_unit(u) for u in _related(call, org_unit_id, _parents)]


@get(UNIT + "/ancestors/")
def list_ancestors(call: Call, version: str, org_unit_id: str) -> list:
    return [render_org_unit(u) for u in _related(call, org_unit_id, Tree.ancestors)]


@get(UNIT + "/descendants/")
def list_descendants(call: Call, version: str, org_unit_id: str) -> list:
    return [render_org_unit(u) for u in _related(call, org_unit_id, Tree.descendants)]


@get(UNIT + "/descendants/paged/")
def page_descendants(call: Call, version: str, org_unit_id: str) -> dict:
    return paged(call, _related(call, org_unit_id, Tree.descendants))


def _query(call: Call) -> UnitQuery:
    q = call.query
    return UnitQuery(kind_of_type(q.get("orgUnitType"), "orgUnitType"), q.get("orgUnitCode") or None,
                     q.get("orgUnitName") or None, q.get("exactOrgUnitCode"), q.get("exactOrgUnitName"))


def _matching(call: Call, pick: Any) -> list[OrgUnit]:
    query = _query(call)
    with call.read() as (db, me):
        tree = org_tree.structure(db, me)
    return [u for u in pick(tree) if query.matches(u)]


@get(BASE + "/")
def search_org_units(call: Call, version: str) -> dict:
    """OrgUnitProperties of every org unit matching the filters."""
    return paged(call, _matching(call, lambda tree: tree.listed(tree.units)))


@get(BASE + "/childless/")
def childless_org_units(call: Call, version: str) -> dict:
    return paged(call, _matching(call, Tree.childless))


@get(BASE + "/orphans/")
def orphan_org_units(call: Call, version: str) -> dict:
    return paged(call, _matching(call, Tree.orphans))


@post(BASE + "/")
def create_org_unit(call: Call, version: str) -> dict:
    f = block_fields(call.block(), CREATE_SPEC)
    kind = kind_of_type(str(f["Type"]), "Type")
    if kind == "none":
        raise InvalidInput("Type", "Type must be an org unit type id (see /outypes/).")
    new = NewOrgUnit(str(kind), f["Name"], f["Code"], f["Parents"])
    with call.write() as (db, me), spelled_as(CREATE_NAMES):
        return render_org_unit(org_unit_changes.create_org_unit(db, me, new, default_path=content_root))


@put(UNIT)
def update_org_unit(call: Call, version: str, org_unit_id: str) -> dict:
    """OrgUnitProperties: Name, Code and Path are kept (Path only by templates and offerings)."""
    ou, f = route_id(org_unit_id), block_fields(call.block(), UPDATE_SPEC)
    with call.write() as (db, me), spelled_as(CREATE_NAMES):
        return render_org_unit(org_unit_changes.update_org_unit(db, me, ou, f["Name"], f["Code"], f["Path"]))


def _linked_id(call: Call) -> int:
    """The body of a link call: one org unit id (a JSON number)."""
    body = call.json()
    if body is None:
        raise InvalidInput("body", "Send the org unit id to link as the JSON body.")
    return to_d2lid(body, "body")


def _link(call: Call, child: int, parent: int) -> Response:
    with call.write() as (db, me), spelled_as(LINK_NAMES):
        org_unit_changes.link(db, me, child, parent)
    return empty()


def _unlink(call: Call, child: int, parent: int, names: dict[str, str]) -> Response:
    with call.write() as (db, me), spelled_as(names):
        org_unit_changes.unlink(db, me, child, parent)
    return empty()


@post(UNIT + "/parents/")
def add_parent(call: Call, version: str, org_unit_id: str) -> Response:
    ou, parent = route_id(org_unit_id), _linked_id(call)
    return _link(call, ou, parent)


@delete(UNIT + "/parents/{parent_id:str}")
def remove_parent(call: Call, version: str, org_unit_id: str, parent_id: str) -> Response:
    ou, parent = route_id(org_unit_id), route_id(parent_id, "parent org unit")
    return _unlink(call, ou, parent, {"parent": "parentOrgUnitId"})


@post(UNIT + "/children/")
def add_child(call: Call, version: str, org_unit_id: str) -> Response:
    ou, child = route_id(org_unit_id), _linked_id(call)
    return _link(call, child, ou)


@delete(UNIT + "/children/{child_id:str}")
def remove_child(call: Call, version: str, org_unit_id: str, child_id: str) -> Response:
    ou, child = route_id(org_unit_id), route_id(child_id, "child org unit")
    return _unlink(call, child, ou, {"parent": "orgUnitId"})


ROUTES = [organization_info, get_org_unit, list_children, page_children, list_parents, list_ancestors,
          list_descendants, page_descendants, search_org_units, childless_org_units, orphan_org_units,
          create_org_unit, update_org_unit, add_parent, remove_parent, add_child, remove_child]
