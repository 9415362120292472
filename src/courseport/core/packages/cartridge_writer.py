"""An IMS Common Cartridge 1.1 written from plain data: pages as web content, discussion topics, web
links and quizzes (QTI 1.2 with the cartridge's question profiles), and the modules as the organization.

The reverse of `cartridges.parse_cartridge`, which reads what this writes. XML is built with ElementTree,
which escapes every text and attribute; page bodies are the course's own sanitised HTML.
"""

from __future__ import annotations

import html
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree import ElementTree as ET

CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
DT = "http://www.imsglobal.org/xsd/imsccv1p1/imsdt_v1p1"
WL = "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1"
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
LOM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
TYPES = {"page": "webcontent", "discussion_topic": "imsdt_xmlv1p1", "link": "imswl_xmlv1p1",
         "quiz": "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"}
# Canvas question types -> the cartridge's QTI profiles (others are written as essays).
PROFILES = {"multiple_choice_question": "cc.multiple_choice.v0p1", "true_false_question": "cc.true_false.v0p1",
            "multiple_answers_question": "cc.multiple_response.v0p1", "short_answer_question": "cc.fib.v0p1",
            "essay_question": "cc.essay.v0p1", "multiple_choice": "cc.multiple_choice.v0p1",
            "true_false": "cc.true_false.v0p1", "multiple_response": "cc.multiple_response.v0p1",
            "fib": "cc.fib.v0p1", "essay": "cc.essay.v0p1"}
ET.register_namespace("", CP)  # the manifest's default namespace; the other documents name theirs
ET.register_namespace("lomimscc", LOM)


@dataclass
class Question:
    title: str
    text: str
    question_type: str
    answers: list[dict[str, Any]]  # {"text", "weight"}: weight 100 marks a right answer


@dataclass
class Entry:
    """One resource: `kind` is a key of TYPES; `body` a page's or topic's HTML; `url` a link's."""

    identifier: str
    kind: str
    title: str
    body: str = ""
    url: str = ""
    questions: list[Question] = field(default_factory=list)


@dataclass
class Module:
    title: str
    items: list[tuple[str, str]]  # (title, resource identifier)


def write_cartridge(out: IO[bytes], title: str, entries: list[Entry], modules: list[Module]) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for entry in entries:
            zf.writestr(_path(entry), _document(entry))
        zf.writestr("imsmanifest.xml", _manifest(title, entries, modules))


def _path(entry: Entry) -> str:
    if entry.kind == "page":
        return f"wiki_content/{entry.identifier}.html"
    if entry.kind == "quiz":
        return f"{entry.identifier}/assessment_qti.xml"
    return f"{entry.identifier}.xml"


def _xml(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _document(entry: Entry) -> bytes:
    if entry.kind == "page":
        # No whitespace around the body: an importer that keeps the document's text gets the body exactly.
        return (f"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
                f"<title>{html.escape(entry.title)}</title></head><body>{entry.body}</body></html>").encode()
    if entry.kind == "discussion_topic":
        topic = ET.Element(f"{{{DT}}}topic")
        _sub(topic, f"{{{DT}}}title", entry.title)
        _sub(topic, f"{{{DT}}}text", entry.body, texttype="text/html")
        return _xml(topic)
    if entry.kind == "link":
        link = ET.Element(f"{{{WL}}}webLink")
        _sub(link, f"{{{WL}}}title", entry.title)
        _sub(link, f"{{{WL}}}url", href=entry.url)
        return _xml(link)
    return _xml(_assessment(entry))


def _assessment(entry: Entry) -> ET.Element:
    root = ET.Element(f"{{{QTI}}}questestinterop")
    section = _sub(_sub(root, f"{{{QTI}}}assessment", ident=entry.identifier, title=entry.title),
                   f"{{{QTI}}}section", ident="root_section")
    for n, question in enumerate(entry.questions, start=1):
        _item(section, f"{entry.identifier}_q{n}", question)
    return root


def _item(section: ET.Element, ident: str, question: Question) -> None:
    q = f"{{{QTI}}}"
    item = _sub(section, q + "item", ident=ident, title=question.title)
    field_ = _sub(_sub(_sub(item, q + "itemmetadata"), q + "qtimetadata"), q + "qtimetadatafield")
    profile = PROFILES.get(question.question_type, "cc.essay.v0p1")
    _sub(field_, q + "fieldlabel", "cc_profile")
    _sub(field_, q + "fieldentry", profile)
    presentation = _sub(item, q + "presentation")
    _sub(_sub(presentation, q + "material"), q + "mattext", question.text, texttype="text/html")
    if profile in ("cc.essay.v0p1", "cc.fib.v0p1") or not question.answers:
        _sub(_sub(presentation, q + "response_str", ident="response1", rcardinality="Single"), q + "render_fib")
        return
    cardinality = "Multiple" if profile == "cc.multiple_response.v0p1" else "Single"
    choice = _sub(_sub(presentation, q + "response_lid", ident="response1", rcardinality=cardinality),
                  q + "render_choice")
    right = []
    for n, answer in enumerate(question.answers, start=1):
        label = _sub(choice, q + "response_label", ident=f"{ident}_a{n}")
        _sub(_sub(label, q + "material"), q + "mattext", str(answer.get("text") or ""), texttype="text/plain")
        if (answer.get("weight") or 0) > 0:
            right.append(f"{ident}_a{n}")
    if right:
        processing = _sub(item, q + "resprocessing")
        _sub(_sub(processing, q + "outcomes"), q + "decvar", maxvalue="100", minvalue="0", varname="SCORE",
             vartype="Decimal")
        condition = _sub(processing, q + "respcondition", **{"continue": "No"})
        conditions = _sub(condition, q + "conditionvar")
        for ident_ in right:
            _sub(conditions, q + "varequal", ident_, respident="response1")
        _sub(condition, q + "setvar", "100", action="Set", varname="SCORE")


def _manifest(title: str, entries: list[Entry], modules: list[Module]) -> bytes:
    root = ET.Element(f"{{{CP}}}manifest", identifier="courseport_export")
    metadata = _sub(root, f"{{{CP}}}metadata")
    _sub(metadata, f"{{{CP}}}schema", "IMS Common Cartridge")
    _sub(metadata, f"{{{CP}}}schemaversion", "1.1.0")
    lom_title = _sub(_sub(_sub(metadata, f"{{{LOM}}}lom"), f"{{{LOM}}}general"), f"{{{LOM}}}title")
    _sub(lom_title, f"{{{LOM}}}string", title)
    organization = _sub(_sub(root, f"{{{CP}}}organizations"), f"{{{CP}}}organization", identifier="org_1",
                        structure="rooted-hierarchy")
    top = _sub(organization, f"{{{CP}}}item", identifier="LearningModules")
    for m, module in enumerate(modules, start=1):
        node = _sub(top, f"{{{CP}}}item", identifier=f"module_{m}")
        _sub(node, f"{{{CP}}}title", module.title)
        for i, (item_title, ref) in enumerate(module.items, start=1):
            _sub(_sub(node, f"{{{CP}}}item", identifier=f"module_{m}_item_{i}", identifierref=ref),
                 f"{{{CP}}}title", item_title)
    resources = _sub(root, f"{{{CP}}}resources")
    for entry in entries:
        path = _path(entry)
        attrs = {"identifier": entry.identifier, "type": TYPES[entry.kind]}
        if entry.kind == "page":
            attrs["href"] = path
        _sub(_sub(resources, f"{{{CP}}}resource", **attrs), f"{{{CP}}}file", href=path)
    return _xml(root)
