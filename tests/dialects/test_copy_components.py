"""The one component table: core's components cover what a copy can select, and every dialect's
wire-name table names only core components."""

from __future__ import annotations

import pytest

from courseport.core.content.content import ALL_SELECTABLE
from courseport.core.copy import components
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.blackboard.course_copy import COPY_FLAGS
from courseport.dialects.canvas import copy_components as canvas
from courseport.dialects.d2l.copy_jobs import COMPONENTS as D2L_COMPONENTS


def test_core_components_cover_everything_a_copy_selects_once():
    held = [t for types in components.COMPONENTS.values() for t in types]
    assert sorted(held) == sorted(ALL_SELECTABLE)
    assert components.selection() == ALL_SELECTABLE


@pytest.mark.parametrize("table", [COPY_FLAGS, D2L_COMPONENTS,
                                   {k: t.whole or () for k, t in canvas.TYPES.items()}],
                         ids=["learn", "d2l", "canvas"])
def test_dialect_tables_name_core_components(table):
    assert {c for names in table.values() for c in names} <= set(components.COMPONENTS)


def test_canvas_course_copy_names_are_copy_all_flags():
    assert {f"all_{t}" for t in canvas.COURSE_COPY.values()} <= set(canvas.COPY_ALL)
    assert set(canvas.SELECT.values()) <= {t for t, row in canvas.TYPES.items() if row.picks}
    assert canvas.course_copy_selection(["topics"], []) == canvas.copy_all_types("all_discussion_topics")


def test_unknown_names_are_named_by_the_dialects_field():
    with pytest.raises(InvalidInput) as caught:
        components.named({"A": ("pages",)}, ["A", "B"], "Components")
    assert (caught.value.field, caught.value.message) == ("Components", "Components: unknown component 'B'; known: A")
