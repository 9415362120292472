"""The courses of an account and every account below it, as its admins list them (Canvas's "List
active courses in an account"): filters, search, sorts, and the course views the other lists use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from courseport.core.identity import accounts, users
from courseport.core.identity.sub_accounts import administered, descendant_ids
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.ids import store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.core.views.course_views import load_views
from courseport.schema import Account, BlueprintSubscription, Course, Enrollment, Section, Term, User
from courseport.schema.base import utcnow

SORTS = ("course_name", "sis_course_id", "teacher", "account_name", "subaccount", "term")
SEARCH_BY = ("course", "teacher")
MIN_SEARCH_LENGTH = 2
# Canvas's course states, as this store keeps them: created and claimed are both "unpublished".
_STATES = {"created": "unpublished", "claimed": "unpublished", "available": "available",
           "completed": "completed", "deleted": "deleted"}
_DEFAULT_STATES = ("unpublished", "available", "completed")
_TEACHER_SEARCH_EXCLUDES = ("rejected", "inactive", "completed", "deleted")


@dataclass(frozen=True)
class AccountCourseQuery:
    """Each three-way flag: None does not filter, True keeps only, False leaves out."""

    with_enrollments: bool | None = None
    enrollment_types: tuple[str, ...] = ()
    published: bool | None = None
    completed: bool | None = None
    blueprint: bool | None = None
    blueprint_associated: bool | None = None
    public: bool | None = None
    homeroom: bool = False
    by_teachers: tuple[str, ...] = ()
    by_subaccounts: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    enrollment_term: str | None = None
    search_term: str | None = None
    search_by: str | None = None
    starts_before: datetime | None = None
    ends_after: datetime | None = None
    sort: str | None = None
    order: str | None = None
    include_crosslisted_courses: bool = False


def list_account_course_views(db: Session, actor: User, account_ref: str, query: AccountCourseQuery,
                              window: Window, want: frozenset[str]) -> Slice:
    """One page of the account's courses as course views (the same views every course list renders)."""
    account = administered(db, actor, account_ref)
    page = fetch_window(db, _select(db, actor, account, query), window)
    views = load_views(db, actor, page.items, want, admin_of={c.account_id: True for c in page.items})
    return Slice(views, page.has_more)


def _select(db: Session, actor: User, account: Account, query: AccountCourseQuery) -> Select:
    tree = [account.id, *descendant_ids(db, account.id)]
    in_tree: ColumnElement[bool] = Course.account_id.in_(tree)
    if query.include_crosslisted_courses:  # courses holding a section cross-listed from a course of the tree
        home = aliased(Course)
        in_tree = or_(in_tree, exists().where(
            Section.course_id == Course.id, Section.workflow_state != "deleted",
            Section.nonxlist_course_id == home.id, home.account_id.in_(tree)))
    stmt = select(Course).where(in_tree, Course.workflow_state.in_(_states(query)))
    for condition in _conditions(db, actor, account, query):
        stmt = stmt.where(condition)
    return stmt.order_by(*_order(query))


def _states(query: AccountCourseQuery) -> set[str]:
    if "all" in query.states:
        states = set(_STATES.values())
    else:
        states = {_STATES[s] for s in query.states if s in _STATES} if query.states else set(_DEFAULT_STATES)
    if query.published is True:
        states &= {"available"}
    elif query.published is False:
        states -= {"available"}
    return states


def _flag(value: bool | None, condition: ColumnElement[bool]) -> list[ColumnElement[bool]]:
    return [] if value is None else [condition if value else ~condition]


def _conditions(db: Session, actor: User, account: Account, query: AccountCourseQuery) -> list:
    live = exists().where(Enrollment.course_id == Course.id, Enrollment.workflow_state != "deleted")
    found = _flag(query.with_enrollments, live)
    if query.enrollment_types:
        types = [t[:1].upper() + t[1:].lower() + "Enrollment" for t in query.enrollment_types]
        found.append(live.where(Enrollment.type.in_(types)))
    now = utcnow()
    term_ended = select(Term.id).where(Term.id == Course.enrollment_term_id, Term.end_at < now).exists()
    ends = func.coalesce(Course.conclude_at, Course.end_at)
    ended = or_(Course.workflow_state == "completed", ends.is_not(None) & (ends < now), term_ended)
    found += _flag(query.completed, ended)
    found += _flag(query.blueprint, Course.blueprint.is_(True))
    subscribed = exists().where(BlueprintSubscription.child_course_id == Course.id,
                                BlueprintSubscription.workflow_state == "active")
    found += _flag(query.blueprint_associated, subscribed)
    found += _flag(query.public, Course.is_public.is_(True))
    if query.homeroom:
        found.append(Course.homeroom_course.is_(True))
    found += _date_conditions(query)
    if query.by_teachers:
        teacher_ids = [users.resolve_user(db, ref, actor).id for ref in query.by_teachers]
        found.append(live.where(Enrollment.type == "TeacherEnrollment", Enrollment.user_id.in_(teacher_ids)))
    if query.by_subaccounts:
        found.append(Course.account_id.in_(_subtrees(db, query.by_subaccounts)))
    if query.enrollment_term is not None:
        term = accounts.get_term(db, account.root_account_id or account.id, query.enrollment_term)
        found.append(Course.enrollment_term_id == term.id)
    if query.search_term is not None:
        found.append(search_condition(query))
    return found


