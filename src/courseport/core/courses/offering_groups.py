"""Group categories and groups of a course offering (D2L's Groups API), named by the offering's org unit id,
the categories' core ids and the groups' org unit ids (a group is an org unit, `org_units`, allocated when
the group row is inserted; the other faces keep the group's own id). They are the rows every face serves
(`groups`, `group_memberships`).

A category also keeps how members come to its groups (`Placement`, the category's `placement`): an
enrollment style (`STYLES`: so many groups, or groups of so many people; filled by hand, by the system or
by the students themselves; or one group per student), auto-enrollment, the asked quantity, the end of self
sign-up and the rest, kept as given. The style decides the category's core settings: a self sign-up style is
core's self sign-up, a size is core's group limit. A category made by another face has no placement; one is
derived from its core settings (so many groups, filled by hand or by self sign-up), as is one whose self
sign-up another face turned on or off since.

Making a category makes its groups (`group_prefix` or the name, then 1, 2, ...): the number asked, or as
many groups of the size asked as the offering's active students need. Auto-enrollment places the students
who are in none of its groups (at once, and again when an update asks for it) by `group_assignment`; one
group per student places every student in their own. A manager puts a user of the offering in a group up to
its limit, as D2L does (core lets a manager past it elsewhere), and the user leaves any other group of the
category.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from math import ceil
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.core.courses import group_assignment, group_memberships, group_sets, groups, org_units
from courseport.core.courses.courses import readable_course
from courseport.core.courses.groups import MANAGE, CategoryChanges, CourseGroupChanges, GroupView
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.html import sanitize_html
from courseport.core.kit.paging import Window
from courseport.schema import CourseGroup, Enrollment, GroupCategory, GroupMembership, OrgUnitRow, User

STYLES = ("manual_by_count", "auto_by_size", "auto_by_count", "self_by_size", "self_by_count",
          "self_by_size_and_count", "single_member")
SELF_STYLES = ("self_by_size", "self_by_count", "self_by_size_and_count")
AUTO_STYLES = ("auto_by_size", "auto_by_count")  # the styles that may auto-enroll
BY_SIZE = ("auto_by_size", "self_by_size")  # as many groups as the students need, of the size asked
SINGLE = "single_member"
MAX_GROUPS = 200  # as core's create_group_count
MAX_PREFIX = 200  # a group's name (255 characters at most) is the prefix and its number
ALL = Window(0, 100_000)


@dataclass(frozen=True)
class Placement:
    style: str = "manual_by_count"
    auto_enroll: bool = False
    randomize: bool = False  # kept and shown; placement is deterministic (group_assignment)
    quantity: int | None = None  # as asked: groups (by count) or people per group (by size)
    self_signup_ends_at: datetime | None = None  # kept and shown
    allocate_after_expiry: bool = False  # kept and shown
    group_prefix: str | None = None
    descriptions_visible: bool = False  # kept and shown


@dataclass(frozen=True)
class NewCategory:
    name: str
    description: str | None  # HTML, sanitised when kept
    placement: Placement
    group_count: int | None = None
    max_members: int | None = None


@dataclass(frozen=True)
class CategoryUpdate:
    """A category's changes; UNSET keeps the value, None clears it (a description None keeps it)."""

    name: str | Unset = UNSET
    description: str | None | Unset = UNSET
    style: str | Unset = UNSET  # must be the category's own: a style is chosen once
    max_members: int | None | Unset = UNSET
    auto_enroll: bool | Unset = UNSET
    randomize: bool | Unset = UNSET
    self_signup_ends_at: datetime | None | Unset = UNSET
    allocate_after_expiry: bool | Unset = UNSET
    group_prefix: str | None | Unset = UNSET
    descriptions_visible: bool | Unset = UNSET


@dataclass(frozen=True)
class CategoryView:
    category: GroupCategory
    placement: Placement
    group_ids: list[int]  # the groups' org unit ids, in group order


@dataclass(frozen=True)
class MemberView:
    org_unit_id: int
    group: CourseGroup
    user_ids: list[int]


def placement_of(category: GroupCategory) -> Placement:
    """The kept placement, or one derived from the core settings when none is kept or it no longer agrees."""
    kept = dict(category.placement or {})
    self_signup = category.self_signup is not None
    if kept.get("style") not in STYLES or (kept["style"] in SELF_STYLES) != self_signup:
        return Placement(style="self_by_count" if self_signup else "manual_by_count")
    if kept.get("self_signup_ends_at"):
        kept["self_signup_ends_at"] = datetime.fromisoformat(kept["self_signup_ends_at"])
    return Placement(**{k: v for k, v in kept.items() if k in Placement.__dataclass_fields__})


def _kept(placement: Placement) -> dict[str, Any]:
    values = asdict(placement)
    ends = placement.self_signup_ends_at
    values["self_signup_ends_at"] = ends.isoformat() if ends else None
    return values


