"""Making org units, renaming them and changing the links between them, over the tables that hold them.

A department is made as an account under its parent (a department or the organization), a semester as
a term of the organization, a course template through `course_templates`; offerings are made from
their template (`course_offerings`) and sections in their offering (`sections`), not here. The links
the store can hold are the ones it keeps: an offering's semester (linking another semester moves the
offering, unlinking puts it back in the default term) and a template's department (linking another
department or the organization moves it). Every other parent is fixed by its row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from courseport.core.courses import course_templates, courses, groups, org_units, sections
from courseport.core.courses.courses import CourseChanges
from courseport.core.courses.groups import CourseGroupChanges
from courseport.core.courses.org_units import (
    COURSE_OFFERING,
    COURSE_TEMPLATE,
    DEPARTMENT,
    GROUP,
    ORGANIZATION,
    SECTION,
    SEMESTER,
    OrgUnit,
)
from courseport.core.courses.sections import SectionChanges
from courseport.core.identity import accounts, tenancy
from courseport.core.kit.errors import Conflict, InvalidInput, NotAllowed
from courseport.core.kit.uniqueness import held_by_another
from courseport.schema import Account, Course, CourseGroup, CourseTemplate, Term, User
from courseport.schema.base import utcnow


@dataclass(frozen=True)
class NewOrgUnit:
    kind: str
    name: str
    code: str
    parent_ids: list[int]


def create_org_unit(db: Session, actor: User, new: NewOrgUnit, *,
                    default_path: Callable[[int, str], str]) -> OrgUnit:
    """A department, semester or course template under the given parents (none: the organization)."""
    name, code = new.name.strip(), new.code.strip()
    if not name:
        raise InvalidInput("name", "name must not be empty")
    if new.kind == COURSE_TEMPLATE:
        return course_templates.create_template(db, actor, name, code, "", new.parent_ids, default_path=default_path)
    if new.kind not in (DEPARTMENT, SEMESTER):
        raise InvalidInput("type", "Only departments, semesters and course templates are made here; course "
                                   "offerings are made from their template and sections in their offering.")
    parents = [org_units.parent_account(db, pid) for pid in new.parent_ids] or [
        accounts.get_account(db, tenancy.tenant_of(db, actor.id))]
    if len(parents) > 1:
        raise InvalidInput("parents", f"A {org_units.WHAT[new.kind]} has exactly one parent.")
    parent = parents[0]
    if not accounts.is_admin_of(db, actor.id, parent.id):
        raise NotAllowed()
    if new.kind == SEMESTER:
        if parent.parent_account_id is not None:
            raise InvalidInput("parents", "A semester's parent is the organization.")
        if code and held_by_another(db, Term.sis_term_id, code, None, Term.root_account_id == parent.id):
            raise Conflict("Another org unit already has this code.")
        term = accounts.create_term(db, parent.id, name, sis_term_id=code or None)
        return org_units.resolve(db, org_units.org_unit_id_of(db, SEMESTER, term.id))
    if code and held_by_another(db, Account.sis_account_id, code, None,
                                   accounts.in_root(parent.root_account_id or parent.id)):
        raise Conflict("Another org unit already has this code.")
    account = accounts.create_account(db, name, parent.id, sis_account_id=code or None)
    return org_units.resolve(db, org_units.org_unit_id_of(db, DEPARTMENT, account.id))


def link(db: Session, actor: User, child_id: int, parent_id: int) -> None:
    """Make `parent_id` a parent of `child_id`, where the store keeps such a link."""
    child, parent = org_units.resolve(db, child_id), org_units.resolve(db, parent_id)
    if child.kind == COURSE_OFFERING and parent.kind == SEMESTER:
        courses.update_course(db, actor, child.ref_id, CourseChanges(term_id=parent.ref_id))
    elif child.kind == COURSE_TEMPLATE and parent.kind in (DEPARTMENT, ORGANIZATION):
        _move_template(db, actor, child.ref_id, parent.ref_id)
    else:
        raise InvalidInput("parent", f"A {org_units.WHAT[parent.kind]} cannot be made a parent of a "
                                     f"{org_units.WHAT[child.kind]}.")


def unlink(db: Session, actor: User, child_id: int, parent_id: int) -> None:
    """Remove `parent_id` from `child_id`'s parents: only an offering's semester can go."""
    child, parent = org_units.resolve(db, child_id), org_units.resolve(db, parent_id)
    course = db.get_one(Course, child.ref_id) if child.kind == COURSE_OFFERING else None
    if course is None or parent.kind != SEMESTER:
        raise InvalidInput("parent", f"A {org_units.WHAT[child.kind]} keeps this parent; link another to move it.")
    if course.enrollment_term_id != parent.ref_id:
        raise org_units.org_unit_not_found("parent org unit")
    default = accounts.default_term(db, course.root_account_id)
    courses.update_course(db, actor, course.id, CourseChanges(term_id=default.id))


def _move_template(db: Session, actor: User, template_id: int, account_id: int) -> None:
    template = db.get_one(CourseTemplate, template_id)
    if not (accounts.is_admin_of(db, actor.id, template.account_id) and accounts.is_admin_of(db, actor.id, account_id)):
        raise NotAllowed()
    template.account_id, template.updated_at = account_id, utcnow()
    db.flush()


def update_org_unit(db: Session, actor: User, org_unit_id: int, name: str, code: str, path: str | None) -> OrgUnit:
    """Rename an org unit of any kind and set its code (and, for templates and offerings, its path; None
    keeps it). Each kind is changed through the rules of the row behind it."""
    unit = org_units.resolve(db, org_unit_id)
    name, code = name.strip(), code.strip()
    if not name:
        raise InvalidInput("name", "name must not be empty")
    if unit.kind == COURSE_TEMPLATE:
        template = course_templates.replace_template(db, actor, org_unit_id, name, code)
        template.path = template.path if path is None else path
    elif unit.kind == COURSE_OFFERING:
        course = courses.update_course(db, actor, unit.ref_id, CourseChanges(name=name, course_code=code))
        course.content_path = course.content_path if path is None else path
    elif unit.kind == SECTION:
        sections.update_section(db, actor, str(unit.ref_id),
                                SectionChanges({"name", "sis_section_id"}, name=name, sis_section_id=code or None))
    elif unit.kind == GROUP:  # a code of "" gives the group its uuid back as its external id, as core makes it
        group = db.get_one(CourseGroup, unit.ref_id)
        groups.update_group(db, actor, str(group.id), CourseGroupChanges(name=name, external_id=code or group.uuid))
    elif unit.kind == SEMESTER:
        _rename_term(db, actor, db.get_one(Term, unit.ref_id), name, code)
    else:
        _rename_account(db, actor, db.get_one(Account, unit.ref_id), name, code)
    db.flush()
    return org_units.resolve(db, org_unit_id)


def _rename_term(db: Session, actor: User, term: Term, name: str, code: str) -> None:
    if not accounts.is_admin_of(db, actor.id, term.root_account_id):
        raise NotAllowed()
    if code and held_by_another(db, Term.sis_term_id, code, term.id,
                                   Term.root_account_id == term.root_account_id):
        raise Conflict("Another org unit already has this code.")
    term.name, term.sis_term_id = name, code or None


def _rename_account(db: Session, actor: User, account: Account, name: str, code: str) -> None:
    if not accounts.is_admin_of(db, actor.id, account.id):
        raise NotAllowed()
    if code and held_by_another(db, Account.sis_account_id, code, account.id,
                                   accounts.in_root(account.root_account_id or account.id)):
        raise Conflict("Another org unit already has this code.")
    account.name = name
    if code or account.parent_account_id is not None:  # the organization may have no code: an empty one keeps its own
        account.sis_account_id = code or None
