"""Course folders: the tree under each course's root folder ("course files"), made on demand.

Visibility: whoever manages files sees everything; everyone else who may read the course sees
folders that are neither hidden nor locked (flag or dates), and whose ancestors are not either.
A folder's `full_name` is its path from the root; files keep `folder_path` equal to it.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.identity.permissions import CourseRights, require
from courseport.core.kit.changes import UNSET, Unset, given, kinds
from courseport.core.kit.errors import Conflict, InvalidInput, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, window_of
from courseport.schema import Course, File, Folder, User
from courseport.schema.base import utcnow

ROOT_FOLDER = "course files"


@dataclass(frozen=True)
class FolderChanges:
    """The folder attributes a create or update sets; UNSET leaves an attribute as it is, None clears
    it. parent_folder_id moves the folder (on create the parent is an argument of its own)."""

    name: str | None | Unset = UNSET
    parent_folder_id: int | None | Unset = UNSET
    locked: bool | None | Unset = UNSET
    hidden: bool | None | Unset = UNSET
    lock_at: datetime | None | Unset = UNSET
    unlock_at: datetime | None | Unset = UNSET
    position: int | None | Unset = UNSET


# Every writable folder attribute and its type: the one table dialects coerce wire values by.
FOLDER_FIELDS: dict[str, type] = kinds(FolderChanges)


@dataclass(frozen=True)
class FolderView:
    """A folder as one user sees it: counts of its live contents and what the user may do."""

    folder: Folder
    files_count: int
    folders_count: int
    can_upload: bool


def locked_now(row: Folder | File, now: datetime | None = None) -> bool:
    """Locked by its flag or by its dates (not yet unlocked, or already locked again)."""
    now = now or utcnow()
    return bool(row.locked or (row.unlock_at and row.unlock_at > now) or (row.lock_at and row.lock_at <= now))


def course_folder_path(relative: str | None) -> str:
    """The full folder path for a path relative to the course's root folder."""
    parts = [p for p in (relative or "").replace("\\", "/").split("/") if p not in ("", ".")]
    if ".." in parts:
        raise InvalidInput("parent_folder_path", "parent_folder_path must not contain '..'")
    if parts and parts[0] == ROOT_FOLDER:
        parts = parts[1:]
    return posixpath.join(ROOT_FOLDER, *parts)


def root_folder(db: Session, course_id: int) -> Folder:
    """The course's root folder, created the first time anyone needs it."""
    root = db.scalar(select(Folder).where(Folder.course_id == course_id, Folder.parent_folder_id.is_(None)))
    return root or _child(db, course_id, None, ROOT_FOLDER)


def folder_at_path(db: Session, course_id: int, full_name: str) -> Folder:
    """The folder at a full path ("course files/a/b"), creating every missing folder on the way."""
    folder = root_folder(db, course_id)
    for name in full_name.split("/")[1:]:
        found = db.scalar(select(Folder).where(Folder.parent_folder_id == folder.id, Folder.name == name))
        folder = found or _child(db, course_id, folder, name)
    return folder


def _child(db: Session, course_id: int, parent: Folder | None, name: str) -> Folder:
    full_name = posixpath.join(parent.full_name, name) if parent else name
    position = 0
    if parent is not None:
        siblings = select(func.max(Folder.position)).where(Folder.parent_folder_id == parent.id)
        position = (db.scalar(siblings) or 0) + 1
    try:
        with db.begin_nested():
            folder = Folder(course_id=course_id, parent_folder_id=parent.id if parent else None, name=name,
                            full_name=full_name, position=position)
            db.add(folder)
    except IntegrityError:  # a concurrent request made it first
        # the unique (course_id, full_name) row that refused ours exists
        return cast(Folder, db.scalar(select(Folder).where(Folder.course_id == course_id,
                                                           Folder.full_name == full_name)))
    return folder


def sees_everything(rights: CourseRights) -> bool:
    return rights.can("manage_files")


def visible_folder_ids(db: Session, course_id: int, rights: CourseRights) -> set[int]:
    """The ids of the course's folders this viewer may see (hidden or locked ancestors hide a subtree)."""
    folders = list(db.scalars(select(Folder).where(Folder.course_id == course_id)))
    if sees_everything(rights):
        return {f.id for f in folders}
    now = utcnow()
    open_ = {f.id: not (f.hidden or locked_now(f, now)) for f in folders}
    parents = {f.id: f.parent_folder_id for f in folders}

    def visible(fid: int | None) -> bool:
        while fid is not None:
            if not open_.get(fid, False):
                return False
            fid = parents.get(fid)
        return True

    return {f.id for f in folders if visible(f.id)}


