"""SCORM `imsmanifest.xml`: the edition (1.2, 2004 2nd/3rd/4th), the default organization as an
activity tree (items, resources, hrefs, passing scores) and the LOM metadata (inline or in a
separate file named by `adlcp:location`).
"""

from __future__ import annotations

from typing import Any, cast
from xml.etree.ElementTree import Element

from courseport.core.kit.safe_xml import BadXml, attr, child, children, descendants, local, namespaces, parse_xml, text
from courseport.core.packages.packages import (
    MANIFEST_MAX_BYTES,
    PackageError,
    PackageSource,
    ParsedPackage,
    activity,
    check_href,
    first_href,
    lang_text,
    package_path,
)

_EDITIONS = {
    "1.1": "SCORM11", "1.2": "SCORM12", "cam 1.3": "SCORM20042NDEDITION",
    "2004 2nd edition": "SCORM20042NDEDITION", "2004 3rd edition": "SCORM20043RDEDITION",
    "2004 4th edition": "SCORM20044THEDITION",
}
_NS_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
_NS_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"


def parse_scorm(data: bytes, source: PackageSource, base: str) -> ParsedPackage:
    root = parse_xml(data, "imsmanifest.xml")
    if local(root.tag) != "manifest":
        raise PackageError(f"imsmanifest.xml's root element is <{local(root.tag)}>, not <manifest>")
    warnings: list[str] = []
    standard = edition(root, warnings)
    resources = {attr(r, "identifier"): r for r in children(child(root, "resources"), "resource")}
    org = default_organization(root, warnings)
    reader = _Items(resources, base + "/" if base else "", source.paths(), standard, warnings,
                    _xml_base(child(root, "resources")))
    tree = activity(attr(org, "identifier"), "AGGREGATION", text(child(org, "title")),
                    kids=[reader.node(item) for item in children(org, "item")])
    if first_href(tree) is None:
        raise PackageError("imsmanifest.xml has no item that launches content")
    metadata, languages = manifest_metadata(root, source, base, warnings)
    title = tree["title"] or metadata.get("title") or attr(root, "identifier") or "Untitled course"
    return ParsedPackage(standard, title, tree, metadata, languages, warnings)


def edition(root: Element, warnings: list[str]) -> str:
    version = text(child(child(root, "metadata"), "schemaversion"))
    if version and version.lower() in _EDITIONS:
        return _EDITIONS[version.lower()]
    used = namespaces(root)
    guess = "SCORM20043RDEDITION" if _NS_2004 in used else "SCORM12"
    named = f"schemaversion '{version}' is not a SCORM version" if version else "imsmanifest.xml has no schemaversion"
    hint = "its namespaces" if (_NS_2004 in used or _NS_12 in used) else "default"
    warnings.append(f"{named}; treated as {guess} ({hint})")
    return guess


def default_organization(root: Element, warnings: list[str]) -> Element:
    holder = child(root, "organizations")
    orgs = children(holder, "organization")
    if not orgs:
        raise PackageError("imsmanifest.xml has no <organization>")
    wanted = attr(holder, "default")
    org = next((o for o in orgs if attr(o, "identifier") == wanted), None)
    if org is None:
        if wanted:
            warnings.append(f"the default organization '{wanted}' is not defined; the first one is used")
        org = orgs[0]
    if len(orgs) > 1:
        warnings.append(f"the manifest has {len(orgs)} organizations; only '{attr(org, 'identifier')}' is imported")
    return org


def _xml_base(el: Element | None) -> str:
    return attr(el, "base") or ""


