"""What a student has done in a course's modules: requirement completion, module states, locks,
and the course progress built from them.

Explicit acts (viewed, marked done) are `module_progress` rows; submitting and scores are read
from `submissions` and contributing from `discussion_entries`, so progress always agrees with them.
Everything is computed from an outline (modules and items as the student sees them) and per-user
facts loaded in bulk, so one student's progress and a whole roster's cost the same few queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.content.due_dates import STUDENT_TYPES
from courseport.core.courses.courses import readable_course, resolve_course
from courseport.core.identity.permissions import CourseRights, course_rights
from courseport.core.identity.users import resolve_user
from courseport.core.kit.errors import NotAllowed, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Course, Enrollment, User
from courseport.schema.base import utcnow
from courseport.schema.content import ContentItem, ModuleProgress, Submission
from courseport.schema.discussions import DiscussionEntry
from courseport.schema.files import File

LIVE_TARGET_STATES = frozenset({"published", "active", "locked", "post_delayed"})
_SUBMITTED = frozenset({"submitted", "graded", "pending_review"})


@dataclass
class OutlineItem:
    item: ContentItem
    target: ContentItem | None = None
    file: File | None = None

    @property
    def requirement(self) -> dict | None:
        return (self.item.data or {}).get("completion_requirement") or None

    @property
    def graded_ids(self) -> tuple[int, ...]:
        """The items whose submissions count for this one (a quiz or topic is graded through its assignment)."""
        if self.target is None:
            return ()
        return tuple(i for i in (self.target.id, self.target.ref_id) if i is not None)


@dataclass
class OutlineModule:
    module: ContentItem
    items: list[OutlineItem] = field(default_factory=list)

    @property
    def sequential(self) -> bool:
        return bool((self.module.data or {}).get("require_sequential_progress"))


@dataclass
class ItemStatus:
    completed: bool = False
    completed_at: datetime | None = None
    locked: bool = False


@dataclass
class ModuleStatus:
    state: str  # locked | unlocked | started | completed
    completed_at: datetime | None = None
    items: dict[int, ItemStatus] = field(default_factory=dict)
    current_item_id: int | None = None  # the first item whose requirement is unmet


@dataclass
class UserFacts:
    progress: dict[int, ModuleProgress] = field(default_factory=dict)
    submissions: dict[int, Submission] = field(default_factory=dict)
    first_posts: dict[int, datetime] = field(default_factory=dict)  # topic id -> the user's first entry


@dataclass(frozen=True)
class CourseProgress:
    requirement_count: int
    requirement_completed_count: int
    next_requirement_item_id: int | None
    completed_at: datetime | None


def load_outline(db: Session, course_id: int, *, published_only: bool) -> list[OutlineModule]:
    """The course's modules in order with their items; `published_only` gives the students' view."""
    live = ("active",) if published_only else ("active", "unpublished")
    modules = list(db.scalars(select(ContentItem).where(
        ContentItem.course_id == course_id, ContentItem.type == "module", ContentItem.workflow_state.in_(live))
        .order_by(ContentItem.position, ContentItem.id)))
    outline = {m.id: OutlineModule(m) for m in modules}
    if not outline:
        return []
    items = list(db.scalars(select(ContentItem).where(
        ContentItem.parent_id.in_(list(outline)), ContentItem.type == "module_item",
        ContentItem.workflow_state.in_(live)).order_by(ContentItem.position, ContentItem.id)))
    targets = _by_id(db, ContentItem, {i.ref_id for i in items if i.ref_id})
    files = _by_id(db, File, {i.file_id for i in items if i.file_id})
    for item in items:
        entry = OutlineItem(item, targets.get(item.ref_id), files.get(item.file_id))
        if _target_visible(entry, published_only):
            outline[cast(int, item.parent_id)].items.append(entry)  # selected by parent_id in outline
    return list(outline.values())


def _by_id(db: Session, model: type[Any], ids: set[int]) -> dict:
    return {row.id: row for row in db.scalars(select(model).where(model.id.in_(ids)))} if ids else {}


def _target_visible(entry: OutlineItem, published_only: bool) -> bool:
    if entry.item.ref_id is not None:
        if entry.target is None or entry.target.workflow_state == "deleted":
            return False
        return not published_only or entry.target.workflow_state in LIVE_TARGET_STATES
    if entry.item.file_id is not None:
        return entry.file is not None and entry.file.workflow_state != "deleted" and not (
            published_only and entry.file.hidden)
    return True


def load_facts(db: Session, course_id: int, user_ids: list[int], outline: list[OutlineModule]) -> dict[int, UserFacts]:
    facts = {uid: UserFacts() for uid in user_ids}
    if not user_ids:
        return facts
    for row in db.scalars(select(ModuleProgress).where(ModuleProgress.course_id == course_id,
                                                       ModuleProgress.user_id.in_(user_ids))):
        facts[row.user_id].progress[row.item_id] = row
    graded = {i for m in outline for e in m.items for i in e.graded_ids}
    if graded:
        for sub in db.scalars(select(Submission).where(Submission.item_id.in_(graded),
                                                       Submission.user_id.in_(user_ids))):
            facts[sub.user_id].submissions[sub.item_id] = sub
    topics = {e.target.id for m in outline for e in m.items if e.target and e.target.type == "discussion_topic"}
    if topics:
        for topic_id, user_id, posted_at in db.execute(select(
                DiscussionEntry.topic_id, DiscussionEntry.user_id, DiscussionEntry.created_at).where(
                DiscussionEntry.topic_id.in_(topics), DiscussionEntry.user_id.in_(user_ids),
                DiscussionEntry.workflow_state != "deleted").order_by(DiscussionEntry.created_at.desc())):
            facts[cast(int, user_id)].first_posts[topic_id] = posted_at  # selected by user_id in user_ids
    return facts


def requirement_met_at(entry: OutlineItem, facts: UserFacts) -> datetime | None:
    """When the user met the item's requirement, or None while it is unmet."""
    req = entry.requirement or {}
    row = facts.progress.get(entry.item.id)
    kind = req.get("type")
    if kind == "must_view":
        return row.viewed_at if row else None
    if kind == "must_mark_done":
        return row.completed_at if row else None
    if kind == "must_contribute" and entry.target is not None and entry.target.id in facts.first_posts:
        return facts.first_posts[entry.target.id]
    subs = [facts.submissions[i] for i in entry.graded_ids if i in facts.submissions]
    if kind in ("must_submit", "must_contribute"):
        done = [s for s in subs if s.excused or s.workflow_state in _SUBMITTED]
        return (done[0].submitted_at or done[0].graded_at or done[0].updated_at) if done else None
    if kind == "min_score":
        floor = float(req.get("min_score") or 0)
        done = [s for s in subs if s.excused or (s.score is not None and s.score >= floor)]
        return (done[0].graded_at or done[0].updated_at) if done else None
    return None


