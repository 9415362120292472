"""Who may message whom: the users and contexts (courses, their sections and groups) a user may send
conversations to, contexts expanded to their members, and the recipient search over both.

A user may message the users they share a live course with (both enrolled, active or invited), and
a course, section or group of such a course as a whole. An administrator of a course's account may
message its course and members; an administrator of their tenant's root account may message anyone
of that tenant. Recipients are named as user ids or context codes: `course_<id>` (with `_students`,
`_teachers`, `_tas` or `_observers` for one kind of member), `section_<id>`, `group_<id>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, tenancy
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.paging import Slice, Window
from courseport.schema import Course, CourseGroup, Enrollment, GroupMembership, Section, User

LIVE = ("active", "invited")
_CODE = re.compile(r"(course|section|group)_(\d{1,18})(?:_(students|teachers|tas|observers))?\Z")
_KINDS = {"students": "StudentEnrollment", "teachers": "TeacherEnrollment", "tas": "TaEnrollment",
          "observers": "ObserverEnrollment"}


@dataclass(frozen=True)
class Context:
    code: str  # course_1, section_2, group_3, course_1_students
    name: str
    kind: str  # "course", "section" or "group"
    id: int
    course_id: int
    members: list[int]  # user ids, the sender excluded


@dataclass(frozen=True)
class Recipient:
    user: User
    courses: dict[int, list[str]]  # course id -> the recipient's enrollment types there
    groups: dict[int, list[str]]  # group id -> ["Member"]


def is_tenant_admin(db: Session, actor: User) -> bool:
    return accounts.is_admin_of(db, actor.id, tenancy.tenant_of(db, actor.id))


def shared_course_ids(db: Session, actor: User) -> Select:
    """The courses the actor is a live member of (not deleted)."""
    return (select(Enrollment.course_id).join(Course, Course.id == Enrollment.course_id)
            .where(Enrollment.user_id == actor.id, Enrollment.workflow_state.in_(LIVE),
                   Course.workflow_state != "deleted"))


def messageable(db: Session, actor: User) -> ColumnElement[bool]:
    """A condition on User.id: the users the actor may message."""
    if is_tenant_admin(db, actor):
        return true()  # anyone; same_tenant keeps them to the actor's tenant (checked_users, search_users)
    mates = select(Enrollment.user_id).where(Enrollment.course_id.in_(shared_course_ids(db, actor)),
                                             Enrollment.workflow_state.in_(LIVE))
    return User.id.in_(mates)


def checked_users(db: Session, actor: User, ids: list[int], field: str) -> list[int]:
    """`ids`, each a user the actor may message; else InvalidInput naming `field`."""
    allowed = set(db.scalars(select(User.id).where(User.id.in_(ids), messageable(db, actor))))
    for user_id in ids:
        if user_id not in allowed or not tenancy.same_tenant(db, actor.id, user_id):
            raise InvalidInput(field, f"{field}: user {user_id} is not a valid recipient")
    return ids


def context(db: Session, actor: User, code: str, field: str) -> Context:
    """A course, section or group the actor may message as a whole, with its members."""
    match = _CODE.match(code)
    if match is None:
        raise InvalidInput(field, f"{field}: {code} is not a valid recipient")
    kind, ident, part = match.group(1), int(match.group(2)), match.group(3)
    found = _context_row(db, kind, ident)
    if found is None or not _may_message_course(db, actor, found[1]):
        raise InvalidInput(field, f"{field}: {code} is not a valid recipient")
    name, course = found
    if kind == "group":
        members = select(GroupMembership.user_id).where(GroupMembership.group_id == ident)
    else:
        members = select(Enrollment.user_id).where(Enrollment.workflow_state.in_(LIVE), (
            Enrollment.course_id == ident if kind == "course" else Enrollment.course_section_id == ident))
        if part:
            members = members.where(Enrollment.type == _KINDS[part])
    ids = sorted(set(db.scalars(members)) - {actor.id})
    return Context(code, name, kind, ident, course.id, ids)


def resolve(db: Session, actor: User, refs: list[str], field: str = "recipients") -> tuple[list[int], list[Context]]:
    """Recipient references -> (user ids in order, first seen first, the sender excluded; contexts named)."""
    users: list[int] = []
    contexts: list[Context] = []
    direct: list[int] = []
    for ref in refs:
        ref = ref.strip()
        if ref.isdigit() and len(ref) <= 18:
            direct.append(int(ref))
        else:
            contexts.append(context(db, actor, ref, field))
    checked_users(db, actor, [i for i in dict.fromkeys(direct) if i != actor.id], field)
    for user_id in direct + [m for c in contexts for m in c.members]:
        if user_id != actor.id and user_id not in users:
            users.append(user_id)
    return users, contexts


def contexts_of(db: Session, actor: User, search: str) -> list[Context]:
    """The courses (and their groups) the actor may message whose name holds `search`, by name."""
    if is_tenant_admin(db, actor):
        course_ids = select(Course.id).where(Course.root_account_id == tenancy.tenant_of(db, actor.id),
                                             Course.workflow_state != "deleted")
    else:
        course_ids = shared_course_ids(db, actor)
    needle = f"%{search.strip().lower()}%"
    found = [context(db, actor, f"course_{i}", "context") for i in db.scalars(
        select(Course.id).where(Course.id.in_(course_ids), func.lower(Course.name).like(needle))
        .order_by(Course.name, Course.id))]
    groups = db.scalars(select(CourseGroup.id).where(CourseGroup.course_id.in_(course_ids),
                                                     CourseGroup.workflow_state != "deleted",
                                                     func.lower(CourseGroup.name).like(needle))
                        .order_by(CourseGroup.name, CourseGroup.id))
    return found + [context(db, actor, f"group_{i}", "context") for i in groups]


def search_users(db: Session, actor: User, search: str, within: Context | None, window: Window) -> Slice[Recipient]:
    """The users the actor may message whose name holds `search` (within a context's members), by name."""
    stmt = select(User).where(messageable(db, actor), User.id != actor.id,
                              func.lower(User.name).like(f"%{search.strip().lower()}%"))
    if within is not None:
        stmt = stmt.where(User.id.in_(within.members))
    rows = [u for u in db.scalars(stmt.order_by(User.sortable_name, User.id).offset(window.offset)
                                  .limit(window.limit + 1)) if tenancy.same_tenant(db, actor.id, u.id)]
    return Slice([_recipient(db, actor, u) for u in rows[:window.limit]], len(rows) > window.limit)


def _recipient(db: Session, actor: User, user: User) -> Recipient:
    courses: dict[int, list[str]] = {}
    for course_id, etype in db.execute(select(Enrollment.course_id, Enrollment.type).where(
            Enrollment.user_id == user.id, Enrollment.workflow_state.in_(LIVE),
            Enrollment.course_id.in_(shared_course_ids(db, actor))).order_by(Enrollment.course_id)):
        courses.setdefault(course_id, []).append(etype)
    mine = select(GroupMembership.group_id).where(GroupMembership.user_id == actor.id)
    groups = {g: ["Member"] for g in db.scalars(select(GroupMembership.group_id).where(
        GroupMembership.user_id == user.id, GroupMembership.group_id.in_(mine)))}
    return Recipient(user, courses, groups)


def _context_row(db: Session, kind: str, ident: int) -> tuple[str, Course] | None:
    if kind == "course":
        course = db.get(Course, ident)
        return (course.name, course) if course is not None and course.workflow_state != "deleted" else None
    row = db.get(Section, ident) if kind == "section" else db.get(CourseGroup, ident)
    if row is None or row.workflow_state == "deleted":
        return None
    course = db.get(Course, row.course_id)
    return (row.name, course) if course is not None and course.workflow_state != "deleted" else None


def _may_message_course(db: Session, actor: User, course: Course) -> bool:
    if accounts.is_admin_of(db, actor.id, course.account_id):
        return True
    return course.id in set(db.scalars(shared_course_ids(db, actor).where(Enrollment.course_id == course.id)))


def search(db: Session, actor: User, text: str, context_code: str | None, kind: str | None,
           window: Window) -> Slice[Context | Recipient]:
    """Contexts, then users, the actor may message whose names hold `text`: `kind` "user" or "context"
    for one of them; within a context (`context_code`), its members alone."""
    if kind not in (None, "", "user", "context"):
        raise InvalidInput("type", "type must be user or context")
    within = context(db, actor, context_code, "context") if context_code else None
    contexts = [] if kind == "user" or within is not None else contexts_of(db, actor, text)
    shown: list[Context | Recipient] = list(contexts[window.offset:window.offset + window.limit])
    more = len(contexts) > window.offset + window.limit
    if kind != "context":  # users after the contexts; a window the contexts fill asks whether any follow
        users = search_users(db, actor, text, within,
                             Window(max(window.offset - len(contexts), 0), window.limit - len(shown)))
        shown += users.items
        more = more or users.has_more
    return Slice(shown, more)
