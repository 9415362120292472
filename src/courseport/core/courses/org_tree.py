"""The org structure as a tree over the one org unit id namespace (`org_units`): each org unit's parents
and children, ancestors, descendants, childless units, orphans and a search, in org unit id order.

Parents: a department's is the account above it (a department or the organization); a semester's is
its organization; a template's its department (or the organization); an offering's its template (or,
made without one, its account) and its semester if it has one; a section's and a group's its offering. Reading the
structure takes adminship of the organization (any org unit's own record is also readable by its
course's readers, `readable_unit`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.core.courses import courses
from courseport.core.courses.org_units import (
    COURSE_OFFERING,
    COURSE_TEMPLATE,
    DEPARTMENT,
    GROUP,
    ORGANIZATION,
    SECTION,
    SEMESTER,
    OrgUnit,
    account_unit,
    group_unit,
    org_unit_not_found,
    resolve,
)
from courseport.core.identity import accounts, tenancy
from courseport.core.kit.errors import NotAllowed
from courseport.schema import Account, Course, CourseGroup, CourseTemplate, OrgUnitRow, Section, Term, User


@dataclass
class Tree:
    units: dict[int, OrgUnit] = field(default_factory=dict)
    parents: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    children: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    def link(self, child: int, parent: int | None) -> None:
        if parent is not None and parent in self.units and child in self.units:
            self.parents[child].append(parent)
            self.children[parent].append(child)

    def listed(self, ids: Iterable[int]) -> list[OrgUnit]:
        return [self.units[i] for i in sorted(set(ids))]

    def ancestors(self, unit_id: int) -> list[OrgUnit]:
        return self.listed(_walk(unit_id, self.parents))

    def descendants(self, unit_id: int) -> list[OrgUnit]:
        return self.listed(_walk(unit_id, self.children))

    def childless(self) -> list[OrgUnit]:
        return [u for i, u in sorted(self.units.items()) if not self.children.get(i)]

    def orphans(self) -> list[OrgUnit]:
        return [u for i, u in sorted(self.units.items()) if not self.parents.get(i)]


def _walk(start: int, edges: dict[int, list[int]]) -> set[int]:
    seen: set[int] = set()
    todo = list(edges.get(start, ()))
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo.extend(edges.get(n, ()))
    return seen


@dataclass(frozen=True)
class UnitQuery:
    """Search filters: a kind, a code or name part (case-insensitive), an exact code or name."""

    kind: str | None = None
    code: str | None = None
    name: str | None = None
    exact_code: str | None = None
    exact_name: str | None = None

    def matches(self, unit: OrgUnit) -> bool:
        return ((self.kind is None or unit.kind == self.kind)
                and (self.code is None or self.code.lower() in unit.code.lower())
                and (self.name is None or self.name.lower() in unit.name.lower())
                and (self.exact_code is None or unit.code == self.exact_code)
                and (self.exact_name is None or unit.name == self.exact_name))


def require_structure_reader(db: Session, actor: User) -> int:
    """The actor's organization (their tenant's root account), which they must administer."""
    root_id = tenancy.tenant_of(db, actor.id)
    if not accounts.is_admin_of(db, actor.id, root_id):
        raise NotAllowed()
    return root_id


def structure(db: Session, actor: User) -> Tree:
    """The org structure of the actor's organization, for an admin of it."""
    return load_tree(db, require_structure_reader(db, actor))


def readable_unit(db: Session, actor: User, org_unit_id: int) -> OrgUnit:
    """One org unit: organization admins read any, a department's admins it and its templates, an offering's,
    section's or group's course readers it."""
    unit = resolve(db, org_unit_id)
    root_id = tenancy.tenant_of(db, actor.id)
    if _root_of(db, unit) != root_id:
        raise org_unit_not_found()  # another organization's: not there for this caller
    account_id = {DEPARTMENT: unit.ref_id, ORGANIZATION: unit.ref_id}.get(unit.kind)
    if unit.kind == COURSE_TEMPLATE:
        account_id = db.get_one(CourseTemplate, unit.ref_id).account_id
    if accounts.is_admin_of(db, actor.id, root_id if account_id is None else account_id):
        return unit
    if unit.kind in (COURSE_OFFERING, SECTION, GROUP):
        courses.readable_course(db, actor, _course_of(db, unit))
        return unit
    raise NotAllowed()


def _course_of(db: Session, unit: OrgUnit) -> int:
    """The course id of an offering, a section or a group."""
    if unit.kind == SECTION:
        return db.get_one(Section, unit.ref_id).course_id
    return db.get_one(CourseGroup, unit.ref_id).course_id if unit.kind == GROUP else unit.ref_id


