"""Storage quotas: how much a course's live files, or a user's own files (submissions, exports), take of its
quota, as Canvas reports them. Nothing refuses an upload for want of quota yet: the figures are reported."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.identity.permissions import require
from courseport.schema import File, User

MB = 1024 * 1024
USER_QUOTA_MB = 50  # Canvas's default user quota (an account's default_user_storage_quota_mb)


def used_bytes(db: Session, course_ids: list[int]) -> dict[int, int]:
    """Each course's live files' bytes (a course without files is left out)."""
    rows = db.execute(select(File.course_id, func.coalesce(func.sum(File.size), 0)).where(
        File.course_id.in_(course_ids), File.workflow_state != "deleted").group_by(File.course_id))
    return {course_id: int(size) for course_id, size in rows if course_id is not None}


def course_quota(db: Session, actor: User, course_ref: str | int) -> tuple[int, int]:
    """(quota, used) in bytes, for those who manage the course's files."""
    course, rights = readable_course(db, actor, course_ref)
    require(rights, "manage_files")
    return course.storage_quota_mb * MB, used_bytes(db, [course.id]).get(course.id, 0)


def user_quota(db: Session, user: User) -> tuple[int, int]:
    """(quota, used) in bytes of the user's own files, in no course."""
    used = db.scalar(select(func.coalesce(func.sum(File.size), 0)).where(
        File.course_id.is_(None), File.user_id == user.id, File.workflow_state != "deleted"))
    return USER_QUOTA_MB * MB, int(used or 0)
