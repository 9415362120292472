"""Blueprints: make a course a blueprint, associate courses (search and pick many), restrict items, see
unsynced changes, start a sync and watch it, and read each sync's change records and exceptions."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.response import Redirect
from sqlalchemy.orm import Session

from courseport.core.blueprints import blueprint_locks, blueprint_sync, blueprints
from courseport.core.courses.courses import RESTRICTION_KEYS, CourseChanges, readable_course, update_course
from courseport.core.kit.paging import Window
from courseport.schema import User
from courseport.web.console.courses import ALL, home_accounts, list_for
from courseport.web.console.session import checked_form, in_thread, render, signed_in

DEFAULT = "default"


def _back(course_id: int) -> Redirect:
    return Redirect(f"/console/courses/{course_id}/blueprint", status_code=303)


@get("/console/courses/{course_id:int}/blueprint", sync_to_thread=True)
def blueprint_page(request: Request, course_id: int) -> Response:
    find = request.query_params.get("find") or ""
    with signed_in(request) as (db, me):
        course, _ = readable_course(db, me, course_id)
        context: dict = {"course": course, "find": find, "content_types": blueprint_locks.CONTENT_TYPES,
                         "restriction_keys": RESTRICTION_KEYS}
        if course.blueprint:
            context |= _blueprint_parts(db, me, course_id, find)
        return render(request, "blueprint.html", me=me, title=f"Blueprint: {course.name}", **context)


def _blueprint_parts(db: Session, me: User, course_id: int, find: str) -> dict:
    """A blueprint's associated courses, the courses one may add (by search), unsynced changes and syncs."""
    associated = blueprints.associated_courses(db, me, course_id, DEFAULT, ALL).items
    taken = {c.id for c, _ in associated} | {course_id}
    found = list_for(db, me, home_accounts(db, me), {"search": find} if len(find) > 1 else {}, ALL).items
    return {"associated": associated,
            "candidates": [v.course for v in found if v.course.id not in taken and not v.course.blueprint],
            "unsynced": blueprints.unsynced_changes(db, me, course_id, DEFAULT, ALL)[1].items,
            "syncs": blueprints.migrations(db, me, course_id, DEFAULT, Window(0, 20)).items}


@post("/console/courses/{course_id:int}/blueprint")
async def make_blueprint(request: Request, course_id: int) -> Response:
    await checked_form(request)
    await in_thread(_make_blueprint, request, course_id)
    return _back(course_id)


def _make_blueprint(request: Request, course_id: int) -> None:
    with signed_in(request, write=True) as (db, me):
        update_course(db, me, course_id, CourseChanges(blueprint=True))


@post("/console/courses/{course_id:int}/blueprint/associations")
async def associate(request: Request, course_id: int) -> Response:
    form = await checked_form(request)
    await in_thread(_associate, request, course_id, form)
    return _back(course_id)


def _associate(request: Request, course_id: int, form: FormMultiDict) -> None:
    with signed_in(request, write=True) as (db, me):
        blueprints.update_associations(db, me, course_id, DEFAULT, [str(v) for v in form.getall("add", [])],
                                       [str(v) for v in form.getall("remove", [])])


@post("/console/courses/{course_id:int}/blueprint/restrictions")
async def restrict(request: Request, course_id: int) -> Response:
    form = await checked_form(request)
    await in_thread(_restrict, request, course_id, form)
    return _back(course_id)


def _restrict(request: Request, course_id: int, form: FormMultiDict) -> None:
    chosen = {key: True for key in form.getall("restriction", []) if key in RESTRICTION_KEYS}
    with signed_in(request, write=True) as (db, me):
        blueprints.restrict_item(db, me, course_id, DEFAULT, str(form.get("content_type") or ""),
                                 str(form.get("content_id") or ""), bool(chosen), chosen or None)


@post("/console/courses/{course_id:int}/blueprint/syncs")
async def start_sync(request: Request, course_id: int) -> Response:
    form = await checked_form(request)
    migration_id = await in_thread(_sync, request, course_id, str(form.get("comment") or "").strip() or None)
    return Redirect(f"/console/courses/{course_id}/blueprint/syncs/{migration_id}", status_code=303)


def _sync(request: Request, course_id: int, comment: str | None) -> int:
    with signed_in(request, write=True) as (db, me):
        return blueprints.queue_migration(db, me, course_id, DEFAULT, comment, {}).id


@get("/console/courses/{course_id:int}/blueprint/syncs/{migration_id:int}", sync_to_thread=True)
def sync_page(request: Request, course_id: int, migration_id: int) -> Response:
    with signed_in(request) as (db, me):
        blueprint, records = blueprints.migration_details(db, me, course_id, DEFAULT, migration_id, ALL)
        found = blueprints.migration(db, me, course_id, DEFAULT, migration_id)
        return render(request, "sync.html", me=me, title=f"Sync {migration_id}", course=blueprint, sync=found,
                      records=records.items, running=found.workflow_state in blueprint_sync.RUNNING,
                      part="sync_part.html")


ROUTES = [blueprint_page, make_blueprint, associate, restrict, start_sync, sync_page]
