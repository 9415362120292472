"""Canvas SIS Imports API routes: create an import from a CSV or zip (multipart `attachment`, or the raw body
with `extension` or its content type), list, show, the running ones, and abort (`core/courses/sis_imports.py`).

The caller is checked (a root account's admin) before any of the body is read; the upload is then
streamed into the blob store, never held whole, as large as `max_upload_bytes`.
"""

from __future__ import annotations

from typing import Any

import anyio
import litestar
from litestar import Request, Response

from courseport.blobs import BlobWriter, StoredBlob, TooLarge
from courseport.core.courses import sis_imports
from courseport.core.courses.sis_imports import ImportFilters, SisOptions
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.protocol import Call, bodyless_call, get, get_writing, put, to_bool, to_datetime
from courseport.dialects.canvas.sis_import_json import STATES_OF, render_sis_import
from courseport.dialects.multipart_upload import ReceivedUpload, receive_upload

BASE = "/accounts/{account_id:str}/sis_imports"
TOO_LARGE = "attachment is larger than {max_bytes} bytes"
EXTENSIONS = {"csv": "csv", "zip": "zip", "text/csv": "csv", "application/zip": "zip",
              "application/x-zip-compressed": "zip", "application/octet-stream": None}
_BOOLEANS = ("batch_mode", "multi_term_batch_mode", "skip_deletes", "override_sis_stickiness",
             "add_sis_stickiness", "clear_sis_stickiness", "diffing_remaster_data_set")


@litestar.post(BASE, status_code=200, request_max_body_size=None)
async def create_sis_import(request: Request, account_id: str) -> dict | Response:
    call = bodyless_call(request)
    await anyio.to_thread.run_sync(_check, call, account_id)
    writer = call.services.blobs.open_writer(call.services.settings.max_upload_bytes)
    if request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        upload = await receive_upload(request, writer, "attachment", TOO_LARGE)
    else:
        upload = await _receive_body(request, writer, call)
    if upload.stored is None or upload.stored.size == 0:
        raise InvalidInput("attachment", "attachment is required: send the CSV or zip file as the multipart "
                                         "part named attachment, or as the request body")
    body = await anyio.to_thread.run_sync(_queue, call, account_id, upload)
    call.services.jobs.notify()
    return body


def _check(call: Call, account_id: str) -> None:
    with call.read() as (db, me):
        sis_imports.check_import(db, me, account_id)


async def _receive_body(request: Request, writer: BlobWriter, call: Call) -> ReceivedUpload:
    """The raw body as the upload; its name from `extension` (or the content type), as Canvas takes it."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    extension = call.str("extension") or EXTENSIONS.get(ctype) or "csv"
    if extension not in ("csv", "zip"):
        raise InvalidInput("extension", "extension must be csv or zip")
    try:
        async for chunk in request.stream():
            await anyio.to_thread.run_sync(writer.write, chunk)
        stored: StoredBlob = await anyio.to_thread.run_sync(writer.finish)
    except TooLarge as exc:
        raise InvalidInput("attachment", TOO_LARGE.format(max_bytes=exc.max_bytes)) from None
    finally:
        writer.abort()
    return ReceivedUpload(stored=stored, filename=f"sis_import.{extension}", content_type=ctype or None)


def _options(params: dict[str, Any]) -> SisOptions:
    flags = {name: bool(to_bool(params.get(name), name, False)) for name in _BOOLEANS}
    threshold = params.get("change_threshold") or None
    if threshold is not None and not str(threshold).strip().isdigit():
        raise InvalidInput("change_threshold", "change_threshold must be a whole number (a percentage)")
    return SisOptions(import_type=str(params.get("import_type") or "instructure_csv"),
                      batch_mode_term_id=params.get("batch_mode_term_id") or None,
                      change_threshold=int(threshold) if threshold is not None else None,
                      diffing_data_set_identifier=params.get("diffing_data_set_identifier") or None,
                      diffing_drop_status=params.get("diffing_drop_status") or None,
                      diffing_user_remove_status=params.get("diffing_user_remove_status") or None, **flags)


def _queue(call: Call, account_id: str, upload: ReceivedUpload) -> dict | Response:
    params = {**upload.fields, **{k: v for k, v in call.params.items() if isinstance(v, str)}}
    options = _options(params)
    stored = upload.stored
    assert stored is not None  # create_sis_import refused an upload without one
    try:
        with call.write() as (db, me):
            job = sis_imports.queue_import(db, me, account_id, stored.sha256, upload.filename or "sis_import.csv",
                                           options)
            return render_sis_import(job)
    except sis_imports.OptionRefused as exc:  # Canvas's own bare shape for these
        return Response({"message": exc.message}, status_code=400)


def _filters(call: Call) -> ImportFilters:
    states = tuple(s for name in call.list("workflow_state[]") for s in STATES_OF.get(name, (name,)))
    return ImportFilters(created_since=to_datetime(call.raw("created_since"), "created_since"),
                         created_before=to_datetime(call.raw("created_before"), "created_before"), states=states)


@get(BASE)
def list_sis_imports(call: Call, account_id: str) -> Response:
    window, filters = call.window(), _filters(call)
    with call.read() as (db, me):
        page = sis_imports.list_imports(db, me, account_id, filters, window)
        wanted = set(call.list("workflow_state[]"))
        items = [render_sis_import(job) for job in page.items]
    shown = [i for i in items if not wanted or i["workflow_state"] in wanted]
    return Response({"sis_imports": shown}, headers=call.page_links(window, page))


@get(BASE + "/importing")
def running_sis_imports(call: Call, account_id: str) -> dict:
    with call.read() as (db, me):
        return {"sis_imports": [render_sis_import(job) for job in sis_imports.running_imports(db, me, account_id)]}


@get_writing(BASE + "/{sis_import_id:str}")  # a status read counts polls
def get_sis_import(call: Call, account_id: str, sis_import_id: str) -> dict:
    with call.read() as (db, me):
        return render_sis_import(sis_imports.get_import(db, me, account_id, sis_import_id))


@put(BASE + "/abort_all_pending")
def abort_all_pending(call: Call, account_id: str) -> dict:
    with call.write() as (db, me):
        sis_imports.abort_pending(db, me, account_id)
    return {"aborted": True}


@put(BASE + "/{sis_import_id:str}/abort")
def abort_sis_import(call: Call, account_id: str, sis_import_id: str) -> dict:
    with call.write() as (db, me):
        return render_sis_import(sis_imports.abort_import(db, me, account_id, sis_import_id))


ROUTES = [create_sis_import, list_sis_imports, running_sis_imports, get_sis_import, abort_all_pending,
          abort_sis_import]
