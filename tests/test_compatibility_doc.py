"""docs/compatibility.md names the handler serving each endpoint; this keeps those names true.

Every `file.py:function` the document names must be a route handler of the built app, and a table row
that lists one endpoint and one handler must route (method and path, matched by shape) to that handler.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from courseport.app import create_app

DOC = Path(__file__).resolve().parent.parent / "docs" / "compatibility.md"
HANDLER = re.compile(r"`([\w/]+)\.py:(\w+)`")
ENDPOINT = re.compile(r"`([A-Z]+) (/[^`]*)`")
PARAM = re.compile(r":\w+|\{\w+\}|\(\w+\)|\*\w+")


def _unwrap(obj):
    """The plain function behind a route handler, Litestar's sync wrapper or a decorator."""
    for _ in range(8):
        inner = getattr(obj, "fn", None) or getattr(obj, "func", None) or getattr(obj, "__wrapped__", None)
        if inner is None:
            return obj
        obj = getattr(inner, "value", inner)
    return obj


def _resolve(file: str, name: str):
    module = importlib.import_module("courseport." + file.replace("/", "."))
    assert hasattr(module, name), f"{file}.py has no {name}"
    return _unwrap(getattr(module, name))


@pytest.fixture(scope="module")
def routes(services):
    """(method, path segments, handler function) for every route of the app."""
    app = create_app(services.settings, services)
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in handler.http_methods:
                found.append((method, [s for s in route.path.split("/") if s], _unwrap(handler)))
    return found


def _route(routes, method: str, path: str):
    """The handler a request would reach: literal segments beat parameters, as in Litestar's router."""
    want = [s for s in path.split("/") if s]
    best = None
    for m, segments, fn in routes:
        if m != method or len(segments) != len(want):
            continue
        score = 0
        for doc_seg, seg in zip(want, segments, strict=True):
            if seg.startswith("{"):
                continue
            if seg != doc_seg:
                break
            score += 1
        else:
            if best is None or score > best[0]:
                best = (score, fn)
    return best and best[1]


def _rows():
    """(line number, path prefix, endpoint cell, handler cell) of each table row."""
    prefix = ""
    for number, line in enumerate(DOC.read_text().splitlines(), 1):
        if line.startswith("#"):
            under = re.search(r"under `(/[^`]+)`", line)
            prefix = under.group(1) if under else ""
        if not line.startswith("| ") or line.startswith("| ---"):
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        handler_at = next((i for i, c in enumerate(cells) if HANDLER.search(c) or c == "—"), None)
        if handler_at is not None:
            yield number, prefix, cells[handler_at - 1], cells[handler_at]


def test_every_named_handler_is_a_registered_route_handler(routes):
    served = {fn for _, _, fn in routes}
    names = HANDLER.findall(DOC.read_text())
    assert len(names) > 150
    for file, name in names:
        assert _resolve(file, name) in served, f"{file}.py:{name} serves no route"


def test_every_table_row_names_its_handler():
    lines = [*DOC.read_text().splitlines(), ""]
    body_rows = [n for n, line in enumerate(lines[:-1], 1)
                 if line.startswith("| ") and not line.startswith("| ---") and not lines[n].startswith("| ---")]
    named = {number for number, *_ in _rows()}
    assert body_rows and set(body_rows) == named, f"rows without a handler (or `—`): {sorted(set(body_rows) - named)}"


def test_single_endpoint_rows_route_to_their_handler(routes):
    checked = 0
    for number, prefix, endpoints, handlers in _rows():
        endpoint, names = ENDPOINT.fullmatch(endpoints), HANDLER.findall(handlers)
        if endpoint is None or len(names) != 1:
            continue
        method, path = endpoint.groups()
        path = PARAM.sub("x", prefix + path)
        fn = _route(routes, method, path)
        assert fn is not None, f"line {number}: no route serves {method} {path}"
        assert fn is _resolve(*names[0]), f"line {number}: {method} {path} is served by {fn.__module__}:{fn.__name__}"
        checked += 1
    assert checked > 80
