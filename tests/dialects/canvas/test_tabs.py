"""Canvas course tabs over raw HTTP: the default arrangement, moving and hiding, who sees what, refusals
that store nothing, and a course copy carrying the arrangement."""

from __future__ import annotations

from courseport.core.courses.course_tabs import TAB_CONFIGURATION
from courseport.schema import CourseSetting
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

DEFAULT_IDS = ["home", "announcements", "assignments", "discussions", "grades", "people", "pages", "files",
               "syllabus", "outcomes", "rubrics", "quizzes", "modules", "collaborations", "settings"]


def _tabs(world, token: str, course_id: int) -> list[dict]:
    with world.client(token) as c:
        r = c.get(f"/api/v1/courses/{course_id}/tabs", params={"per_page": 50})
    assert r.status_code == 200, r.text
    return r.json()


def _stored(world, course_id: int):
    with world.tx() as db:
        row = db.get(CourseSetting, (course_id, TAB_CONFIGURATION))
        return None if row is None else row.value["v"]


def test_the_default_tabs_as_a_teacher_and_as_a_student(world):
    course = world.course("Biology")
    cast = world.cast(course)
    teacher, student = _tabs(world, cast["teacher"], course.id), _tabs(world, cast["student"], course.id)
    assert [t["id"] for t in teacher] == DEFAULT_IDS
    assert teacher[0] == {"id": "home", "html_url": f"/courses/{course.id}",
                          "full_url": f"{world.base_url}/courses/{course.id}", "position": 1,
                          "visibility": "public", "label": "Home", "type": "internal"}
    assert teacher[6]["html_url"] == f"/courses/{course.id}/wiki" and teacher[6]["label"] == "Pages"
    assert (teacher[-1]["position"], teacher[-1]["visibility"]) == (15, "admins")
    assert [t["id"] for t in student] == [i for i in DEFAULT_IDS if i not in ("rubrics", "settings")]
    with world.client(cast["teacher"]) as c:
        first = c.get(f"/api/v1/courses/{course.id}/tabs", params={"per_page": 5})
    assert [t["id"] for t in first.json()] == DEFAULT_IDS[:5] and 'rel="next"' in first.headers["link"]
    with world.client(cast["outsider"]) as c:
        refused = c.get(f"/api/v1/courses/{course.id}/tabs")
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)


def test_moving_and_hiding_tabs(world):
    course = world.course("Biology")
    cast = world.cast(course)
    with world.client(cast["teacher"]) as c:
        moved = c.put(f"/api/v1/courses/{course.id}/tabs/modules", data={"position": "2"})
        hidden = c.put(f"/api/v1/courses/{course.id}/tabs/files", json={"hidden": True})
        shown_again = c.put(f"/api/v1/courses/{course.id}/tabs/people", data={"hidden": "false"})
    assert moved.status_code == 200
    assert moved.json() == {"id": "modules", "html_url": f"/courses/{course.id}/modules",
                            "full_url": f"{world.base_url}/courses/{course.id}/modules", "position": 2,
                            "visibility": "public", "label": "Modules", "type": "internal"}
    assert hidden.json()["hidden"] is True and hidden.json()["visibility"] == "admins"
    assert "hidden" not in shown_again.json()
    teacher = _tabs(world, cast["teacher"], course.id)
    assert [t["id"] for t in teacher][:3] == ["home", "modules", "announcements"]
    assert [t["position"] for t in teacher] == list(range(1, 16))
    assert [t["id"] for t in teacher if t.get("hidden")] == ["files"]
    student_ids = [t["id"] for t in _tabs(world, cast["student"], course.id)]
    assert "files" not in student_ids and student_ids[:2] == ["home", "modules"]
    stored = _stored(world, course.id)
    assert stored[0] == {"id": "modules", "hidden": False} and {"id": "files", "hidden": True} in stored


def test_refusals_store_nothing(world):
    course = world.course("Biology")
    cast = world.cast(course)
    with world.client(cast["student"]) as c:
        student = c.put(f"/api/v1/courses/{course.id}/tabs/pages", data={"hidden": "true"})
    with world.client(cast["teacher"]) as c:
        home = c.put(f"/api/v1/courses/{course.id}/tabs/home", data={"position": "3"})
        settings = c.put(f"/api/v1/courses/{course.id}/tabs/settings", data={"hidden": "true"})
        first = c.put(f"/api/v1/courses/{course.id}/tabs/pages", data={"position": "1"})
        last = c.put(f"/api/v1/courses/{course.id}/tabs/pages", data={"position": "15"})
        unknown = c.put(f"/api/v1/courses/{course.id}/tabs/gradebook", data={"hidden": "true"})
        not_bool = c.put(f"/api/v1/courses/{course.id}/tabs/pages", data={"hidden": "maybe"})
    assert (student.status_code, student.json()) == (403, FORBIDDEN)
    assert home.status_code == 400 and "not manageable" in home.text and "tab_id" in home.text
    assert settings.status_code == 400
    assert first.status_code == last.status_code == 400 and "position must be from 2 to 14" in first.text
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    assert not_bool.status_code == 400 and "hidden" in not_bool.text
    assert _stored(world, course.id) is None


def test_a_course_copy_carries_the_arrangement(world):
    source, target = world.course("Source"), world.course("Target")
    with world.client(world.admin_token) as c:
        c.put(f"/api/v1/courses/{source.id}/tabs/quizzes", data={"position": "2", "hidden": "true"})
        copy = c.post(f"/api/v1/courses/{target.id}/course_copy", data={"source_course": str(source.id)})
        assert copy.status_code == 200, copy.text
    assert world.run_jobs() == 1
    tabs = _tabs(world, world.admin_token, target.id)
    assert (tabs[1]["id"], tabs[1].get("hidden")) == ("quizzes", True)
