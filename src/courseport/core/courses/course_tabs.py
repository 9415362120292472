"""A course's navigation tabs: the built-in tabs in the course's own order, some hidden from students.

The arrangement is kept as one course setting row (`tab_configuration`: the tabs in order, each with
whether it is hidden), so a course copy and a blueprint sync that copy settings carry it with the rest.
Tabs the row does not name follow in the default order. Home stays first and Settings last; neither can
be hidden or moved. Who sees what: those who manage the course's content see every tab (hidden ones
marked); everyone else sees the tabs that are neither hidden nor for admins only. Who may rearrange:
those who manage the course's content.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.schema import Course, CourseSetting, User
from courseport.schema.base import utcnow

TAB_CONFIGURATION = "tab_configuration"  # a course_settings row outside the settings catalogue
MANAGE = "manage_content"
PUBLIC, ADMINS = "public", "admins"


@dataclass(frozen=True)
class TabSpec:
    id: str
    label: str
    path: str  # below the course's own path
    visibility: str = PUBLIC


DEFAULT_TABS = (
    TabSpec("home", "Home", ""), TabSpec("announcements", "Announcements", "/announcements"),
    TabSpec("assignments", "Assignments", "/assignments"), TabSpec("discussions", "Discussions", "/discussion_topics"),
    TabSpec("grades", "Grades", "/grades"), TabSpec("people", "People", "/users"), TabSpec("pages", "Pages", "/wiki"),
    TabSpec("files", "Files", "/files"), TabSpec("syllabus", "Syllabus", "/assignments/syllabus"),
    TabSpec("outcomes", "Outcomes", "/outcomes"), TabSpec("rubrics", "Rubrics", "/rubrics", ADMINS),
    TabSpec("quizzes", "Quizzes", "/quizzes"), TabSpec("modules", "Modules", "/modules"),
    TabSpec("collaborations", "Collaborations", "/collaborations"),
    TabSpec("settings", "Settings", "/settings", ADMINS),
)
_BY_ID = {spec.id: spec for spec in DEFAULT_TABS}
FIXED = ("home", "settings")


@dataclass(frozen=True)
class CourseTab:
    spec: TabSpec
    position: int  # 1-based, in the whole arrangement
    hidden: bool

    @property
    def visibility(self) -> str:
        return ADMINS if self.hidden else self.spec.visibility


def course_tabs(db: Session, actor: User, course_ref: str) -> tuple[Course, list[CourseTab]]:
    """The tabs the actor sees, in the course's order."""
    course, rights = readable_course(db, actor, course_ref)
    tabs = arrangement(db, course)
    if rights.can(MANAGE):
        return course, tabs
    return course, [tab for tab in tabs if tab.visibility != ADMINS]


def arrangement(db: Session, course: Course) -> list[CourseTab]:
    """Every tab in the course's order: Home, those the stored row names, the rest by default, Settings."""
    row = db.get(CourseSetting, (course.id, TAB_CONFIGURATION))
    stored = [entry for entry in (row.value["v"] if row is not None else []) if entry.get("id") in _BY_ID]
    hidden = {entry["id"] for entry in stored if entry.get("hidden")}
    named = [entry["id"] for entry in stored if entry["id"] not in FIXED]
    middle = named + [spec.id for spec in DEFAULT_TABS if spec.id not in named and spec.id not in FIXED]
    order = ["home", *middle, "settings"]
    return [CourseTab(_BY_ID[tab_id], n, tab_id in hidden) for n, tab_id in enumerate(order, start=1)]


def update_tab(db: Session, actor: User, course_ref: str, tab_id: str, position: int | None,
               hidden: bool | None) -> tuple[Course, CourseTab]:
    """Move a tab to a 1-based position (2 to one before Settings) and/or hide or show it."""
    course, _ = readable_course(db, actor, course_ref, MANAGE)
    tabs = arrangement(db, course)
    tab = next((t for t in tabs if t.spec.id == tab_id), None)
    if tab is None:
        raise NotFound("tab")
    if tab_id in FIXED and (position is not None or hidden is not None):
        raise InvalidInput("tab_id", "Home and Settings tabs are not manageable, and can't be hidden or moved")
    if position is not None and not 2 <= position <= len(tabs) - 1:
        raise InvalidInput("position", f"position must be from 2 to {len(tabs) - 1}")
    order = [t.spec.id for t in tabs if t.spec.id != tab_id]
    order.insert((position if position is not None else tab.position) - 1, tab_id)
    hidden_ids = {t.spec.id for t in tabs if t.hidden} ^ ({tab_id} if hidden is not None and hidden != tab.hidden
                                                        else set())
    _store(db, course, [{"id": i, "hidden": i in hidden_ids} for i in order if i not in FIXED])
    return course, next(t for t in arrangement(db, course) if t.spec.id == tab_id)


def _store(db: Session, course: Course, entries: list[dict]) -> None:
    row = db.get(CourseSetting, (course.id, TAB_CONFIGURATION))
    if row is None:
        db.add(CourseSetting(course_id=course.id, name=TAB_CONFIGURATION, value={"v": entries}))
    else:
        row.value = {"v": entries}
    course.updated_at = utcnow()
    db.flush()
