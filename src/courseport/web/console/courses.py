"""The courses list (search; filter by account, term, state and blueprint; paged) and a course page
(settings, ids in each face, content tree, sections and people). Administrators list an account's
courses; everyone else lists the courses they are enrolled in."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Request, Response, get
from sqlalchemy.orm import Session

from courseport.core.content import files, modules, pages
from courseport.core.courses import course_settings
from courseport.core.coursework import quizzes
from courseport.core.identity import accounts, sub_accounts, terms
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.ids import is_id
from courseport.core.kit.paging import Slice, Window
from courseport.core.views import account_courses, course_lists, course_views, enrollment_views, section_views
from courseport.core.views.assignment_views import AssignmentQuery, list_assignments
from courseport.schema import Account, User
from courseport.web.console.face_ids import face_ids
from courseport.web.console.session import page_link, render, signed_in, window_of

STATES = ("unpublished", "available", "completed", "deleted")
# The account list names states as Canvas's state[] does: an unpublished course is "created" there.
ACCOUNT_STATES = {"unpublished": "created"}
WANT = frozenset({"term", "account", "teachers"})
ALL = Window(0, 200)


def _flag(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _term_id(value: str | None) -> int | None:
    if value and not is_id(value):
        raise InvalidInput("term", "Choose a term from the list.")
    return int(value) if value else None


def home_accounts(db: Session, me: User) -> list[Account]:
    """The accounts the user administers and every account below them (empty for course staff)."""
    top = accounts.administered_accounts(db, me.id, ALL).items
    below = [a for account in top for a in sub_accounts.list_sub_accounts(db, me, str(account.id), True, ALL).items]
    return [*top, *below]


def list_for(db: Session, me: User, choices: list[Account], q: dict[str, str], window: Window) -> Slice:
    """Course views for the list: an account's courses for its admins, the user's own courses otherwise."""
    state = q.get("state") or ""
    if not choices:
        filters = course_lists.CourseFilters(states=(state,) if state else (), search_term=q.get("search") or None,
                                             term_id=_term_id(q.get("term")), blueprint=_flag(q.get("blueprint")))
        return course_lists.list_course_views(db, me, me, filters, window, WANT)
    query = account_courses.AccountCourseQuery(
        search_term=q.get("search") or None, enrollment_term=q.get("term") or None,
        states=(ACCOUNT_STATES.get(state, state),) if state else (), blueprint=_flag(q.get("blueprint")))
    return account_courses.list_account_course_views(db, me, q.get("account") or str(choices[0].id), query,
                                                     window, WANT)


@get("/console/courses", sync_to_thread=True)
def course_list(request: Request) -> Response:
    window, q = window_of(request), dict(request.query_params)
    with signed_in(request) as (db, me):
        choices = home_accounts(db, me)
        found = list_for(db, me, choices, q, window)
        term_list = terms.list_terms(db, me, "self", ["all"], None, ALL).items
        return render(request, "courses.html", me=me, title="Courses", courses=found, q=q, accounts=choices,
                      terms=term_list, states=STATES, face_ids=partial(face_ids, db),
                      link=lambda n: page_link(request, n), page_number=window.offset // window.limit + 1)


@get("/console/courses/{course_id:int}", sync_to_thread=True)
def course_page(request: Request, course_id: int) -> Response:
    with signed_in(request) as (db, me):
        view = course_views.show_course(db, me, course_id, WANT | {"total_students"})
        return render(request, "course.html", me=me, title=view.course.name, view=view, course=view.course,
                      ids=face_ids(db, view.course), **course_parts(db, me, course_id))


def course_parts(db: Session, me: User, course_id: int) -> dict[str, Any]:
    """What the course page shows beside the course: settings, content, sections and people."""
    ref = str(course_id)
    return {
        "settings": course_settings.get_course_settings(db, me, course_id),
        "modules": modules.list_modules(db, me, course_id, ALL).items,
        "pages": pages.list_pages(db, me, course_id, pages.PageFilters(), ALL).items,
        "assignments": list_assignments(db, me, course_id, AssignmentQuery()),
        "files": files.list_course_files(db, me, course_id, files.FileFilters(), ALL).items,
        "quizzes": quizzes.list_quizzes(db, me, course_id, None, ALL).items,
        "sections": section_views.list_section_views(db, me, ref, None, ALL, frozenset()).views,
        "people": enrollment_views.list_course_enrollments(db, me, ref, enrollment_views.EnrollmentQuery(), ALL).items,
    }


ROUTES = [course_list, course_page]
