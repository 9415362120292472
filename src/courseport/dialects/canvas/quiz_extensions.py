"""Canvas Quiz Extensions and Course Quiz Extensions API routes: a grader's extra attempts, extra minutes and
manual unlocks for students, on one quiz or on every quiz of a course (`quiz_extensions[][...]` entries)."""

from __future__ import annotations

from typing import Any

from courseport.core.coursework import quiz_extensions
from courseport.core.coursework.quiz_extensions import Extension, ExtensionChanges
from courseport.core.kit.changes import kinds
from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.dialects.canvas.protocol import Call, RequestError, coerce, post
from courseport.dialects.canvas.quiz_extension_json import render_extensions

_ENTRY = "quiz_extensions[][{}]"
NAMES = {"extensions": "quiz_extensions", "user_id": _ENTRY.format("user_id"),
         **{name: _ENTRY.format(name) for name in kinds(ExtensionChanges)}}


@post("/courses/{course_id:str}/quizzes/{quiz_id:str}/extensions", status_code=200)
def extend_quiz(call: Call, course_id: str, quiz_id: str) -> dict:
    extensions = _extensions(call)
    with call.write() as (db, me), spelled_as(NAMES):
        views = quiz_extensions.extend(db, me, course_id, quiz_id, extensions)
    return render_extensions(views)


@post("/courses/{course_id:str}/quiz_extensions", status_code=200)
def extend_course_quizzes(call: Call, course_id: str) -> dict:
    extensions = _extensions(call)
    with call.write() as (db, me), spelled_as(NAMES):
        views = quiz_extensions.extend_in_course(db, me, course_id, extensions)
    return render_extensions(views)


def _extensions(call: Call) -> list[Extension]:
    """The `quiz_extensions` entries (a list, or a hash by index); empty values leave a field as it is."""
    raw = call.raw("quiz_extensions")
    entries: Any = list(raw.values()) if isinstance(raw, dict) else raw
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise RequestError(InvalidInput("quiz_extensions", "missing required key :quiz_extensions"))
    found = []
    for entry in entries:
        changes = {key: coerce(entry[key], kind, _ENTRY.format(key)) for key, kind in kinds(ExtensionChanges).items()
                   if entry.get(key) not in (None, "")}
        user_id = entry.get("user_id")
        found.append(Extension(None if user_id is None else str(user_id), ExtensionChanges(**changes)))
    return found


ROUTES = [extend_quiz, extend_course_quizzes]
