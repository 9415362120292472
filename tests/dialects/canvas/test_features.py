"""Canvas feature flags over raw HTTP: the features each context lists with the flag that applies, enabled
names, a flag set, shown, inherited, locked by an account above and removed; refusals with their bodies and the
stored flags after each call."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.core.identity import accounts
from courseport.schema import Course, FeatureFlag
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


@pytest.fixture
def cls(world):
    course = world.course("Chemistry")
    with world.tx() as db:
        sub = accounts.create_account(db, f"Science {course.id}", 1)
        db.get(Course, course.id).account_id = sub.id
        sub_id = sub.id
    tina, tina_token = world.user_with_token(f"tina{course.id}")
    ann, ann_token = world.user_with_token(f"ann{course.id}")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    return course, sub_id, tina_token, ann_token, ann


def _stored(world) -> list[tuple]:
    with world.tx() as db:
        return [(f.feature, f.account_id, f.course_id, f.user_id, f.state)
                for f in db.scalars(select(FeatureFlag).order_by(FeatureFlag.id))]


def test_course_features_list_the_course_features_with_their_default_flags(world, cls):
    course, _, _, ann_token, _ = cls
    with world.client(ann_token) as c:
        r = c.get(f"/api/v1/courses/{course.id}/features")
        assert r.status_code == 200, r.text
        assert "Link" in r.headers
        listed = r.json()
        assert [f["feature"] for f in listed] == ["anonymous_marking", "assignments_2_student", "new_gradebook",
                                                 "quizzes_next"]
        assert listed[0] == {"feature": "anonymous_marking", "name": "anonymous_marking",
                             "display_name": "Anonymous Marking",
                             "description": "Grade submissions without seeing who made them.",
                             "applies_to": "Course", "root_opt_in": False, "beta": False,
                             "feature_flag": {"feature": "anonymous_marking", "state": "allowed", "locked": False,
                                              "locking_account_id": None}}
        assert c.get(f"/api/v1/courses/{course.id}/features/enabled").json() == ["new_gradebook"]
        assert c.get(f"/api/v1/courses/{course.id}/features/flags/nope").json() == NOT_FOUND
        assert c.get(f"/api/v1/courses/{course.id}/features/flags/high_contrast").status_code == 404


def test_a_teacher_turns_a_course_feature_on_and_off_again(world, cls):
    course, _, tina_token, ann_token, _ = cls
    path = f"/api/v1/courses/{course.id}/features/flags/quizzes_next"
    with world.client(tina_token) as c:
        r = c.put(path, json={"state": "on"})
        assert r.status_code == 200, r.text
        assert r.json() == {"context_type": "Course", "context_id": course.id, "feature": "quizzes_next",
                            "state": "on", "locked": False, "locking_account_id": None}
        assert _stored(world) == [("quizzes_next", None, course.id, None, "on")]
        assert c.get(path).json() == r.json()
        assert sorted(c.get(f"/api/v1/courses/{course.id}/features/enabled").json()) == [
            "new_gradebook", "quizzes_next"]
        bad = c.put(path, json={"state": "allowed"})
        assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "state")
        unknown = c.put(f"/api/v1/courses/{course.id}/features/flags/nope", json={"state": "on"})
        assert (unknown.status_code, unknown.json()["errors"][0]["field"]) == (400, "feature")
        assert _stored(world) == [("quizzes_next", None, course.id, None, "on")]
        gone = c.delete(path)
        assert (gone.status_code, gone.json()["state"]) == (200, "on")
        assert _stored(world) == []
        assert c.delete(path).json() == NOT_FOUND
        assert c.get(path).json() == {"feature": "quizzes_next", "state": "allowed", "locked": False,
                                      "locking_account_id": None}
    with world.client(ann_token) as c:
        r = c.put(path, json={"state": "on"})
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    assert _stored(world) == []


def test_an_account_flag_is_inherited_and_locks_when_on_or_off(world, cls):
    course, sub_id, tina_token, _, _ = cls
    with world.client(world.admin_token) as c:
        r = c.put(f"/api/v1/accounts/{sub_id}/features/flags/anonymous_marking", json={"state": "allowed_on"})
        assert r.status_code == 200, r.text
        r = c.put("/api/v1/accounts/1/features/flags/quizzes_next", json={"state": "off"})
        assert r.json() == {"context_type": "Account", "context_id": 1, "feature": "quizzes_next", "state": "off",
                            "locked": False, "locking_account_id": None}
        sub = c.get(f"/api/v1/accounts/{sub_id}/features/flags/quizzes_next").json()
        assert (sub["context_id"], sub["locked"]) == (1, True)
        locked = c.put(f"/api/v1/accounts/{sub_id}/features/flags/quizzes_next", json={"state": "on"})
        assert (locked.status_code, locked.json()["errors"][0]["message"]) == (
            403, "higher account disallows setting feature flag")
    with world.client(tina_token) as c:
        base = f"/api/v1/courses/{course.id}/features"
        assert c.get(f"{base}/flags/anonymous_marking").json() == {
            "context_type": "Account", "context_id": sub_id, "feature": "anonymous_marking", "state": "allowed_on",
            "locked": False, "locking_account_id": None}
        assert sorted(c.get(f"{base}/enabled").json()) == ["anonymous_marking", "new_gradebook"]
        assert c.put(f"{base}/flags/quizzes_next", json={"state": "on"}).status_code == 403
        assert c.put(f"{base}/flags/anonymous_marking", json={"state": "off"}).status_code == 200
        assert c.get(f"{base}/enabled").json() == ["new_gradebook"]
    assert _stored(world) == [("anonymous_marking", sub_id, None, None, "allowed_on"),
                              ("quizzes_next", 1, None, None, "off"),
                              ("anonymous_marking", None, course.id, None, "off")]


def test_account_and_user_features(world, cls):
    _, sub_id, tina_token, ann_token, ann = cls
    with world.client(world.admin_token) as c:
        root = [f["feature"] for f in c.get("/api/v1/accounts/1/features", params={"per_page": 50}).json()]
        assert root == ["anonymous_marking", "assignments_2_student", "new_gradebook", "quizzes_next",
                        "rce_enhancements", "k12"]
        sub = [f["feature"] for f in c.get(f"/api/v1/accounts/{sub_id}/features", params={"per_page": 50}).json()]
        assert "k12" not in sub and "rce_enhancements" in sub
        assert c.get("/api/v1/accounts/1/features", params={"per_page": 2}).headers["Link"].count("rel=") >= 3
    with world.client(tina_token) as c:
        assert c.get("/api/v1/accounts/1/features").json() == FORBIDDEN
        assert c.get(f"/api/v1/users/{ann.id}/features").json() == NOT_FOUND
    with world.client(ann_token) as c:
        assert [f["feature"] for f in c.get("/api/v1/users/self/features").json()] == [
            "high_contrast", "underline_all_links"]
        r = c.put("/api/v1/users/self/features/flags/high_contrast", json={"state": "on"})
        assert r.json() == {"context_type": "User", "context_id": ann.id, "feature": "high_contrast", "state": "on",
                            "locked": False, "locking_account_id": None}
        assert c.get("/api/v1/users/self/features/enabled").json() == ["high_contrast"]
    assert _stored(world) == [("high_contrast", None, None, ann.id, "on")]
