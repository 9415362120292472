"""Canvas folder routes: list, show (by id, root, path), create, update, delete."""

from __future__ import annotations

from litestar import Response

from courseport.core.content import folders
from courseport.dialects.canvas.folder_json import render_folder
from courseport.dialects.canvas.protocol import Call, coerce, delete, get, get_writing, post, put


def folder_changes(call: Call) -> folders.FolderChanges:
    """The folder parameters present in the call (Canvas names them as core does), coerced."""
    return folders.FolderChanges(**{key: coerce(call.raw(key), kind, key)
                                    for key, kind in folders.FOLDER_FIELDS.items() if call.has(key)})


def _paged(call: Call, page, window) -> Response:  # noqa: ANN001
    return call.paged([render_folder(fv, call.origin) for fv in page.items], window, page)


@get_writing("/courses/{course_id:str}/folders")
def list_course_folders(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.write() as (db, me):  # the root folder is made on first sight
        page = folders.list_course_folders(db, me, course_id, window)
    return _paged(call, page, window)


@get_writing("/courses/{course_id:str}/folders/{folder_ref:str}")
def get_course_folder(call: Call, course_id: str, folder_ref: str) -> dict:
    with call.write() as (db, me):  # the root folder is made on first sight
        fv = folders.show_course_folder(db, me, course_id, folder_ref)
    return render_folder(fv, call.origin)


@get_writing(["/courses/{course_id:str}/folders/by_path", "/courses/{course_id:str}/folders/by_path/{full_path:path}"])
def resolve_folder_path(call: Call, course_id: str, full_path: str | None = None) -> list:
    with call.write() as (db, me):
        chain = folders.resolve_path(db, me, course_id, full_path)
    return [render_folder(fv, call.origin) for fv in chain]


@get("/folders/{folder_id:int}")
def get_folder(call: Call, folder_id: int) -> dict:
    with call.read() as (db, me):
        fv = folders.show_folder(db, me, folder_id)
    return render_folder(fv, call.origin)


@get("/folders/{folder_id:int}/folders")
def list_subfolders(call: Call, folder_id: int) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = folders.list_subfolders(db, me, folder_id, window)
    return _paged(call, page, window)


@post("/courses/{course_id:str}/folders", status_code=200)
def create_course_folder(call: Call, course_id: str) -> dict:
    with call.write() as (db, me):
        fv = folders.create_folder(db, me, course_ref=course_id, parent_folder_id=call.int("parent_folder_id"),
                                   parent_folder_path=call.str("parent_folder_path"), changes=folder_changes(call))
    return render_folder(fv, call.origin)


@post("/folders/{folder_id:int}/folders", status_code=200)
def create_subfolder(call: Call, folder_id: int) -> dict:
    with call.write() as (db, me):
        fv = folders.create_folder(db, me, parent_folder_id=folder_id, changes=folder_changes(call))
    return render_folder(fv, call.origin)


@put("/folders/{folder_id:int}")
def update_folder(call: Call, folder_id: int) -> dict:
    with call.write() as (db, me):
        fv = folders.update_folder(db, me, folder_id, folder_changes(call))
    return render_folder(fv, call.origin)


@delete("/folders/{folder_id:int}")
def delete_folder(call: Call, folder_id: int) -> dict:
    with call.write() as (db, me):
        fv = folders.delete_folder(db, me, folder_id, force=bool(call.bool("force", False)))
    return render_folder(fv, call.origin)


ROUTES = [list_course_folders, get_course_folder, resolve_folder_path, get_folder, list_subfolders,
          create_course_folder, create_subfolder, update_folder, delete_folder]
