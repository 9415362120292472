"""Canvas usage rights of course files (Files API): set and remove them on files and folders' files, list the
licenses a course's files may carry."""

from __future__ import annotations

from courseport.core.content import usage_rights
from courseport.core.kit.errors import spelled_as
from courseport.dialects.canvas.protocol import Call, delete, get, put, to_int
from courseport.dialects.canvas.usage_rights_json import render_license, render_usage_rights

_NAMES = {"use_justification": "usage_rights[use_justification]", "license": "usage_rights[license]",
          "legal_copyright": "usage_rights[legal_copyright]", "file_ids": "file_ids[]"}


def _ids(call: Call, name: str) -> list[int]:
    return [n for v in call.list(name) if (n := to_int(v, name)) is not None]


@put("/courses/{course_id:str}/usage_rights")
def set_usage_rights(call: Call, course_id: str) -> dict:
    file_ids, folder_ids, publish = _ids(call, "file_ids[]"), _ids(call, "folder_ids[]"), call.bool("publish")
    with spelled_as(_NAMES):
        rights = usage_rights.checked_rights(call.str("usage_rights[use_justification]"),
                                             call.str("usage_rights[license]"),
                                             call.str("usage_rights[legal_copyright]"))
        with call.write() as (db, me):
            changed = usage_rights.set_usage_rights(db, me, course_id, rights, file_ids, folder_ids,
                                                    publish=bool(publish))
    count = f"{len(changed)} file{'' if len(changed) == 1 else 's'} updated"
    return {**(render_usage_rights(rights) or {}), "message": count, "file_ids": changed}


@delete("/courses/{course_id:str}/usage_rights")
def remove_usage_rights(call: Call, course_id: str) -> dict:
    file_ids, folder_ids = _ids(call, "file_ids[]"), _ids(call, "folder_ids[]")
    with spelled_as(_NAMES), call.write() as (db, me):
        changed = usage_rights.remove_usage_rights(db, me, course_id, file_ids, folder_ids)
    return {"message": "Usage rights removed", "file_ids": changed}


@get("/courses/{course_id:str}/content_licenses")
def list_content_licenses(call: Call, course_id: str) -> list[dict]:
    """Every license, in one unpaged list (as Canvas answers it)."""
    with call.read() as (db, me):
        licenses = usage_rights.course_licenses(db, me, course_id)
    return [render_license(lic) for lic in licenses]


ROUTES = [set_usage_rights, remove_usage_rights, list_content_licenses]
