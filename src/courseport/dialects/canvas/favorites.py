"""Canvas Favorites API routes for courses: list the caller's favourite courses, star, unstar, reset."""

from __future__ import annotations

from functools import partial

from litestar import Response

from courseport.core.courses import course_favorites
from courseport.core.views import course_lists
from courseport.core.views.course_lists import CourseFilters
from courseport.dialects.canvas.course_json import course_fields, wants_for
from courseport.dialects.canvas.courses import render_course_page
from courseport.dialects.canvas.favorite_json import render_favorite
from courseport.dialects.canvas.protocol import Call, delete, get, post, self_only


@get("/users/self/favorites/courses")
def list_favorite_courses(call: Call) -> Response:
    window, includes = call.window(), call.list("include[]")
    filters = CourseFilters(exclude_blueprint_courses=bool(call.bool("exclude_blueprint_courses", False)))
    with call.read() as (db, me):
        page = course_lists.list_favorite_course_views(db, me, filters, window, wants_for(includes),
                                                       fields=course_fields(includes))
    return render_course_page(call, page, window)


@post("/users/{user_id:str}/favorites/courses/{course_id:str}", status_code=200)
def add_favorite_course(call: Call, user_id: str, course_id: str) -> dict:
    self_only(user_id)
    with call.write() as (db, me):
        return render_favorite(course_favorites.add_favorite(db, me, course_id))


@delete("/users/{user_id:str}/favorites/courses/{course_id:str}")
def remove_favorite_course(call: Call, user_id: str, course_id: str) -> dict:
    self_only(user_id)
    with call.write() as (db, me):
        current = partial(course_lists.current_course_ids, db, me)  # read only when nothing is starred
        return render_favorite(course_favorites.remove_favorite(db, me, course_id, current))


@delete("/users/self/favorites/courses")
def reset_favorite_courses(call: Call) -> dict:
    with call.write() as (db, me):
        course_favorites.reset_favorites(db, me)
    # Canvas answers {"status": "ok"}; canvasapi's reset_favorite_courses looks for {"message": "OK"}.
    return {"message": "OK", "status": "ok"}


ROUTES = [list_favorite_courses, add_favorite_course, remove_favorite_course, reset_favorite_courses]