def evaluate(outline: list[OutlineModule], facts: UserFacts, now: datetime | None = None) -> dict[int, ModuleStatus]:
    """Each module's state for one student, in order, honouring unlock dates, prerequisites and
    sequential progress (items after the first unmet requirement of a sequential module are locked)."""
    now = now or utcnow()
    done_modules: set[int] = set()
    order = {m.module.id: n for n, m in enumerate(outline)}
    out: dict[int, ModuleStatus] = {}
    for n, mod in enumerate(outline):
        prereqs = [p for p in (mod.module.data or {}).get("prerequisite_module_ids", []) if order.get(p, n) < n]
        unlock_at = _aware(mod.module.unlock_at)
        if (unlock_at and unlock_at > now) or any(p not in done_modules for p in prereqs):
            out[mod.module.id] = ModuleStatus("locked", items={e.item.id: ItemStatus(locked=True) for e in mod.items})
            continue
        status = _evaluate_module(mod, facts, now)
        if status.state == "completed":
            done_modules.add(mod.module.id)
        out[mod.module.id] = status
    return out


def _evaluate_module(mod: OutlineModule, facts: UserFacts, now: datetime) -> ModuleStatus:
    status = ModuleStatus("unlocked")
    blocked = False
    touched = False
    for entry in mod.items:
        met_at = requirement_met_at(entry, facts) if entry.requirement else None
        item_status = ItemStatus(met_at is not None, met_at, blocked or _dates_lock(entry, now))
        status.items[entry.item.id] = item_status
        row = facts.progress.get(entry.item.id)
        touched = touched or item_status.completed or bool(row and row.viewed_at)
        if entry.requirement and not item_status.completed and status.current_item_id is None:
            status.current_item_id = entry.item.id
            blocked = mod.sequential
    required = [status.items[e.item.id] for e in mod.items if e.requirement]
    if all(s.completed for s in required):
        status.state = "completed"
        status.completed_at = max((s.completed_at for s in required if s.completed_at), default=None)
    elif touched:
        status.state = "started"
    return status


def _dates_lock(entry: OutlineItem, now: datetime) -> bool:
    thing = entry.target or entry.file
    unlock_at, lock_at = _aware(getattr(thing, "unlock_at", None)), _aware(getattr(thing, "lock_at", None))
    return bool((unlock_at and unlock_at > now) or (lock_at and lock_at < now))


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def is_module_based(outline: list[OutlineModule]) -> bool:
    return any(e.requirement for m in outline for e in m.items)


