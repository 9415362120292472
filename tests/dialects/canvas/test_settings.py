"""Canvas course settings over raw HTTP: every setting with its default, typed updates, who may call."""

from __future__ import annotations

import pytest

from courseport.schema import GradingStandard
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _account_standard(world) -> int:
    """A grading standard of the root account (every course may take it): its id."""
    with world.tx() as db:
        row = GradingStandard(account_id=1, title="House", entries=[["Pass", 50.0], ["Fail", 0.0]])
        db.add(row)
        db.flush()
        return row.id

DEFAULTS = {
    "allow_final_grade_override": False, "allow_student_discussion_topics": True,
    "allow_student_forum_attachments": False, "allow_student_discussion_editing": True,
    "allow_student_discussion_reporting": True, "allow_student_anonymous_discussion_topics": False,
    "filter_speed_grader_by_student_group": False, "grading_standard_enabled": False, "grading_standard_id": None,
    "allow_student_organized_groups": True, "hide_final_grades": False, "hide_distribution_graphs": False,
    "hide_sections_on_course_users_page": False, "lock_all_announcements": False, "usage_rights_required": False,
    "restrict_student_past_view": False, "restrict_student_future_view": False,
    "restrict_quantitative_data": False, "show_announcements_on_home_page": False,
    "home_page_announcement_limit": 5, "syllabus_course_summary": True, "homeroom_course": False,
    "default_due_time": "23:59:59", "conditional_release": False,
}


@pytest.fixture
def course(world):
    return world.course("Settings 101")


def _settings(world, course) -> dict:
    with world.client(world.admin_token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/settings")
    assert r.status_code == 200, r.text
    return r.json()


def test_defaults_cover_the_seed_example_and_every_put_setting(world, course):
    assert _settings(world, course) == DEFAULTS


def test_update_with_form_values_returns_every_setting_and_persists(world, course):
    cast = world.cast(course)
    with world.client(cast["teacher"]) as c:
        r = c.put(f"/api/v1/courses/{course.id}/settings", data={
            "allow_student_discussion_topics": "false", "lock_all_announcements": "true",
            "home_page_announcement_limit": "2", "default_due_time": "08:30:00", "hide_final_grades": "1",
            "not_a_setting": "whatever",
        })
    expected = DEFAULTS | {"allow_student_discussion_topics": False, "lock_all_announcements": True,
                           "home_page_announcement_limit": 2, "default_due_time": "08:30:00",
                           "hide_final_grades": True}
    assert r.status_code == 200, r.text
    assert r.json() == expected
    assert _settings(world, course) == expected


def test_update_with_json_body(world, course):
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/courses/{course.id}/settings",
                  json={"usage_rights_required": True, "home_page_announcement_limit": 0,
                        "restrict_student_future_view": True})
    assert r.status_code == 200, r.text
    assert r.json() == DEFAULTS | {"usage_rights_required": True, "home_page_announcement_limit": 0,
                                   "restrict_student_future_view": True}


def test_setting_back_to_default_and_inherit_due_time(world, course):
    with world.client(world.admin_token) as c:
        c.put(f"/api/v1/courses/{course.id}/settings", data={"default_due_time": "12:00:00",
                                                              "allow_student_organized_groups": "false"})
        r = c.put(f"/api/v1/courses/{course.id}/settings", data={"default_due_time": "inherit",
                                                                 "allow_student_organized_groups": "true"})
    assert r.status_code == 200
    assert r.json() == DEFAULTS


