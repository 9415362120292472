"""The pytest plugin `courseport.testing` as a suite outside this project uses it: only its fixtures, every
vendor client against a fresh tenant; tenants never see each other's data, also from two xdist workers
sharing one server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from importlib.metadata import entry_points
from pathlib import Path

import requests

# Installed, the `pytest11` entry point loads the plugin; from a checkout its fixtures are taken from here.
from courseport.testing.plugin import courseport_server, courseport_tenant, courseport_tenants  # noqa: F401

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PACKAGE = SHARED / "packages" / "RuntimeBasicCalls_SCORM12.zip"
os.environ.setdefault("COURSEPORT_TESTING_BB_SWAGGER", str(SHARED / "blackboard" / "learn-swagger-3900.123.0.json"))
LP = "/d2l/api/lp/1.4"


def plugin_args() -> list[str]:
    """Load the plugin by name in a child pytest unless its `pytest11` entry point already does (an install
    of this checkout); loading it both ways makes pytest refuse the second registration."""
    installed = any(ep.value == "courseport.testing.plugin" for ep in entry_points(group="pytest11"))
    return [] if installed else ["-p", "courseport.testing.plugin"]


def test_canvasapi_against_a_fresh_tenant(courseport_tenant):
    account = courseport_tenant.canvas.get_account(courseport_tenant.id)
    assert account.id == courseport_tenant.id
    course = account.create_course(course={"name": "Biology", "sis_course_id": "BIO-1"})
    assert [c.name for c in account.get_courses()] == ["Biology"]
    assert courseport_tenant.canvas.get_course("BIO-1", use_sis_id=True).id == course.id


def test_bbrest_against_a_fresh_tenant(courseport_tenant):
    bb = courseport_tenant.bbrest
    created = bb.CreateCourse(payload={"courseId": "chem-101", "name": "Chemistry"})
    assert created.status_code == 201, created.text
    listed = bb.GetCourses(params={"fields": "courseId,name"})
    assert listed.json()["results"] == [{"courseId": "chem-101", "name": "Chemistry"}]
    assert bb.GetCourse(courseId="courseId:chem-101").json()["id"] == created.json()["id"]


def test_scorm_cloud_client_against_a_fresh_tenant(courseport_tenant):
    from rustici_software_cloud_v2 import CourseApi

    api = CourseApi(courseport_tenant.scorm)
    job = api.create_upload_and_import_course_job("golf", file=str(PACKAGE))
    deadline = time.monotonic() + 60
    while (status := api.get_import_job_status(job.result)).status == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert status.status == "COMPLETE", status.message
    assert [c.id for c in api.get_courses().courses] == ["golf"]


def test_d2lvalence_against_a_fresh_tenant(courseport_tenant):
    base, auth = courseport_tenant.base_url, courseport_tenant.d2l
    whoami = requests.get(base + f"{LP}/users/whoami", auth=auth, timeout=30)
    assert whoami.status_code == 200, whoami.text
    assert whoami.json()["Identifier"] == str(courseport_tenant.admin_id)
    organization = requests.get(base + f"{LP}/organization/info", auth=auth, timeout=30).json()["Identifier"]
    template = requests.post(base + f"{LP}/coursetemplates/", auth=auth, timeout=30, json={
        "Name": "Physics", "Code": "PHY", "Path": "", "ParentOrgUnitIds": [int(organization)]})
    assert template.status_code == 200, template.text
    read = requests.get(base + f"{LP}/coursetemplates/{template.json()['Identifier']}", auth=auth, timeout=30)
    assert read.json()["Name"] == "Physics"


def test_two_tenants_see_nothing_of_each_other(courseport_tenants):
    first, second = courseport_tenants(), courseport_tenants()
    course = first.canvas.get_account(first.id).create_course(course={"name": "Mine", "sis_course_id": "MINE"})
    first.bbrest.CreateCourse(payload={"courseId": "shared-id", "name": "First's"})
    assert second.bbrest.CreateCourse(payload={"courseId": "shared-id", "name": "Second's"}).status_code == 201
    assert [c.name for c in second.canvas.get_account(second.id).get_courses()] == ["Second's"]
    with second.http() as http:
        assert http.get(f"/api/v1/courses/{course.id}").status_code == 404
        assert http.get("/api/v1/courses/sis_course_id:MINE").status_code == 404
    names = [c["name"] for c in second.bbrest.GetCourses(params={"fields": "name"}).json()["results"]]
    assert names == ["Second's"]


INNER_SUITE = '''
import os

def test_my_course_list_holds_my_course_only(courseport_tenant):
    account = courseport_tenant.canvas.get_account(courseport_tenant.id)
    account.create_course(course={"name": "worker " + os.environ["PYTEST_XDIST_WORKER"]})
    assert [c.name for c in account.get_courses()] == ["worker " + os.environ["PYTEST_XDIST_WORKER"]]

def test_same_again(courseport_tenant):
    test_my_course_list_holds_my_course_only(courseport_tenant)
'''


def test_two_xdist_workers_share_one_server_without_seeing_each_other(courseport_server, tmp_path):
    """The plugin loaded by name (as its entry point loads it), pointed at one running server."""
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(INNER_SUITE))
    env = {**os.environ, "COURSEPORT_TESTING_URL": courseport_server.base_url,
           "COURSEPORT_TESTING_ADMIN_TOKEN": courseport_server.admin_token,
           "PYTHONPATH": os.pathsep.join(sys.path)}
    with courseport_server.admin() as http:
        before = len(http.get("/_courseport/tenants").json())
    run = subprocess.run([sys.executable, "-m", "pytest", *plugin_args(),
                          "-n", "2", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 passed" in run.stdout, run.stdout
    with courseport_server.admin() as http:
        assert len(http.get("/_courseport/tenants").json()) == before  # every test's tenant was deleted


def test_the_readme_example(courseport_tenant):
    """The example in README.md, as written there."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    example = readme.split("```python\n")[-1].split("```")[0]
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    namespace["test_course_on_every_face"](courseport_tenant)


def test_subprocess_mode_serves_from_a_courseport_serve_process(tmp_path):
    """`--courseport-mode subprocess`: the session's server is `courseport serve` on a free port."""
    (tmp_path / "test_inner.py").write_text(textwrap.dedent('''
        def test_a_tenant_of_a_served_courseport(courseport_server, courseport_tenant):
            assert courseport_tenant.base_url == courseport_server.base_url
            assert courseport_tenant.canvas.get_current_user().id == courseport_tenant.admin_id
    '''))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("COURSEPORT_TESTING_URL", None)
    run = subprocess.run([sys.executable, "-m", "pytest", *plugin_args(), "-q",
                          "-p", "no:cacheprovider", "--courseport-mode", "subprocess", "--rootdir", str(tmp_path),
                          str(tmp_path)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout, run.stdout
