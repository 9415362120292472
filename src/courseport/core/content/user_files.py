"""A user's own files (in no course): their submission uploads and the course exports they made.

Who: the user themself and admins over them (`account_users.administers_user`); anyone else is refused,
an unknown user is not found. The filters and sorts are the course file list's (`files.FileFilters`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content.files import FileFilters, filtered_files
from courseport.core.identity import account_users, users
from courseport.core.kit.errors import NotAllowed, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import File, User


def _owner(db: Session, actor: User, user_ref: str) -> User:
    user = users.resolve_user(db, user_ref, actor)
    if user.workflow_state == "deleted":
        raise NotFound("user")
    if user.id != actor.id and not account_users.administers_user(db, actor.id, user):
        raise NotAllowed()
    return user


def _own_files(user: User):  # noqa: ANN202
    return select(File).where(File.user_id == user.id, File.course_id.is_(None), File.workflow_state != "deleted")


def list_user_files(db: Session, actor: User, user_ref: str, filters: FileFilters, window: Window) -> Slice[File]:
    """The user's live own files, filtered and sorted as a course's files are."""
    user = _owner(db, actor, user_ref)
    return fetch_window(db, filtered_files(_own_files(user), filters), window)


def show_user_file(db: Session, actor: User, user_ref: str, file_id: int) -> File:
    """One live own file of the user's."""
    user = _owner(db, actor, user_ref)
    file = db.scalar(_own_files(user).where(File.id == file_id))
    if file is None:
        raise NotFound("file")
    return file
