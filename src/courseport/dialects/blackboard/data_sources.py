"""Learn data sources (v1): list, create, get, update, delete; core's data sources of the caller's root
account (core/identity/data_sources.py), an administrator's. Learn's built-in SYSTEM source (`_2_1`,
course_fields.py), which the records no integration claimed name, is listed first and is read-only. A
stored source's primary id is `_{row id + 2}_1`, so none is taken for the built-in one.
"""

from __future__ import annotations

from typing import Any

from courseport.core.identity import data_sources
from courseport.core.identity.data_sources import SourceChanges
from courseport.core.kit.errors import InvalidInput, NotFound, spelled_as
from courseport.core.kit.paging import Slice, Window
from courseport.dialects.blackboard import entitlements as entitled
from courseport.dialects.blackboard.course_fields import SYSTEM_DATA_SOURCE, SYSTEM_SOURCE_KEY
from courseport.dialects.blackboard.protocol import (
    Call,
    delete,
    get,
    iso,
    learn_id,
    on_versions,
    patch,
    post,
    primary_number,
)
from courseport.schema import DataSource

_V1 = ("v1",)
_SKIPPED = 2  # stored ids start past the built-in sources' numbers
TYPES: dict[str, type] = {"externalId": str, "description": str}
SYSTEM = {"id": SYSTEM_DATA_SOURCE, "externalId": "SYSTEM",
          "description": "Internal data source used for associating records that are created for use by the Bb system."}
NAMES = {"external_id": "externalId", "description": "description"}  # core word -> Learn's


def render_source(source: DataSource) -> dict[str, Any]:
    body = {"id": learn_id(source.id + _SKIPPED), "externalId": source.external_id,
            "description": source.description, "created": iso(source.created_at)}
    return {k: v for k, v in body.items() if v is not None}


def _ref(text: str) -> tuple[str, int | str] | None:
    """A stored source's core address (`id` or `external_id`); None for the built-in one; 404 otherwise."""
    if text in (SYSTEM_DATA_SOURCE, SYSTEM_SOURCE_KEY):
        return None
    number = primary_number(text)
    if number is not None and number > _SKIPPED:
        return "id", number - _SKIPPED
    kind, colon, value = text.partition(":")
    if colon and kind == "externalId" and value:
        return "external_id", value
    raise NotFound("data source", "Data source not found")


def _stored_ref(text: str) -> tuple[str, int | str]:
    ref = _ref(text)
    if ref is None:
        raise InvalidInput("dataSourceId", "dataSourceId: the SYSTEM data source cannot be changed")
    return ref


def _changes(call: Call) -> SourceChanges:
    fields = call.body_fields(TYPES)
    for name in fields:
        if name not in TYPES:
            raise InvalidInput(name, f"{name} is not a field that may be set")
    return SourceChanges(**{core: fields[wire] for core, wire in NAMES.items() if wire in fields})


def list_sources(call: Call) -> dict:
    window, wanted = call.window(), call.str("externalId")
    skip = 1 if wanted is None or wanted in "SYSTEM" else 0  # the built-in source, when the search keeps it
    with call.read(*entitled.DATA_SOURCE_MANAGE) as (db, me):
        stored = data_sources.list_sources(db, me, wanted, Window(max(window.offset - skip, 0), window.limit))
        items = ([SYSTEM] if window.offset < skip else []) + [render_source(s) for s in stored.items]
    more = stored.has_more or len(items) > window.limit
    return call.paged(items[:window.limit], window, Slice(items[:window.limit], more, None))


def create_source(call: Call) -> dict:
    changes = _changes(call)
    with call.write(*entitled.DATA_SOURCE_MANAGE) as (db, me), spelled_as(NAMES):
        return call.pick(render_source(data_sources.create_source(db, me, changes)))


def get_source(call: Call, data_source_id: str) -> dict:
    with call.read(*entitled.DATA_SOURCE_MANAGE) as (db, me):
        ref = _ref(data_source_id)
        if ref is None:
            data_sources.managed_root(db, me)
            return call.pick(SYSTEM)
        return call.pick(render_source(data_sources.get_source(db, me, *ref)))


def update_source(call: Call, data_source_id: str) -> dict:
    changes = _changes(call)
    with call.write(*entitled.DATA_SOURCE_MANAGE) as (db, me), spelled_as(NAMES):
        source = data_sources.update_source(db, me, *_stored_ref(data_source_id), changes)
        return call.pick(render_source(source))


def delete_source(call: Call, data_source_id: str) -> None:
    with call.write(*entitled.DATA_SOURCE_MANAGE) as (db, me):
        data_sources.delete_source(db, me, *_stored_ref(data_source_id))


_ONE = "/dataSources/{data_source_id:str}"
ROUTES = [
    *on_versions(get, "/dataSources", list_sources, _V1),
    *on_versions(post, "/dataSources", create_source, _V1, status_code=201),
    *on_versions(get, _ONE, get_source, _V1),
    *on_versions(patch, _ONE, update_source, _V1),
    *on_versions(delete, _ONE, delete_source, _V1, status_code=204),
]