def _course_id(db: Session, actor: User, offering_id: int) -> int:
    course, _ = readable_course(db, actor, org_units.ref_of(db, offering_id, org_units.COURSE_OFFERING))
    return course.id


def _category(db: Session, actor: User, offering_id: int, category_id: int, right: str = "read") -> GroupCategory:
    """A live category of the offering's course (else NotFound, whatever the actor may do elsewhere)."""
    course_id = _course_id(db, actor, offering_id)
    row = db.get(GroupCategory, category_id)
    if row is None or row.workflow_state == "deleted" or row.course_id != course_id:
        raise NotFound("group category")
    return groups.category_of(db, actor, row.id, right)[0]


def _group(db: Session, actor: User, offering_id: int, category_id: int, group_id: int, right: str = "read"
           ) -> CourseGroup:
    """`group_id`: the group's org unit id."""
    category = _category(db, actor, offering_id, category_id, right)
    ref = db.scalar(select(OrgUnitRow.group_id).where(OrgUnitRow.id == group_id))
    row = db.get(CourseGroup, ref) if ref is not None else None
    if row is None or row.workflow_state == "deleted" or row.category_id != category.id:
        raise NotFound("group")
    return row


def _group_ids(db: Session, category: GroupCategory) -> list[int]:
    """The org unit ids of the category's live groups, in group order."""
    return list(db.scalars(select(OrgUnitRow.id).join(CourseGroup, CourseGroup.id == OrgUnitRow.group_id)
                           .where(CourseGroup.category_id == category.id, CourseGroup.workflow_state != "deleted")
                           .order_by(CourseGroup.id)))


def _view(db: Session, category: GroupCategory) -> CategoryView:
    return CategoryView(category, placement_of(category), _group_ids(db, category))


def member_view(db: Session, group: CourseGroup) -> MemberView:
    users = db.scalars(select(GroupMembership.user_id).where(GroupMembership.group_id == group.id)
                       .order_by(GroupMembership.user_id))
    return MemberView(org_units.org_unit_id_of(db, org_units.GROUP, group.id), group, list(users))


def list_offering_categories(db: Session, actor: User, offering_id: int) -> list[CategoryView]:
    course_id = _course_id(db, actor, offering_id)
    return [_view(db, c) for c in groups.list_categories(db, actor, str(course_id), ALL).items]


def offering_category(db: Session, actor: User, offering_id: int, category_id: int) -> CategoryView:
    return _view(db, _category(db, actor, offering_id, category_id))


def _students(db: Session, course_id: int) -> int:
    return db.scalar(select(func.count(func.distinct(Enrollment.user_id))).where(
        Enrollment.course_id == course_id, Enrollment.type == "StudentEnrollment",
        Enrollment.workflow_state == "active")) or 0


def _shape(db: Session, course_id: int, new: NewCategory) -> tuple[int, int | None]:
    """How many groups to make, and the member limit of each."""
    style, asked = new.placement.style, new.placement.quantity
    if style == SINGLE:
        return _students(db, course_id), 1
    if style in BY_SIZE:
        size = new.max_members if new.max_members is not None else asked
        if size is None or size < 1:
            raise InvalidInput("max_members", "max_members (people per group) must be 1 or more for this style")
        return max(1, ceil(_students(db, course_id) / size)), size
    count = new.group_count if new.group_count is not None else asked
    if count is None or not 1 <= count <= MAX_GROUPS:
        raise InvalidInput("group_count", f"group_count must be from 1 to {MAX_GROUPS} for this style")
    if style == "self_by_size_and_count" and new.max_members is None:
        raise InvalidInput("max_members", "max_members is required for this style")
    return count, new.max_members


def _check_placement(placement: Placement) -> None:
    if placement.style not in STYLES:
        raise InvalidInput("style", f"style must be one of {', '.join(STYLES)}")
    if len(placement.group_prefix or "") > MAX_PREFIX:
        raise InvalidInput("group_prefix", f"group_prefix may be at most {MAX_PREFIX} characters long")
    if placement.auto_enroll and placement.style not in AUTO_STYLES:
        raise InvalidInput("auto_enroll", "auto_enroll may be true only for a style the system fills")


def _place(db: Session, category: GroupCategory) -> None:
    placement = placement_of(category)
    if (placement.auto_enroll or placement.style == SINGLE) and _group_ids(db, category):
        group_assignment.assign_unassigned(db, category)


def _clean(description: str | None) -> str | None:
    return None if description is None else sanitize_html(description, "description")


def create_offering_category(db: Session, actor: User, offering_id: int, new: NewCategory) -> CategoryView:
    """The category, its groups and, as its placement says, the students placed in them."""
    _check_placement(new.placement)
    course_id = _course_id(db, actor, offering_id)
    count, limit = _shape(db, course_id, new)
    changes = CategoryChanges(name=new.name, description=_clean(new.description), group_limit=limit,
                              self_signup="enabled" if new.placement.style in SELF_STYLES else None)
    category = group_sets.create_category(db, actor, str(course_id), changes)
    category.placement = _kept(new.placement)
    prefix = (new.placement.group_prefix or "").strip() or category.name
    for n in range(1, count + 1):
        groups.create_group(db, actor, str(category.id), CourseGroupChanges(name=f"{prefix} {n}"))
    db.flush()
    _place(db, category)
    return _view(db, category)


