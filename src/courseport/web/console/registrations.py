"""Registrations in the console: a package's registrations (paged) and one registration's progress per
SCO (completion, success, score, the data model it last committed), its instances and its launch
history. The core calls are those SCORM Cloud's Registration Service answers with; like packages, they
are the root administrators'."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from sqlalchemy.orm import Session

from courseport.core.kit.ids import store_id
from courseport.core.kit.paging import Slice
from courseport.core.packages import attempts, registration_progress, registrations
from courseport.core.packages.registrations import RegistrationFilters, RegistrationView
from courseport.schema import Attempt, User
from courseport.web.console.session import render, signed_in

COMPLETION = {"unknown": "Unknown", "completed": "Completed", "incomplete": "Incomplete"}
SUCCESS = {"unknown": "Unknown", "passed": "Passed", "failed": "Failed"}


def score(scaled: float | None) -> str:
    return "—" if scaled is None else f"{round(scaled * 100, 2):g}%"


def learner(view: RegistrationView) -> str:
    reg = view.registration
    name = " ".join(n for n in (reg.learner_first_name, reg.learner_last_name) if n)
    return f"{name} ({reg.learner_id})" if name else reg.learner_id


HELPERS: dict[str, Any] = {"completion_label": COMPLETION.get, "success_label": SUCCESS.get, "score": score,
                           "learner": learner, "timespan": attempts.timespan_12}


def page_number(request: Request) -> int:
    page = request.query_params.get("registrations", "1")
    return int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1


def registrations_of(db: Session, me: User, request: Request, course_id: str) -> dict[str, Any]:
    """The package page's part: one page of its registrations, newest first, with the pager's links."""
    number = page_number(request)
    found: Slice[RegistrationView] = registrations.list_registrations(
        db, me, RegistrationFilters(course_id=course_id, order_by="creation_date_desc"),
        (number - 1) * registrations.PAGE_SIZE, count=True)
    return {"registrations": found, "registrations_page": number,
            "registrations_link": lambda n: f"{request.url.path}?registrations={n}", **HELPERS}


def _instance(request: Request) -> int | None:
    value = request.query_params.get("instance", "")
    return store_id(value)


@get("/console/registrations/{registration_id:str}", sync_to_thread=True)
def registration_page(request: Request, registration_id: str) -> Response:
    with signed_in(request) as (db, me):
        view = registrations.get_registration(db, me, registration_id, _instance(request))
        attempt: Attempt = view.attempt
        return render(request, "registration.html", me=me, title=f"Registration {registration_id}", view=view,
                      scos=attempts.sco_progress(attempt, view.version),
                      instances=registration_progress.instances(db, me, registration_id),
                      launches=registration_progress.launch_history(db, me, registration_id), **HELPERS)


ROUTES = [registration_page]
