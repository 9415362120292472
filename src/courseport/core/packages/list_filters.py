"""The filters SCORM Cloud's list calls share (courses, registrations): a since/until period on the
created or updated stamp, tags, a text filter on one named column, and an ordering by a named column.
Each list names its own filter and order choices; `check` refuses a value outside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Self

from sqlalchemy import ColumnElement, func

from courseport.core.kit.errors import InvalidInput

DATETIME_FILTERS = ("created", "updated")


@dataclass(frozen=True)
class ListFilters:
    FILTER_BY: ClassVar[tuple[str, ...]] = ()
    ORDER_BY: ClassVar[tuple[str, ...]] = ()

    since: datetime | None = None
    until: datetime | None = None
    datetime_filter: str = "updated"
    tags: tuple[str, ...] = ()
    filter: str | None = None
    filter_by: str = ""
    order_by: str = "creation_date_asc"

    def check(self) -> Self:
        for name, value, allowed in (("datetime_filter", self.datetime_filter, DATETIME_FILTERS),
                                     ("filter_by", self.filter_by, self.FILTER_BY),
                                     ("order_by", self.order_by, self.ORDER_BY)):
            if value not in allowed:
                raise InvalidInput(name, f"{name} must be one of {', '.join(allowed)}, got {value!r}")
        return self

    def stamp(self, created: Any, updated: Any) -> Any:
        """The column the since/until period applies to."""
        return created if self.datetime_filter == "created" else updated

    def text_match(self, columns: Mapping[str, Any]) -> ColumnElement[bool]:
        """The text filter (case-insensitive, contains) on the column `filter_by` names."""
        assert self.filter is not None
        return func.lower(columns[self.filter_by]).contains(self.filter.lower(), autoescape=True)

    def ordering(self, columns: Mapping[str, Any], tiebreak: Any) -> list[Any]:
        """ORDER BY for `order_by` (a column name and _asc or _desc), the tiebreak in the same direction."""
        name, _, direction = self.order_by.rpartition("_")
        if direction == "desc":
            return [columns[name].desc(), tiebreak.desc()]
        return [columns[name].asc(), tiebreak.asc()]
