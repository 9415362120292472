"""SIS import files as rows: each CSV's kind known from its header row (as Canvas tells them apart), its
rows as dicts of trimmed strings, and the value rules every kind shares (statuses, dates).

A file whose kind cannot be told (no known header, not text, not CSV) is refused whole with `SisFileRefused`
before any of its rows is applied; a row that breaks a rule raises `RowProblem` naming its column, which
the import reports as a warning for that row and goes on.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

from courseport.core.kit.errors import DomainError

# Kind -> the columns a header must hold to be that kind (the identifying ones first), in the order
# kinds are applied: what a row refers to is applied before it, whatever the files' order.
KINDS: dict[str, tuple[str, ...]] = {
    "account": ("account_id", "parent_account_id", "name", "status"),
    "term": ("term_id", "name", "status"),
    "user": ("user_id", "login_id", "status"),
    "login": ("user_id", "login_id"),  # and an existing_ column naming the user it is added to
    "course": ("course_id", "short_name", "long_name", "status"),
    "section": ("section_id", "course_id", "name", "status"),
    "xlist": ("xlist_course_id", "section_id", "status"),
    "enrollment": ("user_id", "role", "status"),
    "admin": ("user_id", "account_id", "status"),  # and role or role_id
    "group_category": ("group_category_id", "category_name", "status"),
    "group": ("group_id", "name", "status"),
    "group_membership": ("group_id", "user_id", "status"),
    "user_observer": ("observer_id", "student_id", "status"),
}
_EXISTING = {"existing_user_id", "existing_integration_id", "existing_canvas_user_id"}
ORDER = tuple(KINDS)
COUNT_NAMES = {"account": "accounts", "term": "terms", "user": "users", "course": "courses",
               "section": "sections", "xlist": "xlists", "enrollment": "enrollments",
               "group_category": "group_categories", "group": "groups", "group_membership": "group_memberships",
               "login": "logins", "admin": "admins", "user_observer": "user_observers"}
MAX_FILE_BYTES = 64 * 1024 * 1024  # one CSV, unpacked


class SisFileRefused(DomainError):
    """A file the import cannot take at all; `file` names it."""

    def __init__(self, file: str, message: str):
        super().__init__(message)
        self.file = file


class RowProblem(DomainError):
    """One row breaks a rule; `column` names the column."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


class RowError(RowProblem):
    """A row the import cannot apply at all (an error of the import, not a warning); the other rows go on."""


@dataclass(frozen=True)
class SisFile:
    name: str
    kind: str
    rows: list[tuple[int, dict[str, str]]]  # (line number, column -> trimmed value, "" when blank or missing)


def kind_of(header: list[str]) -> str | None:
    """The kind a header row names: the first whose columns it holds all of (enrollments name a course
    or a section besides)."""
    columns = set(header)
    for kind, needed in KINDS.items():
        if set(needed) <= columns and _also(kind, columns):
            return kind
    return None


def _also(kind: str, columns: set[str]) -> bool:
    """What a kind's header holds besides its columns (or never holds), telling it from the kinds like it."""
    if kind == "user":  # an enrollments file names a user_id and a login too, never a role for users; a
        return "role" not in columns and not columns & _EXISTING  # logins file names the user it adds to
    if kind == "login":
        return bool(columns & _EXISTING)
    if kind == "enrollment":
        return bool(columns & {"course_id", "section_id"})
    if kind == "admin":
        return bool(columns & {"role", "role_id"})
    return True


def parse_file(name: str, data: bytes) -> SisFile:
    """A CSV file's kind and rows; SisFileRefused if it is not a CSV this import knows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SisFileRefused(name, f"{name} is not a UTF-8 CSV file") from None
    if "\x00" in text:
        raise SisFileRefused(name, f"{name} is not a CSV file")
    try:
        table = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise SisFileRefused(name, f"{name} is not a valid CSV file ({exc})") from None
    if not table:
        raise SisFileRefused(name, f"{name} is empty: a CSV file starts with its header row")
    header = [column.strip().lower() for column in table[0]]
    kind = kind_of(header)
    if kind is None:
        raise SisFileRefused(name, f"Couldn't find Canvas CSV import headers in {name}")
    rows = [(number, {column: (line[n].strip() if n < len(line) else "") for n, column in enumerate(header) if column})
            for number, line in enumerate(table[1:], start=2) if any(cell.strip() for cell in line)]
    return SisFile(name, kind, rows)


def required(row: dict[str, str], column: str, what: str) -> str:
    value = row.get(column, "")
    if not value:
        raise RowProblem(column, f"No {column} given for {what}")
    return value


def status(row: dict[str, str], allowed: tuple[str, ...], what: str) -> str:
    value = row.get("status", "").lower()
    if value not in allowed:
        shown = row.get("status", "")
        raise RowProblem("status", f"Improper status \"{shown}\" for {what}; "
                                   f"status must be one of {', '.join(allowed)}")
    return value


def date(row: dict[str, str], column: str, what: str) -> datetime | None:
    """An ISO 8601 date or time (UTC when it names no zone); blank is none."""
    value = row.get(column, "")
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RowProblem(column, f"Bad date format \"{value}\" in {column} for {what}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
