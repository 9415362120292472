"""Copy and rollover: choose the components, copy into a new course (in a term) or an existing one,
then watch the job on its page until it completes (with what was copied and skipped) or fails."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.response import Redirect

from courseport.core.copy import components, copying
from courseport.core.courses.courses import CourseChanges, readable_course
from courseport.core.identity import terms
from courseport.core.kit.errors import InvalidInput
from courseport.web.console.courses import ALL, home_accounts, list_for
from courseport.web.console.session import checked_form, in_thread, render, signed_in

# The components a course here holds, in the order the form offers them (core's names, components.py).
OFFERED = ("settings", "files", "modules", "pages", "assignment_groups", "assignments", "quizzes", "questions",
           "discussions", "announcements", "calendar_events", "rubrics", "outcomes")


@get("/console/courses/{course_id:int}/copy", sync_to_thread=True)
def copy_form(request: Request, course_id: int) -> Response:
    with signed_in(request) as (db, me):
        course, _ = readable_course(db, me, course_id)
        admin = bool(home_accounts(db, me))
        targets = [v.course for v in list_for(db, me, home_accounts(db, me), {}, ALL).items if v.course.id != course_id]
        term_list = terms.list_terms(db, me, "self", ["all"], None, ALL).items if admin else []
        # Only administrators make courses (core's create_course decides; the form offers what may work).
        return render(request, "copy.html", me=me, title=f"Copy {course.name}", course=course, offered=OFFERED,
                      targets=targets, terms=term_list, may_create=admin)


@post("/console/courses/{course_id:int}/copy")
async def start_copy(request: Request, course_id: int) -> Response:
    form = await checked_form(request)
    job_id = await in_thread(_queue, request, course_id, form)
    return Redirect(f"/console/jobs/{job_id}", status_code=303)


def _queue(request: Request, course_id: int, form: FormMultiDict) -> int:
    chosen = [name for name in form.getall("component", []) if name in OFFERED]
    if not chosen:
        raise InvalidInput("component", "Choose at least one part of the course to copy.")
    target = str(form.get("target") or "new")
    with signed_in(request, write=True) as (db, me):
        if target == "new":
            name = str(form.get("name") or "").strip()
            if not name:
                raise InvalidInput("name", "Give the new course a name.")
            term = str(form.get("term") or "").strip()
            new_course = CourseChanges(name=name, term_id=term) if term else CourseChanges(name=name)
            job = copying.queue_copy(db, me, course_id, None, components.selection(chosen), new_course=new_course)
        else:
            existing = str(form.get("existing_course") or "")
            job = copying.queue_copy(db, me, course_id, existing, components.selection(chosen))
        return job.id


ROUTES = [copy_form, start_copy]
