"""Canvas course groups over raw HTTP: exact GroupCategory, Group and GroupMembership bodies, and
refusals that name the field and store nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from courseport.schema import CourseGroup, GroupCategory, GroupMembership
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _counts(world) -> tuple[int, int, int]:
    with world.tx() as db:
        return tuple(db.scalar(select(func.count()).select_from(m)) for m in (GroupCategory, CourseGroup,
                                                                             GroupMembership))


def test_exact_bodies(world):
    course = world.course("Projects")
    cast = world.cast(course)
    student = world.user("stu")
    world.enroll(student, course)
    with world.client(cast["teacher"]) as c:
        category = c.post(f"/api/v1/courses/{course.id}/group_categories",
                          data={"name": "Teams", "self_signup": "enabled", "group_limit": "3"}).json()
        group = c.post(f"/api/v1/group_categories/{category['id']}/groups",
                       data={"name": "Red", "description": "the red team", "join_level": "invitation_only"}).json()
        membership = c.post(f"/api/v1/groups/{group['id']}/memberships", data={"user_id": str(student.id)}).json()
        shown = c.get(f"/api/v1/groups/{group['id']}").json()
        renamed = c.put(f"/api/v1/groups/{group['id']}", data={"name": "Crimson"}).json()
        updated = c.put(f"/api/v1/group_categories/{category['id']}", data={"self_signup": ""}).json()
    assert category == {"id": category["id"], "name": "Teams", "role": None, "self_signup": "enabled",
                        "auto_leader": None, "context_type": "Course", "course_id": course.id, "group_limit": 3,
                        "progress": None, "non_collaborative": False}  # no SIS ids for a teacher (Canvas)
    assert group == {"id": group["id"], "name": "Red", "description": "the red team", "is_public": False,
                     "followed_by_user": False, "join_level": "invitation_only", "members_count": 0,
                     "avatar_url": None, "context_type": "Course", "course_id": course.id, "role": None,
                     "group_category_id": category["id"], "storage_quota_mb": 50}
    assert membership == {"id": membership["id"], "group_id": group["id"], "user_id": student.id,
                          "workflow_state": "accepted", "moderator": False, "just_created": False,
                          "sis_import_id": None}
    assert shown["members_count"] == 1 and renamed["name"] == "Crimson"
    assert updated["self_signup"] is None and updated["group_limit"] == 3


def test_refusals_name_the_field_and_store_nothing(world):
    course = world.course("Projects")
    cast = world.cast(course)
    outsider = world.user("outside")
    base = f"/api/v1/courses/{course.id}/group_categories"
    with world.client(cast["teacher"]) as c:
        nameless = c.post(base, data={})
        bad_signup = c.post(base, data={"name": "X", "self_signup": "always"})
        bad_limit = c.post(base, data={"name": "X", "group_limit": "0"})
        category = c.post(base, data={"name": "Teams"}).json()
        group = c.post(f"/api/v1/group_categories/{category['id']}/groups", data={"name": "Red"}).json()
        not_enrolled = c.post(f"/api/v1/groups/{group['id']}/memberships", data={"user_id": str(outsider.id)})
        no_user = c.post(f"/api/v1/groups/{group['id']}/memberships", data={})
        unknown = c.get("/api/v1/groups/999999")
        bad_level = c.post(f"/api/v1/group_categories/{category['id']}/groups", data={"name": "B", "join_level": "x"})
    with world.client(cast["student"]) as c:
        student = c.post(base, data={"name": "Mine"})
        seen = c.get(f"/api/v1/courses/{course.id}/groups").json()
    with world.client(cast["outsider"]) as c:
        outside = c.get(f"/api/v1/groups/{group['id']}")
    assert [(r.status_code, r.json()["errors"][0]["field"]) for r in (nameless, bad_signup, bad_limit)] == [
        (400, "name"), (400, "self_signup"), (400, "group_limit")]
    assert [(r.status_code, r.json()) for r in (not_enrolled, no_user, bad_level)] == [(400, {"errors": [
        {"message": "user_id must name a user enrolled in the group's course", "field": "user_id"}]}),
        (400, {"errors": [{"message": "user_id is required", "field": "user_id"}]}),
        (400, {"errors": [{"message": "join_level must be one of invitation_only, parent_context_auto_join, "
                                      "parent_context_request", "field": "join_level"}]})]
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    assert (student.status_code, student.json()) == (403, FORBIDDEN)
    assert [g["name"] for g in seen] == ["Red"]  # students read the course's groups
    assert (outside.status_code, outside.json()) == (403, FORBIDDEN)
    assert _counts(world) == (1, 1, 0)


def test_a_student_removed_from_the_course_leaves_its_groups(world):
    course = world.course("Projects")
    cast = world.cast(course)
    student = world.user("stu")
    with world.client(cast["teacher"]) as c:
        enrollment = c.post(f"/api/v1/courses/{course.id}/enrollments", data={
            "enrollment[user_id]": str(student.id), "enrollment[enrollment_state]": "active"}).json()
        category = c.post(f"/api/v1/courses/{course.id}/group_categories", data={"name": "Teams"}).json()
        group = c.post(f"/api/v1/group_categories/{category['id']}/groups", data={"name": "Red"}).json()
        c.post(f"/api/v1/groups/{group['id']}/memberships", data={"user_id": str(student.id)})
        concluded = c.delete(f"/api/v1/courses/{course.id}/enrollments/{enrollment['id']}", params={"task": "conclude"})
        assert concluded.status_code == 200 and _counts(world)[2] == 1  # a concluded student stays in the group
        c.post(f"/api/v1/courses/{course.id}/enrollments", data={  # a second enrollment, as a TA
            "enrollment[user_id]": str(student.id), "enrollment[type]": "TaEnrollment",
            "enrollment[enrollment_state]": "active"})
        c.delete(f"/api/v1/courses/{course.id}/enrollments/{enrollment['id']}", params={"task": "delete"})
        assert _counts(world)[2] == 1  # still enrolled through the other enrollment
        others = [e["id"] for e in c.get(f"/api/v1/courses/{course.id}/enrollments",
                                          params={"user_id": str(student.id)}).json()]
        for other in others:
            c.delete(f"/api/v1/courses/{course.id}/enrollments/{other}", params={"task": "delete"})
    assert _counts(world)[2] == 0
