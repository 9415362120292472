"""Text longer than its column holds is refused before the store sees it, naming the field.

PostgreSQL refuses such text with an error the faces could only answer with a 500, and SQLite keeps it whole,
so without this the two stores would differ. `check_lengths` runs before every ORM flush (registered once, by
courseport/wiring.py) over the rows being added or changed; a rule that checks a field itself first keeps
its own message. Set-based writes (the copy engine's INSERT ... SELECT) copy rows that were checked when made.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, inspect
from sqlalchemy.orm import Session

from courseport.core.kit.errors import InvalidInput

_LIMITS: dict[type, tuple[tuple[str, int], ...]] = {}  # mapped class -> (attribute, length) of bounded text


def _limits(cls: type) -> tuple[tuple[str, int], ...]:
    found = _LIMITS.get(cls)
    if found is None:
        bounded: list[tuple[str, int]] = []
        attrs: Any = inspect(cls).column_attrs
        for attr in attrs:
            kind = attr.columns[0].type
            if isinstance(kind, String) and kind.length:
                bounded.append((attr.key, kind.length))
        found = _LIMITS[cls] = tuple(bounded)
    return found


def check_lengths(session: Session, _context: Any, _instances: Any) -> None:
    """before_flush: InvalidInput naming the first attribute whose text is longer than its column."""
    for obj in (*session.new, *session.dirty):
        values = obj.__dict__
        for key, length in _limits(type(obj)):
            value = values.get(key)
            if isinstance(value, str) and len(value) > length:
                raise InvalidInput(key, f"{key} may be at most {length} characters long")
