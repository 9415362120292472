"""Nested request parameters as Rails-style APIs send them: `course[name]`, `include[]`, `a[b][]`.

Query string, form bodies (DELETE included) and JSON bodies all become one nested dict.
"""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import parse_qsl

import python_multipart



def nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        base, _, rest = key.partition("[")
        parts = [base] + (_bracketed("[" + rest) if rest else [])
        _insert(out, parts, value)
    return out


def _bracketed(key: str) -> list[str]:
    """The contents of each `[...]` in `key`, left to right, in one scan (a regex over `[[[[...` is quadratic)."""
    parts, at = [], 0
    while (opened := key.find("[", at)) >= 0 and (closed := key.find("]", opened + 1)) >= 0:
        parts.append(key[opened + 1:closed])
        at = closed + 1
    return parts


def _insert(node: dict[str, Any], parts: list[str], value: Any) -> None:
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        nxt = None if last else parts[i + 1]
        if last:
            if part == "":
                return
            node[part] = value
            return
        if nxt == "" and i + 1 < len(parts) - 1:  # a[][k] -> list of hashes, a new one when k repeats (Rails)
            items = node.get(part)
            if not isinstance(items, list):
                items = []
                node[part] = items
            rest = parts[i + 2:]
            if not items or not isinstance(items[-1], dict) or _has_path(items[-1], rest):
                items.append({})
            _insert(items[-1], rest, value)
            return
        if nxt == "" and i + 1 == len(parts) - 1:  # a[] -> list
            existing = node.get(part)
            if not isinstance(existing, list):
                existing = [] if existing is None else [existing]
                node[part] = existing
            existing.append(value)
            return
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child


def _has_path(node: dict[str, Any], keys: list[str]) -> bool:
    if "" in keys:  # a nested list keeps growing in the same hash, as in Rails
        return False
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    ctype = content_type.split(";")[0].strip().lower()
    if not body:
        return {}
    if ctype == "application/json":
        data = json.loads(body)
        return data if isinstance(data, dict) else {}
    if ctype in ("application/x-www-form-urlencoded", ""):
        return nest(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    if ctype == "multipart/form-data":
        return nest(multipart_fields(content_type, body))
    return {}


def multipart_fields(content_type: str, body: bytes) -> list[tuple[str, str]]:
    """The text fields of a multipart form (`curl -F name=value`); file parts are not parameters."""
    fields: list[tuple[str, str]] = []

    def on_field(field: python_multipart.multipart.Field) -> None:
        fields.append((field.field_name.decode("utf-8", "replace"), (field.value or b"").decode("utf-8", "replace")))

    python_multipart.parse_form({"Content-Type": content_type.encode("latin-1")}, io.BytesIO(body), on_field,
                                lambda _file: None)
    return fields


def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out
