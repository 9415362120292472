"""The planner: one user's dated work across their courses, their notes and their marks on it.

Items: the assignments visible to the user (by their effective due date), ungraded quizzes (practice
quizzes and surveys, by due date), posted announcements (by posting date), pages with a todo date,
the courses' calendar events (by start) and the user's planner notes (by todo date), each with the
user's live planner override. Courses: those the user is actively enrolled in and may read
(activity.enrolled_courses), narrowed by `course_<id>` context codes; `user_<id>` codes keep their
notes without a course. `incomplete` leaves out what the user marked complete or already submitted
(todo's done states, excused too); `new_activity` keeps announcements unread by the user and
submissions graded and posted that the user has not marked. Ordered by date, then type and id.
An observer reads a linked student's planner as that student sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content.calendar_events import date_bound
from courseport.core.content.planner_notes import live_notes
from courseport.core.content.planner_overrides import overrides_of
from courseport.core.courses.observer_links import observes
from courseport.core.coursework.assignments import access_for, visible_items
from courseport.core.coursework.discussions import topic_views, topics_stmt
from courseport.core.identity.permissions import CourseRights
from courseport.core.identity.users import resolve_user
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.paging import Slice, Window, window_of
from courseport.core.views.activity import enrolled_courses
from courseport.core.views.assignment_views import AssignmentView, load_views
from courseport.core.views.todo import DONE_STATES, UNGRADED_QUIZ_TYPES
from courseport.schema import ContentItem, Course, PlannerNote, PlannerOverride, Submission, User
from courseport.schema.base import utcnow

FILTERS = ("new_activity", "incomplete_items")
UPCOMING = timedelta(weeks=1)
UPCOMING_LIMIT = 10


@dataclass(frozen=True)
class PlannerItem:
    type: str  # assignment | quiz | announcement | page | calendar_event | planner_note
    date: datetime
    course: Course | None
    item: ContentItem | None = None  # every type but planner_note
    note: PlannerNote | None = None
    view: AssignmentView | None = None  # an assignment as the user sees it
    submission: Submission | None = None  # the user's, for an assignment
    override: PlannerOverride | None = None
    new_activity: bool = False

    @property
    def id(self) -> int:
        return self.note.id if self.note is not None else self.item.id if self.item is not None else 0


@dataclass(frozen=True)
class PlannerQuery:
    start_date: str | None = None
    end_date: str | None = None
    context_codes: tuple[str, ...] = ()
    filter: str | None = None


def planner_items(db: Session, actor: User, user_ref: str, query: PlannerQuery, window: Window
                  ) -> Slice[PlannerItem]:
    if query.filter is not None and query.filter not in FILTERS:
        raise InvalidInput("filter", f"filter must be one of: {', '.join(FILTERS)}")
    start = date_bound(query.start_date, "start_date", end_of_day=False)
    end = date_bound(query.end_date, "end_date", end_of_day=True)
    user = planner_owner(db, actor, user_ref)
    items = _items(db, user, start, end, query.context_codes)
    if query.filter == "incomplete_items":
        items = [i for i in items if not _complete(i)]
    elif query.filter == "new_activity":
        items = [i for i in items if i.new_activity]
    return window_of(items, window)


def upcoming(db: Session, actor: User) -> list[PlannerItem]:
    """The user's calendar events and assignments from now to a week ahead, at most ten, soonest first."""
    now = utcnow()
    items = _items(db, actor, now, now + UPCOMING, ())
    return [i for i in items if i.type in ("calendar_event", "assignment")][:UPCOMING_LIMIT]


def planner_owner(db: Session, actor: User, user_ref: str) -> User:
    """The actor for `self` (or their own id); a student the actor observes; else not found."""
    user = resolve_user(db, user_ref, actor)
    if user.id != actor.id and not observes(db, actor.id, user.id):
        raise NotFound("user")
    return user


