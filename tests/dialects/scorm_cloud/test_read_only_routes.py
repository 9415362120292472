"""Which SCORM Cloud GETs run on the event loop (READ_ONLY, dialects/read_only.py): every one that only reads.
A READ_ONLY handler that writes fails every call with a 500 (the write is refused on the loop), so a GET
whose code writes (the job status read counts polls: core/jobs/job_timing.status_read), or that streams a
blob, is declared with `get_writing` (the threadpool)."""

from __future__ import annotations

import inspect

from litestar.handlers import HTTPRouteHandler

from courseport.dialects.read_only import READ_ONLY
from courseport.dialects.scorm_cloud.routes import ROUTES


def _gets() -> list[HTTPRouteHandler]:
    return [h for h in ROUTES if isinstance(h, HTTPRouteHandler) and "GET" in h.http_methods]


def test_no_read_only_get_writes_or_streams():
    for handler in _gets():
        source = inspect.getsource(handler.fn)
        writes = "call.write(" in source or "write=True" in source or "call.remove(" in source
        streams = "Stream" in str(inspect.signature(handler.fn).return_annotation)
        assert not ((writes or streams) and handler.opt.get(READ_ONLY)), f"{handler.fn.__name__}: get_writing"


def test_the_reads_integrations_poll_run_on_the_loop_and_the_streams_do_not():
    by_name = {h.fn.__name__: bool(h.opt.get(READ_ONLY)) for h in _gets()}
    for name in ("get_registration_progress", "get_registrations", "get_course", "list_courses"):
        assert by_name.get(name) is True, name
    # the streams, and the import status read, which counts polls under a job-timing rule (a write:
    # tests/controls/test_job_timing.py)
    for name in ("get_course_zip", "get_version_zip", "get_course_asset", "get_course_version_asset", "get_import_job"):
        assert by_name.get(name) is False, name
