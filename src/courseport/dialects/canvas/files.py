"""Canvas file upload (both steps), file JSON and download.

Step 2 carries no credentials, only the signed ticket in its URL, and its body is streamed: the
`file` part of the multipart body goes chunk by chunk into the blob store while it is hashed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import anyio
import litestar
from litestar import Request, Response
from litestar.response import Stream

from courseport.blobs import BlobWriter, StoredBlob
from courseport.core.content import file_uploads, files, usage_rights, user_files
from courseport.core.kit.errors import InvalidInput
from courseport.db import transaction
from courseport.dialects.canvas.protocol import Call, bodyless_call, coerce, delete, get, get_writing, iso, post, put
from courseport.dialects.canvas.usage_rights_json import render_usage_rights
from courseport.dialects.multipart_upload import receive_upload
from courseport.schema import File

_MIME_CLASSES = {
    "application/pdf": "pdf", "text/html": "html", "text/plain": "text", "application/zip": "zip",
    "application/x-zip-compressed": "zip", "application/msword": "doc", "application/rtf": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "doc",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "ppt",
    "application/vnd.ms-excel": "xls", "text/csv": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xls",
    "application/x-shockwave-flash": "flash", "text/css": "code", "text/javascript": "code",
    "application/javascript": "code", "application/json": "code", "application/xml": "code",
}


def mime_class(content_type: str) -> str:
    major = content_type.split("/")[0]
    if major in ("image", "audio", "video"):
        return major
    return _MIME_CLASSES.get(content_type, "file")


def render_file(file: File, origin: str, secret: bytes) -> dict[str, Any]:
    # Who may not see a locked or hidden file never gets it, so neither *_for_user flag is ever true.
    verifier = files.file_verifier(secret, file)
    return {
        "id": file.id, "uuid": file.uuid, "folder_id": file.folder_id, "display_name": file.display_name,
        "filename": file.filename, "upload_status": "success", "content-type": file.content_type,
        "url": f"{origin}/api/v1/files/{file.id}/download?download_frd=1&verifier={verifier}",
        "size": file.size, "created_at": iso(file.created_at), "updated_at": iso(file.updated_at),
        "unlock_at": iso(file.unlock_at), "locked": file.locked, "hidden": file.hidden, "lock_at": iso(file.lock_at),
        "hidden_for_user": False, "thumbnail_url": None, "modified_at": iso(file.updated_at),
        "mime_class": mime_class(file.content_type), "media_entity_id": None, "locked_for_user": False,
        "preview_url": None, "usage_rights": render_usage_rights(usage_rights.of_file(file)),
    }


def content_disposition(name: str) -> str:
    fallback = "".join(c for c in name if c.isascii() and c.isprintable() and c not in '"\\') or "file"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


async def receive_file_part(request: Request, writer: BlobWriter) -> StoredBlob:
    """The `file` part, streamed into the blob store by the shared multipart receiver."""
    upload = await receive_upload(request, writer, too_large="file size exceeds the declared size of {max_bytes} bytes")
    if upload.stored is None:
        raise InvalidInput("file", "no file part was uploaded")
    return upload.stored


@post("/courses/{course_id:str}/files", status_code=200)
def start_file_upload(call: Call, course_id: str) -> dict:
    with call.read() as (db, me):
        ticket = file_uploads.start_upload(
            db, me, course_id, name=call.str("name"), size=call.int("size"),
            content_type=call.str("content_type"), folder_path=call.str("parent_folder_path"),
            on_duplicate=call.str("on_duplicate"), max_upload_bytes=call.services.settings.max_upload_bytes,
            parent_folder_id=call.int("parent_folder_id"))
    return upload_answer(call, ticket)


@post("/folders/{folder_id:int}/files", status_code=200)
def start_folder_upload(call: Call, folder_id: int) -> dict:
    with call.read() as (db, me):
        ticket = file_uploads.start_folder_upload(
            db, me, folder_id, name=call.str("name"), size=call.int("size"), content_type=call.str("content_type"),
            on_duplicate=call.str("on_duplicate"), max_upload_bytes=call.services.settings.max_upload_bytes)
    return upload_answer(call, ticket)


@post("/folders/{folder_id:int}/copy_file", status_code=200)
def copy_file(call: Call, folder_id: int) -> dict:
    with call.write() as (db, me):
        file = files.copy_file(db, me, folder_id, call.int("source_file_id"), call.str("on_duplicate"))
        return render_file(file, call.origin, call.services.secret)


def upload_answer(call: Call, ticket: file_uploads.UploadTicket) -> dict:
    """The first step's answer: where to send the file part, and the parameters to send with it."""
    return {
        "upload_url": f"{call.origin}/api/v1/file_uploads/{file_uploads.sign_ticket(call.services.secret, ticket)}",
        "upload_params": {"filename": ticket.name, "content_type": ticket.content_type},
        "file_param": "file",
    }


