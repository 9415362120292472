"""Assets: files added to (or replaced in) an imported course version after its import.

An asset is a package file like any other (`package_files`), so the player serves it at its
`destination` path. Course-level calls act on the newest version. The update policy says whether
the destination may (`lax`), must not (`reject`) or must (`strict`) already hold a file. Bytes are
fetched or uploaded into the blob store between two short transactions (a check, then the write),
so no transaction waits on the network and a refused or failed transfer records nothing (its bytes,
referred to by no row, are the collector's: core/kit/blob_lifecycle.py).
"""

from __future__ import annotations

import mimetypes
import posixpath
import re
from dataclasses import dataclass
from typing import cast
from urllib.parse import unquote, urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.blobs import BlobStore, StoredBlob
from courseport.core.kit import outbound
from courseport.core.kit.blob_lifecycle import record_blobs
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.packages.scorm_courses import packaged_version
from courseport.schema import PackageFile, PackageVersion, User
from courseport.schema.base import utcnow

POLICIES = ("reject", "strict", "lax")
DEFAULT_POLICY = "lax"  # the operations "create or update" an asset
MAX_DESTINATION = 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class AssetTarget:
    """Where an asset goes: a course, one of its versions (None: the newest), a path, a policy."""

    course_id: str
    version: int | None
    destination: str | None  # None until a multipart body has named it
    policy: str


@dataclass(frozen=True)
class PlacedAsset:
    filename: str
    destination: str


def clean_destination(destination: str | None, field: str = "destination") -> str:
    """The package path a destination names; anything that could leave the package is refused."""
    raw = (destination or "").strip().replace("\\", "/")
    if not raw:
        raise InvalidInput(field, f"{field} is required")
    parts = raw.lstrip("/").split("/")
    if len(raw) > MAX_DESTINATION or _CONTROL.search(raw) or re.match(r"^[A-Za-z]:$", parts[0]) or \
            any(part in ("", ".", "..") for part in parts):
        raise InvalidInput(field, f"{field} must be a relative path inside the course, without '.', '..', "
                                  f"empty segments, drive letters or control characters")
    return "/".join(parts)


def check_target(db: Session, actor: User, course_id: str, version: int | None, destination: str | None,
                 policy: str | None) -> AssetTarget:
    """Refuse early (rights, course, version, policy, destination) before any bytes move."""
    policy = policy or DEFAULT_POLICY
    if policy not in POLICIES:
        raise InvalidInput("update_policy", "update_policy must be reject, strict or lax")
    where = AssetTarget(course_id, version, None if destination is None else clean_destination(destination), policy)
    _existing(db, actor, where)
    return where


def _existing(db: Session, actor: User, where: AssetTarget) -> tuple[PackageVersion, PackageFile | None]:
    _, version = packaged_version(db, actor, where.course_id, where.version)
    if where.destination is None:
        return version, None
    existing = _file(db, version, where.destination)
    if where.policy == "reject" and existing is not None:
        raise InvalidInput("update_policy", f"'{where.destination}' already exists and the policy is reject")
    if where.policy == "strict" and existing is None:
        raise InvalidInput("update_policy", f"'{where.destination}' does not exist and the policy is strict")
    return version, existing


def fetch_asset(blobs: BlobStore, policy: outbound.OutboundPolicy, fetch_url: str | None) -> StoredBlob:
    """The bytes at `fetch_url`, through the SSRF guard, into the blob store."""
    outbound.check_url(fetch_url, "fetch_url", policy)
    writer = blobs.open_writer(policy.max_bytes)
    try:
        outbound.fetch(cast(str, fetch_url), policy, writer)  # check_url refused None
        return writer.finish()
    finally:
        writer.abort()


def fetched_name(fetch_url: str) -> str:
    return posixpath.basename(unquote(urlparse(fetch_url).path))


def place_asset(db: Session, actor: User, where: AssetTarget, stored: StoredBlob,
                filename: str | None) -> PlacedAsset:
    """Record stored bytes at the destination, checking the policy again (the state may have moved)."""
    if where.destination is None:
        raise InvalidInput("destination", "destination is required")
    version, existing = _existing(db, actor, where)
    record_blobs(db, {stored.sha256: stored.size})
    row = existing or PackageFile(version_id=version.id, path=where.destination)
    row.blob_sha256, row.size, row.modified = stored.sha256, stored.size, utcnow()
    row.content_type = mimetypes.guess_type(where.destination)[0] or "application/octet-stream"
    db.add(row)
    db.flush()
    return PlacedAsset(filename or posixpath.basename(where.destination), where.destination)


def _file(db: Session, version: PackageVersion, path: str) -> PackageFile | None:
    return db.scalar(select(PackageFile).where(PackageFile.version_id == version.id, PackageFile.path == path))


def asset_file(db: Session, actor: User, course_id: str, version: int | None, relative_path: str | None) -> PackageFile:
    """The file at `relative_path` in the version (an asset or a file of the package)."""
    _, row = packaged_version(db, actor, course_id, version)
    found = _file(db, row, clean_destination(relative_path, "relative_path"))
    if found is None:
        raise NotFound("asset", f"No file at '{relative_path}' in course '{course_id}'")
    return found


def delete_asset(db: Session, actor: User, course_id: str, version: int | None, relative_path: str | None) -> None:
    """Remove the file from the version (its bytes stay while other rows may share them)."""
    db.delete(asset_file(db, actor, course_id, version, relative_path))
    db.flush()
