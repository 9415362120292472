"""Course settings in core: the catalogue, storage in columns or rows, validation and rights."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.core.courses import course_settings
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.schema import Course, CourseSetting, User


def _settings_rows(world, course) -> dict:
    with world.tx() as db:
        return {s.name: s.value for s in db.scalars(select(CourseSetting).where(CourseSetting.course_id == course.id))}


def test_catalogue_defaults_without_any_rows(world):
    course = world.course("Core settings")
    with world.tx() as db:
        got = course_settings.get_course_settings(db, db.get(User, world.admin.id), course.id)
    assert got == {name: spec.default for name, spec in course_settings.SETTINGS.items()}
    assert _settings_rows(world, course) == {}


def test_rows_hold_non_default_values_and_columns_hold_column_settings(world):
    course = world.course("Core settings")
    with world.tx() as db:
        me = db.get(User, world.admin.id)
        course_settings.update_course_settings(db, me, course.id, {
            "lock_all_announcements": True, "home_page_announcement_limit": 3, "default_due_time": "09:00:00",
            "allow_student_discussion_topics": True, "hide_final_grades": True, "conditional_release": True})
    assert _settings_rows(world, course) == {"lock_all_announcements": {"v": True},
                                             "home_page_announcement_limit": {"v": 3},
                                             "default_due_time": {"v": "09:00:00"}}
    with world.tx() as db:
        row = db.get(Course, course.id)
        assert (row.hide_final_grades, row.conditional_release) == (True, True)


def test_back_to_default_or_inherit_removes_the_row(world):
    course = world.course("Core settings")
    with world.tx() as db:
        me = db.get(User, world.admin.id)
        course_settings.update_course_settings(db, me, course.id, {"default_due_time": "09:00:00",
                                                                    "lock_all_announcements": True})
        course_settings.update_course_settings(db, me, course.id, {"default_due_time": "inherit",
                                                                    "lock_all_announcements": False})
    assert _settings_rows(world, course) == {}


@pytest.mark.parametrize(("changes", "field"), [
    ({"lock_all_announcements": "true"}, "lock_all_announcements"),
    ({"home_page_announcement_limit": True}, "home_page_announcement_limit"),
    ({"home_page_announcement_limit": -2}, "home_page_announcement_limit"),
    ({"default_due_time": "24:00:00"}, "default_due_time"),
    ({"hide_final_grades": None}, "hide_final_grades"),
])
def test_invalid_values_name_the_setting(world, changes, field):
    course = world.course("Core settings")
    with pytest.raises(InvalidInput) as err, world.tx() as db:
        course_settings.update_course_settings(db, db.get(User, world.admin.id), course.id, changes)
    assert err.value.field == field
    assert _settings_rows(world, course) == {}


def test_rights(world):
    course = world.course("Core settings")
    student = world.user("pupil")
    world.enroll(student, course)
    with world.tx() as db:
        me = db.get(User, student.id)
        assert course_settings.get_course_settings(db, me, course.id)["hide_final_grades"] is False
        with pytest.raises(NotAllowed):
            course_settings.update_course_settings(db, me, course.id, {"hide_final_grades": True})
        with pytest.raises(NotFound):
            course_settings.get_course_settings(db, me, 424242)
