"""Uploads: the two calls that make a file. The first checks the right to manage files and returns a signed,
expiring ticket naming everything the second call may do; the second carries only that ticket (no
credentials), streams the bytes into the blob store and records the file (`finish_upload`)."""

from __future__ import annotations

import mimetypes
import time
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from courseport.blobs import BlobStore, StoredBlob
from courseport.core.content.files import SUBMISSIONS, delete_all, files_named, free_name, own_file, stamp
from courseport.core.content.folders import course_folder_path, folder_at_path, readable_folder
from courseport.core.courses.courses import readable_course
from courseport.core.identity.accounts import new_uuid
from courseport.core.identity.permissions import course_rights, require
from courseport.core.kit import signing
from courseport.core.kit.blob_lifecycle import record_blobs
from courseport.core.kit.errors import InvalidInput, NotAuthenticated, NotFound
from courseport.schema import Course, File, User

ON_DUPLICATE = ("overwrite", "rename")
TICKET_SECONDS = 3600
_DEFAULT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class UploadTicket:
    """What the second upload call is allowed to store, signed so it needs no credentials."""

    course_id: int
    user_id: int
    name: str
    content_type: str
    folder_path: str
    on_duplicate: str
    max_bytes: int
    expires_at: int  # unix seconds
    # "course": a file of the course's folders; "submission": the user's own file, for a submission
    # (no course folder; its owner and those given its verifier read it).
    kind: str = "course"


def start_upload(
    db: Session, actor: User, course_ref: str | int, *, name: str | None, size: int | None,
    content_type: str | None, folder_path: str | None, on_duplicate: str | None, max_upload_bytes: int,
    now: float | None = None, parent_folder_id: int | None = None,
) -> UploadTicket:
    """Check the actor may add files to the course and describe the upload it may make.

    The folder is `parent_folder_id` if given, else `folder_path` under the root (made on upload).
    """
    course, rights = readable_course(db, actor, course_ref)
    require(rights, "manage_files")
    if parent_folder_id is not None:
        folder, _ = readable_folder(db, actor, parent_folder_id)
        if folder.course_id != course.id:
            raise InvalidInput("parent_folder_id", "the folder belongs to another course")
        folder_path = folder.full_name
    name = _plain_name(name, size, max_upload_bytes)
    on_duplicate = on_duplicate or "overwrite"
    if on_duplicate not in ON_DUPLICATE:
        raise InvalidInput("on_duplicate", "on_duplicate must be overwrite or rename")
    return UploadTicket(
        course_id=course.id, user_id=actor.id, name=name,
        content_type=content_type or mimetypes.guess_type(name)[0] or _DEFAULT_TYPE,
        folder_path=course_folder_path(folder_path), on_duplicate=on_duplicate,
        max_bytes=max_upload_bytes if size is None else size,
        expires_at=int((now or time.time()) + TICKET_SECONDS),
    )


def _plain_name(name: str | None, size: int | None, max_upload_bytes: int) -> str:
    name = (name or "").strip()
    if not name or "/" in name or name in (".", ".."):
        raise InvalidInput("name", "name is required and must be a plain file name")
    if size is not None and size < 0:
        raise InvalidInput("size", "size must not be negative")
    if size is not None and size > max_upload_bytes:
        raise InvalidInput("size", f"file size exceeds the limit of {max_upload_bytes} bytes")
    return name


def start_own_upload(actor: User, course: Course, *, name: str | None, size: int | None, content_type: str | None,
                     max_upload_bytes: int, now: float | None = None) -> UploadTicket:
    """The upload of a file of the actor's own, for a submission in `course` (the caller checked they may)."""
    name = _plain_name(name, size, max_upload_bytes)
    return UploadTicket(
        course_id=course.id, user_id=actor.id, name=name,
        content_type=content_type or mimetypes.guess_type(name)[0] or _DEFAULT_TYPE, folder_path=SUBMISSIONS,
        on_duplicate="rename", max_bytes=max_upload_bytes if size is None else size,
        expires_at=int((now or time.time()) + TICKET_SECONDS), kind="submission")


def start_folder_upload(db: Session, actor: User, folder_id: int | str, **upload: Any) -> UploadTicket:
    """`start_upload` into a folder named by id (its course is the folder's)."""
    folder, _ = readable_folder(db, actor, folder_id)
    return start_upload(db, actor, folder.course_id, folder_path=None, parent_folder_id=folder.id, **upload)


def sign_ticket(secret: bytes, ticket: UploadTicket) -> str:
    return signing.sign(secret, "upload", asdict(ticket))


def read_ticket(secret: bytes, token: str, now: float | None = None) -> UploadTicket:
    """The ticket a token carries, if its signature is ours and it has not expired."""
    invalid = NotAuthenticated("Invalid or expired upload ticket.", invalid=True)
    claims = signing.unsign(secret, "upload", token)
    try:
        ticket = UploadTicket(**claims) if claims is not None else None
    except TypeError:
        raise invalid from None
    if ticket is None or ticket.expires_at < (now or time.time()):
        raise invalid
    return ticket


def finish_upload(db: Session, ticket: UploadTicket, stored: StoredBlob) -> File:
    """Record stored bytes as a file in the ticket's course and folder, resolving name clashes."""
    course = db.get(Course, ticket.course_id)
    user = db.get(User, ticket.user_id)
    if course is None or user is None or course.workflow_state == "deleted":
        raise NotFound("course")
    if ticket.kind == "submission":
        return own_file(db, user, ticket.name, ticket.content_type, stored)
    require(course_rights(db, user, course), "manage_files")  # rights may have changed since step 1
    record_blobs(db, {stored.sha256: stored.size})
    clashes = files_named(db, course.id, ticket.folder_path)
    name = ticket.name
    if ticket.on_duplicate == "overwrite":
        delete_all(db, clashes.get(name, []))
    else:
        name = free_name(name, clashes)
    folder = folder_at_path(db, course.id, ticket.folder_path)
    now = stamp()
    file = File(
        uuid=new_uuid(), course_id=course.id, user_id=user.id, folder_path=folder.full_name, folder_id=folder.id,
        display_name=name, filename=name, content_type=ticket.content_type, size=stored.size,
        blob_sha256=stored.sha256, created_at=now, updated_at=now,
    )
    db.add(file)
    db.flush()
    return file


def add_file(db: Session, actor: User, course_ref: str | int, name: str, data: bytes, blobs: BlobStore, *,
             folder_path: str | None = None, content_type: str | None = None) -> File:
    """Both upload steps at once, for bytes already in hand (demo data, imports): same checks, same rows."""
    ticket = start_upload(db, actor, course_ref, name=name, size=len(data), content_type=content_type,
                          folder_path=folder_path, on_duplicate="rename", max_upload_bytes=len(data))
    return finish_upload(db, ticket, blobs.put_stream([data], max_bytes=len(data)))
