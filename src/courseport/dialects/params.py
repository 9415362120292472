"""Request input, once for every face: the shape rules all input must pass, and Rails-style nested
parameters (`course[name]`, `include[]`, `a[b][]`) from query strings, form bodies and JSON bodies.

The shape rules (each refusal an `InvalidInput` naming the field as the face spells it):
- nesting at most MAX_DEPTH levels (JSON bodies and bracketed parameter names alike);
- integers within what the store's integer columns hold (32-bit signed: path ids, integer parameters,
  typed integer fields), and no JSON number past 64 bits anywhere;
- text without NUL characters (PostgreSQL cannot store them) or lone surrogates (not Unicode text);
- JSON numbers finite (no NaN, Infinity, or 1e400).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Mapping
from typing import Any, cast
from urllib.parse import parse_qsl

import python_multipart

from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.ids import INT64_MAX, INT64_MIN, INT_MAX, INT_MIN

MAX_DEPTH = 32  # Rack's own limit for nested parameters
# A field's path in a body (keys and list positions) -> its name as the face spells it.
Namer = Callable[[list[str | int]], str]


def bracketed(path: list[str | int]) -> str:
    """Rails/Canvas spelling: course[name], a[0][b]."""
    head, *rest = path or ["body"]
    return str(head) + "".join(f"[{p}]" for p in rest)


def dotted(path: list[str | int]) -> str:
    """JSON-path spelling of Learn, D2L and SCORM Cloud: availability.duration.type, tags[0]."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "body"


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def check_text(value: str, name: str) -> str:
    if "\x00" in value:
        raise InvalidInput(name, f"{name} must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(name, f"{name} must be Unicode text (it contains a lone surrogate)") from None
    return value


def check_int(value: int, name: str, low: int = INT_MIN, high: int = INT_MAX) -> int:
    """An integer parameter or field within what an integer column holds (core/kit/ids.py)."""
    if not low <= value <= high:
        raise InvalidInput(name, f"{name} must be an integer between {low} and {high}")
    return value


def parse_int(text: str, name: str) -> int:
    """A decimal integer parameter in the store's range; ValueError when it is not a number at all."""
    return check_int(int(text.strip()), name)


def check_value(data: Any, name: Namer) -> Any:
    """Every shape rule over a decoded JSON value, without recursion."""
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        node, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise InvalidInput(name(path[:MAX_DEPTH]), f"{name(path[:MAX_DEPTH])} is nested more than "
                                                       f"{MAX_DEPTH} levels deep")
        if isinstance(node, str):
            check_text(node, name(path))
        elif isinstance(node, bool):
            continue
        elif isinstance(node, int):
            check_int(node, name(path), INT64_MIN, INT64_MAX)
        elif isinstance(node, float) and not math.isfinite(node):
            raise InvalidInput(name(path), f"{name(path)} must be a finite number")
        elif isinstance(node, dict):
            for key, value in node.items():
                check_text(key, name([*path, key]))
                stack.append((value, [*path, key]))
        elif isinstance(node, list):
            stack.extend((value, [*path, i]) for i, value in enumerate(node))
    return data


def _no_constants(word: str) -> float:
    raise ValueError(f"{word} is not JSON")


def decode_json(body: bytes, name: Namer = dotted) -> Any:
    """A JSON body that passed every shape rule; InvalidInput("body") when it is not JSON at all."""
    try:
        data = json.loads(body, parse_constant=_no_constants)
    except RecursionError:
        raise InvalidInput("body", f"the request body is nested more than {MAX_DEPTH} levels deep") from None
    except ValueError:  # UnicodeDecodeError included
        raise InvalidInput("body", "the request body is not valid JSON") from None
    return check_value(data, name)


def checked_pairs(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Query or form parameters that passed the text rules and the nesting limit of their names."""
    for key, value in pairs:
        check_text(key, key[:100])
        if key.count("[") > MAX_DEPTH:
            raise InvalidInput(key[:100], f"{key[:100]} is nested more than {MAX_DEPTH} levels deep")
        check_text(value, key[:100])
    return pairs


def query_pairs(scope: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The query string's parameters in sent order, checked."""
    text = scope.get("query_string", b"").decode("latin-1")
    return checked_pairs(parse_qsl(text, keep_blank_values=True)) if text else []


def form_pairs(body: bytes) -> list[tuple[str, str]]:
    return checked_pairs(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def true_or_false(value: str, name: str) -> bool:
    """A query parameter's "true" or "false" (any case); InvalidInput naming it otherwise."""
    if value.lower() not in ("true", "false"):
        raise InvalidInput(name, f"{name} must be true or false, got {value!r}")
    return value.lower() == "true"


def form_or_json(raw: bytes, content_type: str) -> Any:
    """A request body: its form parameters (a dict) when sent as a form, else its JSON; None when empty."""
    if raw and content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        return dict(form_pairs(raw))
    return decode_json(raw) if raw else None


def check_path_params(values: dict[str, Any], rename: Callable[[str], str]) -> None:
    """Path parameters: integers in range, text without NUL (Litestar has already matched the route)."""
    for key, value in values.items():
        if isinstance(value, int) and not isinstance(value, bool):
            check_int(value, rename(key))
        elif isinstance(value, str):
            check_text(value, rename(key))


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
        data = decode_json(body, bracketed)
        return data if isinstance(data, dict) else {}
    if ctype in ("application/x-www-form-urlencoded", ""):
        return nest(form_pairs(body))
    if ctype == "multipart/form-data":
        return nest(checked_pairs(multipart_fields(content_type, body)))
    return {}


def multipart_fields(content_type: str, body: bytes) -> list[tuple[str, str]]:
    """The text fields of a multipart form (`curl -F name=value`); file parts are not parameters."""
    fields: list[tuple[str, str]] = []

    def on_field(field: python_multipart.multipart.Field) -> None:
        name = cast(bytes, field.field_name)  # the parser refuses a part without a name (RFC 7578 4.2)
        fields.append((name.decode("utf-8", "replace"), (field.value or b"").decode("utf-8", "replace")))

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
