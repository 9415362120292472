"""Console copies over raw HTTP: into an existing course (the job's page tells the result), and copies
the core refuses (into itself, with nothing chosen) answer a page that says why and queue nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from courseport.schema import ContentItem, Job
from tests.web.test_console_auth import console, csrf_of, sign_in


def test_a_copy_into_an_existing_course_runs_and_its_page_tells_what_was_copied(world):
    source, target = world.course("Source"), world.course("Target")
    world.assignment(source, "Essay")
    with console(world) as c:
        assert sign_in(c, access_token=world.admin_token).status_code == 303
        form = c.get(f"/console/courses/{source.id}/copy")
        assert form.status_code == 200 and f'<option value="{target.id}">Target' in form.text
        started = c.post(f"/console/courses/{source.id}/copy", data={
            "csrf_token": csrf_of(form.text), "component": ["assignments", "assignment_groups"],
            "target": "existing", "existing_course": str(target.id)})
        assert started.status_code == 303
        job_page = started.headers["location"]
        queued = c.get(job_page, headers={"X-Console-Part": "1"})
        assert queued.text.lstrip().startswith('<section class="card" id="job-status"')  # the part alone
        assert 'data-state="queued"' in queued.text and "data-poll=" in queued.text
        assert world.run_jobs() == 1
        done = c.get(job_page, headers={"X-Console-Part": "1"})
    assert 'data-state="completed"' in done.text and "data-poll=" not in done.text
    assert "1 × assignment<" in done.text and f'href="/console/courses/{target.id}"' in done.text
    with world.tx() as db:
        assert db.scalar(select(ContentItem.title).where(ContentItem.course_id == target.id,
                                                         ContentItem.type == "assignment")) == "Essay"


def test_refused_copies_say_why_and_queue_nothing(world):
    source = world.course("Source")
    with console(world) as c:
        assert sign_in(c, access_token=world.admin_token).status_code == 303
        token = csrf_of(c.get(f"/console/courses/{source.id}/copy").text)
        itself = c.post(f"/console/courses/{source.id}/copy", data={
            "csrf_token": token, "component": "pages", "target": "existing", "existing_course": str(source.id)})
        nothing = c.post(f"/console/courses/{source.id}/copy", data={"csrf_token": token, "target": "new",
                                                                     "name": "X"})
    assert itself.status_code == 400 and "a course cannot be copied into itself" in itself.text
    assert nothing.status_code == 400 and "Choose at least one part" in nothing.text
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(Job)) == 0


def test_the_jobs_list_polls_itself_with_its_filter_while_a_job_waits(world):
    source = world.course("Source")
    with console(world) as c:
        assert sign_in(c, access_token=world.admin_token).status_code == 303
        token = csrf_of(c.get(f"/console/courses/{source.id}/copy").text)
        c.post(f"/console/courses/{source.id}/copy", data={"csrf_token": token, "component": "pages",
                                                          "target": "new", "name": "Copy"})
        waiting = c.get("/console/jobs?state=queued")
        assert waiting.status_code == 200
        assert 'data-poll="/console/jobs?state=queued"' in waiting.text and "Course copy" in waiting.text
        assert world.run_jobs() == 1
        part = c.get("/console/jobs?state=queued", headers={"X-Console-Part": "1"})
        completed = c.get("/console/jobs?state=completed")
    assert part.status_code == 200 and "data-poll" not in part.text and "No jobs in state queued." in part.text
    assert "Course copy" in completed.text and "1 of 3" in completed.text
