"""Reads a SCORM 2004 `imsmanifest.xml` (bytes, parsed by `kit.safe_xml`) into an `ActivityTree`:
the chosen organization's items, their resources' hrefs and their IMS SS sequencing, with
`<imsss:sequencing IDRef>` resolved against `<imsss:sequencingCollection>` (the item's own
elements win, element by element, over the shared ones). Anything malformed raises `InvalidInput`
naming the manifest element at fault.

A manifest without any `<imsss:sequencing>` gets the SN defaults except `flow`: the SN default
(flow false) would refuse start, continue and previous, while SCORM Cloud lets a learner flow
through such content with continue and previous, so every cluster of such a manifest flows.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.safe_xml import BadXml, attr, child, children, descendants, local, parse_xml, text
from courseport.core.packages.sequencing.rules_xml import read_sequencing
from courseport.core.packages.sequencing.tree import Activity, ActivityTree, DataMap, Sequencing

_FIELD = "manifest"
MAX_ACTIVITIES = 5_000


def parse_tree(manifest_xml: bytes, organization: str | None = None) -> ActivityTree:
    """The activity tree of `organization` (the manifest's default, or its first, when None)."""
    try:
        root = parse_xml(manifest_xml, "imsmanifest.xml")
    except BadXml as exc:
        raise InvalidInput(_FIELD, exc.message) from None
    if local(root.tag) != "manifest":
        raise InvalidInput(_FIELD, f"imsmanifest.xml's root element is <{local(root.tag)}>, not <manifest>")
    org = _organization(root, organization)
    reader = _Reader(root, flow=next(descendants(root, "sequencing"), None) is None)
    tree = ActivityTree(reader.activity(org, is_root=True))
    if not tree.leaves() or all(leaf.resource_href is None for leaf in tree.leaves()):
        raise InvalidInput(_FIELD, "imsmanifest.xml has no item that launches content")
    return tree


def _organization(root: Element, wanted: str | None) -> Element:
    holder = child(root, "organizations")
    orgs = children(holder, "organization")
    if not orgs:
        raise InvalidInput(_FIELD, "imsmanifest.xml has no <organization>")
    name = wanted or attr(holder, "default")
    found = next((o for o in orgs if attr(o, "identifier") == name), None)
    if found is None and wanted:
        raise InvalidInput("organization", f"organization '{wanted}' is not in imsmanifest.xml")
    return found or orgs[0]


class _Reader:
    """Turns `<organization>`/`<item>` elements into activities, resolving resources and shared sequencing."""

    def __init__(self, root: Element, flow: bool):
        holder = child(root, "resources")
        self.resources = {attr(r, "identifier"): r for r in children(holder, "resource")}
        self.resources_base = attr(holder, "base") or ""
        collection = child(root, "sequencingCollection")
        self.shared = {attr(s, "ID"): s for s in children(collection, "sequencing")}
        self.seen: set[str] = set()
        self.base = Sequencing(flow=flow)

    def activity(self, el: Element, is_root: bool = False) -> Activity:
        identifier = attr(el, "identifier")
        what = "organization" if is_root else "item"
        if not identifier:
            raise InvalidInput(_FIELD, f"imsmanifest.xml has an <{what}> without an identifier")
        if identifier in self.seen:
            raise InvalidInput(_FIELD, f"imsmanifest.xml uses the identifier '{identifier}' twice")
        self.seen.add(identifier)
        if len(self.seen) > MAX_ACTIVITIES:
            raise InvalidInput(_FIELD, f"imsmanifest.xml has more than {MAX_ACTIVITIES} items")
        kids = tuple(self.activity(item) for item in children(el, "item"))
        href = None if (is_root or kids) else self.href(el, identifier)
        return Activity(id=identifier, title=text(child(el, "title")) or identifier, resource_href=href,
                        children=kids, sequencing=self.sequencing(el, identifier),
                        visible=(attr(el, "isvisible") or "true").lower() != "false",
                        hide_lms_ui=_hidden_controls(el), data_maps=_data_maps(el, identifier))

    def href(self, item: Element, identifier: str) -> str | None:
        ref = attr(item, "identifierref")
        if not ref:
            return None
        resource = self.resources.get(ref)
        if resource is None:
            raise InvalidInput(_FIELD, f"imsmanifest.xml: item '{identifier}' refers to resource '{ref}', "
                                       "which the manifest does not define")
        href = attr(resource, "href")
        if not href:
            raise InvalidInput(_FIELD, f"imsmanifest.xml: resource '{ref}' (used by item '{identifier}') has no href")
        params = attr(item, "parameters") or ""
        if params and params[0] not in "?#":
            params = "?" + params
        return self.resources_base + (attr(resource, "base") or "") + href + params

    def sequencing(self, item: Element, identifier: str) -> Sequencing:
        own = child(item, "sequencing")
        parts: list[Element] = list(own) if own is not None else []
        ref = attr(own, "IDRef")
        if ref:
            shared = self.shared.get(ref)
            if shared is None:
                raise InvalidInput(_FIELD, f"imsmanifest.xml: item '{identifier}' refers to shared sequencing "
                                           f"'{ref}', which <sequencingCollection> does not define")
            names = {p.tag for p in parts}  # namespaced: imsss:objectives and adlseq:objectives differ
            parts += [p for p in shared if p.tag not in names]
        return read_sequencing(self.base, parts, child(item, "completionThreshold"), f"item '{identifier}'")


def _hidden_controls(item: Element) -> tuple[str, ...]:
    """`adlnav:presentation/navigationInterface/hideLMSUI` values (continue, previous, exit...)."""
    interface = child(child(item, "presentation"), "navigationInterface")
    return tuple(value for el in children(interface, "hideLMSUI") if (value := text(el)))


def _data_maps(item: Element, identifier: str) -> tuple[DataMap, ...]:
    """`adlcp:data/adlcp:map` (4th edition shared data buckets): targetID, readSharedData, writeSharedData."""
    found = []
    for el in children(child(item, "data"), "map"):
        target = attr(el, "targetID")
        if not target:
            raise InvalidInput(_FIELD, f"imsmanifest.xml: item '{identifier}' has an <adlcp:map> without a targetID")
        found.append(DataMap(target, read=(attr(el, "readSharedData") or "true").lower() != "false",
                             write=(attr(el, "writeSharedData") or "false").lower() == "true"))
    return tuple(found)
