"""Canvas course progress over raw HTTP: user progress, bulk_user_progress and include[]=course_progress,
computed from module requirements, submissions and scores; who may read whose progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from courseport.core.content import content
from courseport.dialects.canvas.module_json import NO_PROGRESS
from courseport.schema.base import utcnow
from courseport.schema.content import ContentItem, ModuleProgress, Submission

NONE = {"error": {"message": NO_PROGRESS}}


def _submit(world, course, item, user, **fields):
    with world.tx() as db:
        db.add(Submission(item_id=item.id, course_id=course.id, user_id=user.id, **fields))


def _post(c, path, data):
    r = c.post(path, data=data)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def course_with_modules(world):
    """Module 1 (sequential): submit an essay, then score 8+ on a quiz-like assignment.
    Module 2: mark a link done."""
    course = world.course("Progress")
    cast = world.cast(course)
    with world.tx() as db:
        essay = content.create_item(db, course.id, "assignment", {"title": "Essay", "workflow_state": "published"})
        test = content.create_item(db, course.id, "assignment", {"title": "Test", "points": 10.0,
                                                                  "workflow_state": "published"})
    base = f"/api/v1/courses/{course.id}/modules"
    with world.client(cast["teacher"]) as c:
        one = _post(c, base, {"module[name]": "One", "module[require_sequential_progress]": "true",
                              "module[published]": "true"})
        two = _post(c, base, {"module[name]": "Two", "module[published]": "true"})
        items = [
            _post(c, f"{base}/{one['id']}/items", {"module_item[type]": "Assignment",
                                                   "module_item[content_id]": essay.id,
                                                   "module_item[completion_requirement][type]": "must_submit"}),
            _post(c, f"{base}/{one['id']}/items", {"module_item[type]": "Assignment",
                                                   "module_item[content_id]": test.id,
                                                   "module_item[completion_requirement][type]": "min_score",
                                                   "module_item[completion_requirement][min_score]": "8"}),
            _post(c, f"{base}/{two['id']}/items", {"module_item[type]": "ExternalUrl", "module_item[title]": "Link",
                                                   "module_item[external_url]": "https://example.org",
                                                   "module_item[published]": "true",
                                                   "module_item[completion_requirement][type]": "must_mark_done"}),
        ]
    student = world.user_with_token(f"student{course.id}")[0]
    return course, cast, student, (essay, test), (one, two), items


def _progress(world, course, token, user="self"):
    with world.client(token) as c:
        return c.get(f"/api/v1/courses/{course.id}/users/{user}/progress")


def test_user_progress_follows_submissions_scores_and_marks(world, course_with_modules):
    course, cast, student, (essay, test), (one, two), items = course_with_modules
    url = f"{world.base_url}/courses/{course.id}/modules/items/"
    r = _progress(world, course, cast["student"])
    assert (r.status_code, r.json()) == (200, {"requirement_count": 3, "requirement_completed_count": 0,
                                               "next_requirement_url": url + str(items[0]["id"]),
                                               "completed_at": None})
    _submit(world, course, essay, student, workflow_state="submitted", submitted_at=utcnow())
    assert _progress(world, course, cast["student"]).json()["next_requirement_url"] == url + str(items[1]["id"])
    _submit(world, course, test, student, workflow_state="graded", score=7.0, graded_at=utcnow())
    assert _progress(world, course, cast["student"]).json()["requirement_completed_count"] == 1
    with world.tx() as db:
        db.query(Submission).filter_by(item_id=test.id).update({"score": 8.0})
    after_module_one = _progress(world, course, cast["student"]).json()
    assert after_module_one == {"requirement_count": 3, "requirement_completed_count": 2,
                                "next_requirement_url": None, "completed_at": None}  # module two is not sequential
    with world.client(cast["student"]) as c:
        assert c.put(f"/api/v1/courses/{course.id}/modules/{two['id']}/items/{items[2]['id']}/done").status_code == 200
    with world.tx() as db:
        done_at = db.get(ModuleProgress, (items[2]["id"], student.id)).completed_at
    finished = _progress(world, course, cast["student"]).json()
    assert finished == {"requirement_count": 3, "requirement_completed_count": 3, "next_requirement_url": None,
                        "completed_at": done_at.strftime("%Y-%m-%dT%H:%M:%SZ")}


def test_who_may_read_a_users_progress(world, course_with_modules):
    course, cast, student, *_ = course_with_modules
    observer, observer_token = world.user_with_token("linked")
    world.enroll(observer, course, "ObserverEnrollment", associated_user_id=student.id)
    other, other_token = world.user_with_token("other_student")
    world.enroll(other, course)
    stranger = world.user("stranger")
    for token in (cast["teacher"], cast["ta"], cast["admin"], observer_token, cast["student"]):
        assert _progress(world, course, token, student.id).status_code == 200, token
    for token in (other_token, cast["observer"], cast["designer"], cast["outsider"]):
        r = _progress(world, course, token, student.id)
        assert r.status_code == 403, token
        assert r.json()["status"] == "unauthorized"
    assert _progress(world, course, cast["teacher"], stranger.id).status_code == 404
    assert _progress(world, course, cast["teacher"], "999999").status_code == 404


def test_progress_needs_a_student_in_a_module_based_course(world, course_with_modules):
    course, cast, *_ = course_with_modules
    r = _progress(world, course, cast["teacher"])
    assert (r.status_code, r.json()) == (400, NONE)
    plain = world.course("No modules")
    student, token = world.user_with_token("plain_student")
    world.enroll(student, plain)
    r = _progress(world, plain, token)
    assert (r.status_code, r.json()) == (400, NONE)


def test_bulk_user_progress_exact_body(world, course_with_modules):
    course, cast, student, (essay, _test), *_ = course_with_modules
    aaron = world.user("aaron", "Aaron Able")
    world.enroll(aaron, course)
    _submit(world, course, essay, aaron, workflow_state="submitted", submitted_at=utcnow())
    with world.client(cast["teacher"]) as c:
        r = c.get(f"/api/v1/courses/{course.id}/bulk_user_progress")
        paged = c.get(f"/api/v1/courses/{course.id}/bulk_user_progress", params={"per_page": 1})
    origin = world.base_url
    items_url = f"{origin}/courses/{course.id}/modules/items/"
    essay_item, test_item = _module_item_ids(world, course)
    assert r.status_code == 200
    assert r.json() == [
        {"id": aaron.id, "display_name": "Aaron Able", "avatar_image_url": f"{origin}/images/messages/avatar-50.png",
         "html_url": f"{origin}/courses/{course.id}/users/{aaron.id}", "pronouns": None,
         "progress": {"requirement_count": 3, "requirement_completed_count": 1,
                      "next_requirement_url": items_url + str(test_item), "completed_at": None}},
        {"id": student.id, "display_name": student.short_name,
         "avatar_image_url": f"{origin}/images/messages/avatar-50.png",
         "html_url": f"{origin}/courses/{course.id}/users/{student.id}", "pronouns": None,
         "progress": {"requirement_count": 3, "requirement_completed_count": 0,
                      "next_requirement_url": items_url + str(essay_item), "completed_at": None}},
    ]
    assert [u["id"] for u in paged.json()] == [aaron.id]
    assert 'rel="next"' in paged.headers["Link"]


def _module_item_ids(world, course):
    with world.tx() as db:
        return list(db.scalars(select(ContentItem.id).where(
            ContentItem.course_id == course.id, ContentItem.type == "module_item",
            ContentItem.ref_id.is_not(None)).order_by(ContentItem.position)))


def test_bulk_user_progress_rights_and_courses_without_modules(world, course_with_modules):
    course, cast, *_ = course_with_modules
    for role in ("student", "designer", "observer"):
        with world.client(cast[role]) as c:
            assert c.get(f"/api/v1/courses/{course.id}/bulk_user_progress").status_code == 403, role
    plain = world.course("Plain")
    student = world.user("plain")
    world.enroll(student, plain)
    with world.client(world.admin_token) as c:
        r = c.get(f"/api/v1/courses/{plain.id}/bulk_user_progress")
    assert r.status_code == 200
    assert [(u["id"], u["progress"]) for u in r.json()] == [(student.id, NONE)]


def test_include_course_progress_on_course_list_and_course(world, course_with_modules):
    course, cast, _student, (essay, _t), _mods, items = course_with_modules
    expected = {"requirement_count": 3, "requirement_completed_count": 0,
                "next_requirement_url": f"{world.base_url}/courses/{course.id}/modules/items/{items[0]['id']}",
                "completed_at": None}
    with world.client(cast["student"]) as c:
        listed = c.get("/api/v1/courses", params={"include[]": "course_progress"}).json()
        single = c.get(f"/api/v1/courses/{course.id}", params={"include[]": "course_progress"}).json()
        without = c.get(f"/api/v1/courses/{course.id}").json()
    assert [x["course_progress"] for x in listed] == [expected]
    assert single["course_progress"] == expected
    assert "course_progress" not in without
    with world.client(cast["teacher"]) as c:
        assert c.get(f"/api/v1/courses/{course.id}", params={"include[]": "course_progress"}).json()[
            "course_progress"] == NONE


def test_sequential_module_reports_first_unmet_requirement_after_unlock_dates(world, course_with_modules):
    course, cast, student, (essay, test), (one, _two), items = course_with_modules
    with world.tx() as db:
        db.get(ContentItem, essay.id).unlock_at = utcnow() + timedelta(days=1)
    with world.client(cast["student"]) as c:
        listed = c.get(f"/api/v1/courses/{course.id}/modules/{one['id']}/items",
                       params={"include[]": "content_details"}).json()
    assert [i["content_details"]["locked_for_user"] for i in listed] == [True, True]
    assert _progress(world, course, cast["student"]).json()["next_requirement_url"].endswith(str(items[0]["id"]))