class _Items:
    """Turns `<item>` elements into activity nodes, resolving their resources."""

    def __init__(self, resources: dict[str | None, Element], base: str, paths: set[str], standard: str,
                 warnings: list[str], resources_base: str):
        self.resources, self.base, self.paths = resources, base, paths
        self.scorm12, self.warnings, self.resources_base = standard in ("SCORM11", "SCORM12"), warnings, resources_base

    def node(self, item: Element) -> dict[str, Any]:
        identifier, ref = attr(item, "identifier"), attr(item, "identifierref")
        title = text(child(item, "title"))
        kids = [self.node(i) for i in children(item, "item")]
        if not ref:
            if not kids:
                self.warnings.append(f"item '{identifier}' has neither a resource nor child items")
            return activity(identifier, "AGGREGATION", title, kids=kids)
        resource = self.resources.get(ref)
        if resource is None:
            raise PackageError(f"imsmanifest.xml: item '{identifier}' refers to resource '{ref}', "
                               "which the manifest does not define")
        href = attr(resource, "href")
        if not href:
            raise PackageError(f"imsmanifest.xml: resource '{ref}' (used by item '{identifier}') has no href")
        href = self.resources_base + _xml_base(resource) + href + _parameters(attr(item, "parameters"))
        check_href(self.paths, self.base, href, f"resource '{ref}'", self.warnings)
        target = package_path(self.base, href)
        if target is not None:
            href = target + (href[href.index("?"):] if "?" in href else "")
        kind = "SCO" if (attr(resource, "scormtype") or "").lower() == "sco" else "ASSET"
        return activity(identifier, kind if not kids else "AGGREGATION", title, href=href, resource=ref,
                        passing=self.passing_score(item), kids=kids)

    def passing_score(self, item: Element) -> str | None:
        if self.scorm12:
            raw = text(child(item, "masteryscore"))
            scaled = _number(raw, f"item '{attr(item, 'identifier')}' masteryscore", self.warnings)
            return None if scaled is None else _decimal(scaled / 100)
        for objective in descendants(item, "primaryObjective"):
            if (attr(objective, "satisfiedByMeasure") or "").lower() == "true":
                raw = text(child(objective, "minNormalizedMeasure")) or "1.0"
                scaled = _number(raw, f"item '{attr(item, 'identifier')}' minNormalizedMeasure", self.warnings)
                return None if scaled is None else _decimal(scaled)
        return None


def _parameters(params: str | None) -> str:
    if not params:
        return ""
    return params if params[0] in "?#" else "?" + params


def _number(raw: str | None, what: str, warnings: list[str]) -> float | None:
    if raw is None:
        return None
    try:
        return float(raw)
    except ValueError:
        warnings.append(f"{what} '{raw}' is not a number; ignored")
        return None


def _decimal(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.1f}"


def manifest_metadata(root: Element, source: PackageSource, base: str,
                      warnings: list[str]) -> tuple[dict[str, Any], list[str]]:
    """LOM title, description, duration, typical time and keywords of the manifest, with languages."""
    holder = child(root, "metadata")
    lom = next(descendants(holder, "lom"), None) if holder is not None else None
    location = text(child(holder, "location"))
    if lom is None and location:
        path = package_path(base, location)
        if path in source.paths():
            try:
                lom = parse_xml(source.read(path, MANIFEST_MAX_BYTES), location)
            except BadXml as exc:
                warnings.append(f"metadata file: {exc.message}")
        else:
            warnings.append(f"metadata file '{location}' is not in the package")
    return lom_metadata(lom) if lom is not None else ({"keywords": []}, [])


def _lower_child(el: Element | None, name: str) -> Element | None:
    return next((c for c in el if local(c.tag).lower() == name), None) if el is not None else None


def _lower_path(el: Element | None, *names: str) -> Element | None:
    for name in names:
        el = _lower_child(el, name)
    return el


def _duration(el: Element | None) -> str | None:
    inner = _lower_child(el, "duration") or _lower_child(el, "datetime")
    return text(inner) or text(el)


def lom_metadata(lom: Element) -> tuple[dict[str, Any], list[str]]:
    general = _lower_child(lom, "general")
    title, title_lang = lang_text(_lower_child(general, "title"))
    description, desc_lang = lang_text(_lower_child(general, "description"))
    keywords = []
    for kw in (c for c in (general if general is not None else []) if local(c.tag).lower() == "keyword"):
        strings = [text(s) for s in kw if local(s.tag) in ("langstring", "string") and text(s)]
        keywords.extend(strings or ([text(kw)] if text(kw) else []))
    languages = [text(c) for c in (general if general is not None else [])
                 if local(c.tag).lower() == "language" and text(c)]
    for lang in (title_lang, desc_lang):
        if lang and lang not in languages:
            languages.append(lang)
    metadata: dict[str, Any] = {
        "title": title, "title_language": title_lang, "description": description,
        "description_language": desc_lang, "duration": _duration(_lower_path(lom, "technical", "duration")),
        "typical_time": _duration(_lower_path(lom, "educational", "typicallearningtime")), "keywords": keywords,
    }
    return metadata, cast(list[str], languages)  # only elements whose text is not None
