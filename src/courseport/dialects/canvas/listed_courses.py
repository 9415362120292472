"""A course list's JSON, each course's kept by its row version while it is unchanged.

A course list without include[] answers the same JSON for a course until the course's row, the viewer's
nickname or enrollments in it, or what the viewer may see of it (SIS ids) change. Every change of a course's
row gives it a new version (`course_views.ROW_VERSION`: PostgreSQL's xmin, SQLite's row_version), so a
course's JSON made once is kept under that version with everything else it depends on, and served again
only while all of it is the same: never stale, whatever writes what in between (the read cache,
read_cache.py, serves nothing once anything changes, so there the honest figure is without it).

The page is then read as its views' few columns and each course's version (`list_course_views`,
`versioned`); the courses not kept are read whole by id (`course_lists.course_rows`) and made as before.
On a 100-course page this left out reading, converting and rendering ~45 columns a course. A single-course
GET without include[] answers the same JSON (`course_json`), its course read with the caller as a few columns
and the version (`course_views.caller_and_course`, `versioned`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from typing import Any

import msgspec
from sqlalchemy.orm import Session

from courseport.core.views import course_lists
from courseport.core.views.course_view_extras import CourseView
from courseport.dialects.canvas.course_json import COURSE_FIELDS, render_listed_course
from courseport.dialects.canvas.protocol import encode_json

KEPT_LIMIT = 4096  # courses' JSON kept per process (~1.3 KB each), the oldest dropped first
# xmin is a 32-bit transaction id, which wraps around after ~4 billion transactions: everything kept is
# dropped this often, far sooner than a store can run that many, so no version id is ever met twice.
KEPT_SECONDS = 600.0
_KEPT: dict[Hashable, msgspec.Raw] = {}
_LOCK = threading.Lock()  # taken to add or drop: a lookup is one dict read
_kept_since = time.monotonic()


def listed_courses(db: Session | None, views: list[CourseView], origin: str) -> list[Any]:
    """render_listed_course of each view, as JSON kept (msgspec.Raw) or made; views of versioned rows
    (`row_version`) not kept are read whole first (through `db`, the read that made them), and one whose
    course is gone by then is left out."""
    made: list[Any] = []
    missing: list[CourseView] = []
    if time.monotonic() - _kept_since > KEPT_SECONDS:
        _drop_all()
    for view in views:
        if getattr(view.course, "row_version", None) is None:  # a whole row (--json-cache off): made as it is
            made.append(render_listed_course(view, origin))
            continue
        kept = _KEPT.get(_key(view, origin))
        made.append(kept if kept is not None else view)
        if kept is None:
            missing.append(view)
    if missing:
        assert db is not None, "versioned rows are read whole through the read that made them"
        rows = course_lists.course_rows(db, [v.course.id for v in missing], COURSE_FIELDS)
        made = [_made(item, rows.get(item.course.id), origin) if isinstance(item, CourseView) else item
                for item in made]
    return [item for item in made if item is not None]


def course_json(db: Session, view: CourseView, origin: str) -> Any | None:
    """One course's JSON as listed_courses makes it (a single-course GET without include[] answers the same),
    None where the course was gone when read whole."""
    made = listed_courses(db, [view], origin)
    return made[0] if made else None


def _made(view: CourseView, row: Any, origin: str) -> msgspec.Raw | None:
    """The view's JSON of its course's whole `row`, kept under its key; None where the course was gone."""
    if row is None:
        return None
    view.course = row
    made = msgspec.Raw(encode_json(render_listed_course(view, origin)))
    with _LOCK:
        while len(_KEPT) >= KEPT_LIMIT:
            del _KEPT[next(iter(_KEPT))]
        _KEPT[_key(view, origin)] = made
    return made


def _drop_all() -> None:
    global _kept_since
    with _LOCK:
        _KEPT.clear()
        _kept_since = time.monotonic()


def _key(view: CourseView, origin: str) -> Hashable:
    """Everything a listed course's JSON follows: the row (its id and version), the viewer's nickname and
    enrollments (member rows: plain values), what the viewer may see, and the URLs' origin."""
    course: Any = view.course
    return (course.id, course.row_version, origin, view.nickname, view.sees_sis, view.manages_sis,
            *view.enrollments)
