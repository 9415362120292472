"""Hostile text through the faces (issue 11, findings 3, 5 and 9): stored HTML is sanitised at the core
write path whichever face writes it; imported links obey the module item URL rule; a grade or HTML too
long or too deep is a 400 naming the field; a 5,000-deep manifest fails its import job at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema import ContentItem, Course
from tests import package_builders as pb
from tests.core.test_hostile_text import deep_scorm
from tests.dialects.canvas.test_submissions import _class, _path, _row
from tests.dialects.d2l.cartridge import cartridge
from tests.dialects.d2l.org_ids import ou
from tests.scorm_app import ScormApp

XSS = ('<p onclick="steal()">Week 1</p><script>alert(document.cookie)</script><img src="x.png" onerror="alert(1)">'
       '<a href="javascript:alert(1)">more</a>')
CLEAN = '<p>Week 1</p><img src="x.png"><a rel="noopener noreferrer">more</a>'
LE = "/d2l/api/le/unstable"
V3 = "/learn/api/public/v3/courses"


def stored(world, course_id: int) -> tuple[str | None, str | None]:
    with world.tx() as db:
        course = db.get(Course, course_id)
        return course.syllabus_body, course.public_description


def test_canvas_course_html_fields_are_sanitised_when_created_and_updated(world):
    with world.client(world.admin_token) as c:
        created = c.post("/api/v1/accounts/1/courses", data={
            "course[name]": "Biology", "course[syllabus_body]": XSS, "course[public_description]": XSS})
        assert created.status_code == 200, created.text
        course_id = created.json()["id"]
        assert stored(world, course_id) == (CLEAN, CLEAN)
        updated = c.put(f"/api/v1/courses/{course_id}", data={
            "course[syllabus_body]": XSS.replace("Week 1", "Week 2"), "course[public_description]": XSS + "!"})
        assert updated.status_code == 200, updated.text
        assert stored(world, course_id) == (CLEAN.replace("Week 1", "Week 2"), CLEAN + "!")
        served = c.get(f"/api/v1/courses/{course_id}",
                       params=[("include[]", "syllabus_body"), ("include[]", "public_description")]).json()
        assert (served["syllabus_body"], served["public_description"]) == (
            CLEAN.replace("Week 1", "Week 2"), CLEAN + "!")


def test_canvas_syllabus_too_deep_to_parse_is_a_400_naming_the_field(world):
    course = world.course("Deep", syllabus_body="<p>kept</p>")
    with world.client(world.admin_token) as c:
        answer = c.put(f"/api/v1/courses/{course.id}",
                       data={"course[syllabus_body]": "<span>" * 20_000 + "</p>" * 20_000})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "course[syllabus_body]"
    assert "nests HTML elements more than 512 deep" in answer.json()["errors"][0]["message"]
    assert stored(world, course.id)[0] == "<p>kept</p>"


def test_learn_description_is_sanitised_when_created_and_updated(world):
    with world.client(world.blackboard_token()) as learn:
        created = learn.post(V3, json={"courseId": "xss101", "name": "XSS 101", "description": XSS})
        assert created.status_code == 201, created.text
        assert created.json()["description"] == CLEAN
        course_id = int(created.json()["id"].split("_")[1])
        assert stored(world, course_id)[1] == CLEAN
        patched = learn.patch(f"{V3}/courseId:xss101", json={"description": "<b>bold</b><svg onload=alert(1)>x</svg>"})
        assert patched.status_code == 200, patched.text
        assert patched.json()["description"] == "<b>bold</b>"
        assert learn.get(f"{V3}/courseId:xss101").json()["description"] == "<b>bold</b>"
        too_deep = learn.patch(f"{V3}/courseId:xss101", json={"description": "<div>" * 1000})
        assert too_deep.status_code == 400
        assert "description nests HTML elements more than 512 deep" in too_deep.text
    assert stored(world, course_id)[1] == "<b>bold</b>"


def test_a_posted_grade_too_long_to_be_a_grade_is_a_400(world):
    course, people = _class(world)
    ann, tina_token = people["ann"][0], people["tina"][1]
    assignment = world.assignment(course, points=10)
    with world.client(tina_token) as c:
        answer = c.put(_path(course, assignment, f"/{ann.id}"), data={"submission[posted_grade]": "1" * 10_000 + "x"})
    assert answer.status_code == 400
    assert answer.json()["errors"][0] == {"field": "submission[posted_grade]",
                                          "message": "a grade may be at most 255 characters long"}
    assert _row(world, assignment, ann) is None


def test_a_5000_deep_scorm_manifest_fails_its_import_at_once(world):
    scorm = ScormApp(world)
    before = scorm.counts()
    status = scorm.imported(deep_scorm(5000), "deep")
    assert (status["status"], status["message"]) == (
        "ERROR", "imsmanifest.xml nests its elements more than 100 levels deep, which is not allowed")
    job = scorm.last_job()
    assert (job.state, job.attempts) == ("failed", 1)
    assert scorm.counts() == before


def _d2l_import(world, package: bytes) -> tuple[int, str, dict]:
    target = world.course("Target")
    target_ou = ou(world, target)  # the offering's Valence id
    with world.client(world.admin_token) as http:
        token = http.post(f"{LE}/import/{target_ou}/imports/", files={"file": ("c.imscc", package)}).json()["JobToken"]
        world.run_jobs()
        status = http.get(f"{LE}/import/{target_ou}/imports/{token}").json()["Status"]
    with world.tx() as db:
        made = {(i.type, i.title): i for i in db.scalars(select(ContentItem).where(ContentItem.course_id == target.id))}
    return target.id, status, made


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", " JAVASCRIPT:alert(1)",
                                 "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>"])
def test_imported_web_links_with_scripts_are_dropped(world, url):
    link = ('<webLink xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imswl_v1p3"><title>Docs</title>'
            f'<url href="{url.replace("<", "&lt;")}"/></webLink>')
    _, status, made = _d2l_import(world, cartridge(**{"link.xml": link}))
    assert status == "COMPLETED"
    assert ("link", "Docs") not in made and ("module_item", "Docs") not in made
    assert {("page", "Introduction"), ("module_item", "Read me"), ("module_item", "Check")} <= set(made)
    assert all(i.data.get("url") in (None, "https://example.org/docs") and i.data.get("external_url") is None
               for i in made.values())


def test_imported_scorm_launch_urls_follow_the_same_rule(world):
    manifest = pb.SCORM12_MANIFEST.format(title="Golf", href="javascript:alert(1)")
    _, status, made = _d2l_import(world, pb.with_manifest(manifest))
    assert status == "COMPLETED"
    assert [k for k in made if k[0] in ("link", "module_item")] == []
    _, status, made = _d2l_import(world, pb.scorm12())
    assert made[("link", "Playing the game")].data["url"] == "index.html"
