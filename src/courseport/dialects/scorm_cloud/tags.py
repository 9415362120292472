"""Course tags: get, replace, remove, and add to many courses (TagListSchema, BatchTagsSchema); and the
bodies of the tag routes every service has (registrations and learners use them too), each given the
service's scopes and its core function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from courseport.core.packages import tags
from courseport.dialects.scorm_cloud.json_types import string_list
from courseport.dialects.scorm_cloud.protocol import READ, WRITE, Call, delete, get, put


def _list(body: dict[str, Any], name: str) -> list[str] | None:
    """A list of strings: a list holding lists, objects or nulls is refused naming `name`."""
    return string_list(body.get(name), name)


def read_tags(call: Call, scopes: tuple[str, ...], get_tags: Callable[..., list[str]], key: str) -> dict:
    with call.read(scopes) as (db, me):
        return {"tags": get_tags(db, me, key)}


def change_tags(call: Call, scopes: tuple[str, ...], change: Callable[..., None], key: str) -> None:
    """Replace (PUT) or remove (DELETE) the tags a TagListSchema body lists."""
    listed = _list(call.json("tags"), "tags")
    with call.write(scopes) as (db, me):
        change(db, me, key, listed)


def tag_batch(call: Call, scopes: tuple[str, ...], tag_all: Callable[..., None]) -> None:
    """Add a BatchTagsSchema body's tags to each of its ids (both checked before the call is authenticated)."""
    batch = call.json("batch")
    ids, wanted = _list(batch, "ids"), _list(batch, "tags")
    with call.write(scopes) as (db, me):
        tag_all(db, me, ids, wanted)


@get("/courses/{course_id:str}/tags")
def get_course_tags(call: Call, course_id: str) -> dict:
    return read_tags(call, READ, tags.get_tags, course_id)


@put("/courses/{course_id:str}/tags")
def put_course_tags(call: Call, course_id: str) -> None:
    change_tags(call, WRITE, tags.set_tags, course_id)


@delete("/courses/{course_id:str}/tags")
def delete_course_tags(call: Call, course_id: str) -> None:
    change_tags(call, WRITE, tags.remove_tags, course_id)


@put("/courses/tags")
def put_course_tags_batch(call: Call) -> None:
    batch = call.json("batch")
    with call.write() as (db, me):
        tags.tag_courses(db, me, _list(batch, "ids"), _list(batch, "tags"))


ROUTES = [get_course_tags, put_course_tags, delete_course_tags, put_course_tags_batch]
