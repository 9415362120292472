"""Which Canvas GETs run on the event loop (READ_ONLY, dialects/read_only.py): every one that only reads.
A READ_ONLY handler that writes fails every call with a 500 (the write is refused on the loop), so a GET
whose code opens a write transaction must be declared with `get_writing` (the threadpool)."""

from __future__ import annotations

import inspect

from litestar.handlers import HTTPRouteHandler

from courseport.dialects.canvas.routes import ROUTES
from courseport.dialects.read_only import READ_ONLY


def _gets() -> list[HTTPRouteHandler]:
    return [h for h in ROUTES if isinstance(h, HTTPRouteHandler) and "GET" in h.http_methods]


def test_no_read_only_get_opens_a_write_transaction_or_streams():
    for handler in _gets():
        source = inspect.getsource(handler.fn)
        writes = "call.write(" in source or "write=True" in source or "Stream(" in source
        assert not (writes and handler.opt.get(READ_ONLY)), f"{handler.fn.__name__} writes: declare it get_writing"


def test_the_reads_clients_make_most_run_on_the_loop_and_the_writing_ones_do_not():
    by_name = {h.fn.__name__: bool(h.opt.get(READ_ONLY)) for h in _gets()}
    for name in ("get_course", "list_your_courses", "list_course_enrollments", "list_course_users", "get_user",
                 "list_sections", "list_terms"):
        assert by_name.get(name) is True, name
    for name in ("list_course_folders", "show_template", "get_student_view_student", "download_file", "get_progress",
                 "copy_status"):
        assert by_name.get(name) is False, name
    assert sum(by_name.values()) > 80  # of ~100 Canvas GETs
