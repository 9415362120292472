"""Job timing control through the vendors' clients: a Canvas content migration that stays running for three
polls, a SCORM Cloud import failing with the given message, immediate, manual and delayed jobs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rustici_software_cloud_v2 import CourseApi
from sqlalchemy import select

from courseport.schema import Course, Job, JobTiming, JobTimingRule
from tests import package_builders as pb
from tests.clients.test_scorm_cloud_client import client as scorm_client
from tests.core.test_copying import build_source
from tests.dialects.d2l.org_ids import ou


def set_timing(world, kind: str, **rule) -> dict:  # noqa: ANN003
    with world.client(world.admin_token) as c:
        r = c.put(f"/_courseport/job_timing/{kind}", json=rule)
    assert r.status_code == 200, r.text
    return r.json()


def migration_setup(world):  # noqa: ANN201
    source, target = world.course("Source"), world.course("Target")
    build_source(world, source)
    course = world.canvas().get_course(target.id)
    return source, target, course


def job_state(world, job_id: int) -> str:
    with world.tx() as db:
        return db.get(Job, job_id).state


def test_content_migration_stays_running_for_three_polls_then_completes(world):
    assert set_timing(world, "course_copy", mode="polls", polls=3) == {
        "kind": "course_copy", "mode": "polls", "polls": 3, "seconds": None, "message": None}
    source, target, course = migration_setup(world)
    migration = course.create_content_migration("course_copy_importer", settings={"source_course_id": source.id})
    assert world.run_jobs() == 1
    assert job_state(world, migration.id) == "completed"  # the work is done; only the status waits
    seen = [course.get_content_migration(migration.id) for _ in range(3)]
    assert [m.workflow_state for m in seen] == ["running"] * 3
    assert all(m.finished_at is None for m in seen)
    done = course.get_content_migration(migration.id)
    assert done.workflow_state == "completed"
    assert done.get_progress().workflow_state == "completed"
    assert sorted(p.url for p in course.get_pages()) == ["guide", "intro"]
    with world.tx() as db:
        assert db.get(JobTiming, migration.id).reads >= 4


def test_progress_polls_count_on_the_progress_face_too(world):
    set_timing(world, "course_copy", mode="polls", polls=1)
    source, target, course = migration_setup(world)
    migration = course.create_content_migration("course_copy_importer", settings={"source_course_id": source.id})
    world.run_jobs()
    assert migration.get_progress().workflow_state == "running"
    assert migration.get_progress().workflow_state == "completed"


def test_scorm_import_fails_with_the_given_message(world, tmp_path: Path):
    set_timing(world, "package_import", mode="fail", message="The package was refused by the test.")
    api = CourseApi(scorm_client(world, *world.scorm_app()))
    package = tmp_path / "golf.zip"
    package.write_bytes(pb.scorm12())
    job = api.create_upload_and_import_course_job("golf", file=str(package))
    world.run_jobs()
    status = api.get_import_job_status(job.result)
    assert (status.status, status.message) == ("ERROR", "The package was refused by the test.")
    with world.tx() as db:
        assert db.scalar(select(Course.id).where(Course.name == "Golf Explained")) is None
        assert db.get(Job, int(job.result)).state == "failed"


def test_scorm_import_status_stays_running_for_two_polls_then_completes(world, tmp_path: Path):
    """A status read that counts polls writes (the count): its GET runs off the event loop (get_writing)."""
    set_timing(world, "package_import", mode="polls", polls=2)
    api = CourseApi(scorm_client(world, *world.scorm_app()))
    package = tmp_path / "golf.zip"
    package.write_bytes(pb.scorm12())
    job = api.create_upload_and_import_course_job("golf", file=str(package))
    world.run_jobs()
    assert [api.get_import_job_status(job.result).status for _ in range(3)] == ["RUNNING", "RUNNING", "COMPLETE"]
    with world.tx() as db:
        assert db.get(Job, int(job.result)).state == "completed"


def test_immediate_job_is_done_when_the_request_answers(world):
    set_timing(world, "course_copy", mode="immediate")
    source, target, course = migration_setup(world)
    migration = course.create_content_migration("course_copy_importer", settings={"source_course_id": source.id})
    assert job_state(world, migration.id) == "completed"  # no run_jobs: the server is in manual job mode
    assert course.get_content_migration(migration.id).workflow_state == "completed"
    assert world.run_jobs() == 0


def test_manual_job_waits_for_its_release(world):
    set_timing(world, "course_copy", mode="manual")
    source, target, course = migration_setup(world)
    migration = course.create_content_migration("course_copy_importer", settings={"source_course_id": source.id})
    assert world.run_jobs() == 0
    assert course.get_content_migration(migration.id).workflow_state == "queued"
    with world.client(world.admin_token) as c:
        listed = c.get("/_courseport/job_timing").json()
        assert listed["held_jobs"] == [{"id": migration.id, "kind": "course_copy"}]
        r = c.post(f"/_courseport/jobs/{migration.id}/release")
        assert (r.status_code, r.json()) == (200, {"id": migration.id, "released": True})
        again = c.post(f"/_courseport/jobs/{migration.id}/release")
        assert again.status_code == 400
        assert again.json()["errors"][0]["field"] == "job_id"
    assert world.run_jobs() == 1
    assert course.get_content_migration(migration.id).workflow_state == "completed"


def test_delayed_job_shows_running_until_its_time(world):
    set_timing(world, "course_copy", mode="delay", seconds=3600)
    source, target, course = migration_setup(world)
    migration = course.create_content_migration("course_copy_importer", settings={"source_course_id": source.id})
    world.run_jobs()
    assert job_state(world, migration.id) == "completed"
    shown = course.get_content_migration(migration.id)
    assert shown.workflow_state == "running"
    assert [m.workflow_state for m in course.get_content_migrations()] == ["running"]


def test_rules_are_listed_and_removed(world):
    set_timing(world, "course_copy", mode="polls", polls=2)
    with world.client(world.admin_token) as c:
        listed = c.get("/_courseport/job_timing").json()
        assert listed["rules"] == [{"kind": "course_copy", "mode": "polls", "polls": 2, "seconds": None,
                                    "message": None}]
        assert "package_import" in listed["kinds"]
        assert c.delete("/_courseport/job_timing/course_copy").json() == {"kind": "course_copy", "removed": True}
        assert c.get("/_courseport/job_timing").json()["rules"] == []
        assert c.delete("/_courseport/job_timing/course_copy").status_code == 404


@pytest.mark.parametrize(("rule", "field"), [
    ({"mode": "sometimes"}, "mode"), ({"mode": "polls"}, "polls"), ({"mode": "polls", "polls": -1}, "polls"),
    ({"mode": "delay", "seconds": "soon"}, "seconds"), ({"mode": "fail"}, "message")])
def test_bad_rules_name_their_field(world, rule, field):
    with world.client(world.admin_token) as c:
        r = c.put("/_courseport/job_timing/course_copy", json=rule)
        unknown = c.put("/_courseport/job_timing/nothing", json={"mode": "immediate"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == field
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["field"] == "kind"


def test_only_tenant_admins_set_timing(world):
    _, token = world.user_with_token("teacher")
    with world.client(token) as c:
        assert c.put("/_courseport/job_timing/course_copy", json={"mode": "immediate"}).status_code == 403
        assert c.get("/_courseport/job_timing").status_code == 403
    with world.client() as c:
        assert c.get("/_courseport/job_timing").status_code == 401
    with world.tx() as db:
        assert db.scalar(select(JobTimingRule.id)) is None


def test_polls_on_the_valence_and_learn_faces(world):
    set_timing(world, "course_copy", mode="polls", polls=2)
    source, target = world.course("Source"), world.course("Target")
    source_ou, target_ou = ou(world, source), ou(world, target)
    with world.client(world.admin_token) as http:
        token = http.post(f"/d2l/api/le/1.5/import/{target_ou}/copy/",
                          json={"SourceOrgUnitId": source_ou}).json()["JobToken"]
        assert world.run_jobs() == 1
        seen = [http.get(f"/d2l/api/le/1.5/import/{target_ou}/copy/{token}").json() for _ in range(3)]
    assert seen == [{"Status": "PROCESSING"}] * 2 + [{"Status": "COMPLETE"}]
    with world.client(world.blackboard_token()) as learn:
        answer = learn.post(f"/learn/api/public/v2/courses/_{source.id}_1/copy",
                            json={"targetCourse": {"courseId": "polled-target"}})
        assert answer.status_code == 202, answer.text
        world.run_jobs()
        tasks = [learn.get(answer.headers["location"], follow_redirects=False) for _ in range(3)]
    assert [(t.status_code, t.json()["status"]) for t in tasks[:2]] == [(200, "Running")] * 2
    assert tasks[2].status_code == 303
