"""Course assets at course level (the newest version) and version level: import by fetchUrl,
upload (multipart `destination` + `file`), download, delete, and the version's file list."""

from __future__ import annotations

from dataclasses import replace

import anyio
import litestar
from litestar import Request
from litestar.response import Stream

from courseport.blobs import StoredBlob
from courseport.core.kit import outbound
from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import assets, scorm_courses
from courseport.dialects.multipart_upload import ReceivedUpload, receive_upload
from courseport.dialects.scorm_cloud.fields import scorm_fields
from courseport.dialects.scorm_cloud.json_types import check_types
from courseport.dialects.scorm_cloud.protocol import WRITE, Call, bodyless_call, delete, get, get_writing, iso, post


def _placed(placed: assets.PlacedAsset) -> dict:
    return {"filename": placed.filename, "destination": placed.destination}


def _import(call: Call, course_id: str, version: int | None) -> dict:
    body, settings = call.json("assetSchema"), call.services.settings
    check_types(body, {"destination": str, "fetchUrl": str})
    with scorm_fields(), call.read(WRITE) as (db, me):
        where = assets.check_target(db, me, course_id, version, body.get("destination"), call.str("updateAssetPolicy"))
    policy = outbound.OutboundPolicy(allow=settings.outbound_allow, max_bytes=settings.max_upload_bytes)
    with scorm_fields():
        stored = assets.fetch_asset(call.services.blobs, policy, body.get("fetchUrl"))
    return _record(call, where, stored, assets.fetched_name(body["fetchUrl"]))


def _record(call: Call, where: assets.AssetTarget, stored: StoredBlob, filename: str | None) -> dict:
    """Bytes of a refused asset stay unreferenced until the collector removes them (blob_lifecycle)."""
    with scorm_fields(), call.write() as (db, me):
        placed = assets.place_asset(db, me, where, stored, filename)
    return _placed(placed)


@post("/courses/{course_id:str}/asset")
def import_course_asset_file(call: Call, course_id: str) -> dict:
    return _import(call, course_id, None)


@post("/courses/{course_id:str}/versions/{version:int}/asset")
def import_course_version_asset_file(call: Call, course_id: str, version: int) -> dict:
    return _import(call, course_id, version)


async def _upload(request: Request, course_id: str, version: int | None) -> dict:
    call = bodyless_call(request)
    where = await anyio.to_thread.run_sync(_check_upload, call, course_id, version)
    upload = await receive_upload(request, call.services.blobs.open_writer(call.services.settings.max_upload_bytes))
    return await anyio.to_thread.run_sync(_record_upload, call, where, upload)


def _check_upload(call: Call, course_id: str, version: int | None) -> assets.AssetTarget:
    with scorm_fields(), call.read(WRITE) as (db, me):
        return assets.check_target(db, me, course_id, version, None, call.str("updateAssetPolicy"))


def _record_upload(call: Call, where: assets.AssetTarget, upload: ReceivedUpload) -> dict:
    if upload.stored is None:
        raise InvalidInput("file", "file is required")
    where = replace(where, destination=assets.clean_destination(upload.fields.get("destination")))
    return _record(call, where, upload.stored, upload.filename)


@litestar.post("/courses/{course_id:str}/asset/upload", status_code=200, request_max_body_size=None)
async def upload_course_asset_file(request: Request, course_id: str) -> dict:
    return await _upload(request, course_id, None)


@litestar.post("/courses/{course_id:str}/versions/{version:int}/asset/upload", status_code=200,
               request_max_body_size=None)
async def upload_course_version_asset_file(request: Request, course_id: str, version: int) -> dict:
    return await _upload(request, course_id, version)


def _download(call: Call, course_id: str, version: int | None) -> Stream:
    with scorm_fields(), call.read() as (db, me):
        found = assets.asset_file(db, me, course_id, version, call.str("relativePath"))
    name = found.path.rsplit("/", 1)[-1].encode("ascii", "replace").decode().replace('"', "_")
    return Stream(call.services.blobs.open_chunks(found.blob_sha256), media_type=found.content_type, headers={
        "Content-Type": found.content_type, "Content-Length": str(found.size),
        "Content-Disposition": f'attachment; filename="{name}"'})


@get_writing("/courses/{course_id:str}/asset")
def get_course_asset(call: Call, course_id: str) -> Stream:
    return _download(call, course_id, None)


@get_writing("/courses/{course_id:str}/versions/{version:int}/asset")
def get_course_version_asset(call: Call, course_id: str, version: int) -> Stream:
    return _download(call, course_id, version)


def _delete(call: Call, course_id: str, version: int | None) -> None:
    with scorm_fields(), call.remove() as (db, me):
        assets.delete_asset(db, me, course_id, version, call.str("relativePath"))


@delete("/courses/{course_id:str}/asset")
def delete_course_asset(call: Call, course_id: str) -> None:
    _delete(call, course_id, None)


@delete("/courses/{course_id:str}/versions/{version:int}/asset")
def delete_course_version_asset(call: Call, course_id: str, version: int) -> None:
    _delete(call, course_id, version)


def _file_list(call: Call, course_id: str, version: int | None) -> dict:
    with call.read() as (db, me):
        found = scorm_courses.package_files(db, me, course_id, version)
        return {"files": [{"path": f.path, "size": f.size, "modified": iso(f.modified)} for f in found]}


@get("/courses/{course_id:str}/asset/list")
def get_course_file_list(call: Call, course_id: str) -> dict:
    return _file_list(call, course_id, None)


@get("/courses/{course_id:str}/versions/{version:int}/asset/list")
def get_course_version_file_list(call: Call, course_id: str, version: int) -> dict:
    return _file_list(call, course_id, version)


ROUTES = [import_course_asset_file, import_course_version_asset_file, upload_course_asset_file,
          upload_course_version_asset_file, get_course_asset, get_course_version_asset, delete_course_asset,
          delete_course_version_asset, get_course_file_list, get_course_version_file_list]
