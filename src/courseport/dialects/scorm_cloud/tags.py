"""Course tags: get, replace, remove, and add to many courses (TagListSchema, BatchTagsSchema)."""

from __future__ import annotations

from typing import Any

from courseport.core.packages import tags
from courseport.dialects.scorm_cloud.json_types import string_list
from courseport.dialects.scorm_cloud.protocol import Call, delete, get, put


def _list(body: dict[str, Any], name: str) -> list[str] | None:
    """A list of strings: a list holding lists, objects or nulls is refused naming `name`."""
    return string_list(body.get(name), name)


@get("/courses/{course_id:str}/tags")
def get_course_tags(call: Call, course_id: str) -> dict:
    with call.read() as (db, me):
        return {"tags": tags.get_tags(db, me, course_id)}


@put("/courses/{course_id:str}/tags")
def put_course_tags(call: Call, course_id: str) -> None:
    wanted = _list(call.json("tags"), "tags")
    with call.write() as (db, me):
        tags.set_tags(db, me, course_id, wanted)


@delete("/courses/{course_id:str}/tags")
def delete_course_tags(call: Call, course_id: str) -> None:
    unwanted = _list(call.json("tags"), "tags")
    with call.write() as (db, me):
        tags.remove_tags(db, me, course_id, unwanted)


@put("/courses/tags")
def put_course_tags_batch(call: Call) -> None:
    batch = call.json("batch")
    with call.write() as (db, me):
        tags.tag_courses(db, me, _list(batch, "ids"), _list(batch, "tags"))


ROUTES = [get_course_tags, put_course_tags, delete_course_tags, put_course_tags_batch]
