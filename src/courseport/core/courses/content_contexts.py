"""Where content lives: a course, or one of its groups (a group's own pages and discussion topics).

Content functions take a course ref or a `GroupRef` and resolve either with `readable_context`, so one function
serves both forms. A group's content is the group's, not its course's: its rows name the group (`group_id`) and
a course's lists hold only rows naming none. Members of the group, and those who manage the course's students
(teachers, TAs, admins), hold the group's content rights; anyone else is refused, even a reader of the course.
Members manage their group's content as a course's teachers manage the course's (Canvas gives group members
the wiki and discussion rights of the group); a member marked moderator moderates its discussions too.
A deleted group's content is not found.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course, resolve_course
from courseport.core.identity.permissions import CourseRights, course_rights, require
from courseport.core.kit.errors import NotAllowed, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import ContentItem, Course, CourseGroup, GroupMembership, User

MANAGE = "manage_students"  # who manages a course's groups (core/courses/groups.py)
MEMBER_RIGHTS = frozenset({"read", "read_forum", "read_announcements", "read_roster", "manage_content",
                           "create_discussion_topic", "create_announcement", "post_to_forum"})


@dataclass(frozen=True)
class GroupRef:
    """A group named where a course ref would go: the group's own content is meant."""

    group_id: str | int


ContextRef = str | int | GroupRef


@dataclass(frozen=True)
class Context:
    """A resolved place of content: its course, the actor's rights there, and the group (None: the course's own)."""

    course: Course
    rights: CourseRights
    group_id: int | None = None

    def items(self) -> ColumnElement[bool]:
        """The rows of this context's content (any type)."""
        return and_(ContentItem.course_id == self.course.id, in_group(self.group_id))


def in_group(group_id: int | None) -> ColumnElement[bool]:
    """Rows of a group's content, or (None) of no group's: the course's own."""
    return ContentItem.group_id.is_(None) if group_id is None else ContentItem.group_id == group_id


def readable_context(db: Session, actor: User, ref: ContextRef, right: str = "read") -> Context:
    """Resolve a course or group and check the actor holds `right` there."""
    if not isinstance(ref, GroupRef):
        course, rights = readable_course(db, actor, ref, right)
        return Context(course, rights)
    group = db.get(CourseGroup, store_id(str(ref.group_id))) if is_id(str(ref.group_id)) else None
    if group is None or group.workflow_state == "deleted":
        raise NotFound("group")
    course = resolve_course(db, group.course_id)
    rights = _group_rights(db, actor, course, group)
    require(rights, right)
    return Context(course, rights, group.id)


def context_of(db: Session, actor: User, item: ContentItem, right: str = "read") -> Context:
    """The context an item lives in, checked as `readable_context` checks a ref."""
    return readable_context(db, actor, item.course_id if item.group_id is None else GroupRef(item.group_id), right)


def _group_rights(db: Session, actor: User, course: Course, group: CourseGroup) -> CourseRights:
    rights = course_rights(db, actor, course)
    if rights.can(MANAGE):
        return rights
    moderator = db.scalar(select(GroupMembership.moderator).where(GroupMembership.group_id == group.id,
                                                                 GroupMembership.user_id == actor.id))
    if moderator is None:
        raise NotAllowed()
    extra = {"moderate_forum"} if moderator else set()
    return CourseRights(actor.id, course.id, False, rights.enrollment_types, MEMBER_RIGHTS | extra)
