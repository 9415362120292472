"""Course packages read into content: IMS Common Cartridge 1.1-1.3 and IMS content packages.

The manifest's organization becomes modules and module items; resources become pages (web
content), links (web links), discussion topics and quizzes with their questions (QTI), as far as
the package carries them. Everything is read through the safe zip and XML readers; HTML is
sanitised. The result is plain data (`Cartridge`), written to a course by `offering_imports`.
"""

from __future__ import annotations

import posixpath
import string
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from courseport.core.content.module_items import external_url
from courseport.core.kit import safe_xml
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.html import sanitize_html
from courseport.core.packages.packages import PackageError, PackageSource, find_manifest, package_path

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_TITLE = 255  # Canvas's limit for a page title
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@dataclass
class Resource:
    """One importable thing: `kind` is an item type of core.content (page, link, discussion_topic, quiz)."""

    identifier: str
    kind: str
    title: str
    body: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    questions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Cartridge:
    standard: str  # "IMS Common Cartridge 1.3.0", "IMS Content Package"
    title: str
    resources: dict[str, Resource]
    modules: list[dict[str, Any]]  # {"title", "items": [{"title", "resource"}]}
    warnings: list[str] = field(default_factory=list)


def is_scorm(manifest: bytes) -> bool:
    return b"adlcp" in manifest and b"scormtype" in manifest.lower()


def parse_cartridge(source: PackageSource) -> Cartridge:
    found = find_manifest(source.paths(), "imsmanifest.xml")
    if found is None:
        raise PackageError("the package has no imsmanifest.xml at its root")
    root = safe_xml.parse_xml(source.read(found, MAX_FILE_BYTES), found)
    base = posixpath.dirname(found)
    schema = safe_xml.text(safe_xml.path(root, "metadata", "schema")) or ""
    version = safe_xml.text(safe_xml.path(root, "metadata", "schemaversion")) or ""
    standard = f"IMS Common Cartridge {version}" if "common cartridge" in schema.lower() else "IMS Content Package"
    warnings: list[str] = []
    resources = {}
    for el in safe_xml.descendants(root, "resource"):
        resource = _resource(el, source, base, warnings)
        if resource is not None:
            resources[resource.identifier] = resource
    organization = safe_xml.path(root, "organizations", "organization")
    title = safe_xml.text(safe_xml.path(organization, "title")) or _manifest_title(root) or "Imported course"
    return Cartridge(standard, title, resources, _modules(organization, resources), warnings)


def _manifest_title(root: Any) -> str | None:
    lom_title = next(safe_xml.descendants(root, "title"), None)
    return safe_xml.text(safe_xml.child(lom_title, "string")) if lom_title is not None else None


def _modules(organization: Any, resources: dict[str, Resource]) -> list[dict[str, Any]]:
    """Top-level items become modules; items under them (at any depth) their module items."""
    top = safe_xml.children(safe_xml.child(organization, "item"), "item") or safe_xml.children(organization, "item")
    modules = []
    for item in top:
        title = safe_xml.text(safe_xml.child(item, "title")) or "Module"
        entries = [d for d in item.iter() if safe_xml.local(d.tag) == "item" and safe_xml.attr(d, "identifierref")]
        if safe_xml.attr(item, "identifierref") and item not in entries:
            entries.insert(0, item)
        modules.append({"title": title, "items": [
            {"title": safe_xml.text(safe_xml.child(e, "title")), "resource": safe_xml.attr(e, "identifierref")}
            for e in entries if safe_xml.attr(e, "identifierref") in resources]})
    return modules


