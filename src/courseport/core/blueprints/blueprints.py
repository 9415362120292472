"""Blueprint courses: the template of a blueprint course, its associated courses, queuing a sync,
item restrictions, and reading syncs (blueprint side) and imports (associated side).

The sync itself is the job in `blueprint_sync`; restrictions and the edit check live in
`blueprint_locks`. A sync's changes are computed by `blueprint_sync.changes_since`, so the
unsynced-changes list and what a sync exports cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from courseport.core.blueprints import blueprint_locks, blueprint_sync
from courseport.core.courses.courses import readable_course, resolve_course
from courseport.core.identity import accounts
from courseport.core.jobs import jobs
from courseport.core.kit.errors import DomainError, InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, fetch_window, window_of
from courseport.schema import (
    BlueprintImport,
    BlueprintMigration,
    BlueprintSubscription,
    BlueprintTemplate,
    Course,
    Term,
    User,
)

RUNNING = blueprint_sync.RUNNING
MIGRATION_OPTIONS = ("send_notification", "copy_settings", "send_item_notifications", "publish_after_initial_sync")


@dataclass(frozen=True)
class TemplateView:
    template: BlueprintTemplate
    associated_course_count: int
    latest_migration: BlueprintMigration | None


@dataclass(frozen=True)
class SubscriptionView:
    subscription: BlueprintSubscription
    blueprint: Course
    term_name: str


def _blueprint_course(db: Session, actor: User, course_ref: str | int, right: str = "manage_content") -> Course:
    course, _ = readable_course(db, actor, course_ref, right)
    if not course.blueprint:
        raise NotFound("blueprint template")
    return course


def template_of(db: Session, course: Course, template_ref: str | int = "default") -> BlueprintTemplate:
    """The blueprint course's one template (made on first use), by `default` or its id."""
    template = db.scalar(select(BlueprintTemplate).where(BlueprintTemplate.course_id == course.id))
    if template is None:
        if str(template_ref) != "default":
            raise NotFound("blueprint template")
        template = BlueprintTemplate(course_id=course.id)
        db.add(template)
        db.flush()
    if str(template_ref) not in ("default", str(template.id)):
        raise NotFound("blueprint template")
    return template


def show_template(db: Session, actor: User, course_ref: str | int, template_ref: str) -> TemplateView:
    template = template_of(db, _blueprint_course(db, actor, course_ref), template_ref)
    count = db.scalar(select(func.count()).select_from(_active_subscriptions(template.id).subquery()))
    latest = db.scalar(select(BlueprintMigration).where(BlueprintMigration.template_id == template.id)
                       .order_by(BlueprintMigration.id.desc()).limit(1))
    return TemplateView(template, count or 0, latest)


def _active_subscriptions(template_id: int) -> Select:
    return select(BlueprintSubscription).where(BlueprintSubscription.template_id == template_id,
                                               BlueprintSubscription.workflow_state == "active")


def associated_courses(db: Session, actor: User, course_ref: str | int, template_ref: str,
                       window: Window) -> Slice[tuple[Course, str]]:
    """The associated courses, oldest association first, each with its term's name."""
    template = template_of(db, _blueprint_course(db, actor, course_ref), template_ref)
    stmt = (select(Course.id).join(BlueprintSubscription, BlueprintSubscription.child_course_id == Course.id)
            .where(BlueprintSubscription.template_id == template.id, BlueprintSubscription.workflow_state == "active")
            .order_by(BlueprintSubscription.id))
    page = fetch_window(db, stmt, window, count=True)
    rows = db.execute(select(Course, Term.name).join(Term, Term.id == Course.enrollment_term_id)
                      .where(Course.id.in_(page.items))).all() if page.items else []
    by_id = {course.id: (course, name) for course, name in rows}
    return Slice([by_id[i] for i in page.items], page.has_more, page.total)


def update_associations(db: Session, actor: User, course_ref: str | int, template_ref: str,
                        to_add: list[str], to_remove: list[str]) -> None:
    """Associate and dissociate courses; every id to add is checked before anything changes."""
    blueprint = _blueprint_course(db, actor, course_ref)
    if not accounts.is_admin_of(db, actor.id, blueprint.account_id):
        raise NotAllowed()
    template = template_of(db, blueprint, template_ref)
    adding = _courses_to_add(db, blueprint, template, to_add)
    current = {s.child_course_id: s for s in db.scalars(_active_subscriptions(template.id))}
    for course in adding:
        if course.id not in current:
            db.add(BlueprintSubscription(template_id=template.id, child_course_id=course.id))
    for ref in to_remove:
        subscription = current.get(store_id(ref)) if is_id(ref) else None
        if subscription is not None:
            subscription.workflow_state = "deleted"
    db.flush()


