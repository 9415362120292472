"""Canvas Blueprint Courses API: templates, associations, syncs and restrictions on the blueprint
side; subscriptions and imports on the associated course's side."""

from __future__ import annotations

from litestar import Response

from courseport.core.blueprints import blueprints
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.blueprint_json import (
    render_associated_course,
    render_change,
    render_change_record,
    render_migration,
    render_subscription,
    render_template,
)
from courseport.dialects.canvas.protocol import Call, get, get_writing, post, put, to_bool

_TEMPLATE = "/courses/{course_id:str}/blueprint_templates/{template_id:str}"
_SUBSCRIPTION = "/courses/{course_id:str}/blueprint_subscriptions/{subscription_id:str}"


@get_writing(_TEMPLATE)
def show_template(call: Call, course_id: str, template_id: str) -> dict:
    with call.write() as (db, me):
        view = blueprints.show_template(db, me, course_id, template_id)
        return render_template(view, call.origin)


@get_writing(_TEMPLATE + "/associated_courses")
def associated_courses(call: Call, course_id: str, template_id: str) -> Response:
    window = call.window()
    with call.write() as (db, me):
        page = blueprints.associated_courses(db, me, course_id, template_id, window)
        return call.paged([render_associated_course(c, term) for c, term in page.items], window, page)


@put(_TEMPLATE + "/update_associations")
def update_associations(call: Call, course_id: str, template_id: str) -> dict:
    with call.write() as (db, me):
        blueprints.update_associations(db, me, course_id, template_id, call.list("course_ids_to_add[]"),
                                       call.list("course_ids_to_remove[]"))
    return {"success": True}


@post(_TEMPLATE + "/migrations", status_code=200)
def queue_migration(call: Call, course_id: str, template_id: str) -> dict:
    options = {name: call.bool(name) for name in blueprints.MIGRATION_OPTIONS if call.has(name)}
    with call.write() as (db, me):
        migration = blueprints.queue_migration(db, me, course_id, template_id, call.str("comment"), options)
        body = render_migration(migration)
    call.services.jobs.notify()
    return body


@put(_TEMPLATE + "/restrict_item")
def restrict_item(call: Call, course_id: str, template_id: str) -> dict:
    content_type, content_id = call.str("content_type"), call.str("content_id")
    if not content_type or not content_id:
        raise InvalidInput("content_type", "content_type and content_id are required")
    raw = call.raw("restrictions")
    if raw is not None and not isinstance(raw, dict):
        raise InvalidInput("restrictions", "restrictions must be a hash of restriction names")
    restrictions = {k: to_bool(v, f"restrictions[{k}]") for k, v in raw.items()} if raw else None
    with call.write() as (db, me):
        blueprints.restrict_item(db, me, course_id, template_id, content_type, content_id,
                                 bool(call.bool("restricted", False)), restrictions)
    return {"success": True}


@get_writing(_TEMPLATE + "/unsynced_changes")
def unsynced_changes(call: Call, course_id: str, template_id: str) -> Response:
    window = call.window()
    with call.write() as (db, me):
        course, page = blueprints.unsynced_changes(db, me, course_id, template_id, window)
        return call.paged([render_change(c, course, call.origin) for c in page.items], window, page)


@get_writing(_TEMPLATE + "/migrations")
def list_migrations(call: Call, course_id: str, template_id: str) -> Response:
    window = call.window()
    with call.write() as (db, me):
        page = blueprints.migrations(db, me, course_id, template_id, window)
        return call.paged([render_migration(m) for m in page.items], window, page)


@get_writing(_TEMPLATE + "/migrations/{migration_id:int}")
def show_migration(call: Call, course_id: str, template_id: str, migration_id: int) -> dict:
    with call.write() as (db, me):
        return render_migration(blueprints.migration(db, me, course_id, template_id, migration_id))


@get_writing(_TEMPLATE + "/migrations/{migration_id:int}/details")
def migration_details(call: Call, course_id: str, template_id: str, migration_id: int) -> Response:
    window = call.window()
    with call.write() as (db, me):
        course, page = blueprints.migration_details(db, me, course_id, template_id, migration_id, window)
        return call.paged([render_change_record(r, course, call.origin) for r in page.items], window, page)


@get("/courses/{course_id:str}/blueprint_subscriptions")
def list_subscriptions(call: Call, course_id: str) -> list:
    with call.read() as (db, me):
        return [render_subscription(view) for view in blueprints.subscriptions(db, me, course_id)]


@get(_SUBSCRIPTION + "/migrations")
def list_imports(call: Call, course_id: str, subscription_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = blueprints.imports(db, me, course_id, subscription_id, window)
        return call.paged([render_migration(m, result) for m, result in page.items], window, page)


@get(_SUBSCRIPTION + "/migrations/{migration_id:int}")
def show_import(call: Call, course_id: str, subscription_id: str, migration_id: int) -> dict:
    with call.read() as (db, me):
        return render_migration(*blueprints.import_of(db, me, course_id, subscription_id, migration_id))


@get(_SUBSCRIPTION + "/migrations/{migration_id:int}/details")
def import_details(call: Call, course_id: str, subscription_id: str, migration_id: int) -> Response:
    window = call.window()
    with call.read() as (db, me):
        course, page = blueprints.import_details(db, me, course_id, subscription_id, migration_id, window)
        return call.paged([render_change_record(r, course, call.origin) for r in page.items], window, page)


ROUTES = [show_template, associated_courses, update_associations, queue_migration, restrict_item, unsynced_changes,
          list_migrations, show_migration, migration_details, list_subscriptions, list_imports, show_import,
          import_details]
