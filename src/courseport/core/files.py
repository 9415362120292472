"""Course files: upload tickets, file rows over content-addressed blobs, download verifiers.

An upload happens in two calls. The first checks the right to manage files and returns a signed,
expiring ticket naming everything the second call may do; the second carries only that ticket
(no credentials), streams the bytes into the blob store and records the file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import mimetypes
import posixpath
import time
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.blobs import StoredBlob
from courseport.core.accounts import new_uuid
from courseport.core.courses import readable_course
from courseport.core.errors import InvalidInput, NotAuthenticated, NotFound
from courseport.core.permissions import course_rights, require
from courseport.core.tokens import authenticate
from courseport.schema import Blob, Course, File, User

ROOT_FOLDER = "course files"
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


def start_upload(
    db: Session, actor: User, course_ref: str | int, *, name: str | None, size: int | None,
    content_type: str | None, folder_path: str | None, on_duplicate: str | None, max_upload_bytes: int,
    now: float | None = None,
) -> UploadTicket:
    """Check the actor may add files to the course and describe the upload it may make."""
    course, rights = readable_course(db, actor, course_ref)
    require(rights, "manage_files")
    name = (name or "").strip()
    if not name or "/" in name or name in (".", ".."):
        raise InvalidInput("name", "name is required and must be a plain file name")
    if size is not None and size < 0:
        raise InvalidInput("size", "size must not be negative")
    if size is not None and size > max_upload_bytes:
        raise InvalidInput("size", f"file size exceeds the limit of {max_upload_bytes} bytes")
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


def course_folder_path(relative: str | None) -> str:
    """The full folder path for a path relative to the course's root folder."""
    parts = [p for p in (relative or "").replace("\\", "/").split("/") if p not in ("", ".")]
    if ".." in parts:
        raise InvalidInput("parent_folder_path", "parent_folder_path must not contain '..'")
    if parts and parts[0] == ROOT_FOLDER:
        parts = parts[1:]
    return posixpath.join(ROOT_FOLDER, *parts)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, purpose: str, payload: bytes) -> bytes:
    return hmac.new(secret, purpose.encode() + b"\0" + payload, hashlib.sha256).digest()


def sign_ticket(secret: bytes, ticket: UploadTicket) -> str:
    payload = json.dumps(asdict(ticket), separators=(",", ":"), sort_keys=True).encode()
    return f"{_b64(payload)}.{_b64(_mac(secret, 'upload', payload))}"


def read_ticket(secret: bytes, token: str, now: float | None = None) -> UploadTicket:
    """The ticket a token carries, if its signature is ours and it has not expired."""
    invalid = NotAuthenticated("Invalid or expired upload ticket.", invalid=True)
    try:
        encoded, mac = token.split(".")
        payload = _unb64(encoded)
        good = hmac.compare_digest(_unb64(mac), _mac(secret, "upload", payload))
        ticket = UploadTicket(**json.loads(payload)) if good else None
    except (ValueError, TypeError):
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
    require(course_rights(db, user, course), "manage_files")  # rights may have changed since step 1
    _record_blob(db, stored)
    clashes = _files_named(db, course.id, ticket.folder_path)
    name = ticket.name
    if ticket.on_duplicate == "overwrite":
        for old in clashes.get(name, []):
            old.workflow_state = "deleted"
    else:
        name = free_name(name, clashes)
    file = File(
        uuid=new_uuid(), course_id=course.id, user_id=user.id, folder_path=ticket.folder_path,
        display_name=name, filename=name, content_type=ticket.content_type, size=stored.size,
        blob_sha256=stored.sha256,
    )
    db.add(file)
    db.flush()
    return file


def _record_blob(db: Session, stored: StoredBlob) -> None:
    if db.get(Blob, stored.sha256) is not None:
        return
    try:
        with db.begin_nested():
            db.add(Blob(sha256=stored.sha256, size=stored.size))
    except IntegrityError:
        pass  # a concurrent upload of the same bytes recorded it first


def _files_named(db: Session, course_id: int, folder_path: str) -> dict[str, list[File]]:
    named: dict[str, list[File]] = {}
    for f in db.scalars(select(File).where(File.course_id == course_id, File.folder_path == folder_path,
                                           File.workflow_state != "deleted")):
        named.setdefault(f.display_name, []).append(f)
    return named


def free_name(name: str, taken: dict[str, object] | set[str]) -> str:
    """`name` itself if free, else `stem-1.ext`, `stem-2.ext`, ... (Canvas's rename rule)."""
    if name not in taken:
        return name
    stem, ext = posixpath.splitext(name)
    n = 1
    while f"{stem}-{n}{ext}" in taken:
        n += 1
    return f"{stem}-{n}{ext}"


def show_file(db: Session, actor: User, file_id: int) -> File:
    file = _live_file(db, file_id)
    course = db.get(Course, file.course_id)
    if course is None:
        raise NotFound("file")
    readable_course(db, actor, course.id)
    return file


def file_verifier(secret: bytes, file: File) -> str:
    """A token that lets whoever holds the download URL read this file's bytes without credentials."""
    return _b64(_mac(secret, "download", f"{file.id}:{file.uuid}".encode()))[:32]


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