def readable_folder(db: Session, actor: User, folder_id: int | str) -> tuple[Folder, CourseRights]:
    folder = db.get(Folder, store_id(folder_id)) if is_id(folder_id) else None
    course = db.get(Course, folder.course_id) if folder else None
    if folder is None or course is None:
        raise NotFound("folder")
    _, rights = readable_course(db, actor, course.id)
    if folder.id not in visible_folder_ids(db, course.id, rights):
        raise NotFound("folder")
    return folder, rights


def view(db: Session, folder: Folder, rights: CourseRights) -> FolderView:
    files = select(func.count()).select_from(File).where(File.folder_id == folder.id,
                                                         File.workflow_state != "deleted")
    folders = select(func.count()).select_from(Folder).where(Folder.parent_folder_id == folder.id)
    return FolderView(folder, db.scalar(files) or 0, db.scalar(folders) or 0, rights.can("manage_files"))


def show_folder(db: Session, actor: User, folder_id: int | str) -> FolderView:
    folder, rights = readable_folder(db, actor, folder_id)
    return view(db, folder, rights)


def show_course_folder(db: Session, actor: User, course_ref: str | int, folder_ref: str) -> FolderView:
    """One folder of a course by id, or its root folder for "root"."""
    course, rights = readable_course(db, actor, course_ref)
    if folder_ref == "root":
        return view(db, root_folder(db, course.id), rights)
    fv = show_folder(db, actor, folder_ref)
    if fv.folder.course_id != course.id:
        raise NotFound("folder")
    return fv


def list_course_folders(db: Session, actor: User, course_ref: str | int, window: Window) -> Slice[FolderView]:
    """Every folder of the course the actor may see, flat, the root first then by path."""
    course, rights = readable_course(db, actor, course_ref)
    root_folder(db, course.id)
    visible = visible_folder_ids(db, course.id, rights)
    rows = [f for f in db.scalars(select(Folder).where(Folder.course_id == course.id)
                                  .order_by(Folder.full_name, Folder.id)) if f.id in visible]
    return _views(db, window_of(rows, window), rights)


def list_subfolders(db: Session, actor: User, folder_id: int | str, window: Window) -> Slice[FolderView]:
    folder, rights = readable_folder(db, actor, folder_id)
    visible = visible_folder_ids(db, folder.course_id, rights)
    rows = [f for f in db.scalars(select(Folder).where(Folder.parent_folder_id == folder.id)
                                  .order_by(Folder.position, Folder.name, Folder.id)) if f.id in visible]
    return _views(db, window_of(rows, window), rights)


def _views(db: Session, page: Slice[Folder], rights: CourseRights) -> Slice[FolderView]:
    return Slice([view(db, f, rights) for f in page.items], page.has_more, page.total)


def resolve_path(db: Session, actor: User, course_ref: str | int, path: str | None) -> list[FolderView]:
    """The folders from the root down to the one at `path` (relative to the root)."""
    course, rights = readable_course(db, actor, course_ref)
    visible = visible_folder_ids(db, course.id, rights) | {root_folder(db, course.id).id}
    chain = [root_folder(db, course.id)]
    for name in [p for p in (path or "").split("/") if p]:
        found = db.scalar(select(Folder).where(Folder.parent_folder_id == chain[-1].id, Folder.name == name))
        if found is None or found.id not in visible:
            raise NotFound("folder")
        chain.append(found)
    return [view(db, f, rights) for f in chain]


def folder_name(value: Any) -> str:
    name = str(value or "").strip()
    if not name or "/" in name or name in (".", ".."):
        raise InvalidInput("name", "name is required and must not contain '/'")
    return name


