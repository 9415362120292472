"""People: an account's users (administrators), enrollments by course and by section, terms and
sub-accounts. Course staff see the enrollments of their own courses."""

from __future__ import annotations

from litestar import Request, Response, get
from sqlalchemy.orm import Session

from courseport.core.identity import account_users, sub_accounts, terms
from courseport.core.views import enrollment_views, section_views
from courseport.schema import User
from courseport.web.console.courses import ALL, home_accounts, list_for
from courseport.web.console.session import page_link, render, signed_in, window_of


@get("/console/people", sync_to_thread=True)
def people_page(request: Request) -> Response:
    q, window = dict(request.query_params), window_of(request)
    with signed_in(request) as (db, me):
        choices = home_accounts(db, me)
        listed = list_for(db, me, choices, {}, ALL).items
        context: dict = {"accounts": choices, "q": q, "courses": [v.course for v in listed]}
        if choices:
            account = q.get("account") or str(choices[0].id)
            query = account_users.UserQuery(search_term=q.get("search") or None)
            context |= {"users": account_users.list_users(db, me, account, query, window),
                        "terms": terms.list_terms(db, me, "self", ["all"], None, ALL).items,
                        "sub_accounts": sub_accounts.list_sub_accounts(db, me, account, False, ALL).items,
                        "page_number": window.offset // window.limit + 1, "link": lambda n: page_link(request, n)}
        if q.get("course"):
            context |= _enrollments(db, me, q["course"], q.get("section") or None)
        return render(request, "people.html", me=me, title="People", **context)


def _enrollments(db: Session, me: User, course_ref: str, section_ref: str | None) -> dict:
    """One course's enrollments, or one section's, with the course's sections to choose from."""
    query = enrollment_views.EnrollmentQuery()
    listed = (enrollment_views.list_section_enrollments(db, me, section_ref, query, ALL) if section_ref
              else enrollment_views.list_course_enrollments(db, me, course_ref, query, ALL))
    return {"enrollments": listed.items,
            "sections": section_views.list_section_views(db, me, course_ref, None, ALL, frozenset()).views}


ROUTES = [people_page]
