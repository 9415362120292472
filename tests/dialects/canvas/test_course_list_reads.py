"""How a course list reads: from the user's enrollments, not by testing every course of the store."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects.postgresql import psycopg as postgresql_psycopg

from courseport.core.views import course_lists
from courseport.core.views.course_lists import CourseFilters
from courseport.db import is_sqlite
from courseport.dialects.canvas.course_json import COURSE_FIELDS, course_fields


@pytest.mark.parametrize("filters", [CourseFilters(), CourseFilters(enrollment_type="student", states=("available",)),
                                     CourseFilters(enrollment_state="completed", search_term="bio")])
@pytest.mark.parametrize("members", [False, True])
def test_a_course_list_starts_from_the_users_enrollments(world, filters, members):
    if not is_sqlite(world.engine):
        pytest.skip("SQLite's plan is asserted; PostgreSQL's depends on its statistics")
    read = course_lists._list_read(filters, course_fields([]), members=members)
    with world.engine.connect() as connection:
        plan = read._compile(connection.dialect, "plan", {})
        args = [{"target_id": 1, "viewer_id": 1, "offset": 0, "limit": 101}.get(name, plan.constants.get(name))
                for name in plan.param_order or ()]
        steps = [row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + plan.sql, tuple(args))]
    assert "SCAN courses" not in steps, steps  # every course of the store, probed one by one
    assert any(step.startswith("SEARCH courses USING INTEGER PRIMARY KEY") for step in steps), steps
    if members:  # the user's enrollments in each course of the page, by index
        assert any(step.startswith("SEARCH member USING INDEX") for step in steps), steps


def test_postgresql_sees_the_lists_own_constants_in_its_text():
    """With the states and types as parameters, PostgreSQL's generic plan of the page took it for one row and
    joined each course's enrollments by scanning them all (row_reads._inline_constants)."""
    read = course_lists._list_read(CourseFilters(), course_fields([]), members=True)
    plan = read._compile(postgresql_psycopg.dialect(), "pg", {})
    assert set(plan.param_order or ()) == {"target_id", "viewer_id", "offset", "limit"}, plan.param_order
    assert plan.constants == {} and b"'deleted'" in plan.sql and b"'available'" in plan.sql


def test_a_list_reads_long_texts_only_when_asked():
    assert not {"syllabus_body", "public_description"} & COURSE_FIELDS
    assert course_fields(["syllabus_body", "term"]) == COURSE_FIELDS | {"syllabus_body"}
    assert course_fields(["course_image"]) == COURSE_FIELDS | {"image_url", "image_id"}
