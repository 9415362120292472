"""Canvas Rubrics API routes: a course's rubrics (create, list, show, update, delete) and their associations
(create, update, delete). Create and update answer Canvas's `{"rubric": ..., "rubric_association": ...}`."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.coursework import rubric_associations, rubric_views, rubrics
from courseport.core.coursework.rubric_associations import any_given
from courseport.dialects.canvas.protocol import Call, delete, get, post, put
from courseport.dialects.canvas.rubric_json import render_association, render_rubric, render_rubric_view
from courseport.dialects.canvas.rubric_params import association_changes, rubric_changes, spelled
from courseport.schema.content import ContentItem

_RUBRICS = "/courses/{course_id:str}/rubrics"
_ASSOCIATIONS = "/courses/{course_id:str}/rubric_associations"


@post(_RUBRICS, status_code=200)
def create_rubric(call: Call, course_id: str) -> dict:
    changes, link = rubric_changes(call), association_changes(call)
    with call.write() as (db, me), spelled():
        course, _ = rubrics.managed_course(db, me, course_id)
        rubric = rubrics.create_rubric(db, me, course, changes)
        association = rubric_associations.create_association(db, me, course, rubric, link) \
            if any_given(link) else None
        return _answer(rubric, association)


@get(_RUBRICS)
def list_rubrics(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = rubric_views.list_rubrics(db, me, course_id, window)
        return call.paged([render_rubric(item) for item in page.items], window, page)


@get(_RUBRICS + "/{rubric_id:str}")
def get_rubric(call: Call, course_id: str, rubric_id: str) -> dict:
    with call.read() as (db, me):
        return render_rubric_view(rubric_views.show_rubric(db, me, course_id, rubric_id, set(call.list("include[]")),
                                                           call.str("style")))


@put(_RUBRICS + "/{rubric_id:str}")
def update_rubric(call: Call, course_id: str, rubric_id: str) -> dict:
    changes, link, link_id = rubric_changes(call), association_changes(call), call.str("rubric_association_id")
    with call.write() as (db, me), spelled():
        course, _ = rubrics.managed_course(db, me, course_id)
        rubric = rubrics.update_rubric(db, rubrics.rubric_item(db, course, rubric_id), changes)
        return _answer(rubric, rubric_associations.link_rubric(db, me, course, rubric, link_id, link))


@delete(_RUBRICS + "/{rubric_id:str}")
def delete_rubric(call: Call, course_id: str, rubric_id: str) -> dict:
    with call.write() as (db, me):
        course, _ = rubrics.managed_course(db, me, course_id)
        return render_rubric(rubrics.delete_rubric(db, rubrics.rubric_item(db, course, rubric_id)))


@post(_ASSOCIATIONS, status_code=200)
def create_rubric_association(call: Call, course_id: str) -> dict:
    link = association_changes(call)
    with call.write() as (db, me), spelled():
        course, _ = rubrics.managed_course(db, me, course_id)
        return render_association(rubric_associations.create_association(db, me, course, None, link))


@put(_ASSOCIATIONS + "/{association_id:str}")
def update_rubric_association(call: Call, course_id: str, association_id: str) -> dict:
    link = association_changes(call)
    with call.write() as (db, me), spelled():
        course, _ = rubrics.managed_course(db, me, course_id)
        item = rubric_associations.association_item(db, course, association_id)
        return render_association(rubric_associations.update_association(db, course, item, link))


@delete(_ASSOCIATIONS + "/{association_id:str}")
def delete_rubric_association(call: Call, course_id: str, association_id: str) -> dict:
    with call.write() as (db, me):
        course, _ = rubrics.managed_course(db, me, course_id)
        item = rubric_associations.association_item(db, course, association_id)
        return render_association(rubric_associations.delete_association(db, item))


def _answer(rubric: ContentItem, association: ContentItem | None) -> dict[str, Any]:
    out: dict[str, Any] = {"rubric": render_rubric(rubric, with_criteria=True)}
    if association is not None:
        out["rubric_association"] = render_association(association)
    return out


ROUTES = [create_rubric, list_rubrics, get_rubric, update_rubric, delete_rubric, create_rubric_association,
          update_rubric_association, delete_rubric_association]
