"""Which learning standard a package follows, found by its manifest at the package root, and the
parsers of the two small manifests (cmi5.xml, tincan.xml). SCORM's imsmanifest.xml, the biggest, is
read by scorm_manifest.py; this module sits above it and packages.py (the parsed form both build),
so no parser imports the dispatcher that calls it.
"""

from __future__ import annotations

import posixpath
from typing import Any, cast
from urllib.parse import urlparse

from courseport.core.kit.safe_xml import attr, child, children, local, parse_xml, text
from courseport.core.packages.packages import (
    MANIFEST_MAX_BYTES,
    PackageError,
    PackageSource,
    ParsedPackage,
    activity,
    check_href,
    find_manifest,
    first_href,
    lang_text,
    package_path,
)
from courseport.core.packages.scorm_manifest import parse_scorm


def parse_package(source: PackageSource) -> ParsedPackage:
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
    if any(posixpath.splitext(p.lower())[1] == ".crs" for p in paths):
        raise PackageError("AICC (HACP) packages are not supported: courseport imports SCORM 1.2, SCORM 2004, "
                           "cmi5 and xAPI (tincan.xml) packages; republish the course as one of those")
    raise PackageError("the package has no imsmanifest.xml (SCORM), cmi5.xml (cmi5) or tincan.xml (xAPI) "
                       "at its root")


def _kept_query(path: str, href: str) -> str:
    """A package path with the query its href gave (an AU's `index.html?pages=2` is launched with it)."""
    query = href.split("#", 1)[0].partition("?")[2]
    return f"{path}?{query}" if query else path


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
    href = url if urlparse(url).scheme else _kept_query(cast(str, package_path(base, url)), url)
    check_href(paths, "", href, f"au '{identifier}'", warnings)
    found = activity(identifier, "SCO", title, href=href, passing=attr(node, "masteryScore"))
    found["move_on"] = attr(node, "moveOn") or "NotApplicable"  # cmi5's default
    found["launch_method"] = attr(node, "launchMethod") or "AnyWindow"
    found["launch_parameters"] = text(child(node, "launchParameters"))
    return found


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
    href = launch if urlparse(launch).scheme else _kept_query(cast(str, package_path(base, launch)), launch)
    check_href(source.paths(), "", href, f"activity '{identifier}'", warnings)
    tree = activity(identifier, "SCO", title, href=href)
    metadata: dict[str, Any] = {"title": title, "title_language": lang, "description": description, "keywords": []}
    return ParsedPackage("XAPI", title or identifier or "xAPI course", tree, metadata, [lang] if lang else [],
                         warnings, xapi_activity_id=identifier)
