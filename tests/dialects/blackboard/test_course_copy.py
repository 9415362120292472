"""Learn course copy and task polling over HTTP: the seed's body, every flag, targets, errors, tasks."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from courseport.core.content import content
from courseport.schema import ContentItem, Course, Job

SEED_COPY = {
    "adaptiveReleaseRules": "true", "announcements": "true", "assessments": "true", "blogs": "true",
    "calendar": "true", "contacts": "true", "contentAlignments": "true", "contentAreas": "true",
    "discussions": "ForumsAndStarterPosts", "glossary": "true", "gradebook": "true", "groupSettings": "true",
    "journals": "true", "retentionRules": "true", "rubrics": "true",
    "settings": {"availability": "true", "bannerImage": "true", "duration": "true", "enrollmentOptions": "true",
                 "guestAccess": "true", "languagePack": "true", "navigationSettings": "true",
                 "observerAccess": "true"},
    "tasks": "true", "wikis": "true",
}
ALL_OFF = {k: ("None" if k == "discussions" else "false") for k in SEED_COPY if k != "settings"}


@pytest.fixture
def learn(world):
    with world.client(world.blackboard_token()) as http:
        yield http


@pytest.fixture
def template(world, learn):
    """courseId mbk-original-template with an assignment (and its group), a page, an announcement, a topic."""
    made = learn.post("/learn/api/public/v3/courses", json={
        "courseId": "mbk-original-template", "name": "Original template", "description": "the template"})
    course_id = int(made.json()["id"].split("_")[1])
    with world.tx() as db:
        course = db.get(Course, course_id)
    world.assignment(course, "Essay")
    with world.tx() as db:
        for typ, title in (("page", "Syllabus page"), ("announcement", "Welcome"), ("discussion_topic", "Intro")):
            content.create_item(db, course.id, typ, {"title": title, "workflow_state": "active"})
    return course


def _types(world, course_id: int) -> dict[str, int]:
    with world.tx() as db:
        rows = db.execute(select(ContentItem.type, func.count()).where(ContentItem.course_id == course_id)
                          .group_by(ContentItem.type)).all()
    return dict(rows)


def _copy(learn, body, source="courseId:mbk-original-template"):  # noqa: ANN001
    return learn.post(f"/learn/api/public/v2/courses/{source}/copy", json=body)


def test_seed_copy_into_a_new_course_then_poll_to_303(world, learn, template):
    answer = _copy(learn, {"targetCourse": {"courseId": "mbk-original-target2"}, "copy": SEED_COPY})
    assert answer.status_code == 202 and answer.json() == {}
    location = answer.headers["location"]
    task_number = int(location.rsplit("/", 1)[1].split("_")[1])
    assert location == f"/learn/api/public/v1/courses/_{template.id}_1/tasks/_{task_number}_1"
    assert "X-Rate-Limit-Remaining" in answer.headers

    queued = learn.get(location)
    assert queued.status_code == 200
    assert queued.json() == {"id": f"_{task_number}_1", "type": "CourseCopy", "status": "Queued",
                             "percentComplete": 0}
    target = learn.get("/learn/api/public/v3/courses/courseId:mbk-original-target2").json()
    assert _types(world, int(target["id"].split("_")[1])) == {}  # nothing until the copy completes

    assert world.run_jobs() == 1
    done = learn.get(location, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == f"/learn/api/public/v3/courses/{target['id']}"
    body = done.json()
    assert (body["status"], body["percentComplete"]) == ("Complete", 100)
    assert body["started"] and body["ended"]

    copied = learn.get(location, follow_redirects=True).json()  # following the 303 reaches the copied course
    assert (copied["id"], copied["courseId"], copied["externalId"]) == (target["id"], "mbk-original-target2",
                                                                        "mbk-original-target2")
    assert (copied["name"], copied["description"]) == ("Original template", "the template")
    assert copied["copyHistory"] == [{"uuid": template.uuid}]
    assert _types(world, int(target["id"].split("_")[1])) == _types(world, template.id) == {
        "assignment_group": 1, "assignment": 1, "page": 1, "announcement": 1, "discussion_topic": 1}

    patched = learn.patch(f"/learn/api/public/v3/courses/{target['id']}", json={
        "externalId": "mbk-original-target2", "name": "mbk-original-target2", "description": "my copied course"})
    assert patched.status_code == 200
    assert (patched.json()["name"], patched.json()["description"]) == ("mbk-original-target2", "my copied course")


def test_copy_flags_choose_what_is_copied(world, learn, template):
    answer = _copy(learn, {"targetCourse": {"courseId": "only-news"},
                           "copy": {**ALL_OFF, "announcements": "true", "wikis": True,
                                    "settings": {"duration": "false"}}})
    assert answer.status_code == 202, answer.text
    world.run_jobs()
    target = learn.get("/learn/api/public/v3/courses/courseId:only-news").json()
    assert _types(world, int(target["id"].split("_")[1])) == {"announcement": 1}
    with world.tx() as db:
        job = db.get(Job, int(answer.headers["location"].rsplit("_", 2)[-2]))
    assert job.payload["selection"] == ["announcement", "wiki"]


def test_discussion_choices_and_no_copy_object(world, learn, template):
    forums = _copy(learn, {"targetCourse": {"courseId": "forums"}, "copy": {"discussions": "ForumsOnly"}})
    exact = _copy(learn, {"targetCourse": {"courseId": "exact"}})
    assert (forums.status_code, exact.status_code) == (202, 202)
    assert world.run_jobs() == 2
    for course_id, expected in (("forums", {"discussion_topic": 1}), ("exact", _types(world, template.id))):
        target = learn.get(f"/learn/api/public/v3/courses/courseId:{course_id}").json()
        assert _types(world, int(target["id"].split("_")[1])) == expected


def test_copy_into_an_existing_course_by_id(world, learn, template):
    existing = learn.post("/learn/api/public/v3/courses", json={"courseId": "fall", "name": "Fall"}).json()
    for _ in range(2):  # copying again updates the earlier copies instead of duplicating them
        answer = _copy(learn, {"targetCourse": {"id": existing["id"]}, "copy": {**ALL_OFF, "gradebook": "true"}},
                       source=f"_{template.id}_1")
        assert answer.status_code == 202, answer.text
        world.run_jobs()
        assert learn.get(answer.headers["location"], follow_redirects=False).status_code == 303
    assert _types(world, int(existing["id"].split("_")[1])) == {"assignment_group": 1, "assignment": 1}
    assert "copyHistory" not in learn.get(f"/learn/api/public/v3/courses/{existing['id']}").json()


@pytest.mark.parametrize("body, status, message", [
    ({}, 400, "targetCourse is required"),
    ({"targetCourse": {}}, 400, "targetCourse needs either a courseId (a new course) or an id, not both"),
    ({"targetCourse": {"courseId": "a", "id": "_1_1"}}, 400,
     "targetCourse needs either a courseId (a new course) or an id, not both"),
    ({"targetCourse": {"courseId": ""}}, 400, "targetCourse.courseId must be a non-empty string"),
    ({"targetCourse": {"courseId": "n"}, "copy": {"rubrics": "yes"}}, 400,
     "copy.rubrics must be true or false, got 'yes'"),
    ({"targetCourse": {"courseId": "n"}, "copy": {"photos": "true"}}, 400, "copy.photos is not a copy option"),
    ({"targetCourse": {"courseId": "n"}, "copy": {"discussions": "true"}}, 400,
     "copy.discussions must be one of None, ForumsAndStarterPosts, ForumsOnly"),
    ({"targetCourse": {"courseId": "n"}, "copy": {"settings": {"colour": "true"}}}, 400,
     "copy.settings.colour is not a settings copy option"),
    ({"targetCourse": {"courseId": "mbk-original-template"}}, 409,
     "A course with courseId 'mbk-original-template' already exists"),
    ({"targetCourse": {"id": "_99999999_1"}}, 404, "Course not found"),
    ({"targetCourse": {"id": "courseId:mbk-original-template"}}, 400, "a course cannot be copied into itself"),
])
def test_copy_errors(world, learn, template, body, status, message):
    answer = _copy(learn, body)
    assert answer.status_code == status
    assert answer.json() == {"status": status, "message": message}
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(Job)) == 0
        assert db.scalar(select(func.count()).select_from(Course)) == 1


def test_unknown_source_and_tasks_answer_404(world, learn, template):
    assert _copy(learn, {"targetCourse": {"courseId": "x"}}, source="courseId:nope").status_code == 404
    task = _copy(learn, {"targetCourse": {"courseId": "x"}}).headers["location"].rsplit("/", 1)[1]
    other = learn.post("/learn/api/public/v3/courses", json={"courseId": "other", "name": "Other"}).json()
    tasks = "/learn/api/public/v1/courses/{}/tasks/{}".format
    for path in (tasks(f"_{template.id}_1", "_99999999_1"), tasks(f"_{template.id}_1", "99999999"),
                 tasks(other["id"], task)):
        answer = learn.get(path)
        assert answer.status_code == 404, path
        assert answer.json() == {"status": 404, "message": "Task not found"}
    # the task is also reachable through its target course
    assert learn.get(tasks("courseId:x", task)).status_code == 200


def test_running_and_failed_tasks_report_in_the_body(world, learn, template):
    location = _copy(learn, {"targetCourse": {"courseId": "doomed"}}).headers["location"]
    job_id = int(location.rsplit("_", 2)[-2])
    with world.tx() as db:
        db.execute(update(Job).where(Job.id == job_id).values(state="running", progress=42.5))
    running = learn.get(location, params={"fields": "status,percentComplete"})
    assert (running.status_code, running.json()) == (200, {"status": "Running", "percentComplete": 42})
    with world.tx() as db:
        db.execute(update(Job).where(Job.id == job_id).values(state="queued", progress=0))
    assert learn.delete("/learn/api/public/v3/courses/courseId:doomed").status_code == 202
    world.run_jobs()
    failed = learn.get(location, follow_redirects=False)
    assert failed.status_code == 200
    body = failed.json()
    assert (body["status"], body["message"]) == ("Incomplete", "the target course no longer exists")