def test_column_settings_agree_with_course_json(world, course):
    standard = _account_standard(world)
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/courses/{course.id}/settings", data={
            "hide_final_grades": "true", "allow_student_forum_attachments": "true", "homeroom_course": "true",
            "grading_standard_id": str(standard)})
        assert r.status_code == 200, r.text
        body = c.get(f"/api/v1/courses/{course.id}").json()
        assert (body["hide_final_grades"], body["allow_student_forum_attachments"], body["homeroom_course"],
                body["grading_standard_id"]) == (True, True, True, standard)
        c.put(f"/api/v1/courses/{course.id}", data={"course[hide_final_grades]": "false",
                                                    "course[syllabus_course_summary]": "false",
                                                    "course[conditional_release]": "true"})
        settings = c.get(f"/api/v1/courses/{course.id}/settings").json()
    assert settings == DEFAULTS | {"allow_student_forum_attachments": True, "homeroom_course": True,
                                   "grading_standard_id": standard, "grading_standard_enabled": True,
                                   "syllabus_course_summary": False, "conditional_release": True}


def test_grading_standard_enabled_follows_the_id(world, course):
    url = f"/api/v1/courses/{course.id}/settings"
    standard = _account_standard(world)
    with world.client(world.admin_token) as c:
        enabled = c.put(url, data={"grading_standard_enabled": "true"}).json()
        chosen = c.put(url, data={"grading_standard_id": str(standard)}).json()
        disabled = c.put(url, data={"grading_standard_enabled": "false"}).json()
        course_json = c.get(f"/api/v1/courses/{course.id}").json()
    assert (enabled["grading_standard_enabled"], enabled["grading_standard_id"]) == (True, 0)
    assert (chosen["grading_standard_enabled"], chosen["grading_standard_id"]) == (True, standard)
    assert (disabled["grading_standard_enabled"], disabled["grading_standard_id"]) == (False, None)
    assert course_json["grading_standard_id"] is None


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"lock_all_announcements": "maybe"}, "lock_all_announcements",
     "lock_all_announcements must be a boolean (true or false), got 'maybe'"),
    ({"hide_final_grades": "yes please"}, "hide_final_grades",
     "hide_final_grades must be a boolean (true or false), got 'yes please'"),
    ({"home_page_announcement_limit": "-1"}, "home_page_announcement_limit",
     "home_page_announcement_limit must be an integer of 0 or more"),
    ({"home_page_announcement_limit": "three"}, "home_page_announcement_limit",
     "home_page_announcement_limit must be an integer, got 'three'"),
    ({"default_due_time": "25:00:00"}, "default_due_time",
     'default_due_time must be a time in 24-hour HH:MM:SS format, or "inherit"'),
    ({"default_due_time": "11pm"}, "default_due_time",
     'default_due_time must be a time in 24-hour HH:MM:SS format, or "inherit"'),
    ({"default_due_time": "23:59"}, "default_due_time",
     'default_due_time must be a time in 24-hour HH:MM:SS format, or "inherit"'),
])
def test_bad_values_are_400_naming_the_setting_and_change_nothing(world, course, params, field, message):
    with world.client(world.admin_token) as c:
        # a valid change rides along: the bad value must roll it back too
        r = c.put(f"/api/v1/courses/{course.id}/settings", data={"lock_all_announcements": "true", **params})
    assert r.status_code == 400
    assert r.json() == {"errors": [{"message": message, "field": field}]}
    assert _settings(world, course) == DEFAULTS


def test_json_null_and_wrong_json_types_are_400(world, course):
    url = f"/api/v1/courses/{course.id}/settings"
    with world.client(world.admin_token) as c:
        null = c.put(url, json={"lock_all_announcements": None})
        listed = c.put(url, json={"default_due_time": ["08:00:00"]})
        cleared = c.put(url, json={"grading_standard_id": None})
    assert null.status_code == 400
    assert null.json() == {"errors": [{"message": "lock_all_announcements must not be empty",
                                       "field": "lock_all_announcements"}]}
    assert listed.status_code == 400
    assert listed.json() == {"errors": [{"message": "default_due_time must be a string", "field": "default_due_time"}]}
    assert cleared.status_code == 200
    assert cleared.json() == DEFAULTS


