"""Which of a course's group categories or groups a list holds, and in what order: a name match, created
and changed bounds, only available or non-empty ones, groups in a set or in none, sort keys (then by id)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select

from courseport.core.kit.errors import InvalidInput
from courseport.schema import CourseGroup, GroupCategory, GroupMembership

STAMPS = ("created_at", "updated_at")
SORTS = ("name", "external_id")
_MATCHES: dict[str, Callable[[Any, str], ColumnElement[bool]]] = {
    "starts_with": lambda column, value: column.startswith(value, autoescape=True),
    "contains": lambda column, value: column.contains(value, autoescape=True),
    "not_contains": lambda column, value: ~column.contains(value, autoescape=True),
    "equals": lambda column, value: column == value,
    "not_equals": lambda column, value: column != value,
}
NAME_MATCHES = tuple(_MATCHES)


@dataclass(frozen=True)
class GroupQuery:
    name: str | None = None  # matched without regard to case, by name_match
    name_match: str = "starts_with"  # one of NAME_MATCHES
    stamps: tuple[tuple[str, datetime, bool], ...] = ()  # (STAMPS key, moment, before): at/after it, or before
    only_available: bool = False  # not hidden from members
    non_empty: bool = False  # holding at least one member
    in_set: bool | None = None  # groups only: in a group set (True) or in none (False)
    sort: tuple[tuple[str, bool], ...] = ()  # (SORTS key, descending)


EVERY_GROUP = GroupQuery()  # no narrowing, by id


def matching(stmt: Any, model: type[GroupCategory] | type[CourseGroup], query: GroupQuery) -> Any:
    """`stmt` over `model` narrowed and ordered as the query says."""
    if query.name is not None:
        if query.name_match not in _MATCHES:
            raise InvalidInput("name_match", f"name_match must be one of {', '.join(NAME_MATCHES)}")
        stmt = stmt.where(_MATCHES[query.name_match](func.lower(model.name), query.name.lower()))
    for key, moment, before in query.stamps:
        column = getattr(model, key) if key in STAMPS else None
        if column is None:
            raise InvalidInput(key, f"{key} is not a time a group list can be bounded by")
        stmt = stmt.where(column < moment if before else column >= moment)
    if query.only_available:
        stmt = stmt.where(model.availability != "hidden")
    if query.non_empty:
        stmt = stmt.where(_non_empty(model))
    order = []
    for key, descending in query.sort:
        if key not in SORTS:
            raise InvalidInput("sort", f"sort may name only {', '.join(SORTS)}")
        column = func.lower(model.name) if key == "name" else model.external_id
        order.append(column.desc() if descending else column.asc())
    return stmt.order_by(*order, model.id)


def _non_empty(model: type[GroupCategory] | type[CourseGroup]) -> ColumnElement[bool]:
    if model is CourseGroup:
        return CourseGroup.id.in_(select(GroupMembership.group_id))
    held = select(CourseGroup.category_id).join(GroupMembership, GroupMembership.group_id == CourseGroup.id)
    return GroupCategory.id.in_(held.where(CourseGroup.workflow_state != "deleted"))