def _items(db: Session, user: User, start: datetime | None, end: datetime | None,
           codes: tuple[str, ...]) -> list[PlannerItem]:
    courses = enrolled_courses(db, user)
    if codes:
        courses = [(c, r) for c, r in courses if f"course_{c.id}" in codes]
    marks = overrides_of(db, user)
    items = [*_coursework(db, user, courses, marks), *_notes(db, user, courses, codes, marks)]
    kept = [i for i in items if (start is None or i.date >= start) and (end is None or i.date <= end)]
    return sorted(kept, key=lambda i: (i.date, i.type, i.id))


def _coursework(db: Session, user: User, courses: list[tuple[Course, CourseRights]],
                marks: dict[tuple[str, int], PlannerOverride]) -> list[PlannerItem]:
    out: list[PlannerItem] = []
    now = utcnow()
    for course, rights in courses:
        out += _assignments(db, user, course, marks)
        for item in db.scalars(select(ContentItem).where(
                ContentItem.course_id == course.id, ContentItem.type.in_(("quiz", "page", "calendar_event")),
                ContentItem.workflow_state.in_(("published", "active")))):
            date = _dated(item)
            if date is not None:
                out.append(PlannerItem(item.type, date, course, item, override=marks.get((item.type, item.id))))
        announcements = list(db.scalars(topics_stmt(course.id, rights, ("announcement",), now)))
        for topic in topic_views(db, course, rights, user, announcements, now):
            if topic.posted_at is not None:
                mark = marks.get(("announcement", topic.item.id))
                out.append(PlannerItem("announcement", topic.posted_at, course, topic.item, override=mark,
                                       new_activity=not topic.read))
    return out


def _dated(item: ContentItem) -> datetime | None:
    data = item.data or {}
    if item.type == "quiz":
        return item.due_at if data.get("quiz_type") in UNGRADED_QUIZ_TYPES else None
    if item.type == "page":
        todo = data.get("todo_date")
        return date_bound(todo, "todo_date", end_of_day=False) if isinstance(todo, str) else None
    return item.start_at


def _assignments(db: Session, user: User, course: Course,
                 marks: dict[tuple[str, int], PlannerOverride]) -> list[PlannerItem]:
    access = access_for(db, user, course.id)
    candidates = list(db.scalars(select(ContentItem).where(
        ContentItem.course_id == course.id, ContentItem.type == "assignment",
        ContentItem.workflow_state == "published")))
    views = load_views(db, access, visible_items(db, access, candidates))
    subs = {s.item_id: s for s in db.scalars(select(Submission).where(
        Submission.user_id == user.id, Submission.item_id.in_([v.item.id for v in views])))}
    out = []
    for v in views:
        due = v.dates.due_at
        if due is None:
            continue
        sub, mark = subs.get(v.item.id), marks.get(("assignment", v.item.id))
        graded = sub is not None and sub.workflow_state == "graded" and sub.posted_at is not None
        out.append(PlannerItem("assignment", due, course, v.item, view=v, submission=sub, override=mark,
                               new_activity=graded and mark is None))
    return out


def _notes(db: Session, user: User, courses: list[tuple[Course, CourseRights]], codes: tuple[str, ...],
           marks: dict[tuple[str, int], PlannerOverride]) -> list[PlannerItem]:
    by_id = {c.id: c for c, _ in courses}
    personal = not codes or f"user_{user.id}" in codes
    out = []
    for note in db.scalars(select(PlannerNote).where(*live_notes(user, None, None))):
        if (note.course_id is None and personal) or note.course_id in by_id:
            out.append(PlannerItem("planner_note", note.todo_date, by_id.get(note.course_id or 0), note=note,
                                   override=marks.get(("planner_note", note.id))))
    return out


def _complete(item: PlannerItem) -> bool:
    if item.override is not None and item.override.marked_complete:
        return True
    sub = item.submission
    return sub is not None and (sub.excused or sub.workflow_state in DONE_STATES)
