"""Declarative seed: a YAML document through the admin API and the CLI, the objects readable through the
vendors' clients by the ids the answer gives; errors name the place in the document."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from rustici_software_cloud_v2 import CourseApi
from sqlalchemy import func, select

from courseport.schema import Course, User
from tests.clients.test_scorm_cloud_client import client as scorm_client

DOCUMENT = """
accounts:
  - {key: science, name: Science, sis_id: SCI}
terms:
  - {key: fall, name: Fall 2026, sis_id: T-F26, start_at: "2026-09-01T00:00:00Z"}
users:
  - {key: ada, name: Ada Lovelace, login: ada, token: true}
  - {key: bob, name: Bob Student, login: bob}
courses:
  - key: bio
    name: Biology
    code: BIO101
    account: science
    term: fall
    sections: [{key: bio-a, name: Section A}]
    enrollments:
      - {user: ada, type: teacher}
      - {user: bob, type: student, section: bio-a}
    pages: [{title: Welcome, body: "<p>Hi</p>", front_page: true}]
    assignments: [{name: Essay, points: 10, due_at: "2026-09-10T00:00:00Z"}]
    modules: [{name: Week 1}]
"""


def post_seed(world, body: str, content_type: str = "application/yaml"):  # noqa: ANN201
    with world.client(world.admin_token) as c:
        return c.post("/_courseport/seed", content=body, headers={"Content-Type": content_type})


def test_a_yaml_document_seeds_what_the_clients_then_read(world):
    r = post_seed(world, DOCUMENT)
    assert r.status_code == 200, r.text
    made = r.json()
    bio, ada = made["courses"]["bio"], made["users"]["ada"]
    assert bio["blackboard"] == {"id": f"_{bio['id']}_1", "courseId": "BIO101"}
    assert made["users"]["bob"]["token"] is None and ada["token"]
    course = world.canvas(ada["token"]).get_course(bio["canvas"]["id"])
    assert (course.name, course.course_code, course.account_id) == ("Biology", "BIO101",
                                                                    made["accounts"]["science"]["id"])
    assert course.enrollment_term_id == made["terms"]["fall"]["id"]
    assert [s.name for s in course.get_sections()] == ["Biology", "Section A"]
    students = [e for e in course.get_enrollments(type=["StudentEnrollment"])]
    assert [(e.user_id, e.course_section_id) for e in students] == [
        (made["users"]["bob"]["id"], bio["sections"]["bio-a"]["id"])]
    assert course.get_page("welcome").title == "Welcome"
    assert [a.name for a in course.get_assignments()] == ["Essay"]
    assert [m.name for m in course.get_modules()] == ["Week 1"]
    with world.client() as c:
        learn = c.get(f"/learn/api/public/v3/courses/{bio['blackboard']['id']}",
                      headers={"Authorization": f"Bearer {world.blackboard_token()}"})
    assert (learn.status_code, learn.json()["courseId"]) == (200, "BIO101")


def test_json_documents_and_the_demo_without_one(world):
    r = post_seed(world, json.dumps({"users": [{"login": "carol", "token": True}]}), "application/json")
    assert r.status_code == 200, r.text
    assert r.json()["users"]["carol"]["login"] == "carol"
    demo = post_seed(world, "", "application/x-www-form-urlencoded")
    assert demo.status_code == 200 and demo.json()["courses"]


def test_errors_name_their_place_and_nothing_is_made(world):
    bad = DOCUMENT.replace("{user: bob, type: student, section: bio-a}", "{user: nobody, type: student}")
    r = post_seed(world, bad)
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "courses[0].enrollments[1].user"
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(Course)) == 0
        assert db.scalar(select(User.id).where(User.login_id == "ada")) is None
    for body, field in (("- a list", "document"), ("courses: [{code: X}]", "courses[0].name"),
                        ("widgets: []", "widgets"), ("users: [{login: a}, {login: a}]", "users[1].key"),
                        ("[unclosed", "document")):
        r = post_seed(world, body)
        assert (r.status_code, r.json()["errors"][0]["field"]) == (400, field), body


def test_cli_seeds_a_file(world, tmp_path):
    from courseport.cli import main

    path = tmp_path / "seed.yaml"
    path.write_text(DOCUMENT)
    result = CliRunner().invoke(main, ["seed", str(path), "--url", world.base_url, "--token", world.admin_token])
    assert result.exit_code == 0, result.output
    made = json.loads(result.output[result.output.index("{"):])
    assert made["courses"]["bio"]["code"] == "BIO101"
    with world.tx() as db:
        assert db.get(Course, made["courses"]["bio"]["id"]).name == "Biology"


SHARED_PACKAGES = Path(__file__).resolve().parents[2].parent / "shared" / "packages"


def test_cli_seeds_a_package_imported_at_once_under_immediate_timing(world, tmp_path):
    from courseport.cli import main

    with world.client(world.admin_token) as c:
        assert c.put("/_courseport/job_timing/package_import", json={"mode": "immediate"}).status_code == 200
    package = SHARED_PACKAGES / "RuntimeBasicCalls_SCORM12.zip"
    path = tmp_path / "seed.yaml"
    path.write_text(f"packages: [{{key: golf, course_id: golf-seeded, path: {package}}}]\n")
    result = CliRunner().invoke(main, ["seed", str(path), "--url", world.base_url, "--token", world.admin_token])
    assert result.exit_code == 0, result.output
    made = json.loads(result.output[result.output.index("{"):])
    job_id = made["packages"]["golf"]["scorm_cloud"]["jobId"]
    api = CourseApi(scorm_client(world, *world.scorm_app()))
    status = api.get_import_job_status(job_id)  # no run_jobs: done before the seed answered
    assert (status.status, status.import_result.course.id) == ("COMPLETE", "golf-seeded")
    assert api.get_course("golf-seeded").course_learning_standard == "SCORM12"
    bad = path.with_name("bad.yaml")
    bad.write_text("packages: [{course_id: x, path: missing.zip}]\n")
    result = CliRunner().invoke(main, ["seed", str(bad), "--url", world.base_url, "--token", world.admin_token])
    assert result.exit_code != 0 and "no package file" in result.output
