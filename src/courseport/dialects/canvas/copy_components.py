"""Canvas's names for what a copy takes, as core's components (core/copy/components.py): one table.

Canvas names each content type after its table ("wiki_pages", "context_modules", "attachments"):
`copy[all_<type>]` takes the type whole, `copy[<type>][<id>]` and `select[<key>][]` pick items of it
(select's keys are the API's short names: "pages", "modules", "files"). The older course copy API's
`only[]`/`except[]` names are aliases Canvas itself turns into `copy[all_<type>]` ("topics" into
"discussion_topics", "files" into "attachments", ...), so course copies and content migrations both
read TYPES and mean the same by the same type.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from courseport.core.copy import components
from courseport.core.kit.errors import InvalidInput


class CanvasType(NamedTuple):
    whole: tuple[str, ...] | None  # the components copy[all_<type>] takes; None: Canvas has no such flag
    picks: str | None  # the item type ("file"/"folder" for files) its ids name; None: not pickable


TYPES: dict[str, CanvasType] = {
    "course_settings": CanvasType(("settings",), None),
    "syllabus_body": CanvasType(("settings",), None),
    # Canvas exports an assignment's group and rubric with it; we take the course's rubrics whole.
    "assignments": CanvasType(("assignment_groups", "assignments", "rubrics"), "assignment"),
    "assignment_groups": CanvasType(("assignment_groups",), None),
    "quizzes": CanvasType(("quizzes", "questions"), "quiz"),  # banks only with their own flag, as Canvas
    "assessment_question_banks": CanvasType(("question_banks",), None),
    "discussion_topics": CanvasType(("discussions", "announcements"), "discussion_topic"),  # announcements are topics
    "announcements": CanvasType(("announcements",), "announcement"),
    "wiki_pages": CanvasType(("pages",), "page"),
    "context_modules": CanvasType(("modules",), "module"),
    "module_items": CanvasType(None, "module_item"),
    "attachments": CanvasType(("files",), "file"),
    "folders": CanvasType(None, "folder"),
    "calendar_events": CanvasType(("calendar_events",), "calendar_event"),
    "context_external_tools": CanvasType(("external_tools",), None),
    "learning_outcomes": CanvasType(("outcomes",), None),
    "rubrics": CanvasType(("rubrics",), "rubric"),
}
# select[key][] names and the content type each picks from, in the order errors list them.
SELECT = {"folders": "folders", "files": "attachments", "attachments": "attachments", "quizzes": "quizzes",
          "assignments": "assignments", "announcements": "announcements", "calendar_events": "calendar_events",
          "discussion_topics": "discussion_topics", "modules": "context_modules", "module_items": "module_items",
          "pages": "wiki_pages", "rubrics": "rubrics"}
# The course copy API's only[]/except[] names (in the order Canvas documents them) and their types.
COURSE_COPY = {"course_settings": "course_settings", "assignments": "assignments",
               "external_tools": "context_external_tools", "files": "attachments", "topics": "discussion_topics",
               "calendar_events": "calendar_events", "quizzes": "quizzes", "wiki_pages": "wiki_pages",
               "modules": "context_modules", "outcomes": "learning_outcomes"}

# Derived: copy[all_...] flags; the item type select[key] and copy[key] ids name; only[] components.
COPY_ALL = {f"all_{name}": t.whole for name, t in TYPES.items() if t.whole is not None}
SELECT_KEYS = {key: TYPES[name].picks for key, name in SELECT.items()}
COPY_KEYS = {**SELECT_KEYS, **{name: t.picks for name, t in TYPES.items() if t.picks is not None}}
_COURSE_COPY_COMPONENTS = {name: TYPES[t].whole or () for name, t in COURSE_COPY.items()}


def course_copy_selection(only: list[str], exclude: list[str]) -> frozenset[str]:
    """What `only[]`/`except[]` take whole (no only[]: everything); each list's unknown names named by it."""
    chosen = components.named(_COURSE_COPY_COMPONENTS, only, "only[]") if only else None
    return components.selection(chosen, components.named(_COURSE_COPY_COMPONENTS, exclude, "except[]"))


def copy_all_types(flag: str) -> frozenset[str] | None:
    """The item types copy[all_<type>] takes; None when Canvas has no such flag."""
    whole = COPY_ALL.get(flag)
    return None if whole is None else components.types_of(whole)


@contextmanager
def canvas_copy_fields() -> Iterator[None]:
    """Core names the copy's source `source`; Canvas's copy errors name it `source_course`."""
    try:
        yield
    except InvalidInput as exc:
        if exc.field != "source":
            raise
        raise InvalidInput("source_course", exc.message) from None
