"""Org unit types (lp): the built-in types this store holds, each a core org unit kind. Type ids are the
ones `course_json.ORG_UNIT_TYPES` gives; clients find them here rather than guessing."""

from __future__ import annotations

from typing import Any

from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.dialects.d2l.course_json import ORG_UNIT_TYPES
from courseport.dialects.d2l.protocol import Call, get, route_id

BASE = "/api/lp/{version:str}/outypes"
DESCRIPTIONS = {"organization": "The organization itself: the root of the org structure.",
                "department": "A department of the organization; course templates sit in one.",
                "semester": "A semester (a term): the period course offerings run in.",
                "course_template": "A course template: what course offerings are made from.",
                "course_offering": "A course offering: a course that is taught.",
                "section": "A section of a course offering.",
                "group": "A group of a course offering's users, in one of its group categories."}
# Kinds a caller may make through POST /orgstructure/ (offerings and sections have routes of their own).
CREATABLE = ("department", "semester", "course_template")
KINDS_BY_TYPE_ID = {type_id: kind for kind, (type_id, _, _) in ORG_UNIT_TYPES.items()}


def render_outype(kind: str) -> dict[str, Any]:
    type_id, code, name = ORG_UNIT_TYPES[kind]
    return {"Id": type_id, "Code": code, "Name": name, "Description": DESCRIPTIONS[kind],
            "SortOrder": list(ORG_UNIT_TYPES).index(kind),
            "Permissions": {"CanCreate": kind in CREATABLE, "CanEdit": kind != "organization",
                            "CanDelete": kind != "organization"}}


def kind_of_type(text: str | None, param: str) -> str | None:
    """The kind a type id filter names (None: no filter; an unknown id names no kind and matches nothing)."""
    if text is None or text == "":
        return None
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput(param, f"{param} must be an org unit type id (a number).")
    return KINDS_BY_TYPE_ID.get(int(text), "none")


@get(BASE + "/")
def list_outypes(call: Call, version: str) -> list:
    with call.read():
        return [render_outype(kind) for kind in ORG_UNIT_TYPES]


@get(BASE + "/{type_id:str}")
def get_outype(call: Call, version: str, type_id: str) -> dict:
    kind = KINDS_BY_TYPE_ID.get(route_id(type_id, "org unit type"))
    with call.read():
        if kind is None:
            raise NotFound("org unit type", "No such org unit type.")
        return render_outype(kind)


ROUTES = [list_outypes, get_outype]
