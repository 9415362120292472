"""Course files: file rows over content-addressed blobs, a user's own files, download verifiers, listing,
changes and deletion. Uploads (the two calls that make a file) are `file_uploads`."""

from __future__ import annotations

import hmac
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from courseport.blobs import StoredBlob
from courseport.core.content.folders import (
    locked_now,
    readable_folder,
    sees_everything,
    visible_folder_ids,
)
from courseport.core.courses.courses import readable_course
from courseport.core.identity.accounts import new_uuid
from courseport.core.identity.permissions import CourseRights, require
from courseport.core.identity.tokens import authenticate
from courseport.core.kit import signing
from courseport.core.kit.blob_lifecycle import record_blobs
from courseport.core.kit.changes import UNSET, Unset, given, kinds
from courseport.core.kit.errors import Conflict, InvalidInput, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import File, User
from courseport.schema.base import utcnow

SUBMISSIONS = "submissions"  # the folder paths a user's own files are listed under: for submissions,
EXPORTS = "content exports"  # and the course exports they made
QUIZ_REPORTS = "quiz reports"  # and the quiz reports they asked for
_EDITABLE = ("lock_at", "unlock_at", "locked", "hidden")
# Checks every change of an existing file passes first (courseport/wiring.py registers blueprint locks' one):
# called with the file and the columns changing, {"workflow_state"} for a delete.
CHANGE_CHECKS: list[Callable[[Session, File, set[str]], None]] = []


def register_change_check(check: Callable[[Session, File, set[str]], None]) -> None:
    if check not in CHANGE_CHECKS:
        CHANGE_CHECKS.append(check)


def check_change(db: Session, file: File, changing: set[str]) -> None:
    for check in CHANGE_CHECKS:
        check(db, file, changing)


def stamp() -> datetime:
    return datetime.now(UTC)  # to the microsecond: blueprint syncs export what changed after their start


def files_named(db: Session, course_id: int | None, folder_path: str) -> dict[str, list[File]]:
    named: dict[str, list[File]] = {}
    for f in db.scalars(select(File).where(File.course_id == course_id, File.folder_path == folder_path,
                                           File.workflow_state != "deleted")):
        named.setdefault(f.display_name, []).append(f)
    return named


def free_name(name: str, taken: Mapping[str, object] | set[str]) -> str:
    """`name` itself if free, else `stem-1.ext`, `stem-2.ext`, ... (Canvas's rename rule)."""
    if name not in taken:
        return name
    stem, ext = posixpath.splitext(name)
    n = 1
    while f"{stem}-{n}{ext}" in taken:
        n += 1
    return f"{stem}-{n}{ext}"


def own_file(db: Session, user: User, name: str, content_type: str, stored: StoredBlob, *,
             folder_path: str = SUBMISSIONS) -> File:
    """A file of the user's own, in no course folder (Canvas keeps such files in the user's folders:
    Submissions, content exports)."""
    record_blobs(db, {stored.sha256: stored.size})
    now = stamp()
    file = File(uuid=new_uuid(), course_id=None, user_id=user.id, folder_path=folder_path, folder_id=None,
                display_name=name, filename=name, content_type=content_type, size=stored.size,
                blob_sha256=stored.sha256, created_at=now, updated_at=now)
    db.add(file)
    db.flush()
    return file


def show_file(db: Session, actor: User, file_id: int, course_ref: str | int | None = None) -> File:
    """A live file the actor may see (in `course_ref`'s course when given)."""
    file, _ = _readable_file(db, actor, file_id)
    if course_ref is not None and readable_course(db, actor, course_ref)[0].id != file.course_id:
        raise NotFound("file")
    return file


def _readable_file(db: Session, actor: User, file_id: int) -> tuple[File, CourseRights]:
    file = _live_file(db, file_id)
    if file.course_id is None:  # a user's own file: its owner's (graders read it through the submission)
        if file.user_id != actor.id:
            raise NotFound("file")
        return file, CourseRights(actor.id, 0, False)  # no course rights: read, not managed
    _, rights = readable_course(db, actor, file.course_id)
    if not sees_everything(rights) and not (
            not file.hidden and not locked_now(file)
            and (file.folder_id is None or file.folder_id in visible_folder_ids(db, file.course_id, rights))):
        raise NotFound("file")
    return file, rights