def _resource(el: Any, source: PackageSource, base: str, warnings: list[str]) -> Resource | None:
    identifier, kind = safe_xml.attr(el, "identifier") or "", (safe_xml.attr(el, "type") or "").lower()
    href = safe_xml.attr(el, "href") or safe_xml.attr(safe_xml.child(el, "file"), "href")
    path = package_path(base, href) if href else None
    if path is None or path not in source.paths():
        if href:
            warnings.append(f"resource {identifier} points at '{href}', which is not in the package")
        return None
    data = source.read(path, MAX_FILE_BYTES)
    if kind == "webcontent" and path.lower().endswith((".html", ".htm")):
        return _page(identifier, path, data.decode("utf-8", "replace"))
    if kind.startswith("imswl_xml"):
        return _link(identifier, safe_xml.parse_xml(data, path), warnings)
    if kind.startswith("imsdt_xml"):
        return _topic(identifier, safe_xml.parse_xml(data, path))
    if "assessment" in kind and kind.startswith("imsqti"):
        return _quiz(identifier, safe_xml.parse_xml(data, path))
    if kind != "webcontent":
        warnings.append(f"resource {identifier} of type '{kind}' is not imported")
    return None


def _page(identifier: str, path: str, html: str) -> Resource:
    """The sanitiser parses the whole document as the page body: `<head>` and `<title>` go with their
    content and `<html>`/`<body>` tags are dropped, so the body is what is left."""
    name = _title(html)[:MAX_TITLE] or posixpath.basename(path)
    return Resource(identifier, "page", name, sanitize_html(html, f"page {path}"))


def _title(html: str) -> str:
    """The text of the document's first `<title>` element, found by a linear scan, never by backtracking."""
    lowered = html.translate(_ASCII_LOWER)  # keeps every index (str.lower() may not: "İ" becomes two)
    start = lowered.find("<title")
    opened = lowered.find(">", start) if start >= 0 else -1
    end = lowered.find("</title", opened) if opened >= 0 else -1
    return " ".join(unescape(html[opened + 1:end]).split()) if end >= 0 else ""


def _link(identifier: str, root: Any, warnings: list[str]) -> Resource | None:
    """A web link, if the module item API would take its URL (the same rule); else none, with a warning."""
    url = safe_xml.attr(safe_xml.child(root, "url"), "href") or ""
    try:
        url = external_url(url)
    except InvalidInput:
        warnings.append(f"web link {identifier} points at {url[:200]!r}, which is not an http or https URL; "
                        "it is not imported")
        return None
    return Resource(identifier, "link", safe_xml.text(safe_xml.child(root, "title")) or url, data={"url": url})


def _topic(identifier: str, root: Any) -> Resource:
    text = safe_xml.child(root, "text")
    body = safe_xml.text(text) or ""
    if (safe_xml.attr(text, "texttype") or "text/plain") != "text/html":
        body = f"<p>{body}</p>" if body else ""
    return Resource(identifier, "discussion_topic", safe_xml.text(safe_xml.child(root, "title")) or "Discussion",
                    sanitize_html(body, f"discussion topic {identifier}"))


def _quiz(identifier: str, root: Any) -> Resource:
    assessment = next(safe_xml.descendants(root, "assessment"), None)
    title = safe_xml.attr(assessment, "title") or "Quiz"
    questions = [_question(item) for item in safe_xml.descendants(root, "item")]
    return Resource(identifier, "quiz", title, data={"quiz_type": "assignment"}, questions=questions)


def _question(item: Any) -> dict[str, Any]:
    profile = next((safe_xml.text(safe_xml.child(f, "fieldentry"))
                    for f in safe_xml.descendants(item, "qtimetadatafield")
                    if safe_xml.text(safe_xml.child(f, "fieldlabel")) == "cc_profile"), None)
    presentation = safe_xml.child(item, "presentation")
    text = safe_xml.text(safe_xml.path(presentation, "material", "mattext")) or ""
    answers = [{"id": safe_xml.attr(label, "ident"),
                "text": safe_xml.text(next(safe_xml.descendants(label, "mattext"), None))}
               for label in safe_xml.descendants(item, "response_label")]
    return {"title": safe_xml.attr(item, "title") or "Question", "text": sanitize_html(text, "question text"),
            "question_type": (profile or "cc.essay.v0p1").split(".")[1] if profile else "essay", "answers": answers}