_PLACEMENT_FIELDS = ("auto_enroll", "randomize", "self_signup_ends_at", "allocate_after_expiry", "group_prefix",
                     "descriptions_visible")


def update_offering_category(db: Session, actor: User, offering_id: int, category_id: int,
                             update: CategoryUpdate) -> CategoryView:
    """The changes kept; students placed again when the category auto-enrolls (it keeps its style)."""
    category = _category(db, actor, offering_id, category_id, MANAGE)
    values = given(update)
    current = placement_of(category)
    if values.get("style", current.style) != current.style:
        raise InvalidInput("style", "style cannot be changed once the category is made")
    placement = replace(current, **{k: values[k] for k in _PLACEMENT_FIELDS if k in values})
    _check_placement(placement)
    core: dict[str, Any] = {k: values[k] for k in ("name",) if k in values}
    if "max_members" in values:
        core["group_limit"] = values["max_members"]
    if values.get("description") is not None:
        core["description"] = _clean(values["description"])
    group_sets.update_category(db, actor, str(category.id), CategoryChanges(**core))
    category.placement = _kept(placement)
    db.flush()
    _place(db, category)
    return _view(db, category)


def delete_offering_category(db: Session, actor: User, offering_id: int, category_id: int) -> None:
    group_sets.delete_category(db, actor, str(_category(db, actor, offering_id, category_id, MANAGE).id))


def list_offering_groups(db: Session, actor: User, offering_id: int, category_id: int) -> list[MemberView]:
    category = _category(db, actor, offering_id, category_id)
    listed = groups.list_groups(db, actor, category_id=str(category.id), window=ALL)
    return [member_view(db, v.group) for v in listed.items]


def offering_group(db: Session, actor: User, offering_id: int, category_id: int, group_id: int) -> MemberView:
    return member_view(db, _group(db, actor, offering_id, category_id, group_id))


def _group_changes(name: str, code: str | None, description: str | None, uuid: str | None) -> CourseGroupChanges:
    """A code of "" (or none) is no external id of the caller's: the uuid stands for it, as core makes it."""
    values: dict[str, Any] = {"name": name}
    if code or uuid:
        values["external_id"] = code or uuid
    if description is not None:
        values["description"] = _clean(description)
    return CourseGroupChanges(**values)


def create_offering_group(db: Session, actor: User, offering_id: int, category_id: int, name: str,
                          code: str | None, description: str | None) -> MemberView:
    category = _category(db, actor, offering_id, category_id, MANAGE)
    view: GroupView = groups.create_group(db, actor, str(category.id), _group_changes(name, code, description, None))
    return member_view(db, view.group)


def update_offering_group(db: Session, actor: User, offering_id: int, category_id: int, group_id: int, name: str,
                          code: str | None, description: str | None) -> MemberView:
    """Name and code replaced; `description` None keeps the group's."""
    group = _group(db, actor, offering_id, category_id, group_id, MANAGE)
    groups.update_group(db, actor, str(group.id), _group_changes(name, code, description, group.uuid))
    return member_view(db, group)


def delete_offering_group(db: Session, actor: User, offering_id: int, category_id: int, group_id: int) -> None:
    groups.delete_group(db, actor, str(_group(db, actor, offering_id, category_id, group_id, MANAGE).id))


def enroll_in_offering_group(db: Session, actor: User, offering_id: int, category_id: int, group_id: int,
                             user_id: int) -> None:
    """A user of the offering joins the group (and leaves the category's others), never past its limit."""
    group = _group(db, actor, offering_id, category_id, group_id)
    already = db.scalar(select(GroupMembership.id).where(GroupMembership.group_id == group.id,
                                                         GroupMembership.user_id == user_id))
    group_memberships.add_member(db, actor, str(group.id), str(user_id))
    category = db.get_one(GroupCategory, group.category_id)
    limit = group_memberships.group_limit(category, group)
    if already is None and limit is not None and member_count(db, group) > limit:
        raise group_memberships.GroupFull()  # the transaction is rolled back: nothing is written


def member_count(db: Session, group: CourseGroup) -> int:
    return db.scalar(select(func.count()).select_from(GroupMembership)
                     .where(GroupMembership.group_id == group.id)) or 0


def unenroll_from_offering_group(db: Session, actor: User, offering_id: int, category_id: int, group_id: int,
                                 user_id: int) -> None:
    group = _group(db, actor, offering_id, category_id, group_id)
    group_memberships.remove_member(db, actor, str(group.id), str(user_id))

