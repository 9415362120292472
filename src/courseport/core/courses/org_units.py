"""Org units (D2L's organisation tree) over the one store: the organization is the root account, a
department is an account below it, a semester is a term, a course template is a course_templates
row, a course offering is a course, a section is a course's (non-default) section and a group is a course
group (its code the group's own external id; "" when only its uuid stands for one).

Every org unit has one id from one sequence (`org_units`, schema/org_units.py): the id is allocated
when the row is inserted, so any org unit resolves by id alone (`resolve`) and a row's org unit id is
`org_unit_id_of(db, kind, ref_id)`. The other faces keep their own ids (account, term, course ids).
A default term and a course's default section are no org units: the offering stands for them.
Kinds are core words; the D2L dialect gives each its org unit type id, code and name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, tenancy
from courseport.core.kit.errors import NotFound
from courseport.schema import Account, Course, CourseGroup, CourseTemplate, OrgUnitRow, Section, Term, User

# The kinds of org unit.
ORGANIZATION, COURSE_TEMPLATE, COURSE_OFFERING = "organization", "course_template", "course_offering"
SEMESTER, DEPARTMENT, SECTION, GROUP = "semester", "department", "section", "group"
KINDS = (ORGANIZATION, COURSE_TEMPLATE, COURSE_OFFERING, SEMESTER, DEPARTMENT, SECTION, GROUP)
# Kind -> the mapping column naming its row.
REF_COLUMNS = {ORGANIZATION: OrgUnitRow.account_id, DEPARTMENT: OrgUnitRow.account_id, SEMESTER: OrgUnitRow.term_id,
               COURSE_TEMPLATE: OrgUnitRow.course_template_id, COURSE_OFFERING: OrgUnitRow.course_id,
               SECTION: OrgUnitRow.section_id, GROUP: OrgUnitRow.group_id}
WHAT = {ORGANIZATION: "organization", DEPARTMENT: "department", SEMESTER: "semester",
        COURSE_TEMPLATE: "course template", COURSE_OFFERING: "course offering", SECTION: "section", GROUP: "group"}


@dataclass(frozen=True)
class ParentRule:
    """May (or must) an org unit of `kind` be a parent of the org unit being created?"""

    kind: str
    not_allowed: bool
    required: bool


# An offering hangs under its template (required) and may sit in a semester; a template hangs
# under a department or the organization itself.
OFFERING_PARENTS = (ParentRule(COURSE_TEMPLATE, False, True), ParentRule(SEMESTER, False, False),
                    ParentRule(DEPARTMENT, True, False), ParentRule(ORGANIZATION, True, False))
TEMPLATE_PARENTS = (ParentRule(DEPARTMENT, False, False), ParentRule(ORGANIZATION, False, False),
                    ParentRule(SEMESTER, True, False))


@dataclass(frozen=True)
class OrgUnit:
    """An org unit: its org unit id, name, code, kind, content path and the id of its row in its own table."""

    id: int
    name: str
    code: str
    kind: str
    path: str = ""
    ref_id: int = 0


def org_unit_not_found(kind: str = "org unit") -> NotFound:
    return NotFound(kind, f"Could not resolve {kind} to a known org unit.")


def org_unit_id_of(db: Session, kind: str, ref_id: int) -> int:
    """The org unit id of the row `ref_id` of `kind`'s table (allocated when that row was inserted)."""
    found = db.scalar(select(OrgUnitRow.id).where(REF_COLUMNS[kind] == ref_id))
    if found is None:
        raise org_unit_not_found(WHAT[kind])
    return found


def resolve(db: Session, org_unit_id: int) -> OrgUnit:
    """Any live org unit by its id, whatever its kind."""
    row = db.get(OrgUnitRow, org_unit_id)
    unit = _unit_of(db, row) if row is not None else None
    if unit is None:
        raise org_unit_not_found()
    return unit


def ref_of(db: Session, org_unit_id: int, *kinds: str) -> int:
    """The row id behind an org unit id that must name one of `kinds` (its own table's id)."""
    row = db.get(OrgUnitRow, org_unit_id)
    if row is None or row.kind not in kinds or (unit := _unit_of(db, row)) is None:
        raise org_unit_not_found(WHAT[kinds[0]] if len(kinds) == 1 else "org unit")
    return unit.ref_id