@litestar.post("/file_uploads/{ticket:str}", status_code=201, request_max_body_size=None)
async def upload_file_content(request: Request, ticket: str) -> dict:
    call = bodyless_call(request)
    grant = file_uploads.read_ticket(call.services.secret, ticket)
    stored = await receive_file_part(request, call.services.blobs.open_writer(grant.max_bytes))
    return await anyio.to_thread.run_sync(_record_upload, call, grant, stored)


def _record_upload(call: Call, grant: file_uploads.UploadTicket, stored: StoredBlob) -> dict:
    with transaction(call.services.engine, write=True) as db:
        file = file_uploads.finish_upload(db, grant, stored)
    return render_file(file, call.origin, call.services.secret)


@get("/files/{file_id:int}")
def get_file(call: Call, file_id: int) -> dict:
    with call.read() as (db, me):
        file = files.show_file(db, me, file_id)
    return render_file(file, call.origin, call.services.secret)


@get("/courses/{course_id:str}/files/{file_id:int}")
def get_course_file(call: Call, course_id: str, file_id: int) -> dict:
    with call.read() as (db, me):
        file = files.show_file(db, me, file_id, course_id)
    return render_file(file, call.origin, call.services.secret)


def file_filters(call: Call) -> files.FileFilters:
    return files.FileFilters(
        search_term=call.str("search_term"), content_types=tuple(call.list("content_types[]")),
        exclude_content_types=tuple(call.list("exclude_content_types[]")), sort=call.str("sort"),
        order=call.str("order"))


def _paged_files(call: Call, page, window) -> Response:  # noqa: ANN001
    secret = call.services.secret
    return call.paged([render_file(f, call.origin, secret) for f in page.items], window, page)


@get("/courses/{course_id:str}/files")
def list_course_files(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = files.list_course_files(db, me, course_id, file_filters(call), window)
    return _paged_files(call, page, window)


@get("/folders/{folder_id:int}/files")
def list_folder_files(call: Call, folder_id: int) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = files.list_folder_files(db, me, folder_id, file_filters(call), window)
    return _paged_files(call, page, window)


@get("/users/{user_id:str}/files")
def list_user_files(call: Call, user_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = user_files.list_user_files(db, me, user_id, file_filters(call), window)
    return _paged_files(call, page, window)


@get("/users/{user_id:str}/files/{file_id:int}")
def get_user_file(call: Call, user_id: str, file_id: int) -> dict:
    with call.read() as (db, me):
        file = user_files.show_user_file(db, me, user_id, file_id)
    return render_file(file, call.origin, call.services.secret)


# A file update's parameters, checked in the order Canvas lists them: the file's attributes and how a
# name clash in the target folder is settled (on_duplicate, an option of the update, not an attribute).
_UPDATE_PARAMS = {key: files.FILE_FIELDS[key] for key in ("name", "parent_folder_id")} | {"on_duplicate": str} \
    | files.FILE_FIELDS


@put("/files/{file_id:int}")
def update_file(call: Call, file_id: int) -> dict:
    params = {key: coerce(call.raw(key), kind, key) for key, kind in _UPDATE_PARAMS.items() if call.has(key)}
    on_duplicate = params.pop("on_duplicate", None)
    changes = files.FileChanges(**params)
    with call.write() as (db, me):
        file = files.update_file(db, me, file_id, changes, on_duplicate=on_duplicate)
    return render_file(file, call.origin, call.services.secret)


@delete("/files/{file_id:int}")
def delete_file(call: Call, file_id: int) -> dict:
    with call.write() as (db, me):
        file = files.delete_file(db, me, file_id)
    return render_file(file, call.origin, call.services.secret)


@get_writing("/files/{file_id:int}/download")
def download_file(call: Call, file_id: int) -> Stream:
    with transaction(call.services.engine, write=False) as db:
        file = files.downloadable_file(db, call.services.secret, file_id, call.str("verifier"), call.token)
    # The stored type as given: Litestar would otherwise claim UTF-8 for any text/* bytes.
    return Stream(call.services.blobs.open_chunks(file.blob_sha256), media_type=file.content_type,
                  headers={"Content-Type": file.content_type, "Content-Length": str(file.size),
                           "Content-Disposition": content_disposition(file.display_name)})


ROUTES = [start_file_upload, start_folder_upload, copy_file, upload_file_content, get_file, get_course_file,
          download_file, list_course_files, list_folder_files, update_file, delete_file,
          list_user_files, get_user_file]
