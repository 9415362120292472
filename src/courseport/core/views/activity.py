"""The activity stream, derived from content rather than kept in a table of its own.

Its entries: the live announcements and discussion topics of the user's courses, the user's own
submissions (once submitted or graded) and, where the user grades, every student's. Newest first.
An entry is read when the user made it (wrote the topic, submitted the work while it is not yet
graded, or graded it); everything else someone else did is unread.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.identity.permissions import CourseRights, course_rights
from courseport.core.kit.paging import Slice, Window, window_of
from courseport.schema import ContentItem, Course, DiscussionEntry, Enrollment, Submission, User

TOPIC_KINDS = {"announcement": "Announcement", "discussion_topic": "DiscussionTopic"}
LIVE_TOPIC_STATES = ("active", "locked")
SHOWN_SUBMISSION_STATES = ("submitted", "graded", "pending_review")
LATEST_ENTRIES = 3


@dataclass(frozen=True)
class StreamEntry:
    kind: str  # "Announcement" | "DiscussionTopic" | "Submission"
    course: Course
    created_at: datetime
    updated_at: datetime
    read: bool
    topic: ContentItem | None = None
    submission: Submission | None = None
    assignment: ContentItem | None = None
    submitter: User | None = None
    grade_visible: bool = True
    root_entries: int = 0
    user_has_posted: bool | None = None
    latest_entries: list[tuple[DiscussionEntry, User | None]] = field(default_factory=list)

    @property
    def stream_id(self) -> int:
        """One integer id space over two tables: topics even, submissions odd."""
        # an entry is built with a topic or a submission
        return self.topic.id * 2 if self.topic is not None else cast(Submission, self.submission).id * 2 + 1


@dataclass(frozen=True)
class StreamSummary:
    kind: str
    count: int
    unread_count: int


def course_stream(db: Session, actor: User, course_ref: str | int, window: Window) -> Slice[StreamEntry]:
    course, rights = readable_course(db, actor, course_ref)
    return window_of(_stream(db, actor, [(course, rights)]), window)


def user_stream(db: Session, actor: User, window: Window) -> Slice[StreamEntry]:
    return window_of(_stream(db, actor, enrolled_courses(db, actor)), window)


def course_summary(db: Session, actor: User, course_ref: str | int) -> list[StreamSummary]:
    course, rights = readable_course(db, actor, course_ref)
    return summarise(_stream(db, actor, [(course, rights)]))


def user_summary(db: Session, actor: User) -> list[StreamSummary]:
    return summarise(_stream(db, actor, enrolled_courses(db, actor)))


def summarise(entries: list[StreamEntry]) -> list[StreamSummary]:
    """Counts per kind, kinds in name order, only kinds that occur."""
    counts = Counter(e.kind for e in entries)
    unread = Counter(e.kind for e in entries if not e.read)
    return [StreamSummary(kind, counts[kind], unread[kind]) for kind in sorted(counts)]


def enrolled_courses(db: Session, actor: User) -> list[tuple[Course, CourseRights]]:
    """The live courses the actor is actively enrolled in and may read, with their rights, by id."""
    courses = db.scalars(select(Course).where(
        Course.id.in_(select(Enrollment.course_id).where(Enrollment.user_id == actor.id,
                                                         Enrollment.workflow_state == "active")),
        Course.workflow_state != "deleted").order_by(Course.id))
    pairs = [(c, course_rights(db, actor, c)) for c in courses]
    return [(c, r) for c, r in pairs if r.can("read")]


def _stream(db: Session, actor: User, courses: list[tuple[Course, CourseRights]]) -> list[StreamEntry]:
    entries = [*_topics(db, actor, [c for c, _ in courses]), *_submissions(db, actor, courses)]
    return sorted(entries, key=lambda e: (e.updated_at, e.stream_id), reverse=True)


def _topics(db: Session, actor: User, courses: list[Course]) -> list[StreamEntry]:
    by_id = {c.id: c for c in courses}
    topics = list(db.scalars(select(ContentItem).where(
        ContentItem.course_id.in_(by_id), ContentItem.group_id.is_(None), ContentItem.type.in_(TOPIC_KINDS),
        ContentItem.workflow_state.in_(LIVE_TOPIC_STATES))))
    posts = list(db.scalars(select(DiscussionEntry).where(
        DiscussionEntry.topic_id.in_([t.id for t in topics]), DiscussionEntry.workflow_state != "deleted")
        .order_by(DiscussionEntry.created_at.desc(), DiscussionEntry.id.desc())))
    authors = _users(db, {p.user_id for p in posts if p.user_id})
    out = []
    for t in topics:
        roots = [p for p in posts if p.topic_id == t.id and p.parent_id is None]
        posted = any(p.user_id == actor.id for p in posts if p.topic_id == t.id)
        out.append(StreamEntry(
            TOPIC_KINDS[t.type], by_id[t.course_id], t.created_at, t.updated_at, read=t.user_id == actor.id,
            topic=t, root_entries=len(roots), user_has_posted=posted if t.type == "discussion_topic" else None,
            latest_entries=[(p, authors.get(p.user_id) if p.user_id is not None else None)
                            for p in roots[:LATEST_ENTRIES]]))
    return out


def _submissions(db: Session, actor: User, courses: list[tuple[Course, CourseRights]]) -> list[StreamEntry]:
    by_id = {c.id: (c, r) for c, r in courses}
    graded_courses = [c.id for c, r in courses if r.can("manage_grades")]
    stmt = (select(Submission, ContentItem).join(ContentItem, ContentItem.id == Submission.item_id)
            .where(Submission.course_id.in_(by_id), Submission.workflow_state.in_(SHOWN_SUBMISSION_STATES),
                   ContentItem.workflow_state == "published")
            .where((Submission.user_id == actor.id) | Submission.course_id.in_(graded_courses)))
    rows = db.execute(stmt).all()
    users = _users(db, {s.user_id for s, _ in rows})
    out = []
    for s, a in rows:
        grader = by_id[s.course_id][1].can("manage_grades")
        read = s.grader_id == actor.id if s.workflow_state == "graded" else s.user_id == actor.id
        out.append(StreamEntry(
            "Submission", by_id[s.course_id][0], s.submitted_at or s.graded_at or s.updated_at, s.updated_at,
            read=read, submission=s, assignment=a, submitter=users.get(s.user_id),
            grade_visible=grader or s.posted_at is not None))
    return out


def _users(db: Session, ids: set[int]) -> dict[int, User]:
    return {u.id: u for u in db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