def summarize(outline: list[OutlineModule], statuses: dict[int, ModuleStatus]) -> CourseProgress:
    """Canvas's CourseProgress: requirements met across modules, the next one when the current module
    (the first not completed) is sequential, and when the last module was completed."""
    required = [(m, e) for m in outline for e in m.items if e.requirement]
    met = sum(1 for m, e in required if statuses[m.module.id].items[e.item.id].completed)
    current = next((m for m in outline if statuses[m.module.id].state != "completed"), None)
    next_item = statuses[current.module.id].current_item_id if current and current.sequential else None
    completed_at = None
    if required and met >= len(required):
        completed_at = max((s.completed_at for s in statuses.values() if s.completed_at), default=None)
    return CourseProgress(len(required), met, next_item, completed_at)


def is_student(db: Session, course_id: int, user_id: int) -> bool:
    return db.scalar(select(Enrollment.id).where(
        Enrollment.course_id == course_id, Enrollment.user_id == user_id, Enrollment.type.in_(STUDENT_TYPES),
        Enrollment.workflow_state != "deleted").limit(1)) is not None


def progress_of(db: Session, course: Course, users: list[User]) -> dict[int, CourseProgress | None]:
    """Course progress per user; None where none is available (no requirements, or not a student)."""
    outline = load_outline(db, course.id, published_only=True)
    if not is_module_based(outline):
        return {u.id: None for u in users}
    students = set(db.scalars(select(Enrollment.user_id).where(
        Enrollment.course_id == course.id, Enrollment.user_id.in_([u.id for u in users]),
        Enrollment.type.in_(STUDENT_TYPES), Enrollment.workflow_state != "deleted")))
    facts = load_facts(db, course.id, sorted(students), outline)
    now = utcnow()
    return {u.id: summarize(outline, evaluate(outline, facts[u.id], now)) if u.id in students else None
            for u in users}


def may_read_progress(db: Session, me: User, rights: CourseRights, target: User) -> bool:
    """Graders, the user themself, and observers linked to the user may see a user's progress."""
    if target.id == me.id or rights.can("view_all_grades"):
        return True
    return db.scalar(select(Enrollment.id).where(
        Enrollment.course_id == rights.course_id, Enrollment.user_id == me.id,
        Enrollment.type == "ObserverEnrollment", Enrollment.associated_user_id == target.id,
        Enrollment.workflow_state == "active").limit(1)) is not None


def user_progress(db: Session, me: User, course_ref: str | int, user_ref: str
                  ) -> tuple[Course, CourseProgress | None]:
    """A user's progress (None: not available); graders, the user and linked observers may ask."""
    course = resolve_course(db, course_ref)
    target = resolve_user(db, user_ref, me)
    enrolled = db.scalar(select(Enrollment.id).where(Enrollment.course_id == course.id,
                                                     Enrollment.user_id == target.id,
                                                     Enrollment.workflow_state != "deleted").limit(1))
    rights = course_rights(db, me, course)
    if enrolled is None:
        if not rights.can("read"):
            raise NotAllowed()
        raise NotFound("user")
    if not may_read_progress(db, me, rights, target):
        raise NotAllowed()
    return course, progress_of(db, course, [target])[target.id]


def bulk_user_progress(db: Session, me: User, course_ref: str | int, window: Window
                       ) -> tuple[Course, Slice[tuple[User, CourseProgress | None]]]:
    """Every student's progress, by sortable name; needs the right to view all grades."""
    course, _ = readable_course(db, me, course_ref, "view_all_grades")
    stmt = select(User).where(User.id.in_(select(Enrollment.user_id).where(
        Enrollment.course_id == course.id, Enrollment.type.in_(STUDENT_TYPES),
        Enrollment.workflow_state.in_(("active", "invited", "completed"))))).order_by(User.sortable_name, User.id)
    page = fetch_window(db, stmt, window)
    progress = progress_of(db, course, page.items)
    return course, Slice([(u, progress[u.id]) for u in page.items], page.has_more, page.total)


def record_progress(db: Session, course_id: int, user_id: int, item_id: int, *, viewed: bool = False,
                    done: bool | None = None) -> ModuleProgress:
    """Record that a user viewed an item, or marked it done (done=True) or not done (done=False)."""
    row = db.get(ModuleProgress, (item_id, user_id))
    if row is None:
        row = ModuleProgress(item_id=item_id, user_id=user_id, course_id=course_id)
        db.add(row)
    now = utcnow()
    if viewed and row.viewed_at is None:
        row.viewed_at = now
    if done is not None:
        row.completed_at = now if done else None
    db.flush()
    return row


def student_statuses(db: Session, course_id: int, outline: list[OutlineModule], student: User
                     ) -> dict[int, ModuleStatus]:
    facts = load_facts(db, course_id, [student.id], outline)
    return evaluate(outline, facts[student.id])


def progress_for_courses(db: Session, courses: list[Course], user: User) -> dict[int, CourseProgress | None]:
    """The `course_progress` include: one user's progress in each course."""
    return {course.id: progress_of(db, course, [user])[user.id] for course in courses}
