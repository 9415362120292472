"""What the request log shows of a request and its answer: header, parameter and JSON or form field values
whose names say they are secret (authorization, cookies, tokens, passwords, secrets, keys, signatures)
masked; a text body that cannot be parsed shown only if it names none of those words; a body cut to
BODY_LIMIT characters. The request log's writer (request_store) runs these off the request's path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

BODY_LIMIT = 4096  # characters of a masked body kept
MASK = "***"
_SECRET_WORDS = ("authorization", "cookie", "token", "password", "passwd", "secret", "apikey", "api_key",
                 "api-key", "private_key", "credential", "signature", "assertion")
_SECRET_NAMES = {"code", "x_b", "x_d", "sig", "key", "secretkey"}
_SECRET_WORD = re.compile("|".join(map(re.escape, _SECRET_WORDS)))
_MEMO_SIZE = 1024  # entries of each memo of names below: past that, names are worked out every time


def is_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in _SECRET_NAMES or _SECRET_WORD.search(lowered) is not None


_HEADER_NAMES: dict[bytes, tuple[str, bool]] = {}  # a raw header name: the name shown, and whether it is secret


def _header_name(raw_name: bytes) -> tuple[str, bool]:
    name = raw_name.decode("latin-1").lower()
    known = (name, is_secret(name))
    if len(_HEADER_NAMES) < _MEMO_SIZE:
        _HEADER_NAMES[raw_name] = known
    return known


def mask_headers(headers: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for raw_name, raw_value in headers:
        name, secret = _HEADER_NAMES.get(raw_name) or _header_name(raw_name)
        value = raw_value.decode("latin-1")
        if secret:
            scheme, _, rest = value.partition(" ")
            value = f"{scheme} {MASK}" if rest and name == "authorization" else MASK
        shown[name] = value if name not in shown else f"{shown[name]}, {value}"
    return shown


def mask_query(query: str) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, MASK if is_secret(k) else v) for k, v in pairs])


def _mask_json(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: MASK if is_secret(str(k)) else _mask_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_mask_json(v) for v in node]
    return node


def mask_body(content_type: str, body: bytes | bytearray, size: int) -> str | None:
    """The body as the log shows it: masked, cut to BODY_LIMIT; a summary where it cannot be shown."""
    if size == 0:
        return None
    ctype = _MEDIA_TYPES.get(content_type) or _media_type(content_type)
    if size > len(body):
        return f"({size} bytes of {ctype or 'unknown type'}, not kept)"
    text = body.decode("utf-8", "replace")
    textual = ctype.endswith(("json", "xml", "x-www-form-urlencoded")) or ctype.startswith("text/")
    if textual and _names_none(body, text):  # a secret's name precedes its value: what is kept (the first
        return _cut(text, size)  # BODY_LIMIT characters) names none, so holds none
    if ctype.endswith("json"):
        try:
            text = json.dumps(_mask_json(json.loads(text)), separators=(",", ":"))
        except ValueError:
            text = _plain(text, ctype, size)
    elif ctype == "application/x-www-form-urlencoded":
        text = mask_query(text)
    elif ctype.startswith("text/") or ctype.endswith("xml"):
        text = _plain(text, ctype, size)
    else:
        return f"({size} bytes of {ctype or 'unknown type'})"
    return _cut(text, size)


_MEDIA_TYPES: dict[str, str] = {}  # a Content-Type header's value: its media type, lower case ("" is falsy: not kept)


def _media_type(content_type: str) -> str:
    ctype = content_type.split(";")[0].strip().lower()
    if len(_MEDIA_TYPES) < _MEMO_SIZE:
        _MEDIA_TYPES[content_type] = ctype
    return ctype


def _cut(text: str, size: int) -> str:
    return text if len(text) <= BODY_LIMIT else text[:BODY_LIMIT] + f"... ({size} bytes)"


def _gated_needles() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What a text naming a secret contains: each of the words, `"name"` and `name=` for each name. A needle
    holding another is left out (the other finds it); needles sharing a part rare in JSON are looked for only
    where the part is (one scan of a text that has none), each part with the needles holding it (none: it is
    one). Not "sig": Canvas JSON is full of "assignment"."""
    needles = [*_SECRET_WORDS, *(form for name in sorted(_SECRET_NAMES) for form in (f'"{name}"', f"{name}="))]
    needles = [n for n in needles if not any(other != n and other in n for other in needles)]
    gated: dict[str, list[str]] = {}
    for needle in needles:
        part = next((p for p in ("key", "passw", "x_") if p in needle and p != needle), needle)
        gated.setdefault(part, []).extend([needle] if part != needle else [])
    return tuple((part, tuple(held)) for part, held in gated.items())


_NEEDLES = _gated_needles()


# Bodies found to name no secret, the last CLEAN_LIMIT of at most CLEAN_SIZE bytes: an answer sent again (a
# course read over and over) is not scanned again (~9 µs for a course's 1.3 KB). They hold nothing the log
# does not show as it is.
CLEAN_LIMIT, CLEAN_SIZE = 256, 8192
_CLEAN: dict[bytes, None] = {}


def _names_none(body: bytes | bytearray, text: str) -> bool:
    """Whether `text` (the decoded `body`) names no secret in the part the log keeps."""
    key = bytes(body) if isinstance(body, bytearray) else body  # a body of several chunks comes as a bytearray
    if key in _CLEAN:
        return True
    if _names_a_secret(text[:BODY_LIMIT]):
        return False
    if len(key) <= CLEAN_SIZE:
        while len(_CLEAN) >= CLEAN_LIMIT:
            _CLEAN.pop(next(iter(_CLEAN)), None)
        _CLEAN[key] = None
    return True


def _names_a_secret(text: str) -> bool:
    lowered = text.lower()
    for part, held in _NEEDLES:
        if part in lowered and (not held or any(needle in lowered for needle in held)):
            return True
    return False


def _plain(text: str, ctype: str, size: int) -> str:
    if _names_a_secret(text):
        return f"({size} bytes of {ctype}, not shown: it may hold a secret)"
    return text
