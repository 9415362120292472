"""One org unit id namespace (D2L's OrgUnitId) over the tables that hold org units.

Each row maps one id, taken from this table's own sequence, to exactly one account (the organization
or a department), term (a semester), course template, course (an offering), section or course group
(D2L's groups are org units too). The other
faces keep their own ids; this table is the only place an org unit id lives.

Ids are allocated when the row they name is inserted, by the `after_insert` listeners below, in the
inserting transaction: every ORM insert of those six models gets one, whichever code path made it
(a Canvas sub-account, a Learn term, a copy's new course, a demo section), so no creation path can
forget it and no read ever has to write. A foreign key per kind (ON DELETE CASCADE) drops the
mapping with its row, bulk deletes included. Like a column default, the listeners belong to the
storage, not to a rule core lends another, so they are attached here rather than in `wiring.py`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, ForeignKey, String, event, insert
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from courseport.schema.accounts import Account, Term
from courseport.schema.base import Base
from courseport.schema.course_templates import CourseTemplate
from courseport.schema.courses import Course, Section
from courseport.schema.groups import CourseGroup


class OrgUnitRow(Base):
    __tablename__ = "org_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    # organization, department, semester, course_template, course_offering, section, group (core/courses/org_units.py)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), unique=True)
    term_id: Mapped[int | None] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), unique=True)
    course_template_id: Mapped[int | None] = mapped_column(ForeignKey("course_templates.id", ondelete="CASCADE"),
                                                           unique=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), unique=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"), unique=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("course_groups.id", ondelete="CASCADE"), unique=True)


# Model -> the mapping column that names its rows.
REF_COLUMNS: dict[type[Base], str] = {Account: "account_id", Term: "term_id", CourseTemplate: "course_template_id",
                                      Course: "course_id", Section: "section_id", CourseGroup: "group_id"}


def _kind(target: Any) -> str:
    if isinstance(target, Account):
        return "organization" if target.parent_account_id is None else "department"
    return {Term: "semester", CourseTemplate: "course_template", Course: "course_offering",
            Section: "section", CourseGroup: "group"}[type(target)]


def _allocate(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    column = REF_COLUMNS[mapper.class_]
    connection.execute(insert(OrgUnitRow).values(kind=_kind(target), **{column: target.id}))


for _model in REF_COLUMNS:
    if not event.contains(_model, "after_insert", _allocate):
        event.listen(_model, "after_insert", _allocate)
