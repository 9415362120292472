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
from typing import Any, Protocol, cast
from urllib.parse import urlparse

from courseport.core.kit.errors import DomainError
from courseport.core.kit.safe_xml import attr, child, children, local, parse_xml, text

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


def parse_package(source: PackageSource) -> ParsedPackage:
    from courseport.core.packages.scorm_manifest import parse_scorm  # SCORM is the biggest parser; it lives apart

    paths = source.paths()
    for name, parser in (("imsmanifest.xml", parse_scorm), ("cmi5.xml", parse_cmi5), ("tincan.xml", parse_tincan)):
        found = find_manifest(paths, name)
        if found is None:
            continue
        base = posixpath.dirname(found)
        parsed = parser(source.read(found, MANIFEST_MAX_BYTES), source, base)
        if base:
            parsed.warnings.insert(0, f"{name} is in the folder '{base}', not at the package root")
        return parsed
    raise PackageError("the package has no imsmanifest.xml (SCORM), cmi5.xml (cmi5) or tincan.xml (xAPI) "
                       "at its root")


def lang_text(el: Any) -> tuple[str | None, str | None]:
    """Text and language of a LOM/cmi5 string holder (`<langstring lang>`, `<string language>`, or itself)."""
    for kid in list(el) if el is not None else []:
        if local(kid.tag) in ("langstring", "string") and text(kid):
            return text(kid), attr(kid, "lang") or attr(kid, "language")
    return text(el), None


def parse_cmi5(data: bytes, source: PackageSource, base: str) -> ParsedPackage:
    root = parse_xml(data, "cmi5.xml")
    if local(root.tag) != "courseStructure":
        raise PackageError(f"cmi5.xml's root element is <{local(root.tag)}>, not <courseStructure>")
    course = child(root, "course")
    if course is None or not attr(course, "id"):
        raise PackageError("cmi5.xml has no <course> with an id")
    warnings: list[str] = []
    paths = source.paths()
    kids = [_cmi5_node(n, base, paths, warnings) for n in root if local(n.tag) in ("au", "block")]
    title, lang = lang_text(child(course, "title"))
    description, desc_lang = lang_text(child(course, "description"))
    tree = activity(attr(course, "id"), "AGGREGATION", title, kids=kids)
    if first_href(tree) is None:
        raise PackageError("cmi5.xml has no <au> (assignable unit)")
    metadata: dict[str, Any] = {"title": title, "title_language": lang, "description": description,
                                "description_language": desc_lang, "keywords": []}
    return ParsedPackage("CMI5", title or cast(str, attr(course, "id")), tree, metadata, [lang] if lang else [],
                         warnings, xapi_activity_id=attr(course, "id"))


def _cmi5_node(node: Any, base: str, paths: set[str], warnings: list[str]) -> dict[str, Any]:
    identifier, (title, _) = attr(node, "id"), lang_text(child(node, "title"))
    if local(node.tag) == "block":
        kids = [_cmi5_node(n, base, paths, warnings) for n in node if local(n.tag) in ("au", "block")]
        return activity(identifier, "AGGREGATION", title, kids=kids)
    url = text(child(node, "url"))
    if not url:
        raise PackageError(f"cmi5.xml: au '{identifier}' has no <url>")
    href = url if urlparse(url).scheme else cast(str, package_path(base, url))  # None only for absolute URLs
    check_href(paths, "", href, f"au '{identifier}'", warnings)
    return activity(identifier, "SCO", title, href=href, passing=attr(node, "masteryScore"))


def parse_tincan(data: bytes, source: PackageSource, base: str) -> ParsedPackage:
    root = parse_xml(data, "tincan.xml")
    if local(root.tag) != "tincan":
        raise PackageError(f"tincan.xml's root element is <{local(root.tag)}>, not <tincan>")
    launchable = [a for a in children(child(root, "activities"), "activity") if text(child(a, "launch"))]
    if not launchable:
        raise PackageError("tincan.xml has no <activity> with a <launch>")
    course = next((a for a in launchable if (attr(a, "type") or "").endswith("/course")), launchable[0])
    identifier, launch = attr(course, "id"), cast(str, text(child(course, "launch")))  # launchable: has one
    title, description = text(child(course, "name")), text(child(course, "description"))
    lang = attr(child(course, "name"), "lang")
    warnings: list[str] = []
    href = launch if urlparse(launch).scheme else cast(str, package_path(base, launch))
    check_href(source.paths(), "", href, f"activity '{identifier}'", warnings)
    tree = activity(identifier, "SCO", title, href=href)
    metadata: dict[str, Any] = {"title": title, "title_language": lang, "description": description, "keywords": []}
    return ParsedPackage("XAPI", title or identifier or "xAPI course", tree, metadata, [lang] if lang else [],
                         warnings, xapi_activity_id=identifier)


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
