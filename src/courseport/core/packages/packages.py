"""Course packages: what a package is (SCORM 1.2, SCORM 2004 2nd/3rd/4th edition, cmi5, xAPI/Tin
Can, a single media file) and its parsed form: learning standard, title, activity tree, LOM
metadata, languages and warnings. Parsing reads only the manifest; files are stored elsewhere
(core/packages/package_imports.py). Shared by every dialect that imports packages.

Activity nodes are dicts: external_identifier, item_identifier, resource_identifier,
activity_type (AGGREGATION, SCO, ASSET), href (relative to the package root, or a URL),
scaled_passing_score (a decimal string), title, children.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlparse

from courseport.core.kit.errors import DomainError
from courseport.core.kit.safe_xml import attr, local, text

MANIFEST_MAX_BYTES = 16 * 1024 * 1024
MEDIA_TYPES = {
    ".pdf": "application/pdf", ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".wav": "audio/wav",
    ".ogg": "audio/ogg", ".mp4": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime",
}
MEDIA_STANDARD = "UNKNOWN"  # a bare media file follows no learning standard


class PackageError(DomainError):
    """The package cannot be imported; the message names the file and what is wrong."""


class PackageSource(Protocol):
    def paths(self) -> set[str]: ...
    def read(self, path: str, max_bytes: int) -> bytes: ...


@dataclass
class ParsedPackage:
    learning_standard: str
    title: str
    root_activity: dict[str, Any]
    metadata: dict[str, Any] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    xapi_activity_id: str | None = None

    @property
    def launch(self) -> str | None:
        return first_href(self.root_activity)

    def manifest_json(self) -> dict[str, Any]:
        return {"root_activity": self.root_activity, "metadata": self.metadata, "languages": self.languages,
                "warnings": self.warnings, "launch": self.launch, "xapi_activity_id": self.xapi_activity_id}


def activity(identifier: str | None, kind: str, title: str | None, *, href: str | None = None,
             resource: str | None = None, passing: str | None = None,
             kids: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"external_identifier": identifier, "item_identifier": identifier, "resource_identifier": resource,
            "activity_type": kind, "href": href, "scaled_passing_score": passing, "title": title or identifier,
            "children": kids or []}


def first_href(node: dict[str, Any]) -> str | None:
    if node.get("href") and node.get("activity_type") in ("SCO", "ASSET"):
        return node["href"]
    for kid in node.get("children", []):
        if found := first_href(kid):
            return found
    return None


def package_path(base: str, href: str) -> str | None:
    """The package path an href points at, or None for an absolute URL."""
    if urlparse(href).scheme:
        return None
    target = href.split("?", 1)[0].split("#", 1)[0]
    return posixpath.normpath(posixpath.join(base, target)).lstrip("/")


def check_href(source_paths: set[str], base: str, href: str, owner: str, warnings: list[str]) -> None:
    target = package_path(base, href)
    if target is not None and target not in source_paths:
        warnings.append(f"{owner} launches '{href}', which is not in the package")


def find_manifest(paths: set[str], name: str) -> str | None:
    """`name` at the package root, or in the one folder that holds the whole package."""
    matches = sorted((p for p in paths if posixpath.basename(p).lower() == name), key=lambda p: p.count("/"))
    if matches and matches[0].count("/") <= 1 and (len(matches) == 1 or matches[1].count("/") > matches[0].count("/")):
        return matches[0]
    return None


def lang_text(el: Any) -> tuple[str | None, str | None]:
    """Text and language of a LOM/cmi5 string holder (`<langstring lang>`, `<string language>`, or itself)."""
    for kid in list(el) if el is not None else []:
        if local(kid.tag) in ("langstring", "string") and text(kid):
            return text(kid), attr(kid, "lang") or attr(kid, "language")
    return text(el), None


def media_type(filename: str, declared: str | None = None) -> str | None:
    """The media type of a single-file course, or None when the file is not a supported medium."""
    by_name = MEDIA_TYPES.get(posixpath.splitext(filename.lower())[1])
    if by_name:
        return by_name
    return declared if declared in MEDIA_TYPES.values() else None


@dataclass(frozen=True)
class MediaDetails:
    """What the client says of a single media file, each part optional and taken as sent."""

    title: Any = None
    description: Any = None
    language: Any = None
    duration_seconds: Any = None  # counted only when a whole number of seconds

    @classmethod
    def of(cls, stored: dict[str, Any]) -> MediaDetails:
        """From a job's payload (`asdict` of one); names it does not know are dropped."""
        return cls(**{k: v for k, v in stored.items() if k in cls.__dataclass_fields__})


def parse_media(filename: str, href: str, details: MediaDetails) -> ParsedPackage:
    """A course of one media file (uploaded, fetched, or referenced by URL), described by `details`."""
    title = details.title or posixpath.splitext(posixpath.basename(filename))[0] or "Media"
    language, duration = details.language, details.duration_seconds
    metadata: dict[str, Any] = {
        "title": title, "description": details.description, "keywords": [],
        "duration": f"PT{int(duration)}S" if isinstance(duration, int) and duration >= 0 else None}
    tree = activity(posixpath.basename(filename) or href, "SCO", title, href=href)
    return ParsedPackage(MEDIA_STANDARD, title, tree, metadata, [language] if language else [])
