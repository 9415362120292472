"""XML from packages, parsed without trusting it: defusedxml refuses entity declarations (billion
laughs), external entities and DTD fetches (XXE), and nothing touches the network. Helpers read
elements by local name, because manifests mix namespaces freely across SCORM editions.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from courseport.core.errors import DomainError


class BadXml(DomainError):
    """A package file is not XML this service accepts; the message names the file and the fault."""


def parse_xml(data: bytes, name: str) -> Element:
    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise BadXml(f"{name} declares XML entities or external references, which are not allowed ({exc})") from None
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
