"""How a course list reads: from the user's enrollments, not by testing every course of the store."""

from __future__ import annotations

import pytest

from courseport.core.views import course_lists
from courseport.core.views.course_lists import CourseFilters
from courseport.db import is_sqlite
from courseport.dialects.canvas.course_json import COURSE_FIELDS, course_fields


@pytest.mark.parametrize("filters", [CourseFilters(), CourseFilters(enrollment_type="student", states=("available",)),
                                     CourseFilters(enrollment_state="completed", search_term="bio")])
def test_a_course_list_starts_from_the_users_enrollments(world, filters):
    if not is_sqlite(world.engine):
        pytest.skip("SQLite's plan is asserted; PostgreSQL's depends on its statistics")
    read = course_lists._list_read(filters, course_fields([]))
    with world.engine.connect() as connection:
        plan = read._compile(connection.dialect, "plan", {})
        args = [{"target_id": 1, "viewer_id": 1, "offset": 0, "limit": 101}.get(name, plan.constants.get(name))
                for name in plan.param_order or ()]
        steps = [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + plan.sql, tuple(args))]
    assert "SCAN courses" not in steps, steps  # every course of the store, probed one by one
    assert any(step.startswith("SEARCH courses USING INTEGER PRIMARY KEY") for step in steps), steps


def test_a_list_reads_long_texts_only_when_asked():
    assert not {"syllabus_body", "public_description"} & COURSE_FIELDS
    assert course_fields(["syllabus_body", "term"]) == COURSE_FIELDS | {"syllabus_body"}
    assert course_fields(["course_image"]) == COURSE_FIELDS | {"image_url", "image_id"}