def _unit_of(db: Session, row: OrgUnitRow) -> OrgUnit | None:
    if row.account_id is not None:
        account = db.get(Account, row.account_id)
        return None if account is None or account.workflow_state == "deleted" else account_unit(row.id, account)
    if row.term_id is not None:
        term = db.get(Term, row.term_id)
        if term is None or term.workflow_state == "deleted" or is_default_term(db, term):
            return None
        return OrgUnit(row.id, term.name, term.sis_term_id or "", SEMESTER, "", term.id)
    if row.course_template_id is not None:
        template = db.get(CourseTemplate, row.course_template_id)
        if template is None or template.workflow_state == "deleted":
            return None
        return OrgUnit(row.id, template.name, template.code, COURSE_TEMPLATE, template.path, template.id)
    if row.course_id is not None:
        course = db.get(Course, row.course_id)
        if course is None or course.workflow_state == "deleted":
            return None
        return OrgUnit(row.id, course.name, course.course_code or "", COURSE_OFFERING, course.content_path or "",
                       course.id)
    if row.group_id is not None:
        group = db.get(CourseGroup, row.group_id)
        return None if group is None or group.workflow_state == "deleted" else group_unit(row.id, group)
    section = db.get(Section, row.section_id) if row.section_id is not None else None
    if section is None or section.workflow_state == "deleted" or section.default_section:
        return None
    return OrgUnit(row.id, section.name, section.sis_section_id or "", SECTION, "", section.id)


def account_unit(org_unit_id: int, account: Account) -> OrgUnit:
    kind = ORGANIZATION if account.parent_account_id is None else DEPARTMENT
    return OrgUnit(org_unit_id, account.name, account.sis_account_id or "", kind, "", account.id)


def group_code(group: CourseGroup) -> str:
    """A group's code: its external id, "" when only its uuid stands for one."""
    return "" if group.external_id in (None, group.uuid) else str(group.external_id)


def group_unit(org_unit_id: int, group: CourseGroup) -> OrgUnit:
    return OrgUnit(org_unit_id, group.name, group_code(group), GROUP, "", group.id)


def is_default_term(db: Session, term: Term) -> bool:
    return term.id == accounts.default_term(db, term.root_account_id).id


def organization(db: Session, actor: User) -> OrgUnit:
    """The actor's organization: their tenant's root account."""
    root = accounts.get_account(db, tenancy.tenant_of(db, actor.id))
    return account_unit(org_unit_id_of(db, ORGANIZATION, root.id), root)


def semester(db: Session, org_unit_id: int) -> Term:
    """A semester by its org unit id."""
    return db.get_one(Term, ref_of(db, org_unit_id, SEMESTER))


def parent_account(db: Session, org_unit_id: int) -> Account:
    """A department or the organization, by org unit id."""
    try:
        return db.get_one(Account, ref_of(db, org_unit_id, DEPARTMENT, ORGANIZATION))
    except NotFound:
        raise org_unit_not_found("parent org unit") from None


def semester_of(db: Session, course: Course) -> OrgUnit | None:
    """The course's semester; the default term means the course has none."""
    term = db.get(Term, course.enrollment_term_id)
    if term is None or is_default_term(db, term):
        return None
    return OrgUnit(org_unit_id_of(db, SEMESTER, term.id), term.name, term.sis_term_id or "", SEMESTER, "", term.id)


def department_of(db: Session, account_id: int) -> OrgUnit | None:
    account = db.get(Account, account_id)
    if account is None or account.parent_account_id is None:
        return None
    return account_unit(org_unit_id_of(db, DEPARTMENT, account.id), account)


def template_of(db: Session, course: Course) -> OrgUnit | None:
    template = db.get(CourseTemplate, course.course_template_id) if course.course_template_id else None
    if template is None or template.workflow_state == "deleted":
        return None
    return template_unit(db, template)


def template_unit(db: Session, template: CourseTemplate) -> OrgUnit:
    return OrgUnit(org_unit_id_of(db, COURSE_TEMPLATE, template.id), template.name, template.code, COURSE_TEMPLATE,
                   template.path, template.id)
