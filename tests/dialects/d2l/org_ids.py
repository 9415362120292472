"""The org unit id (Valence's OrgUnitId) of a course made through the core, for tests that make courses directly."""

from __future__ import annotations

from courseport.core.courses import org_units
from courseport.schema import Course, OrgUnitRow


def ou(world, course: Course) -> int:
    with world.tx() as db:
        return org_units.org_unit_id_of(db, org_units.COURSE_OFFERING, course.id)


def ref(world, org_unit_id: int | str) -> int:
    """The id, in its own table, of the row an org unit id names (deleted rows too)."""
    with world.tx() as db:
        row = db.get_one(OrgUnitRow, int(org_unit_id))
        found = [row.account_id, row.term_id, row.course_template_id, row.course_id, row.section_id, row.group_id]
        return next(n for n in found if n is not None)


def group_ou(world, group_id: int | str) -> int:
    """The org unit id (Valence's GroupId) of a course group, by its own (Canvas) id."""
    with world.tx() as db:
        return org_units.org_unit_id_of(db, org_units.GROUP, int(group_id))
