"""Canvas storage quota reads: `GET /courses/:id/files/quota` and `GET /users/:id/files/quota` (`{quota, quota_used}`
in bytes, `core/content/file_quotas.py`)."""

from __future__ import annotations

from courseport.core.content import file_quotas
from courseport.core.identity import users
from courseport.core.kit.errors import NotAllowed
from courseport.dialects.canvas.protocol import Call, get


@get("/courses/{course_id:str}/files/quota")
def course_files_quota(call: Call, course_id: str) -> dict:
    with call.read() as (db, me):
        quota, used = file_quotas.course_quota(db, me, course_id)
    return {"quota": quota, "quota_used": used}


@get("/users/{user_id:str}/files/quota")
def user_files_quota(call: Call, user_id: str) -> dict:
    """A user reads their own quota (Canvas's admins may read others'; here only the user)."""
    with call.read() as (db, me):
        if users.resolve_user(db, user_id, me).id != me.id:
            raise NotAllowed()
        quota, used = file_quotas.user_quota(db, me)
    return {"quota": quota, "quota_used": used}


ROUTES = [course_files_quota, user_files_quota]