def test_settings_survive_reset_content(world, course):
    with world.client(world.admin_token) as c:
        c.put(f"/api/v1/courses/{course.id}/settings", data={"lock_all_announcements": "true"})
        new_id = c.post(f"/api/v1/courses/{course.id}/reset_content").json()["id"]
        r = c.get(f"/api/v1/courses/{new_id}/settings")
    assert r.json() == DEFAULTS | {"lock_all_announcements": True}


@pytest.mark.parametrize(("role", "status"), [
    ("admin", 200), ("teacher", 200), ("ta", 200), ("designer", 200), ("student", 200), ("observer", 200),
    ("outsider", 403),
])
def test_who_may_read_settings(world, course, role, status):
    cast = world.cast(course)
    with world.client(cast[role]) as c:
        r = c.get(f"/api/v1/courses/{course.id}/settings")
    assert r.status_code == status
    assert r.json() == (DEFAULTS if status == 200 else FORBIDDEN)


@pytest.mark.parametrize(("role", "status"), [
    ("admin", 200), ("teacher", 200), ("ta", 403), ("designer", 403), ("student", 403), ("observer", 403),
    ("outsider", 403),
])
def test_who_may_update_settings(world, course, role, status):
    cast = world.cast(course)
    with world.client(cast[role]) as c:
        r = c.put(f"/api/v1/courses/{course.id}/settings", data={"lock_all_announcements": "true"})
    assert r.status_code == status
    if status == 403:
        assert r.json() == FORBIDDEN
    assert _settings(world, course)["lock_all_announcements"] is (status == 200)


def test_unknown_course_is_404_and_no_token_is_401(world, course):
    with world.client(world.admin_token) as c:
        assert c.get("/api/v1/courses/999999/settings").json() == NOT_FOUND
        r = c.put("/api/v1/courses/999999/settings", data={"lock_all_announcements": "true"})
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
    with world.client() as c:
        r = c.get(f"/api/v1/courses/{course.id}/settings")
        assert (r.status_code, r.json()) == (401, {"status": "unauthenticated",
                                                   "errors": [{"message": "user authorization required"}]})
        r = c.put(f"/api/v1/courses/{course.id}/settings", data={"lock_all_announcements": "true"})
        assert r.status_code == 401
    assert _settings(world, course) == DEFAULTS


def test_sis_course_id_addresses_the_course(world):
    course = world.course("SIS settings", sis_course_id="SET-1")
    with world.client(world.admin_token) as c:
        r = c.put("/api/v1/courses/sis_course_id:SET-1/settings", data={"hide_distribution_graphs": "true"})
    assert r.status_code == 200
    assert _settings(world, course)["hide_distribution_graphs"] is True


# --- POST /courses/:id/dismiss_migration_limitation_message (a per-course UI flag beside the settings) ---

def _dismissed(world, course) -> bool:
    from courseport.schema import Course

    with world.tx() as db:
        return db.get(Course, course.id).migration_limitation_dismissed


@pytest.mark.parametrize("role", ["admin", "teacher", "ta", "designer", "student", "observer"])
def test_members_dismiss_the_migration_limitation_message(world, course, role):
    cast = world.cast(course)
    assert _dismissed(world, course) is False
    with world.client(cast[role]) as c:
        r = c.post(f"/api/v1/courses/{course.id}/dismiss_migration_limitation_message")
    assert (r.status_code, r.json()) == (200, {"success": True})
    assert _dismissed(world, course) is True


def test_dismiss_is_403_for_non_members_404_for_unknown_courses_401_without_token(world, course):
    cast = world.cast(course)
    url = f"/api/v1/courses/{course.id}/dismiss_migration_limitation_message"
    with world.client(cast["outsider"]) as c:
        r = c.post(url)
    assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.client(world.admin_token) as c:
        r = c.post("/api/v1/courses/999999/dismiss_migration_limitation_message")
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    with world.client() as c:
        r = c.post(url)
    assert r.status_code == 401
    assert _dismissed(world, course) is False
