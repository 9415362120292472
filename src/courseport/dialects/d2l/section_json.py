"""Enrollment.SectionData blocks from core section views; RichText out, and the RichTextInput a section (or
group) block may carry in."""

from __future__ import annotations

from typing import Any

from courseport.core.courses.offering_sections import SectionView
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.html import plain_text, text_as_html


def render_section(view: SectionView) -> dict[str, Any]:
    """SectionData, its Description a RichText {Text, Html} of the section's kept HTML."""
    return {"SectionId": view.org_unit_id, "Name": view.section.name, "Code": view.section.sis_section_id or "",
            "Description": rich_text(view.section.description), "Enrollments": view.user_ids}


def rich_text(html: str | None) -> dict[str, str]:
    """A RichText block {Text, Html} of kept HTML."""
    return {"Text": plain_text(html or ""), "Html": html or ""}


def description_html(block: dict[str, Any]) -> str | None:
    """The block's Description, a RichTextInput {Content, Type: Text|Html}, as HTML (None when absent):
    Text is escaped, Html kept for core to sanitise. A RichText {Text, Html} as read is no input: refused
    rather than taken for an empty description."""
    value = block.get("Description")
    if value is None:
        return None
    if not (isinstance(value, dict) and isinstance(value.get("Content"), str)
            and value.get("Type", "Text") in ("Text", "Html", "text", "html")):
        raise InvalidInput("Description", "Description must be a RichTextInput {Content, Type: Text or Html}.")
    content = value.get("Content") or ""
    return content if str(value.get("Type", "Text")).lower() == "html" else text_as_html(content)
