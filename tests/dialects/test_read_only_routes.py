"""Which GETs of each face run on the event loop (READ_ONLY, dialects/read_only.py): every one that only reads.
A READ_ONLY handler that writes fails every call with a 500 (the write is refused on the loop), so a GET whose
code writes, reads a job's status (core/jobs/job_timing.status_read counts polls under a job-timing rule: a
write) or streams a blob is declared with `get_writing` (the threadpool). Read from the source: a handler
calling a core function that reads a status with counting is found by that function's name."""

from __future__ import annotations

import ast
import inspect
import re
from functools import cache
from pathlib import Path

import pytest
from litestar.handlers import HTTPRouteHandler

from courseport.dialects.blackboard.routes import ROUTES as BLACKBOARD
from courseport.dialects.canvas.routes import ROUTES as CANVAS
from courseport.dialects.d2l.routes import ROUTES as D2L
from courseport.dialects.read_only import READ_ONLY
from courseport.dialects.scorm_cloud.routes import ROUTES as SCORM_CLOUD
from courseport.dialects.xapi.routes import ROUTES as XAPI

CORE = Path(__file__).resolve().parents[2] / "src" / "courseport" / "core"
FACES = {"canvas": CANVAS, "d2l": D2L, "scorm_cloud": SCORM_CLOUD, "blackboard": BLACKBOARD, "xapi": XAPI}


def _gets(face: str) -> list[HTTPRouteHandler]:
    return [h for h in FACES[face] if isinstance(h, HTTPRouteHandler) and "GET" in h.http_methods]


def _counts_a_poll(call: ast.AST) -> bool:
    """A call of status_read that counts (anything but `count=False`)."""
    return (isinstance(call, ast.Call) and getattr(call.func, "attr", getattr(call.func, "id", None)) == "status_read"
            and not any(k.arg == "count" and getattr(k.value, "value", True) is False for k in call.keywords))


@cache
def _status_readers() -> dict[str, bool]:
    """Core functions that count a poll (call status_read without `count=False`), each with whether it does so
    only when its caller passes `poll=True`."""
    found = {}
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name != "status_read" and any(
                    _counts_a_poll(call) for call in ast.walk(node)):
                found[node.name] = any(arg.arg == "poll" for arg in node.args.kwonlyargs)
    return found


def _reads_a_status(source: str) -> bool:
    return "status_read(" in source or any(
        re.search(rf"\b{name}\([^)]*poll=True" if gated else rf"\b{name}\(", source)
        for name, gated in _status_readers().items())


def test_the_status_readers_are_found():
    assert {"copy_job", "import_job", "import_status", "copy_task", "get_copy"} <= set(_status_readers())
    assert "list_copies" not in _status_readers()  # it reads statuses without counting
    assert _status_readers()["get_copy"] is True  # only with poll=True
    assert _reads_a_status("content_migrations.get_copy(db, me, course_id, copy_id,\n    poll=True)")
    assert not _reads_a_status("content_migrations.get_copy(db, me, course_id, copy_id)")


@pytest.mark.parametrize("face", FACES)
def test_no_read_only_get_writes_reads_a_status_or_streams(face):
    for handler in _gets(face):
        source = inspect.getsource(handler.fn)
        writes = any(w in source for w in ("call.write(", "write=True", "call.remove(", "Stream("))
        status = _reads_a_status(source)
        streams = "Stream" in str(inspect.signature(handler.fn).return_annotation)
        assert not ((writes or status or streams) and handler.opt.get(READ_ONLY)), f"{handler.fn.__name__}: get_writing"


@pytest.mark.parametrize(("face", "on_loop", "in_threadpool", "at_least"), [
    ("canvas", ("get_course", "list_your_courses", "list_course_enrollments", "list_course_users", "get_user",
                "list_sections", "list_terms"),
     ("list_course_folders", "show_template", "get_student_view_student", "download_file", "get_progress",
      "copy_status"), 80),  # of ~100
    ("scorm_cloud", ("get_registration_progress", "get_registrations", "get_course", "list_courses"),
     ("get_course_zip", "get_version_zip", "get_course_asset", "get_course_version_asset", "get_import_job"), 20),
    ("d2l", ("get_offering", "whoami", "get_user", "find_users", "product_versions", "list_children"),
     ("get_copy_job", "get_import_job", "sign_in_page"), 25),  # of ~35
    ("blackboard", ("list_courses", "get_course", "list_users", "get_user", "list_course_members", "list_terms",
                    "get_version"), ("get_task",), 11),  # all but get_task
    ("xapi", ("get_statements", "get_state", "about", "get_activity", "get_person"), (), 7),
])
def test_the_reads_clients_make_most_run_on_the_loop_and_the_writing_ones_do_not(face, on_loop, in_threadpool,
                                                                                  at_least):
    by_name = {h.fn.__name__: bool(h.opt.get(READ_ONLY)) for h in _gets(face)}
    for name in on_loop:
        assert by_name.get(name) is True, name
    for name in in_threadpool:
        assert by_name.get(name) is False, name
    assert sum(by_name.values()) >= at_least
