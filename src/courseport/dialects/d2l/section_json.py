"""Enrollment.SectionData blocks from core section views; the RichTextInput a section block may carry."""

from __future__ import annotations

from typing import Any

from courseport.core.courses.offering_sections import SectionView
from courseport.core.kit.errors import InvalidInput


def render_section(view: SectionView) -> dict[str, Any]:
    """SectionData; sections keep no description here, so it is always empty."""
    return {"SectionId": view.org_unit_id, "Name": view.section.name, "Code": view.section.sis_section_id or "",
            "Description": {"Text": "", "Html": ""}, "Enrollments": view.user_ids}


def check_rich_text_input(block: dict[str, Any]) -> None:
    """Description, when sent, must be a RichTextInput {Content, Type: Text|Html}."""
    value = block.get("Description")
    if value is None:
        return
    if not (isinstance(value, dict) and isinstance(value.get("Content", ""), str)
            and value.get("Type", "Text") in ("Text", "Html", "text", "html")):
        raise InvalidInput("Description", "Description must be a RichTextInput {Content, Type: Text or Html}.")
