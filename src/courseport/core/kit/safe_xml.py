"""XML from packages, parsed without trusting it: defusedxml refuses entity declarations (billion
laughs), external entities and DTD fetches (XXE), and nothing touches the network. A document
nested deeper than MAX_DEPTH or holding more than MAX_ELEMENTS elements is refused while it is
parsed, so the readers (some recursive) only ever see bounded trees. Helpers read elements by local
name, because manifests mix namespaces freely across SCORM editions.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from courseport.core.kit.errors import DomainError

# Real manifests and QTI files nest 10-20 deep and hold thousands of elements.
MAX_DEPTH = 100
MAX_ELEMENTS = 250_000
MAX_BYTES = 16 * 1024 * 1024


class BadXml(DomainError):
    """A package file is not XML this service accepts; the message names the file and the fault."""


class _BoundedBuilder(TreeBuilder):
    """The element tree builder, refusing a document past the depth or element limits as it goes."""

    def __init__(self, name: str):
        super().__init__()
        self.name, self.depth, self.count = name, 0, 0

    def start(self, tag: Any, attrs: Any) -> Element:
        self.depth += 1
        self.count += 1
        if self.depth > MAX_DEPTH:
            raise BadXml(f"{self.name} nests its elements more than {MAX_DEPTH} levels deep, which is not allowed")
        if self.count > MAX_ELEMENTS:
            raise BadXml(f"{self.name} has more than {MAX_ELEMENTS} elements, which is not allowed")
        return super().start(tag, attrs)

    def end(self, tag: Any) -> Element:
        self.depth -= 1
        return super().end(tag)


def parse_xml(data: bytes, name: str) -> Element:
    if len(data) > MAX_BYTES:
        raise BadXml(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MiB, which is not allowed")
    parser = DefusedXMLParser(target=_BoundedBuilder(name), forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    try:
        parser.feed(data)
        return cast(Element, parser.close())
    except DefusedXmlException:
        raise BadXml(f"{name} declares XML entities or external references, which are not allowed") from None
    except ParseError as exc:
        raise BadXml(f"{name} is not well-formed XML: {exc}") from None


def local(tag: object) -> str:
    """An element's name without its namespace (`{ns}item` -> `item`)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(el: Element | None, name: str) -> list[Element]:
    return [c for c in el if local(c.tag) == name] if el is not None else []


def child(el: Element | None, name: str) -> Element | None:
    found = children(el, name)
    return found[0] if found else None


def path(el: Element | None, *names: str) -> Element | None:
    for name in names:
        el = child(el, name)
    return el


def text(el: Element | None) -> str | None:
    value = (el.text or "").strip() if el is not None else ""
    return value or None


def attr(el: Element | None, name: str) -> str | None:
    """An attribute by local name, whatever its namespace prefix (`adlcp:scormtype`, `scormType`)."""
    if el is None:
        return None
    for key, value in el.attrib.items():
        if local(key).lower() == name.lower():
            return value.strip()
    return None


def descendants(el: Element, name: str) -> Iterator[Element]:
    return (d for d in el.iter() if local(d.tag) == name)


def namespaces(el: Element) -> set[str]:
    """Every namespace URI used by elements or attributes under `el`."""
    found: set[str] = set()
    for d in el.iter():
        for key in (d.tag, *d.attrib):
            if isinstance(key, str) and key.startswith("{"):
                found.add(key[1:].split("}", 1)[0])
    return found
