"""Canvas "List active courses in an account": every filter, rendered by the one course renderer."""

from __future__ import annotations

from litestar import Response

from courseport.core.views import account_courses
from courseport.core.views.account_courses import AccountCourseQuery
from courseport.dialects.canvas.course_json import render_course, wants_for
from courseport.dialects.canvas.protocol import Call, get, to_datetime

# Canvas answers these for single courses only, never in an account's list.
_NOT_IN_LISTS = {"permissions", "sections", "needs_grading_count", "total_scores"}


def account_course_query(call: Call) -> AccountCourseQuery:
    with_enrollments = call.bool("with_enrollments")
    if call.has("hide_enrollmentless_courses"):  # Canvas: its presence alone means with_enrollments=true
        with_enrollments = True
    return AccountCourseQuery(
        with_enrollments=with_enrollments, enrollment_types=tuple(call.list("enrollment_type[]")),
        published=call.bool("published"), completed=call.bool("completed"), blueprint=call.bool("blueprint"),
        blueprint_associated=call.bool("blueprint_associated"), public=call.bool("public"),
        homeroom=bool(call.bool("homeroom", False)), by_teachers=tuple(call.list("by_teachers[]")),
        by_subaccounts=tuple(call.list("by_subaccounts[]")), states=tuple(call.list("state[]")),
        enrollment_term=call.str("enrollment_term_id") or None, search_term=call.str("search_term"),
        search_by=call.str("search_by"), starts_before=to_datetime(call.raw("starts_before"), "starts_before"),
        ends_after=to_datetime(call.raw("ends_after"), "ends_after"), sort=call.str("sort"), order=call.str("order"),
        include_crosslisted_courses=bool(call.bool("include_crosslisted_courses", False)))


@get("/accounts/{account_id:str}/courses")
def list_account_courses(call: Call, account_id: str) -> Response:
    window, query = call.window(), account_course_query(call)
    includes = set(call.list("include[]")) - _NOT_IN_LISTS
    want = wants_for(sorted(includes)) | ({"account"} if "account_name" in includes else set())
    with call.read() as (db, me):
        page = account_courses.list_account_course_views(db, me, account_id, query, window, frozenset(want))
    items = []
    for view in page.items:
        body = render_course(view, includes, call.origin)
        if "account_name" in includes:
            body["account_name"] = view.account.name if view.account else None
        items.append(body)
    return call.paged(items, window, page)


ROUTES = [list_account_courses]