def _courses_to_add(db: Session, blueprint: Course, template: BlueprintTemplate, refs: list[str]) -> list[Course]:
    found: dict[str, Course | None] = {}
    for ref in refs:
        try:
            found[ref] = resolve_course(db, ref)
        except NotFound:
            found[ref] = None
    invalid = [ref for ref, c in found.items() if c is None or c.id == blueprint.id
               or blueprint.account_id not in accounts.ancestor_ids(db, c.account_id)]
    if invalid:
        raise InvalidInput("course_ids_to_add", f"invalid courses: {', '.join(invalid)}")
    resolved = cast(dict[str, Course], found)  # a course not found is invalid above
    blueprints = [ref for ref, c in resolved.items() if c.blueprint]
    if blueprints:
        raise InvalidInput("course_ids_to_add", f"cannot associate blueprint courses: {', '.join(blueprints)}")
    taken = set(db.scalars(select(BlueprintSubscription.child_course_id).where(
        BlueprintSubscription.child_course_id.in_([c.id for c in resolved.values()]),
        BlueprintSubscription.workflow_state == "active", BlueprintSubscription.template_id != template.id)))
    elsewhere = [ref for ref, c in resolved.items() if c.id in taken]
    if elsewhere:
        raise InvalidInput("course_ids_to_add", "cannot add courses already associated with other blueprints: "
                           + ", ".join(elsewhere))
    return list(resolved.values())


def queue_migration(db: Session, actor: User, course_ref: str | int, template_ref: str, comment: str | None,
                    options: dict[str, Any]) -> BlueprintMigration:
    """Queue a sync (one at a time per blueprint) and its job, in the caller's transaction."""
    blueprint = _blueprint_course(db, actor, course_ref)
    template = template_of(db, blueprint, template_ref)
    # Locking the template row serialises two requests racing to queue a sync.
    db.scalar(select(BlueprintTemplate).where(BlueprintTemplate.id == template.id).with_for_update())
    running = db.scalar(select(BlueprintMigration.id).where(BlueprintMigration.template_id == template.id,
                                                            BlueprintMigration.workflow_state.in_(RUNNING)))
    if running is not None:
        raise DomainError("Cannot queue a migration while one is currently running")
    if not db.scalar(select(func.count()).select_from(_active_subscriptions(template.id).subquery())):
        raise DomainError("No associated courses to migrate to")
    migration = BlueprintMigration(template_id=template.id, user_id=actor.id, comment=comment,
                                   options={k: bool(v) for k, v in options.items() if k in MIGRATION_OPTIONS})
    db.add(migration)
    db.flush()
    job = jobs.enqueue(db, blueprint_sync.KIND, {"migration_id": migration.id}, user_id=actor.id,
                       context_type="Course", context_id=blueprint.id, max_attempts=3)
    migration.job_id = job.id
    db.flush()
    return migration


def restrict_item(db: Session, actor: User, course_ref: str | int, template_ref: str, content_type: str,
                  content_id: str, restricted: bool, restrictions: dict[str, Any] | None) -> None:
    template = template_of(db, _blueprint_course(db, actor, course_ref), template_ref)
    blueprint_locks.set_lock(db, template, content_type, content_id, restricted, restrictions)


def unsynced_changes(db: Session, actor: User, course_ref: str | int, template_ref: str,
                     window: Window) -> tuple[Course, Slice[blueprint_sync.Change]]:
    """Changes since the start of the last completed sync, or one `initial_sync` record if none."""
    blueprint = _blueprint_course(db, actor, course_ref)
    template = template_of(db, blueprint, template_ref)
    since = blueprint_sync.last_sync_start(db, template.id)
    if since is None:
        initial = blueprint_sync.Change(blueprint.id, "course", blueprint.name, "initial_sync", False)
        return blueprint, window_of([initial], window)
    return blueprint, window_of(blueprint_sync.changes_since(db, template, blueprint, since), window)


def migrations(db: Session, actor: User, course_ref: str | int, template_ref: str,
               window: Window) -> Slice[BlueprintMigration]:
    template = template_of(db, _blueprint_course(db, actor, course_ref), template_ref)
    stmt = (select(BlueprintMigration).where(BlueprintMigration.template_id == template.id)
            .order_by(BlueprintMigration.id.desc()))
    return fetch_window(db, stmt, window)