def create_folder(db: Session, actor: User, *, course_ref: str | int | None = None,
                  parent_folder_id: int | None = None, parent_folder_path: str | None = None,
                  changes: FolderChanges) -> FolderView:
    """A new folder under a parent given by id or by path (created as needed), else under the root."""
    fields = given(changes)
    if parent_folder_id is not None:
        parent, rights = readable_folder(db, actor, parent_folder_id)
        course_ref = course_ref if course_ref is not None else parent.course_id
    course, rights = readable_course(db, actor, cast(str | int, course_ref))  # callers give a course or a parent
    require(rights, "manage_files")
    if parent_folder_id is not None:
        if parent.course_id != course.id:
            raise InvalidInput("parent_folder_id", "the parent folder belongs to another course")
    else:
        parent = folder_at_path(db, course.id, course_folder_path(parent_folder_path))
    name = folder_name(fields.get("name"))
    if db.scalar(select(Folder.id).where(Folder.parent_folder_id == parent.id, Folder.name == name)):
        raise Conflict(f"a folder named {name!r} already exists there")
    folder = _child(db, course.id, parent, name)
    _apply(folder, {k: v for k, v in fields.items() if k not in ("name", "parent_folder_id")})
    db.flush()
    return view(db, folder, rights)


def _apply(folder: Folder, fields: dict[str, Any]) -> None:
    for key in ("locked", "hidden", "lock_at", "unlock_at", "position"):
        if key in fields and not (key == "position" and fields[key] is None):  # an empty position keeps it
            setattr(folder, key, fields[key])
    folder.updated_at = utcnow()


def update_folder(db: Session, actor: User, folder_id: int | str, changes: FolderChanges) -> FolderView:
    """Rename, move, lock, hide or reposition a folder; paths below it follow."""
    fields = given(changes)
    folder, rights = readable_folder(db, actor, folder_id)
    require(rights, "manage_files")
    name = folder_name(fields["name"]) if "name" in fields else folder.name
    parent_id = fields.get("parent_folder_id") or folder.parent_folder_id
    if folder.parent_folder_id is None and (name != folder.name or parent_id != folder.parent_folder_id):
        raise InvalidInput("name", "the root folder cannot be renamed or moved")
    if (name, parent_id) != (folder.name, folder.parent_folder_id):
        parent = db.get(Folder, parent_id)
        if parent is None or parent.course_id != folder.course_id:
            raise InvalidInput("parent_folder_id", "the parent folder must be a folder of the same course")
        if parent.full_name == folder.full_name or parent.full_name.startswith(folder.full_name + "/"):
            raise InvalidInput("parent_folder_id", "a folder cannot move into itself")
        if db.scalar(select(Folder.id).where(Folder.parent_folder_id == parent.id, Folder.name == name)):
            raise Conflict(f"a folder named {name!r} already exists there")
        _move(db, folder, parent, name)
    _apply(folder, fields)
    db.flush()
    return view(db, folder, rights)


def _move(db: Session, folder: Folder, parent: Folder, name: str) -> None:
    old, new = folder.full_name, posixpath.join(parent.full_name, name)
    below = [f for f in db.scalars(select(Folder).where(Folder.course_id == folder.course_id,
                                                        Folder.full_name.startswith(old + "/", autoescape=True)))]
    folder.name, folder.parent_folder_id, folder.full_name = name, parent.id, new
    for f in below:
        f.full_name = new + f.full_name[len(old):]
    db.flush()
    for f in [folder, *below]:
        db.execute(update(File).where(File.folder_id == f.id).values(folder_path=f.full_name))


def subtree_ids(db: Session, folder: Folder) -> list[int]:
    """The folder's id and those of every folder under it, however deep."""
    return [folder.id, *db.scalars(select(Folder.id).where(
        Folder.course_id == folder.course_id, Folder.full_name.startswith(folder.full_name + "/", autoescape=True)))]


def delete_folder(db: Session, actor: User, folder_id: int | str, *, force: bool) -> FolderView:
    """Delete a folder; one with live contents only with `force`, which deletes the contents too."""
    folder, rights = readable_folder(db, actor, folder_id)
    require(rights, "manage_files")
    if folder.parent_folder_id is None:
        raise InvalidInput("id", "Can't delete the root folder")
    before = view(db, folder, rights)
    if (before.files_count or before.folders_count) and not force:
        raise InvalidInput("force", "Can't delete a folder with content")
    subtree = subtree_ids(db, folder)
    db.execute(update(File).where(File.folder_id.in_(subtree), File.workflow_state != "deleted")
               .values(workflow_state="deleted", updated_at=utcnow()))
    # Folder rows go (children by cascade): the (course, full_name) key must be free for a new folder.
    db.execute(delete(Folder).where(Folder.id.in_(subtree)))
    db.flush()
    return FolderView(folder, 0, 0, before.can_upload)
