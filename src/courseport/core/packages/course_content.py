"""A course version's files at its web path (SCORM Cloud's `webPathToCourse`,
"<course uuid>/<version>/"): the path is the capability, as SCORM Cloud's content URLs are. The
folder itself leads to the version's first launchable file."""

from __future__ import annotations

import posixpath

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.kit.errors import NotFound
from courseport.core.packages.previews import launchable_scos
from courseport.schema import PackageFile, PackageVersion


def content_file(db: Session, web_path: str, path: str) -> PackageFile | str:
    """The file at `path` under a version's web path, or (for the folder itself) the path of its
    first launchable file to go to."""
    version = db.scalar(select(PackageVersion).where(PackageVersion.web_path == web_path))
    if version is None:
        raise NotFound("file")
    if not path:
        first = next((s.href for s in launchable_scos(version) if "://" not in s.href), None)
        if first is None:
            raise NotFound("file")
        return first
    clean = posixpath.normpath("/" + path).lstrip("/")
    found = db.scalar(select(PackageFile).where(PackageFile.version_id == version.id, PackageFile.path == clean))
    if found is None or clean != path:
        raise NotFound("file")
    return found
