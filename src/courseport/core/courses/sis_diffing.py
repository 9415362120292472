"""Diffing of SIS imports (Canvas's diffing_data_set_identifier): an import of a data set applies only what
changed since the data set's last completed import.

Each completed import of a data set stores its files' rows (`SisDataSet`, per root account and identifier).
The next import of the set compares each of its files with the stored file of the same name and kind:
a row seen before unchanged is left out; a new or changed row is applied; a row whose key (the columns that
name its object, `KEYS`) is gone is applied with its status set to the drop status (`drop_status`:
diffing_drop_status for enrollments, diffing_user_remove_status for users, `deleted` for the other kinds that
have a status; logins have none, so a login that is gone stays). A file new to the set is applied whole.
`diffing_remaster_data_set` applies everything and makes this import the set's new base. With a change
threshold, a file whose row count differs from the stored one's by more than that percentage is applied
whole (`threshold_exceeded`), as Canvas does with file sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses.sis_rows import SisFile
from courseport.schema import SisDataSet

KEYS: dict[str, tuple[str, ...]] = {
    "account": ("account_id",), "term": ("term_id",), "user": ("user_id",), "login": ("user_id",),
    "course": ("course_id",), "section": ("section_id",), "xlist": ("xlist_course_id", "section_id"),
    "enrollment": ("course_id", "section_id", "user_id", "role", "role_id", "associated_user_id"),
    "admin": ("user_id", "account_id", "role", "role_id"), "group_category": ("group_category_id",),
    "group": ("group_id",), "group_membership": ("group_id", "user_id"),
    "user_observer": ("observer_id", "student_id")}
_NO_STATUS = ("login",)
ENROLLMENT_DROP_STATUSES = ("deleted", "completed", "inactive")
USER_REMOVE_STATUSES = ("deleted", "suspended")


@dataclass(frozen=True)
class DiffRules:
    drop_status: str = "deleted"  # enrollments that are gone
    user_remove_status: str = "deleted"  # users that are gone
    threshold: int | None = None  # a percentage of a file's rows


@dataclass(frozen=True)
class Diffed:
    files: list[SisFile]
    against: int | None  # the import diffed against; None: nothing was
    threshold_exceeded: bool = False


def previous(db: Session, root_id: int, identifier: str) -> SisDataSet | None:
    return db.get(SisDataSet, (root_id, identifier))


def diff(base: SisDataSet | None, files: list[SisFile], rules: DiffRules) -> Diffed:
    """The rows to apply: every file's, less what the data set's last import held unchanged."""
    if base is None:
        return Diffed(files, None)
    out, exceeded = [], False
    for file in files:
        before = base.files.get(file.name)
        if before is None or before.get("kind") != file.kind:
            out.append(file)
        elif _exceeds(len(before["rows"]), len(file.rows), rules.threshold):
            exceeded = True
            out.append(file)
        else:
            out.append(_changes(file, before["rows"], rules))
    return Diffed(out, base.import_id, exceeded)


def _exceeds(before: int, now: int, threshold: int | None) -> bool:
    if threshold is None:
        return False
    if before == 0:
        return now > 0
    return abs(1 - now / before) * 100 > threshold


def _key(kind: str, row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row.get(column, "") for column in KEYS[kind])


def _changes(file: SisFile, before: list[dict[str, str]], rules: DiffRules) -> SisFile:
    seen = {tuple(sorted(row.items())) for row in before}
    rows = [(n, row) for n, row in file.rows if tuple(sorted(row.items())) not in seen]
    if file.kind not in _NO_STATUS:
        now = {_key(file.kind, row) for _, row in file.rows}
        status = _drop_status(file.kind, rules)
        last = max((n for n, _ in file.rows), default=1)
        gone = [row for row in before if _key(file.kind, row) not in now]
        rows += [(last + i, {**row, "status": status}) for i, row in enumerate(gone, start=1)]
    return SisFile(file.name, file.kind, rows)


def _drop_status(kind: str, rules: DiffRules) -> str:
    if kind == "enrollment":
        return rules.drop_status
    if kind == "user":
        return rules.user_remove_status
    return "deleted"


def remember(db: Session, root_id: int, identifier: str, import_id: int, files: list[SisFile]) -> None:
    """This import's files become the data set's base for its next import."""
    stored = {f.name: {"kind": f.kind, "rows": [row for _, row in f.rows]} for f in files}
    base = db.scalar(select(SisDataSet).where(SisDataSet.root_account_id == root_id,
                                              SisDataSet.identifier == identifier).with_for_update())
    if base is None:
        db.add(SisDataSet(root_account_id=root_id, identifier=identifier, import_id=import_id, files=stored))
    else:
        base.import_id, base.files = import_id, stored
    db.flush()

