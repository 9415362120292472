"""Org units (D2L's organisation tree) over the one store: the organization is the root account, a
department is an account below it, a semester is a term, a course template is a course_templates
row and a course offering is a course. Each kind keeps its own table, so an id names an org unit
only together with its kind (a semester id names a term, parent org unit ids name accounts).
Kinds are core words; the D2L dialect gives each its org unit type id, code and name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from courseport.core.identity import accounts
from courseport.core.kit.errors import NotFound
from courseport.schema import Account, Course, CourseTemplate, Term

# The kinds of org unit.
ORGANIZATION, COURSE_TEMPLATE, COURSE_OFFERING = "organization", "course_template", "course_offering"
SEMESTER, DEPARTMENT = "semester", "department"
KINDS = (ORGANIZATION, COURSE_TEMPLATE, COURSE_OFFERING, SEMESTER, DEPARTMENT)


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
    id: int
    name: str
    code: str
    kind: str


def org_unit_not_found(kind: str = "org unit") -> NotFound:
    return NotFound(kind, f"Could not resolve {kind} to a known org unit.")


def semester(db: Session, term_id: int) -> Term:
    term = db.get(Term, term_id)
    if term is None or term.workflow_state == "deleted":
        raise org_unit_not_found("semester")
    return term


def parent_account(db: Session, account_id: int) -> Account:
    """A department or the organization, by account id."""
    account = db.get(Account, account_id)
    if account is None or account.workflow_state == "deleted":
        raise org_unit_not_found("parent org unit")
    return account


def semester_of(db: Session, course: Course) -> OrgUnit | None:
    """The course's semester; the default term means the course has none."""
    term = db.get(Term, course.enrollment_term_id)
    if term is None or term.id == accounts.default_term(db, course.root_account_id).id:
        return None
    return OrgUnit(term.id, term.name, term.sis_term_id or "", SEMESTER)


def department_of(db: Session, account_id: int) -> OrgUnit | None:
    account = db.get(Account, account_id)
    if account is None or account.parent_account_id is None:
        return None
    return OrgUnit(account.id, account.name, account.sis_account_id or "", DEPARTMENT)


def template_of(db: Session, course: Course) -> OrgUnit | None:
    template = db.get(CourseTemplate, course.course_template_id) if course.course_template_id else None
    if template is None or template.workflow_state == "deleted":
        return None
    return OrgUnit(template.id, template.name, template.code, COURSE_TEMPLATE)