def file_verifier(secret: bytes, file: File) -> str:
    """A token that lets whoever holds the download URL read this file's bytes without credentials."""
    return signing.mac(secret, "download", f"{file.id}:{file.uuid}".encode())[:32]


def downloadable_file(db: Session, secret: bytes, file_id: int, verifier: str | None, token: str | None) -> File:
    """The file, if the verifier is this file's or the token's user may read its course."""
    file = _live_file(db, file_id)
    if verifier and hmac.compare_digest(verifier.encode(), file_verifier(secret, file).encode()):
        return file
    return show_file(db, authenticate(db, token), file_id)


def _live_file(db: Session, file_id: int) -> File:
    file = db.get(File, file_id)
    if file is None or file.workflow_state == "deleted":
        raise NotFound("file")
    return file


FILE_SORTS = ("name", "size", "created_at", "updated_at", "content_type", "user")


@dataclass(frozen=True)
class FileChanges:
    """The file attributes an update sets; UNSET leaves an attribute as it is, None clears it.
    parent_folder_id moves the file into that folder."""

    name: str | None | Unset = UNSET
    parent_folder_id: int | None | Unset = UNSET
    lock_at: datetime | None | Unset = UNSET
    unlock_at: datetime | None | Unset = UNSET
    locked: bool | None | Unset = UNSET
    hidden: bool | None | Unset = UNSET


# Every writable file attribute and its type: the one table dialects coerce wire values by.
FILE_FIELDS: dict[str, type] = kinds(FileChanges)


@dataclass(frozen=True)
class FileFilters:
    search_term: str | None = None
    content_types: tuple[str, ...] = ()
    exclude_content_types: tuple[str, ...] = ()
    sort: str | None = None
    order: str | None = None


def list_course_files(db: Session, actor: User, course_ref: str | int, filters: FileFilters,
                      window: Window) -> Slice[File]:
    course, rights = readable_course(db, actor, course_ref)
    return _list_files(db, course.id, rights, None, filters, window)


def list_folder_files(db: Session, actor: User, folder_id: int | str, filters: FileFilters,
                      window: Window) -> Slice[File]:
    folder, rights = readable_folder(db, actor, folder_id)
    return _list_files(db, folder.course_id, rights, folder.id, filters, window)


def _list_files(db: Session, course_id: int, rights: CourseRights, folder_id: int | None, filters: FileFilters,
                window: Window) -> Slice[File]:
    stmt = select(File).where(File.course_id == course_id, File.workflow_state != "deleted")
    if folder_id is not None:
        stmt = stmt.where(File.folder_id == folder_id)
    if not sees_everything(rights):
        now = utcnow()
        stmt = stmt.where(File.hidden.is_(False), File.locked.is_(False),
                          or_(File.unlock_at.is_(None), File.unlock_at <= now),
                          or_(File.lock_at.is_(None), File.lock_at > now),
                          or_(File.folder_id.is_(None), File.folder_id.in_(visible_folder_ids(db, course_id, rights))))
    return fetch_window(db, filtered_files(stmt, filters), window)


def filtered_files(stmt: Select, filters: FileFilters) -> Select:
    """`stmt` (a select of files) narrowed and ordered by the filters: the one rule every file list keeps."""
    if filters.search_term is not None:
        if len(filters.search_term.strip()) < 2:
            raise InvalidInput("search_term", "search_term of 2 or more characters is required")
        stmt = stmt.where(func.lower(File.display_name).contains(filters.search_term.strip().lower(),
                                                                  autoescape=True))
    if filters.content_types:
        stmt = stmt.where(or_(*[_type_matches(t) for t in filters.content_types]))
    if filters.exclude_content_types:
        stmt = stmt.where(~or_(*[_type_matches(t) for t in filters.exclude_content_types]))
    sort = filters.sort or "name"
    if sort not in FILE_SORTS:
        raise InvalidInput("sort", f"sort must be one of {', '.join(FILE_SORTS)}")
    if (filters.order or "asc") not in ("asc", "desc"):
        raise InvalidInput("order", "order must be asc or desc")
    if sort == "user":
        stmt = stmt.outerjoin(User, User.id == File.user_id)
    key = {"name": func.lower(File.display_name), "size": File.size, "created_at": File.created_at,
           "updated_at": File.updated_at, "content_type": File.content_type, "user": User.sortable_name}[sort]
    keys = (key, File.id) if filters.order != "desc" else (key.desc(), File.id.desc())
    return stmt.order_by(*keys)


