"""SIS rows of group categories, groups and group memberships, each applied through the core function the
Canvas face's own endpoints use (group_sets.create_category/update_category/delete_category, groups.create_group/
create_standalone_group/update_group/delete_group, group_memberships.add_member/remove_member, which locks
its category): an SIS id not seen before creates, a known one updates, so applying the same row again leaves
the same state. Categories and groups keep the row's SIS id (`sis_source_id`, looked up among the root
account's live ones while the import holds the account's row) and the import that last wrote them.

Categories and groups belong to courses here: a row naming only an account (Canvas's account-level group
sets and groups) is refused with a warning.
"""

from __future__ import annotations

from sqlalchemy import select

from courseport.core.courses import group_memberships, group_sets, groups
from courseport.core.courses.groups import CategoryChanges, CourseGroupChanges
from courseport.core.courses.sis_apply_courses import sis_course
from courseport.core.courses.sis_apply_identity import Target, sis_user
from courseport.core.courses.sis_rows import RowProblem, required, status
from courseport.schema import Course, CourseGroup, GroupCategory, GroupMembership


def sis_category(t: Target, sis_id: str) -> GroupCategory | None:
    return t.db.scalar(select(GroupCategory).join(Course, Course.id == GroupCategory.course_id).where(
        GroupCategory.sis_source_id == sis_id, GroupCategory.workflow_state != "deleted",
        Course.root_account_id == t.root.id).order_by(GroupCategory.id).limit(1))


def sis_group(t: Target, sis_id: str) -> CourseGroup | None:
    return t.db.scalar(select(CourseGroup).join(Course, Course.id == CourseGroup.course_id).where(
        CourseGroup.sis_source_id == sis_id, CourseGroup.workflow_state != "deleted",
        Course.root_account_id == t.root.id).order_by(CourseGroup.id).limit(1))


def _course(t: Target, row: dict[str, str], what: str) -> Course | None:
    """The course a row names by SIS id; none named: None (an account-level row is refused)."""
    if ref := row.get("course_id"):
        if (course := sis_course(t, ref)) is None:
            raise RowProblem("course_id", f"Course not found \"{ref}\" for {what}")
        return course
    return None


def _account_level(row: dict[str, str], what: str) -> RowProblem:
    if row.get("account_id"):
        return RowProblem("account_id", f"Account-level group categories and groups are not supported by this "
                                        f"import; no course_id given for {what}")
    return RowProblem("course_id", f"No course_id given for {what}")


def apply_group_category(t: Target, row: dict[str, str]) -> str:
    sis_id = required(row, "group_category_id", "group category")
    what = f"group category {sis_id}"
    state = status(row, ("active", "deleted"), what)
    category = sis_category(t, sis_id)
    if state == "deleted":
        if category is None:
            return "skipped"
        group_sets.delete_category(t.db, t.actor, str(category.id))
        return "deleted"
    course = _course(t, row, what)
    if course is None:
        raise _account_level(row, what)
    changes = CategoryChanges(name=required(row, "category_name", what))
    if category is None:
        category = group_sets.create_category(t.db, t.actor, str(course.id), changes)
        category.sis_source_id, category.sis_import_id = sis_id, t.import_id
        return "created"
    if category.course_id != course.id:
        raise RowProblem("course_id", f"Group category {sis_id} belongs to another course; moving group "
                                      "categories between courses is not supported by this import")
    group_sets.update_category(t.db, t.actor, str(category.id), changes).sis_import_id = t.import_id
    return "updated"


def _group_place(t: Target, row: dict[str, str], what: str) -> tuple[Course, GroupCategory | None]:
    """The course a group row names, and its category if it names one (they must agree)."""
    category = None
    if ref := row.get("group_category_id"):
        if (category := sis_category(t, ref)) is None:
            raise RowProblem("group_category_id", f"Group category not found \"{ref}\" for {what}")
    course = _course(t, row, what)
    if course is None and category is None:
        raise _account_level(row, what)
    if course is not None and category is not None and category.course_id != course.id:
        raise RowProblem("group_category_id", f"Group category {category.sis_source_id} is not in course "
                                              f"{row.get('course_id')} for {what}")
    return course or t.db.get_one(Course, category.course_id), category  # type: ignore[union-attr]


def apply_group(t: Target, row: dict[str, str]) -> str:
    sis_id = required(row, "group_id", "group")
    what = f"group {sis_id}"
    state = status(row, ("available", "deleted"), what)
    group = sis_group(t, sis_id)
    if state == "deleted":
        if group is None:
            return "skipped"
        groups.delete_group(t.db, t.actor, str(group.id))
        return "deleted"
    course, category = _group_place(t, row, what)
    changes = CourseGroupChanges(name=required(row, "name", what))
    if group is None:
        view = (groups.create_group(t.db, t.actor, str(category.id), changes) if category is not None
                else groups.create_standalone_group(t.db, t.actor, str(course.id), changes))
        view.group.sis_source_id, view.group.sis_import_id = sis_id, t.import_id
        return "created"
    if group.course_id != course.id or (category is not None and group.category_id != category.id):
        raise RowProblem("group_category_id" if category is not None else "course_id",
                         f"Group {sis_id} belongs to another course or group category; moving groups is not "
                         "supported by this import")
    groups.update_group(t.db, t.actor, str(group.id), changes).group.sis_import_id = t.import_id
    return "updated"


def apply_group_membership(t: Target, row: dict[str, str]) -> str:
    group_ref, user_ref = required(row, "group_id", "group membership"), required(row, "user_id", "group membership")
    what = f"group membership (Group ID: {group_ref}, User ID: {user_ref})"
    state = status(row, ("accepted", "deleted"), what)
    if (group := sis_group(t, group_ref)) is None:
        raise RowProblem("group_id", f"Group not found for {what}")
    if (user := sis_user(t, user_ref)) is None:
        raise RowProblem("user_id", f"User not found for {what}")
    member = t.db.scalar(select(GroupMembership.id).where(GroupMembership.group_id == group.id,
                                                          GroupMembership.user_id == user.id))
    if state == "deleted":
        if member is None:
            return "skipped"
        group_memberships.remove_member(t.db, t.actor, str(group.id), str(user.id))
        return "deleted"
    group_memberships.add_member(t.db, t.actor, str(group.id), str(user.id))
    return "updated" if member is not None else "created"
