"""SIS stickiness: a field changed by a write that is not an SIS import (the API, any face) becomes
"sticky", and later SIS imports leave it alone unless they override stickiness, as Canvas does.

The core write paths (courses.update_course, sections.update_section, account_users.update_user,
terms.update_term, sub_accounts.update_account) take a snapshot of the record's sticky fields before they
change it (`watch`) and hand it to `note` after: each field whose value changed is marked sticky. An SIS
import marks its session (`sis_writes`) so its own writes mark nothing, or, asked to, add stickiness
to what it changed (add_sis_stickiness) or clear it (clear_sis_stickiness, which wins), and asks
`held` which fields of a record it must leave alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from courseport.schema import SisStickyField

# The fields Canvas keeps sticky per kind of record, in core's names (those this schema has).
FIELDS: dict[str, tuple[str, ...]] = {
    "course": ("name", "course_code", "start_at", "end_at", "enrollment_term_id", "account_id"),
    "section": ("name", "start_at", "end_at"),
    "user": ("name", "sortable_name", "short_name"),
    "term": ("name", "start_at", "end_at"),
    "account": ("name",),
}
_MODE = "sis_stickiness"  # the session's info key: absent for API writes
NONE, OVERRIDE, ADD, CLEAR = "none", "override", "add", "clear"


def sis_writes(db: Session, mode: str) -> None:
    """From now on this session writes as an SIS import: it respects stickiness and marks none (NONE),
    overrides it (OVERRIDE), overrides it and marks what it changed (ADD), or overrides it and clears it
    from the records it writes (CLEAR)."""
    db.info[_MODE] = mode


def watch(kind: str, record: Any) -> dict[str, Any]:
    """The record's sticky fields as they are before a write."""
    return {name: getattr(record, name) for name in FIELDS[kind]}


def note(db: Session, kind: str, record: Any, before: dict[str, Any]) -> None:
    """After a write: the fields it changed become sticky (an API write, or an import that adds stickiness);
    an import that clears stickiness clears it from every field of the record it wrote."""
    mode = db.info.get(_MODE)
    if mode == CLEAR:
        clear(db, kind, record.id)
    elif mode in (None, ADD):
        mark(db, kind, record.id, [name for name, value in before.items() if getattr(record, name) != value])


def mark(db: Session, kind: str, record_id: int, fields: Iterable[str]) -> None:
    have = stuck(db, kind, record_id)
    for name in sorted(set(fields) - have):
        db.add(SisStickyField(record_type=kind, record_id=record_id, field=name))
    db.flush()


def clear(db: Session, kind: str, record_id: int, fields: Iterable[str] | None = None) -> None:
    """Unstick the record's fields (all of them when none are named)."""
    stmt = delete(SisStickyField).where(SisStickyField.record_type == kind, SisStickyField.record_id == record_id)
    if fields is not None:
        stmt = stmt.where(SisStickyField.field.in_(list(fields)))
    db.execute(stmt)


def stuck(db: Session, kind: str, record_id: int) -> set[str]:
    return set(db.scalars(select(SisStickyField.field).where(SisStickyField.record_type == kind,
                                                             SisStickyField.record_id == record_id)))


def held(db: Session, kind: str, record_id: int) -> set[str]:
    """The fields an SIS import must leave alone: the sticky ones, none when it overrides stickiness."""
    if db.info.get(_MODE) in (OVERRIDE, ADD, CLEAR):
        return set()
    return stuck(db, kind, record_id)