def migration(db: Session, actor: User, course_ref: str | int, template_ref: str,
              migration_id: int) -> BlueprintMigration:
    template = template_of(db, _blueprint_course(db, actor, course_ref), template_ref)
    found = db.get(BlueprintMigration, migration_id)
    if found is None or found.template_id != template.id:
        raise NotFound("blueprint migration")
    return found


def migration_details(db: Session, actor: User, course_ref: str | int, template_ref: str, migration_id: int,
                      window: Window) -> tuple[Course, Slice[blueprint_sync.ChangeRecord]]:
    found = migration(db, actor, course_ref, template_ref, migration_id)
    blueprint = resolve_course(db, course_ref)
    return blueprint, blueprint_sync.change_records(db, found.id, None, window)


def _child_course(db: Session, actor: User, course_ref: str | int) -> Course:
    course, _ = readable_course(db, actor, course_ref, "manage_content")
    return course


def subscriptions(db: Session, actor: User, course_ref: str | int) -> list[SubscriptionView]:
    """The course's active blueprint subscription (a course has at most one)."""
    course = _child_course(db, actor, course_ref)
    rows = db.execute(select(BlueprintSubscription, Course, Term.name)
                      .join(BlueprintTemplate, BlueprintTemplate.id == BlueprintSubscription.template_id)
                      .join(Course, Course.id == BlueprintTemplate.course_id)
                      .join(Term, Term.id == Course.enrollment_term_id)
                      .where(BlueprintSubscription.child_course_id == course.id,
                             BlueprintSubscription.workflow_state == "active")).all()
    return [SubscriptionView(s, c, name) for s, c, name in rows]


def _subscription(db: Session, course: Course, subscription_ref: str) -> BlueprintSubscription:
    stmt = select(BlueprintSubscription).where(BlueprintSubscription.child_course_id == course.id)
    if subscription_ref == "default":
        stmt = stmt.where(BlueprintSubscription.workflow_state == "active")
    elif is_id(subscription_ref):
        stmt = stmt.where(BlueprintSubscription.id == int(subscription_ref))
    else:
        raise NotFound("blueprint subscription")
    found = db.scalar(stmt.order_by(BlueprintSubscription.id.desc()).limit(1))
    if found is None:
        raise NotFound("blueprint subscription")
    return found


def imports(db: Session, actor: User, course_ref: str | int, subscription_ref: str,
            window: Window) -> Slice[tuple[BlueprintMigration, BlueprintImport]]:
    subscription = _subscription(db, _child_course(db, actor, course_ref), subscription_ref)
    stmt = (select(BlueprintImport.id).where(BlueprintImport.subscription_id == subscription.id)
            .order_by(BlueprintImport.migration_id.desc()))
    page = fetch_window(db, stmt, window)
    rows = db.execute(select(BlueprintMigration, BlueprintImport)
                      .join(BlueprintImport, BlueprintImport.migration_id == BlueprintMigration.id)
                      .where(BlueprintImport.id.in_(page.items))
                      .order_by(BlueprintMigration.id.desc())).all() if page.items else []
    return Slice([(m, i) for m, i in rows], page.has_more)


def import_of(db: Session, actor: User, course_ref: str | int, subscription_ref: str,
              migration_id: int) -> tuple[BlueprintMigration, BlueprintImport]:
    subscription = _subscription(db, _child_course(db, actor, course_ref), subscription_ref)
    row = db.execute(select(BlueprintMigration, BlueprintImport)
                     .join(BlueprintImport, BlueprintImport.migration_id == BlueprintMigration.id)
                     .where(BlueprintImport.subscription_id == subscription.id,
                            BlueprintMigration.id == migration_id)).first()
    if row is None:
        raise NotFound("blueprint migration")
    return row[0], row[1]


def import_details(db: Session, actor: User, course_ref: str | int, subscription_ref: str, migration_id: int,
                   window: Window) -> tuple[Course, Slice[blueprint_sync.ChangeRecord]]:
    _, result = import_of(db, actor, course_ref, subscription_ref, migration_id)
    found = cast(BlueprintMigration, db.get(BlueprintMigration, migration_id))  # import_of found it
    template = cast(BlueprintTemplate, db.get(BlueprintTemplate, found.template_id))  # foreign keys
    blueprint = cast(Course, db.get(Course, template.course_id))
    return blueprint, blueprint_sync.change_records(db, migration_id, result, window)

