"""Canvas Content Migrations over raw HTTP (course_copy_importer): exact ContentMigration bodies
through the job's life, list paging, Progress, migrators, issues for skipped items, select[...],
selective import waiting for a choice, errors naming the parameter, rights."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from courseport.schema import ContentItem, Job
from tests.core.test_copying import build_source

CREATE = "course_copy_importer"


@pytest.fixture
def setup(world):
    source, target = world.course("Source"), world.course("Target")
    teacher, token = world.user_with_token("teacher")
    world.enroll(teacher, source, "TeacherEnrollment")
    world.enroll(teacher, target, "TeacherEnrollment")
    return source, target, teacher, token, build_source(world, source)


def _migration(world, target, source, job_id, teacher, **changes):
    origin = world.base_url
    base = f"{origin}/api/v1/courses/{target.id}/content_migrations/{job_id}"
    body = {
        "id": job_id, "migration_type": CREATE, "migration_type_title": "Copy a Canvas Course",
        "migration_issues_url": f"{base}/migration_issues", "migration_issues_count": 0,
        "progress_url": f"{origin}/api/v1/progress/{job_id}", "user_id": teacher.id, "workflow_state": "queued",
        "started_at": None, "finished_at": None,
        "settings": {"source_course_id": source.id, "source_course_name": "Source",
                     "source_course_html_url": f"{origin}/courses/{source.id}"},
    }
    body.update(changes)
    return body


def _titles(world, course_id: int) -> set[tuple[str, str]]:
    with world.tx() as db:
        return set(db.execute(select(ContentItem.type, ContentItem.title).where(
            ContentItem.course_id == course_id, ContentItem.workflow_state != "deleted")).all())


def test_migration_body_list_progress_and_completion(world, setup):
    source, target, teacher, token, _ = setup
    with world.client(token) as c:
        r = c.post(f"/api/v1/courses/{target.id}/content_migrations",
                   data={"migration_type": CREATE, "settings[source_course_id]": str(source.id)})
        assert r.status_code == 200, r.text
        created = r.json()
        job_id = created["id"]
        assert created == _migration(world, target, source, job_id, teacher, created_at=created["created_at"])
        progress = c.get(f"/api/v1/progress/{job_id}").json()
        assert (progress["tag"], progress["workflow_state"], progress["context_type"], progress["context_id"]) == (
            "content_migration", "queued", "Course", target.id)
        world.run_jobs()
        shown = c.get(f"/api/v1/courses/{target.id}/content_migrations/{job_id}")
        listed = c.get(f"/api/v1/courses/{target.id}/content_migrations", params={"per_page": 1})
        progress = c.get(f"/api/v1/progress/{job_id}").json()
    done = shown.json()
    assert done == {**created, "workflow_state": "completed", "started_at": done["started_at"],
                    "finished_at": done["finished_at"]}
    assert done["started_at"] and done["finished_at"]
    assert listed.json() == [done]
    assert 'rel="next"' not in listed.headers["Link"]
    assert (progress["workflow_state"], progress["completion"]) == ("completed", 100.0)
    assert progress["results"]["copied"]["page"] == 2
    assert _titles(world, target.id) == _titles(world, source.id)


def test_list_is_newest_first_and_paged(world, setup):
    source, target, _, token, _ = setup
    with world.client(token) as c:
        ids = [c.post(f"/api/v1/courses/{target.id}/content_migrations",
                      data={"migration_type": CREATE, "settings[source_course_id]": str(source.id)}).json()["id"]
               for _ in range(3)]
        first = c.get(f"/api/v1/courses/{target.id}/content_migrations", params={"per_page": 2})
        second = c.get(f"/api/v1/courses/{target.id}/content_migrations", params={"per_page": 2, "page": 2})
    assert [m["id"] for m in first.json()] == ids[::-1][:2]
    assert 'rel="next"' in first.headers["Link"]
    assert [m["id"] for m in second.json()] == ids[:1]


def test_skipped_module_items_become_migration_issues(world, setup):
    source, target, _, token, ids = setup
    with world.client(token) as c:
        job_id = c.post(f"/api/v1/courses/{target.id}/content_migrations",
                        data={"migration_type": CREATE, "settings[source_course_id]": str(source.id),
                              "copy[all_context_modules]": "1", "copy[all_assignments]": "1",
                              "copy[all_quizzes]": "1"}).json()["id"]
        world.run_jobs()
        shown = c.get(f"/api/v1/courses/{target.id}/content_migrations/{job_id}").json()
        issues = c.get(shown["migration_issues_url"])
        one = c.get(f"{shown['migration_issues_url']}/2")
        missing = c.get(f"{shown['migration_issues_url']}/3")
    assert shown["migration_issues_count"] == 2
    url = f"{world.base_url}/api/v1/courses/{target.id}/content_migrations/{job_id}"
    assert issues.json()[0] == {
        "id": 1, "content_migration_url": url,
        "description": 'Module item "Guide" was not copied: it links to a page that is not selected for copying',
        "workflow_state": "active", "fix_issue_html_url": f"{world.base_url}/courses/{target.id}/modules",
        "issue_type": "warning", "error_report_html_url": None, "error_message": None,
        "created_at": shown["finished_at"], "updated_at": shown["finished_at"]}
    assert one.json()["description"] == (
        'Module item "Notes" was not copied: it links to a file that is not selected for copying')
    assert missing.status_code == 404
    assert ("module_item", "Essay") in _titles(world, target.id)
    assert ("page", "Guide") not in _titles(world, target.id)


def test_select_copies_chosen_items_with_what_they_need(world, setup):
    source, target, _, token, ids = setup
    with world.client(token) as c:
        r = c.post(f"/api/v1/courses/{target.id}/content_migrations",
                   data={"migration_type": CREATE, "settings[source_course_id]": str(source.id),
                         "select[quizzes][]": str(ids["quiz"]), "select[pages][]": str(ids["intro"])})
        assert r.status_code == 200, r.text
    world.run_jobs()
    assert _titles(world, target.id) == {("page", "Intro"), ("quiz", "Quiz 1"), ("quiz_question", "Q1"),
                                         ("assignment", "Quiz 1"), ("assignment_group", "Homework")}


def test_selective_import_waits_for_a_choice(world, setup):
    source, target, teacher, token, _ = setup
    with world.client(token) as c:
        created = c.post(f"/api/v1/courses/{target.id}/content_migrations",
                         data={"migration_type": CREATE, "settings[source_course_id]": str(source.id),
                               "selective_import": "true"}).json()
        assert created["workflow_state"] == "waiting_for_select"
        assert world.run_jobs() == 0
        r = c.put(f"/api/v1/courses/{target.id}/content_migrations/{created['id']}",
                  data={"copy[all_wiki_pages]": "1"})
        assert r.status_code == 200, r.text
        assert r.json()["workflow_state"] == "queued"
        again = c.put(f"/api/v1/courses/{target.id}/content_migrations/{created['id']}",
                      data={"copy[all_wiki_pages]": "1"})
        assert again.status_code == 409
        assert world.run_jobs() == 1
    assert _titles(world, target.id) == {("page", "Intro"), ("page", "Guide")}


def test_migrators_and_bad_input(world, setup):
    source, target, _, token, _ = setup
    with world.client(token) as c:
        migrators = c.get(f"/api/v1/courses/{target.id}/content_migrations/migrators")
        bad_type = c.post(f"/api/v1/courses/{target.id}/content_migrations",
                          data={"migration_type": "zip_file_importer", "settings[source_course_id]": str(source.id)})
        no_source = c.post(f"/api/v1/courses/{target.id}/content_migrations", data={"migration_type": CREATE})
        bad_select = c.post(f"/api/v1/courses/{target.id}/content_migrations",
                            data={"migration_type": CREATE, "settings[source_course_id]": str(source.id),
                                  "select[gradebook][]": "1"})
        unknown = c.get(f"/api/v1/courses/{target.id}/content_migrations/999999")
    assert migrators.json() == [{"type": CREATE, "requires_file_upload": False, "name": "Copy a Canvas Course",
                                 "required_settings": ["source_course_id"]}]
    assert bad_type.status_code == 400
    assert bad_type.json() == {"errors": [{"field": "migration_type", "message":
                                           "migration_type: invalid migration type 'zip_file_importer'; "
                                           "supported: course_copy_importer"}]}
    assert no_source.json() == {"errors": [{"field": "settings[source_course_id]",
                                            "message": "settings[source_course_id] is required"}]}
    assert bad_select.status_code == 400 and bad_select.json()["errors"][0]["field"] == "select[gradebook]"
    assert unknown.status_code == 404
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(Job)) == 0


def test_rights(world, setup):
    source, target, _, token, _ = setup
    student, student_token = world.user_with_token("student")
    world.enroll(student, target)
    stranger, stranger_token = world.user_with_token("stranger")
    world.enroll(stranger, target, "TeacherEnrollment")
    with world.client(token) as c:
        job_id = c.post(f"/api/v1/courses/{target.id}/content_migrations",
                        data={"migration_type": CREATE, "settings[source_course_id]": str(source.id)}).json()["id"]
    with world.client(student_token) as c:
        assert c.get(f"/api/v1/courses/{target.id}/content_migrations").status_code == 403
        assert c.get(f"/api/v1/courses/{target.id}/content_migrations/{job_id}").status_code == 403
        assert c.post(f"/api/v1/courses/{target.id}/content_migrations",
                      data={"migration_type": CREATE, "settings[source_course_id]": str(source.id)}).status_code == 403
    with world.client(stranger_token) as c:
        r = c.post(f"/api/v1/courses/{target.id}/content_migrations",
                   data={"migration_type": CREATE, "settings[source_course_id]": str(source.id)})
    assert r.status_code == 403
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(Job)) == 1
