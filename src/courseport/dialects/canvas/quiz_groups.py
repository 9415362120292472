"""Canvas Quiz Question Groups API routes: a classic quiz's question groups (`quiz_groups[][...]`, the first entry
is the group), listed, shown, created, edited, deleted, and the order of a group's questions (`order[][id]`)."""

from __future__ import annotations

from typing import Any

from courseport.core.coursework import quiz_groups
from courseport.core.coursework.quiz_groups import GroupChanges
from courseport.core.kit.changes import kinds
from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.dialects.canvas.protocol import Call, coerce, delete, get, post, put
from courseport.dialects.canvas.quiz_group_json import render_group, render_groups

_GROUPS = "/courses/{course_id:str}/quizzes/{quiz_id:str}/groups"
_GROUP = _GROUPS + "/{group_id:str}"
_ENTRY = "quiz_groups[][{}]"
NAMES = {name: _ENTRY.format(name) for name in kinds(GroupChanges)} | {"order": "order[][id]"}


@get(_GROUPS)
def list_groups(call: Call, course_id: str, quiz_id: str) -> dict:
    with call.read() as (db, me):
        views = quiz_groups.list_groups(db, me, course_id, quiz_id)
    return render_groups(views)


@get(_GROUP)
def get_group(call: Call, course_id: str, quiz_id: str, group_id: str) -> dict:
    with call.read() as (db, me):
        view = quiz_groups.get_group(db, me, course_id, quiz_id, group_id)
    return render_group(view)


@post(_GROUPS, status_code=201)
def create_group(call: Call, course_id: str, quiz_id: str) -> dict:
    changes = _changes(call)
    with call.write() as (db, me), spelled_as(NAMES):
        view = quiz_groups.create_group(db, me, course_id, quiz_id, changes)
    return render_groups([view])


@put(_GROUP)
def update_group(call: Call, course_id: str, quiz_id: str, group_id: str) -> dict:
    changes = _changes(call)
    with call.write() as (db, me), spelled_as(NAMES):
        view = quiz_groups.update_group(db, me, course_id, quiz_id, group_id, changes)
    return render_groups([view])


@delete(_GROUP, status_code=204)
def delete_group(call: Call, course_id: str, quiz_id: str, group_id: str) -> None:
    with call.write() as (db, me):
        quiz_groups.delete_group(db, me, course_id, quiz_id, group_id)


@post(_GROUP + "/reorder", status_code=204)
def reorder_group(call: Call, course_id: str, quiz_id: str, group_id: str) -> None:
    order = [str(coerce(e.get("id"), int, "order[][id]")) for e in _entries(call, "order")]
    for entry in _entries(call, "order"):
        if entry.get("type") not in (None, "", "question"):
            raise InvalidInput("order[][type]", "order[][type] must be question")
    with call.write() as (db, me), spelled_as(NAMES):
        quiz_groups.reorder_group(db, me, course_id, quiz_id, group_id, order)


def _entries(call: Call, name: str) -> list[dict[str, Any]]:
    """A list of hashes sent as a form list (`name[][key]`), a hash by index or JSON; anything else is refused."""
    raw = call.raw(name)
    entries: Any = list(raw.values()) if isinstance(raw, dict) else raw
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise InvalidInput(name, f"{name} must be a list of hashes")
    return entries


def _changes(call: Call) -> GroupChanges:
    """The group's fields from the first `quiz_groups` entry; an empty value of a number keeps its default."""
    entries = _entries(call, "quiz_groups")
    entry = entries[0] if entries else {}
    return GroupChanges(**{key: coerce(entry[key], kind, _ENTRY.format(key))
                           for key, kind in kinds(GroupChanges).items() if key in entry})


ROUTES = [list_groups, get_group, create_group, update_group, delete_group, reorder_group]
