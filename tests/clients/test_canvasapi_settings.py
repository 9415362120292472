"""canvasapi 3.6.0, unmodified, against the live server: settings, preview_html and accounts."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist

from courseport.core.identity import accounts


def test_get_and_update_settings(world):
    course_id = world.course("Client settings").id
    canvas = world.canvas()
    course = canvas.get_course(course_id)
    before = course.get_settings()
    assert (before["allow_student_discussion_topics"], before["default_due_time"]) == (True, "23:59:59")
    after = course.update_settings(allow_student_discussion_topics=False, hide_final_grades=True,
                                   home_page_announcement_limit=4, default_due_time="17:00:00")
    assert after == before | {"allow_student_discussion_topics": False, "hide_final_grades": True,
                              "home_page_announcement_limit": 4, "default_due_time": "17:00:00"}
    assert course.get_settings() == after
    assert canvas.get_course(course_id).hide_final_grades is True


def test_update_settings_errors(world):
    course = world.course("Client settings")
    student, token = world.user_with_token("pupil")
    world.enroll(student, course)
    with pytest.raises(BadRequest, match="lock_all_announcements must be a boolean"):
        world.canvas().get_course(course.id).update_settings(lock_all_announcements="sometimes")
    as_student = world.canvas(token).get_course(course.id)
    assert as_student.get_settings()["lock_all_announcements"] is False
    with pytest.raises(Forbidden):
        as_student.update_settings(lock_all_announcements=True)


def test_preview_html(world):
    course = world.canvas().get_course(world.course("Client preview").id)
    assert course.preview_html("<p><badhtml></badhtml>processed html</p>") == "<p>processed html</p>"
    assert course.preview_html('<img src="x" onerror="alert(1)"><script>alert(2)</script>') == '<img src="x">'


def test_get_account_and_accounts(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Humanities", 1, "HUM")
    canvas = world.canvas()
    root = canvas.get_account(1)
    assert (root.id, root.name, root.parent_account_id) == (1, "courseport", None)
    by_sis = canvas.get_account("HUM", use_sis_id=True)
    assert (by_sis.id, by_sis.name, by_sis.parent_account_id, by_sis.sis_account_id) == (sub.id, "Humanities", 1, "HUM")
    assert [a.id for a in canvas.get_accounts()] == [1]
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_account(999999)
    _, token = world.user_with_token("nobody")
    with pytest.raises(Forbidden):
        world.canvas(token).get_account(1)
    assert list(world.canvas(token).get_accounts()) == []