def _type_matches(content_type: str):  # noqa: ANN202
    """"image" matches every image/* type; "image/png" only itself (Canvas's content_types[] rule)."""
    return File.content_type.startswith(content_type + "/") if "/" not in content_type \
        else File.content_type == content_type


def update_file(db: Session, actor: User, file_id: int, changes: FileChanges, *,
                on_duplicate: str | None = None) -> File:
    """Rename, move, lock or hide a file; a name taken in the target folder needs `on_duplicate`."""
    fields = given(changes)
    file, rights = _readable_file(db, actor, file_id)
    require(rights, "manage_files")
    folder_path, folder_id = file.folder_path, file.folder_id
    if fields.get("parent_folder_id") is not None:
        folder, _ = readable_folder(db, actor, fields["parent_folder_id"])
        if folder.course_id != file.course_id:
            raise InvalidInput("parent_folder_id", "the folder belongs to another course")
        folder_path, folder_id = folder.full_name, folder.id
    name = (fields.get("name") or file.display_name).strip()
    if not name or "/" in name:
        raise InvalidInput("name", "name must be a plain file name")
    wanted = {"display_name": name, "folder_path": folder_path, **{k: fields[k] for k in _EDITABLE if k in fields}}
    check_change(db, file, {k for k, v in wanted.items() if getattr(file, k) != v})
    if (name, folder_path) != (file.display_name, file.folder_path):
        name = _settle_name(db, file, folder_path, name, on_duplicate)
    file.display_name, file.folder_path, file.folder_id = name, folder_path, folder_id
    for key in _EDITABLE:
        if key in fields:
            setattr(file, key, fields[key])
    file.updated_at = stamp()
    db.flush()
    return file


def _settle_name(db: Session, file: File, folder_path: str, name: str, on_duplicate: str | None) -> str:
    clashes = {n: others for n, fs in files_named(db, file.course_id, folder_path).items()
               if (others := [f for f in fs if f.id != file.id])}
    if name not in clashes:
        return name
    if on_duplicate == "rename":
        return free_name(name, clashes)
    if on_duplicate == "overwrite":
        delete_all(db, clashes[name])
        return name
    if on_duplicate is not None:
        raise InvalidInput("on_duplicate", "on_duplicate must be overwrite or rename")
    raise Conflict(f"a file named {name!r} already exists in this folder")


def copy_file(db: Session, actor: User, folder_id: int, source_file_id: int | None, on_duplicate: str | None
              ) -> File:
    """A copy of a file the actor may read, in a folder whose course's files they manage: a new file row that
    shares the source's bytes; a name taken in the folder is refused unless `on_duplicate` says what to do."""
    if source_file_id is None:
        raise InvalidInput("source_file_id", "source_file_id is required")
    source, _ = _readable_file(db, actor, source_file_id)
    folder, rights = readable_folder(db, actor, folder_id)
    require(rights, "manage_files")
    now = stamp()
    copy = File(uuid=new_uuid(), course_id=folder.course_id, user_id=actor.id, folder_path=folder.full_name,
                folder_id=folder.id, display_name=source.display_name, filename=source.filename,
                content_type=source.content_type, size=source.size, blob_sha256=source.blob_sha256,
                created_at=now, updated_at=now)
    copy.display_name = _settle_name(db, copy, folder.full_name, source.display_name, on_duplicate)
    record_blobs(db, {source.blob_sha256: source.size})
    db.add(copy)
    db.flush()
    return copy


def delete_file(db: Session, actor: User, file_id: int) -> File:
    """Delete a file. Its bytes stay in the blob store: other files (copies) may share them."""
    file, rights = _readable_file(db, actor, file_id)
    require(rights, "manage_files")
    delete_all(db, [file])
    db.flush()
    return file


def delete_all(db: Session, files: list[File]) -> None:
    for file in files:
        check_change(db, file, {"workflow_state"})
    for file in files:
        file.workflow_state, file.updated_at = "deleted", stamp()
