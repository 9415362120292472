"""Canvas course permissions over raw HTTP: Canvas role-permission names answered from core rights."""

from __future__ import annotations

import pytest

from courseport.core.identity.permissions import ALL_RIGHTS
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

ASKED = ["manage_grades", "send_messages", "read_roster", "manage_content", "manage_files", "change_course_state",
         "read_reports", "view_all_grades", "manage_students", "create_discussion_topic", "create_announcement",
         "read_sis", "manage_sis", "update", "manage_files_add", "manage_assignments_edit", "read_course_content"]
GRANTED = {
    "admin": set(ASKED),
    "teacher": set(ASKED) - {"manage_sis"},
    "ta": set(ASKED) - {"manage_sis", "change_course_state", "update"},
    "designer": {"send_messages", "read_roster", "manage_content", "manage_files", "create_discussion_topic",
                 "read_sis", "create_announcement", "manage_files_add", "manage_assignments_edit",
                 "read_course_content"},
    "student": {"send_messages", "read_roster", "read_course_content"},
    "observer": {"read_course_content"},
}


@pytest.fixture
def course(world):
    return world.course("Rights 101")


@pytest.mark.parametrize("role", list(GRANTED))
def test_each_role_gets_its_rights_for_the_names_asked(world, course, role):
    cast = world.cast(course)
    with world.client(cast[role]) as c:
        r = c.get(f"/api/v1/courses/{course.id}/permissions", params={"permissions[]": ASKED})
    assert r.status_code == 200, r.text
    assert r.json() == {name: name in GRANTED[role] for name in ASKED}
    assert list(r.json()) == ASKED


def test_seed_example(world, course):
    cast = world.cast(course)
    with world.client(cast["student"]) as c:
        r = c.get(f"/api/v1/courses/{course.id}/permissions",
                  params=[("permissions[]", "manage_grades"), ("permissions[]", "send_messages")])
    assert (r.status_code, r.json()) == (200, {"manage_grades": False, "send_messages": True})


def test_no_names_lists_every_right(world, course):
    cast = world.cast(course)
    with world.client(cast["teacher"]) as c:
        body = c.get(f"/api/v1/courses/{course.id}/permissions").json()
    assert list(body) == sorted(ALL_RIGHTS)
    assert body["manage_grades"] is True and body["update_course"] is True
    assert body["manage_sis"] is False and body["manage_account"] is False


def test_unknown_names_are_400_naming_them(world, course):
    with world.client(world.admin_token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/permissions",
                  params={"permissions[]": ["manage_grades", "fly", "teleport"]})
    assert r.status_code == 400
    assert r.json() == {"errors": [{"message": "unknown permissions: fly, teleport", "field": "permissions"}]}


def test_outsider_unknown_course_and_no_token(world, course):
    cast = world.cast(course)
    url = f"/api/v1/courses/{course.id}/permissions"
    with world.client(cast["outsider"]) as c:
        r = c.get(url, params={"permissions[]": "manage_grades"})
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.client(world.admin_token) as c:
        r = c.get("/api/v1/courses/999999/permissions")
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
    with world.client() as c:
        r = c.get(url)
        assert r.status_code == 401
        assert r.json() == {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}


def test_observer_of_an_unpublished_course_is_403(world):
    course = world.course("Draft", offer=False)
    cast = world.cast(course)
    with world.client(cast["observer"]) as c:
        r = c.get(f"/api/v1/courses/{course.id}/permissions")
    assert (r.status_code, r.json()) == (403, FORBIDDEN)