def _date_conditions(query: AccountCourseQuery) -> list[ColumnElement[bool]]:
    """Canvas's starts_before / ends_after: the course's date or its term's, or neither is set."""
    found: list[ColumnElement[bool]] = []
    term = select(Term).where(Term.id == Course.enrollment_term_id)
    if query.starts_before is not None:
        found.append(or_(
            (Course.start_at.is_(None)) & term.where(Term.start_at.is_(None)).exists(),
            Course.start_at <= query.starts_before, term.where(Term.start_at <= query.starts_before).exists()))
    if query.ends_after is not None:
        ends = func.coalesce(Course.conclude_at, Course.end_at)
        found.append(or_(
            ends.is_(None) & term.where(Term.end_at.is_(None)).exists(),
            ends >= query.ends_after, term.where(Term.end_at >= query.ends_after).exists()))
    return found


def _subtrees(db: Session, refs: tuple[str, ...]) -> list[int]:
    ids: list[int] = []
    for ref in refs:
        account = accounts.resolve_account(db, ref)
        ids += [account.id, *descendant_ids(db, account.id)]
    return ids


def search_condition(query: AccountCourseQuery) -> ColumnElement[bool]:
    """The course search of an account course list (name, code, SIS id, or teacher), for other lists too."""
    term = query.search_term or ""
    if len(term) < MIN_SEARCH_LENGTH:
        raise InvalidInput("search_term", f"{MIN_SEARCH_LENGTH} or more characters is required")
    if query.search_by not in (None, *SEARCH_BY):
        raise InvalidInput("search_by", f"search_by must be one of {', '.join(SEARCH_BY)}")
    pattern = term.lower()
    if query.search_by == "teacher":
        named = select(User.id).where(func.lower(User.name).contains(pattern, autoescape=True))
        return exists().where(Enrollment.course_id == Course.id, Enrollment.type == "TeacherEnrollment",
                              Enrollment.workflow_state.not_in(_TEACHER_SEARCH_EXCLUDES),
                              Enrollment.user_id.in_(named))
    matches = [func.lower(Course.name).contains(pattern, autoescape=True),
               func.lower(Course.course_code).contains(pattern, autoescape=True),
               func.lower(Course.sis_course_id).contains(pattern, autoescape=True)]
    course_id = store_id(term)
    if course_id is not None:
        matches.append(Course.id == course_id)
    return or_(*matches)


def _order(query: AccountCourseQuery) -> list:
    """Canvas's sort columns; by id when none is named; ties by id, descending with a descending sort."""
    if query.sort is not None and query.sort not in SORTS:
        raise InvalidInput("sort", f"sort must be one of {', '.join(SORTS[:4])}")
    if query.order not in (None, "asc", "desc"):
        raise InvalidInput("order", "order must be asc or desc")
    key = _sort_key(query.sort)
    if key is None:
        return [Course.id]
    if query.order == "desc":
        return [key.desc().nulls_first(), Course.id.desc()]
    return [key.asc().nulls_last(), Course.id]


def _sort_key(sort: str | None):  # noqa: ANN202 - a column expression
    if sort == "course_name":
        return func.lower(Course.name)
    if sort == "sis_course_id":
        return Course.sis_course_id
    if sort == "teacher":
        return select(func.min(User.sortable_name)).join(Enrollment, Enrollment.user_id == User.id).where(
            Enrollment.course_id == Course.id, Enrollment.type == "TeacherEnrollment",
            Enrollment.workflow_state != "deleted").scalar_subquery()
    if sort in ("account_name", "subaccount"):
        return select(func.lower(Account.name)).where(Account.id == Course.account_id).scalar_subquery()
    if sort == "term":
        return select(func.lower(Term.name)).where(Term.id == Course.enrollment_term_id).scalar_subquery()
    return None