def _root_of(db: Session, unit: OrgUnit) -> int | None:
    """The root account (organization) an org unit belongs to."""
    if unit.kind in (ORGANIZATION, DEPARTMENT):
        account = db.get_one(Account, unit.ref_id)
        return account.root_account_id or account.id
    if unit.kind == SEMESTER:
        return db.get_one(Term, unit.ref_id).root_account_id
    if unit.kind == COURSE_TEMPLATE:
        account = db.get_one(Account, db.get_one(CourseTemplate, unit.ref_id).account_id)
        return account.root_account_id or account.id
    return db.get_one(Course, _course_of(db, unit)).root_account_id


def load_tree(db: Session, root_id: int) -> Tree:
    """The org units of one organization (root account) and their links."""
    tree = Tree()
    by_account: dict[int, int] = {}
    account_parent: dict[int, int | None] = {}
    in_root = (Account.id == root_id) | (Account.root_account_id == root_id)
    for ou, account in db.execute(select(OrgUnitRow.id, Account).join(Account, Account.id == OrgUnitRow.account_id)
                                  .where(Account.workflow_state != "deleted", in_root)).tuples():
        tree.units[ou] = account_unit(ou, account)
        by_account[account.id], account_parent[ou] = ou, account.parent_account_id
    for ou, parent in account_parent.items():
        tree.link(ou, by_account.get(parent) if parent is not None else None)
    defaults = set(db.scalars(select(func.min(Term.id)).where(Term.name == "Default Term")
                              .group_by(Term.root_account_id)))
    by_term: dict[int, int] = {}
    for ou, term in db.execute(select(OrgUnitRow.id, Term).join(Term, Term.id == OrgUnitRow.term_id)
                               .where(Term.workflow_state != "deleted", Term.id.not_in(defaults),
                                      Term.root_account_id == root_id)).tuples():
        tree.units[ou] = OrgUnit(ou, term.name, term.sis_term_id or "", SEMESTER, "", term.id)
        by_term[term.id] = ou
        tree.link(ou, by_account.get(term.root_account_id))
    by_template: dict[int, int] = {}
    templates = select(OrgUnitRow.id, CourseTemplate).join(CourseTemplate,
                                                           CourseTemplate.id == OrgUnitRow.course_template_id)
    for ou, template in db.execute(templates.where(CourseTemplate.workflow_state != "deleted")).tuples():
        if template.account_id not in by_account:
            continue  # another organization's
        tree.units[ou] = OrgUnit(ou, template.name, template.code, COURSE_TEMPLATE, template.path, template.id)
        by_template[template.id] = ou
        tree.link(ou, by_account.get(template.account_id))
    _load_offerings(db, tree, root_id, (by_account, by_term, by_template))
    return tree


def _load_offerings(db: Session, tree: Tree, root_id: int,
                    by_kind: tuple[dict[int, int], dict[int, int], dict[int, int]]) -> None:
    by_account, by_term, by_template = by_kind
    by_course: dict[int, int] = {}
    for ou, course in db.execute(select(OrgUnitRow.id, Course).join(Course, Course.id == OrgUnitRow.course_id)
                                 .where(Course.workflow_state != "deleted", Course.root_account_id == root_id)
                                 ).tuples():
        tree.units[ou] = OrgUnit(ou, course.name, course.course_code or "", COURSE_OFFERING,
                                 course.content_path or "", course.id)
        by_course[course.id] = ou
        template = by_template.get(course.course_template_id) if course.course_template_id else None
        tree.link(ou, template if template is not None else by_account.get(course.account_id))
        tree.link(ou, by_term.get(course.enrollment_term_id))
    for ou, section in db.execute(select(OrgUnitRow.id, Section).join(Section, Section.id == OrgUnitRow.section_id)
                                  .where(Section.workflow_state != "deleted", Section.default_section.is_(False))
                                  ).tuples():
        if section.course_id not in by_course:
            continue  # another organization's
        tree.units[ou] = OrgUnit(ou, section.name, section.sis_section_id or "", SECTION, "", section.id)
        tree.link(ou, by_course.get(section.course_id))
    groups = select(OrgUnitRow.id, CourseGroup).join(CourseGroup, CourseGroup.id == OrgUnitRow.group_id)
    for ou, group in db.execute(groups.where(CourseGroup.workflow_state != "deleted")).tuples():
        if group.course_id in by_course:  # else another organization's
            tree.units[ou] = group_unit(ou, group)
            tree.link(ou, by_course[group.course_id])
