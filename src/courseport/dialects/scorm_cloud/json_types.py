"""JSON value types of SCORM Cloud request bodies, checked before core sees them: a value of the
wrong type is a 400 naming the field as the client sent it (never a 500 further in)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from courseport.core.kit.errors import InvalidInput

_NAMES = {str: "a string", bool: "true or false", int: "an integer", float: "a number", dict: "an object",
          list: "a list"}


def _is(value: Any, kind: type) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if kind in (int, float):
        return isinstance(value, int if kind is int else (int, float)) and not isinstance(value, bool)
    return isinstance(value, kind)


def check_types(body: dict[str, Any], spec: Mapping[str, type], prefix: str = "") -> dict[str, Any]:
    """`body` if each field in `spec` is absent, null or of its type; else InvalidInput naming it."""
    for name, kind in spec.items():
        value = body.get(name)
        if value is not None and not _is(value, kind):
            raise InvalidInput(prefix + name, f"{prefix}{name} must be {_NAMES[kind]}")
    return body


def string_list(value: Any, name: str) -> list[str] | None:
    """A list of strings (None when absent); a list holding anything else is refused."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(name, f"{name} must be a list of strings")
    return value


def object_at(body: dict[str, Any], name: str, prefix: str = "") -> dict[str, Any]:
    """The object at `name` ({} when absent or null)."""
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput(prefix + name, f"{prefix}{name} must be an object")
    return value


def listing_state(state: dict[str, Any]) -> dict[str, Any]:
    """A listing's `more` token state, if it has the shape the listings issue: `filters` of strings
    (`tags` a list of them) and a whole `offset`; a forged one is a 400, not a 500 further in."""
    filters, offset = state.get("filters"), state.get("offset")
    tags = filters.get("tags") or [] if isinstance(filters, dict) else None
    if not (isinstance(filters, dict) and isinstance(offset, int) and not isinstance(offset, bool) and offset >= 0
            and all(v is None or isinstance(v, str) for k, v in filters.items() if k != "tags")
            and isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        raise InvalidInput("more", "more is not a token this service issued")
    return state
