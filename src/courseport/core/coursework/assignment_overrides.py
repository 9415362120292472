"""One assignment's overrides as the API offers them, and batches across a course.

Each call checks the caller's access to the assignment (`assignments`) and then reads or writes
through `overrides`; kept apart from `overrides` because assignments write their overrides through
it too, and a module of both would import each other.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from courseport.core.courses import sections
from courseport.core.coursework import assignments, late_regrades
from courseport.core.coursework.overrides import OverrideChanges, OverrideView, overrides_of, write_override
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.schema import User


def list_overrides(db: Session, actor: User, course_ref: str | int, assignment_id: str) -> list[OverrideView]:
    access, item = assignments.readable_assignment(db, actor, course_ref, assignment_id)
    return access.visible_overrides(db, overrides_of(db, [item.id])[item.id])


def show_override(db: Session, actor: User, course_ref: str | int, assignment_id: str,
                  override_id: str) -> OverrideView:
    access, item = assignments.readable_assignment(db, actor, course_ref, assignment_id)
    return _find(access.visible_overrides(db, overrides_of(db, [item.id])[item.id]), override_id)


def section_override(db: Session, actor: User, section_ref: str, assignment_id: str) -> tuple[int, OverrideView]:
    """The assignment's override for a section, read through the section, with the course it is in."""
    section, course, _ = sections.readable_section(db, actor, section_ref)
    for view in list_overrides(db, actor, course.id, assignment_id):
        if view.override.course_section_id == section.id:
            return course.id, view
    raise NotFound("assignment override")


def create_override(db: Session, actor: User, course_ref: str | int, assignment_id: str,
                    changes: OverrideChanges) -> OverrideView:
    _, item = assignments.editable_assignment(db, actor, course_ref, assignment_id)
    view = write_override(db, item, None, changes)
    assignments.touch(db, item)
    late_regrades.dates_moved(db, item)
    return view


def update_override(db: Session, actor: User, course_ref: str | int, assignment_id: str, override_id: str,
                    changes: OverrideChanges) -> OverrideView:
    _, item = assignments.editable_assignment(db, actor, course_ref, assignment_id)
    found = _find(overrides_of(db, [item.id])[item.id], override_id)
    view = write_override(db, item, found.override, changes)
    assignments.touch(db, item)
    late_regrades.dates_moved(db, item)
    return view


def delete_override(db: Session, actor: User, course_ref: str | int, assignment_id: str,
                    override_id: str) -> OverrideView:
    _, item = assignments.editable_assignment(db, actor, course_ref, assignment_id)
    found = _find(overrides_of(db, [item.id])[item.id], override_id)
    found.override.workflow_state = "deleted"
    db.flush()
    assignments.touch(db, item)
    late_regrades.dates_moved(db, item)
    return found


def batch_show(db: Session, actor: User, course_ref: str | int,
               wanted: list[tuple[str, str]]) -> list[OverrideView | None]:
    """The overrides named by (assignment id, override id); None where one is not found or not visible."""
    out: list[OverrideView | None] = []
    for assignment_id, override_id in wanted:
        try:
            out.append(show_override(db, actor, course_ref, assignment_id, override_id))
        except NotFound:
            out.append(None)
    return out


def batch_write(db: Session, actor: User, course_ref: str | int,
                requests: list[tuple[str, str | None, OverrideChanges]]) -> list[OverrideView]:
    """Create ((assignment id, None, changes)) or update ((assignment id, override id, changes)) overrides,
    all or none; an error names the entry (`assignment_overrides[i]`) it belongs to."""
    out = []
    for i, (assignment_id, override_id, changes) in enumerate(requests):
        try:
            if override_id is None:
                out.append(create_override(db, actor, course_ref, assignment_id, changes))
            else:
                out.append(update_override(db, actor, course_ref, assignment_id, override_id, changes))
        except InvalidInput as exc:
            raise InvalidInput(f"assignment_overrides[{i}][{exc.field}]", f"entry {i}: {exc.message}") from None
        except NotFound:
            what = "assignment" if override_id is None else "assignment or override"
            raise InvalidInput(f"assignment_overrides[{i}]", f"entry {i}: {what} not found") from None
    return out


def _find(views: list[OverrideView], override_id: str) -> OverrideView:
    for view in views:
        if str(view.override.id) == str(override_id):
            return view
    raise NotFound("assignment override")
