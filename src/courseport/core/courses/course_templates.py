"""Course templates: create under a department (or the organization), read, replace, delete. Templates
are named by their org unit id (`org_units`); reads and creation answer the template as an OrgUnit.

Managing a template takes adminship of its department; its offerings' staff may read it. A path
the caller leaves empty is made by the face's convention (`default_path`, from the id and code).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses import org_units
from courseport.core.identity import accounts, tenancy
from courseport.core.identity.permissions import STAFF_TYPES
from courseport.core.kit.errors import Conflict, InvalidInput, NotAllowed
from courseport.schema import Course, CourseTemplate, Enrollment, User
from courseport.schema.base import utcnow


def _live(db: Session, actor: User, org_unit_id: int) -> CourseTemplate:
    """A live template of the actor's tenant by its org unit id (another tenant's is not found)."""
    template = db.get_one(CourseTemplate, org_units.ref_of(db, org_unit_id, org_units.COURSE_TEMPLATE))
    if not _in_tenant(db, actor, template):
        raise org_units.org_unit_not_found("course template")
    return template


def _in_tenant(db: Session, actor: User, template: CourseTemplate) -> bool:
    account = accounts.get_account(db, template.account_id)
    return (account.root_account_id or account.id) == tenancy.tenant_of(db, actor.id)


def managed_template(db: Session, actor: User, template_id: int) -> CourseTemplate:
    template = _live(db, actor, template_id)
    if not accounts.is_admin_of(db, actor.id, template.account_id):
        raise NotAllowed()
    return template


def readable_template(db: Session, actor: User, template_id: int) -> org_units.OrgUnit:
    template = _live(db, actor, template_id)
    if accounts.is_admin_of(db, actor.id, template.account_id):
        return org_units.template_unit(db, template)
    teaches = db.scalar(select(Enrollment.id).join(Course, Course.id == Enrollment.course_id).where(
        Course.course_template_id == template.id, Enrollment.user_id == actor.id,
        Enrollment.type.in_(STAFF_TYPES), Enrollment.workflow_state == "active").limit(1))
    if teaches is None:
        raise NotAllowed()
    return org_units.template_unit(db, template)


def _checked_name(name: str) -> str:
    if not name.strip():
        raise InvalidInput("name", "name must not be empty")
    return name.strip()


def create_template(db: Session, actor: User, name: str, code: str, path: str, parent_ids: list[int], *,
                    default_path: Callable[[int, str], str]) -> org_units.OrgUnit:
    """A template under the first parent org unit (a department or the organization; none: the organization).
    `default_path` gets the new template's org unit id."""
    parents = [org_units.parent_account(db, pid) for pid in parent_ids] or [
        accounts.get_account(db, tenancy.tenant_of(db, actor.id))]
    if not all(accounts.is_admin_of(db, actor.id, parent.id) for parent in parents):
        raise NotAllowed()
    template = CourseTemplate(name=_checked_name(name), code=code.strip(), path=path, account_id=parents[0].id)
    db.add(template)
    db.flush()
    unit = org_units.template_unit(db, template)
    if not template.path:  # the service fills in the path when the caller leaves it empty
        template.path = default_path(unit.id, template.code)
        db.flush()
    return org_units.template_unit(db, template)


def replace_template(db: Session, actor: User, template_id: int, name: str, code: str) -> CourseTemplate:
    template = managed_template(db, actor, template_id)
    template.name, template.code, template.updated_at = _checked_name(name), code.strip(), utcnow()
    db.flush()
    return template


def delete_template(db: Session, actor: User, template_id: int) -> None:
    template = managed_template(db, actor, template_id)
    offerings = db.scalar(select(Course.id).where(Course.course_template_id == template.id,
                                                  Course.workflow_state != "deleted").limit(1))
    if offerings is not None:
        raise Conflict("The course template has course offerings; delete them first.")
    template.workflow_state, template.updated_at = "deleted", utcnow()
    db.flush()
