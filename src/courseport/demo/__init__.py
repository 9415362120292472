"""Demo data: a sub-account "Demo University" with terms, users in every role, courses in every
state, sections, enrollments and favourites, so a new installation has something to look at; the
courses' content is demo/content.py.

Seeding is idempotent: accounts, terms, users, courses and sections are found by their SIS id or
login first, and enrollments and favourites are added only when missing. Each seed issues a fresh
token for every demo user; it is shown once, in the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.blobs import BlobStore
from courseport.core.courses import courses
from courseport.core.identity import accounts, tokens, users
from courseport.demo import content as demo_content
from courseport.schema import Account, Course, Enrollment, Favorite, Section, Term, User

DEMO_ACCOUNT_NAME = "Demo University"
DEMO_ACCOUNT_SIS_ID = "demo-university"


def _utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


@dataclass(frozen=True)
class TermSpec:
    sis_term_id: str
    name: str
    start_at: datetime
    end_at: datetime


@dataclass(frozen=True)
class PersonSpec:
    login: str
    name: str
    role: str  # what the person is for, shown in the summary


@dataclass(frozen=True)
class EnrollmentSpec:
    login: str
    type: str
    section: str | None = None  # a section's SIS id; None: the default section
    observing: str | None = None  # the login of the observed student


@dataclass(frozen=True)
class CourseSpec:
    sis_course_id: str
    name: str
    course_code: str
    term: str
    state: str  # available, unpublished or completed
    enrollments: tuple[EnrollmentSpec, ...]
    sections: tuple[tuple[str, str], ...] = ()  # (sis_section_id, name)
    blueprint: bool = False


TERMS = (
    TermSpec("demo-spring-2026", "Spring 2026", _utc(2026, 1, 12), _utc(2026, 5, 8)),
    TermSpec("demo-fall-2026", "Fall 2026", _utc(2026, 8, 24), _utc(2026, 12, 18)),
)
PEOPLE = (
    PersonSpec("demo.teacher", "Ada Lovelace", "teacher"),
    PersonSpec("demo.teacher2", "Alan Turing", "teacher"),
    PersonSpec("demo.ta", "Grace Hopper", "ta"),
    PersonSpec("demo.designer", "Margaret Hamilton", "designer"),
    PersonSpec("demo.student1", "Katherine Johnson", "student"),
    PersonSpec("demo.student2", "Edsger Dijkstra", "student"),
    PersonSpec("demo.student3", "Barbara Liskov", "student"),
    PersonSpec("demo.observer", "Charles Babbage", "observer"),
)
_T, _TA, _D, _S, _O = ("TeacherEnrollment", "TaEnrollment", "DesignerEnrollment", "StudentEnrollment",
                       "ObserverEnrollment")
COURSES = (
    CourseSpec(
        "DEMO-BIO101", "Introduction to Biology", "BIO 101", "demo-fall-2026", "available",
        sections=(("DEMO-BIO101-A", "Section A"), ("DEMO-BIO101-B", "Section B")),
        enrollments=(
            EnrollmentSpec("demo.teacher", _T), EnrollmentSpec("demo.ta", _TA), EnrollmentSpec("demo.designer", _D),
            EnrollmentSpec("demo.student1", _S, "DEMO-BIO101-A"), EnrollmentSpec("demo.student2", _S, "DEMO-BIO101-A"),
            EnrollmentSpec("demo.student3", _S, "DEMO-BIO101-B"),
            EnrollmentSpec("demo.observer", _O, "DEMO-BIO101-A", observing="demo.student1"),
        ),
    ),
    CourseSpec(
        "DEMO-MATH110", "Calculus I", "MATH 110", "demo-fall-2026", "available",
        enrollments=(
            EnrollmentSpec("demo.teacher2", _T), EnrollmentSpec("demo.student1", _S),
            EnrollmentSpec("demo.student2", _S), EnrollmentSpec("demo.observer", _O, observing="demo.student1"),
        ),
    ),
    CourseSpec(
        "DEMO-ENG205", "Modern Poetry", "ENG 205", "demo-fall-2026", "unpublished",
        enrollments=(EnrollmentSpec("demo.teacher2", _T), EnrollmentSpec("demo.student2", _S)),
    ),
    CourseSpec(
        "DEMO-HIST150", "History of Computing", "HIST 150", "demo-spring-2026", "completed",
        enrollments=(EnrollmentSpec("demo.teacher", _T), EnrollmentSpec("demo.student1", _S),
                     EnrollmentSpec("demo.student3", _S)),
    ),
    CourseSpec(
        "DEMO-BIO-BLUEPRINT", "Biology Blueprint", "BIO BP", "demo-fall-2026", "available", blueprint=True,
        enrollments=(EnrollmentSpec("demo.teacher", _T), EnrollmentSpec("demo.designer", _D)),
    ),
)
FAVORITES = (("demo.student1", "DEMO-BIO101"), ("demo.student1", "DEMO-MATH110"), ("demo.teacher", "DEMO-BIO101"))


@dataclass(frozen=True)
class DemoUser:
    id: int
    login: str
    name: str
    role: str
    token: str


@dataclass(frozen=True)
class DemoCourse:
    id: int
    name: str
    course_code: str
    sis_course_id: str
    workflow_state: str
    blueprint: bool
    term: str


@dataclass(frozen=True)
class DemoSummary:
    account_id: int
    account_name: str
    terms: dict[str, int] = field(default_factory=dict)  # term name -> id
    users: list[DemoUser] = field(default_factory=list)
    courses: list[DemoCourse] = field(default_factory=list)


def seed_demo(db: Session, actor: User, *, enroll_me: bool = False, blobs: BlobStore | None = None) -> DemoSummary:
    """Add (or complete) the demo account; `actor` must administer the root account.

    `enroll_me` also makes the actor a teacher of every demo course, so the actor's own course list
    (the first thing a newcomer asks for) shows them. The courses get content (demo/content.py);
    `blobs` is where its uploaded file goes (None: no file).
    """
    account = _ensure_account(db)
    terms = {spec.sis_term_id: _ensure_term(db, account.root_account_id or account.id, spec) for spec in TERMS}
    people = {spec.login: _ensure_user(db, spec) for spec in PEOPLE}
    made = [_ensure_course(db, actor, account, spec, terms, people) for spec in COURSES]
    if enroll_me:
        for course in made:
            _ensure_enrollment(db, course, courses.default_section(db, course), actor, _T, None)
    by_sis = {cast(str, course.sis_course_id): course for course in made}  # found or made by the spec's sis id
    for login, sis_course_id in FAVORITES:
        _ensure_favorite(db, people[login], by_sis[sis_course_id])
    demo_content.seed_course_content(db, by_sis, people, actor, blobs)
    term_names = {term.id: term.name for term in terms.values()}
    return DemoSummary(
        account_id=account.id,
        account_name=account.name,
        terms={term.name: term.id for term in terms.values()},
        users=[DemoUser(people[p.login].id, p.login, p.name, p.role, tokens.create_token(db, people[p.login], "demo"))
               for p in PEOPLE],
        courses=[DemoCourse(c.id, c.name, c.course_code, c.sis_course_id or "", c.workflow_state, c.blueprint,
                            term_names[c.enrollment_term_id]) for c in made],
    )


def _ensure_account(db: Session) -> Account:
    account = db.scalar(select(Account).where(Account.sis_account_id == DEMO_ACCOUNT_SIS_ID,
                                             Account.root_account_id == accounts.ROOT_ACCOUNT_ID))
    if account is None:
        return accounts.create_account(db, DEMO_ACCOUNT_NAME, accounts.ROOT_ACCOUNT_ID, DEMO_ACCOUNT_SIS_ID)
    account.workflow_state = "active"
    return account


def _ensure_term(db: Session, root_account_id: int, spec: TermSpec) -> Term:
    term = db.scalar(select(Term).where(Term.sis_term_id == spec.sis_term_id,
                                         Term.root_account_id == root_account_id))
    if term is None:
        term = accounts.create_term(db, root_account_id, spec.name, sis_term_id=spec.sis_term_id,
                                    start_at=spec.start_at, end_at=spec.end_at)
    return term


def _ensure_user(db: Session, spec: PersonSpec) -> User:
    user = users.find_by_login(db, spec.login)
    if user is not None:
        return user
    sis_user_id: str | None = spec.login.replace(".", "-")
    if db.scalar(select(User.id).where(User.sis_user_id == sis_user_id)) is not None:
        sis_user_id = None  # someone else holds it; the login still finds this user next time
    return users.create_user(db, spec.name, spec.login, email=f"{spec.login}@example.test", sis_user_id=sis_user_id)


def _ensure_course(db: Session, actor: User, account: Account, spec: CourseSpec, terms: dict[str, Term],
                   people: dict[str, User]) -> Course:
    course = db.scalar(select(Course).where(Course.sis_course_id == spec.sis_course_id,
                                             Course.root_account_id == account.root_account_id))
    if course is None:
        fields = courses.CourseChanges(name=spec.name, course_code=spec.course_code, sis_course_id=spec.sis_course_id,
                                       term_id=str(terms[spec.term].id), blueprint=spec.blueprint)
        course = courses.create_course(db, actor, account.id, fields, offer=spec.state == "available")
        if spec.state == "completed":
            courses.apply_event(course, "conclude")
            db.flush()
    sections = {sis_id: _ensure_section(db, course, sis_id, name) for sis_id, name in spec.sections}
    default_section = courses.default_section(db, course)
    for enrollment in spec.enrollments:
        section = sections[enrollment.section] if enrollment.section else default_section
        observed = people[enrollment.observing].id if enrollment.observing else None
        _ensure_enrollment(db, course, section, people[enrollment.login], enrollment.type, observed)
    return course


def _ensure_section(db: Session, course: Course, sis_section_id: str, name: str) -> Section:
    section = db.scalar(select(Section).where(Section.sis_section_id == sis_section_id,
                                               Section.course_id == course.id))
    if section is None:
        section = Section(course_id=course.id, name=name, sis_section_id=sis_section_id)
        db.add(section)
        db.flush()
    return section


def _ensure_enrollment(db: Session, course: Course, section: Section, user: User, etype: str,
                       observed_id: int | None) -> None:
    exists = db.scalar(select(Enrollment.id).where(
        Enrollment.user_id == user.id, Enrollment.course_id == course.id, Enrollment.type == etype,
        Enrollment.course_section_id == section.id, Enrollment.associated_user_id.is_not_distinct_from(observed_id),
    ))
    if exists is None:
        db.add(Enrollment(
            user_id=user.id, course_id=course.id, course_section_id=section.id,
            root_account_id=course.root_account_id, type=etype, role_id=accounts.BUILT_IN_ROLES[etype],
            workflow_state="active", associated_user_id=observed_id,
        ))
        db.flush()


def _ensure_favorite(db: Session, user: User, course: Course) -> None:
    exists = db.scalar(select(Favorite.id).where(Favorite.user_id == user.id, Favorite.course_id == course.id))
    if exists is None:
        db.add(Favorite(user_id=user.id, course_id=course.id))
        db.flush()
