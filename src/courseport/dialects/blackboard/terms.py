"""Learn Terms API (v1): list, create, get, update, delete; terms are the root account's enrollment
terms (the ones Canvas lists and a Learn course's `termId` names). Addressed by `_N_1` or `externalId:`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from courseport.core.identity import accounts, terms
from courseport.core.identity.terms import TermChanges, TermDetails, TermView
from courseport.core.kit.errors import Conflict, InvalidInput, NotFound, spelled_as
from courseport.dialects.blackboard import entitlements as entitled
from courseport.dialects.blackboard.course_fields import SYSTEM_DATA_SOURCE, term_ref
from courseport.dialects.blackboard.protocol import Call, delete, get, iso, learn_id, on_versions, patch, post
from courseport.schema import User

_V1 = ("v1",)
_ROOT = str(accounts.ROOT_ACCOUNT_ID)
TYPES: dict[str, type] = {
    "externalId": str, "dataSourceId": str, "name": str, "description": str, "availability.available": str,
    "availability.duration.type": str, "availability.duration.start": datetime,
    "availability.duration.end": datetime, "availability.duration.daysOfUse": int,
}
DURATIONS = ("Continuous", "DateRange", "FixedNumDays")
# Core word -> Learn's, for errors the core raises.
NAMES = {"name": "name", "sis_term_id": "externalId", "end_at": "availability.duration.end",
         "start_at": "availability.duration.start", "days_of_use": "availability.duration.daysOfUse",
         "workflow_state": "termId"}


def _term_ref(text: str) -> str:
    ref = term_ref(text)
    if ref is None:
        raise NotFound("term", "Term not found")
    return ref


def render_term(view: TermView) -> dict[str, Any]:
    term = view.term
    if term.days_of_use:
        duration: dict[str, Any] = {"type": "FixedNumDays", "daysOfUse": term.days_of_use}
    elif term.start_at or term.end_at:
        duration = {"type": "DateRange", **{k: iso(v) for k, v in (("start", term.start_at), ("end", term.end_at))
                                            if v is not None}}
    else:
        duration = {"type": "Continuous"}
    body = {"id": learn_id(term.id), "externalId": term.sis_term_id, "dataSourceId": SYSTEM_DATA_SOURCE,
            "name": term.name, "description": term.description,
            "availability": {"available": "Yes" if term.available else "No", "duration": duration}}
    return {k: v for k, v in body.items() if v is not None}


def _changes(call: Call, *, create: bool) -> tuple[TermChanges, TermDetails]:
    fields = call.body_fields(TYPES)
    for name in fields:
        if name not in TYPES:
            raise InvalidInput(name, f"{name} is not a field that may be set")
    if create:
        for required in ("externalId", "name"):
            if not fields.get(required):
                raise InvalidInput(required, f"{required} is required")
    changes, details = TermChanges(), TermDetails()
    for wire, core in (("name", "name"), ("externalId", "sis_term_id")):
        if wire in fields:
            setattr(changes, core, fields[wire])
            changes.given.add(core)
    if "description" in fields:
        details.description = fields["description"]
        details.given.add("description")
    available = fields.get("availability.available")
    if available is not None:
        if available not in ("Yes", "No"):
            raise InvalidInput("availability.available", "availability.available must be Yes or No")
        details.available = available == "Yes"
        details.given.add("available")
    _duration(fields, changes, details)
    return changes, details


def _duration(fields: dict[str, Any], changes: TermChanges, details: TermDetails) -> None:
    kind = fields.get("availability.duration.type")
    if kind is None:
        return
    if kind not in DURATIONS:
        raise InvalidInput("availability.duration.type", f"availability.duration.type must be one of "
                                                         f"{', '.join(DURATIONS)}, got {kind!r}")
    dated, counted = kind == "DateRange", kind == "FixedNumDays"
    changes.start_at = fields.get("availability.duration.start") if dated else None
    changes.end_at = fields.get("availability.duration.end") if dated else None
    details.days_of_use = fields.get("availability.duration.daysOfUse") if counted else None
    if counted and details.days_of_use is None:
        raise InvalidInput("availability.duration.daysOfUse", "availability.duration.daysOfUse is required")
    changes.given |= {"start_at", "end_at"}
    details.given.add("days_of_use")


def _written(db: Session, me: User, ref: str | None, changes: TermChanges, details: TermDetails) -> TermView:
    try:
        return terms.write_term(db, me, _ROOT, ref, changes, details)
    except InvalidInput as exc:  # Learn: 409 for an externalId another term holds
        if exc.field == "sis_term_id":
            raise Conflict("A term with the same externalId already exists") from None
        raise


def list_terms(call: Call) -> dict:
    window, available = call.window(), call.str("availability.available")
    if available not in (None, "Yes", "No"):
        raise InvalidInput("availability.available", "availability.available must be Yes or No")
    with call.read() as (db, me):
        page = terms.search_terms(db, me, _ROOT, call.str("externalId"),
                                  None if available is None else available == "Yes", window)
    return call.paged([render_term(v) for v in page.items], window, page)


def create_term(call: Call) -> dict:
    changes, details = _changes(call, create=True)
    with call.write(*entitled.TERM_MODIFY) as (db, me), spelled_as(NAMES):
        return call.pick(render_term(_written(db, me, None, changes, details)))


def get_term(call: Call, term_id: str) -> dict:
    with call.read() as (db, me), spelled_as(NAMES):
        view = terms.get_term(db, me, _ROOT, _term_ref(term_id))
        if view.term.workflow_state == "deleted":  # Canvas still shows a deleted term by id; Learn has none
            raise NotFound("term", "Term not found")
        return call.pick(render_term(view))


def update_term(call: Call, term_id: str) -> dict:
    changes, details = _changes(call, create=False)
    with call.write(*entitled.TERM_MODIFY) as (db, me), spelled_as(NAMES):
        return call.pick(render_term(_written(db, me, _term_ref(term_id), changes, details)))


def delete_term(call: Call, term_id: str) -> None:
    with call.write(*entitled.TERM_MODIFY) as (db, me), spelled_as(NAMES):
        terms.delete_term(db, me, _ROOT, _term_ref(term_id))


ROUTES = [
    *on_versions(get, "/terms", list_terms, _V1), *on_versions(post, "/terms", create_term, _V1, status_code=201),
    *on_versions(get, "/terms/{term_id:str}", get_term, _V1),
    *on_versions(patch, "/terms/{term_id:str}", update_term, _V1),
    *on_versions(delete, "/terms/{term_id:str}", delete_term, _V1, status_code=204),
]
