"""Canvas JSON for custom gradebook columns (CustomColumn) and their entries (ColumnDatum)."""

from __future__ import annotations

from typing import Any

from courseport.schema import GradebookColumn, GradebookColumnDatum


def render_column(column: GradebookColumn) -> dict[str, Any]:
    return {"id": column.id, "teacher_notes": column.teacher_notes, "title": column.title,
            "position": column.position, "hidden": column.hidden, "read_only": column.read_only}


def render_datum(user_id: int, content: str | None) -> dict[str, Any]:
    return {"content": content, "user_id": user_id}


def render_data(rows: list[GradebookColumnDatum]) -> list[dict[str, Any]]:
    return [render_datum(row.user_id, row.content) for row in rows]
