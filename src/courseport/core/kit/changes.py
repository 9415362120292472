"""Typed change objects: a dataclass whose fields default to UNSET, so `None` can mean "clear it".

A dialect builds a change object from the fields its caller sent, in core field names; core applies
only the fields that are set. UNSET is one member of its own enum (as httpx's UseClientDefault is its
own type), so a type checker tells "not given" from every real value, `None` included.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, get_args, get_origin, get_type_hints


class Unset(enum.Enum):
    UNSET = "UNSET"

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset.UNSET


def given(changes: Any) -> dict[str, Any]:
    """The fields of a change object that are set, in declaration order, by field name."""
    return {f.name: value for f in dataclasses.fields(changes)
            if (value := getattr(changes, f.name)) is not UNSET}


def kinds(changes_type: type) -> dict[str, type]:
    """Each field of a change-object class and its value type (its annotation without None and Unset):
    the table a dialect coerces wire values by."""
    return {name: _kind(hint) for name, hint in get_type_hints(changes_type).items()}


def _kind(hint: Any) -> type:
    kind: type = next(arg for arg in get_args(hint) if arg not in (type(None), Unset))
    return get_origin(kind) or kind
