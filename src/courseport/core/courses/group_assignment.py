"""Assigning a group set's unassigned students to its groups (Canvas's assign_unassigned_members): each
student without a group in the set goes to the group with the fewest members that still has room (its
limit: `group_memberships.group_limit`), lowest id first on a tie, students in id order, so the result is as
even as the limits allow and the same for the same rows. Students left over when every group is full stay
unassigned. Done at once, or by a background job (the job is the Progress the caller polls) that assigns in
one transaction it commits only while it still holds the job."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.core.courses import group_memberships
from courseport.core.courses.groups import IMPORTED, MANAGE, category_of
from courseport.core.jobs import jobs
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.db import transaction
from courseport.schema import CourseGroup, Enrollment, GroupCategory, GroupMembership, Job, User

KIND = "assign_unassigned_members"


def category_to_fill(db: Session, actor: User, category_id: str) -> GroupCategory:
    category, _ = category_of(db, actor, category_id, MANAGE)
    if category.role == IMPORTED:
        raise InvalidInput("group_category_id", "groups in no group set take no assigned members")
    return category


def queue_assignment(db: Session, actor: User, category_id: str) -> Job:
    category = category_to_fill(db, actor, category_id)
    return jobs.enqueue(db, KIND, {"category_id": category.id}, user_id=actor.id, context_type="GroupCategory",
                        context_id=category.id)


def assign_unassigned(db: Session, category: GroupCategory) -> list[GroupMembership]:
    group_memberships.lock_category(db, category)  # two assignments at once would place a student twice
    groups = list(db.scalars(select(CourseGroup).where(CourseGroup.category_id == category.id,
                                                       CourseGroup.workflow_state != "deleted")
                             .order_by(CourseGroup.id)))
    if not groups:
        raise InvalidInput("group_category_id", "the group set has no groups to assign members to")
    ids = [g.id for g in groups]
    counts = dict.fromkeys(ids, 0) | dict(db.execute(
        select(GroupMembership.group_id, func.count()).where(GroupMembership.group_id.in_(ids))
        .group_by(GroupMembership.group_id)).tuples().all())
    placed = select(GroupMembership.user_id).where(GroupMembership.group_id.in_(ids))
    students = db.scalars(select(Enrollment.user_id).where(
        Enrollment.course_id == category.course_id, Enrollment.type == "StudentEnrollment",
        Enrollment.workflow_state == "active", Enrollment.user_id.not_in(placed))
        .distinct().order_by(Enrollment.user_id)).all()
    made = []
    for user_id in students:
        room = [g for g in groups if (limit := group_memberships.group_limit(category, g)) is None
                or counts[g.id] < limit]
        if not room:
            break
        group = min(room, key=lambda g: (counts[g.id], g.id))
        counts[group.id] += 1
        made.append(GroupMembership(group_id=group.id, user_id=user_id))
    db.add_all(made)
    db.flush()
    return made


def run_assignment(ctx: jobs.JobContext) -> dict:
    with transaction(ctx.engine, write=True) as db:
        category = db.get_one(GroupCategory, ctx.payload["category_id"])
        if category.workflow_state == "deleted":
            raise NotFound("group category")  # deleted after the request: the job fails, naming it
        made = assign_unassigned(db, category)
        ctx.confirm_held(db)
        return {"assigned": len(made)}
