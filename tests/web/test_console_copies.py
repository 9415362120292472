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


def test_a_teacher_copies_into_another_of_their_courses_and_lists_only_their_jobs(world):
    autumn, spring, other = world.course("Autumn"), world.course("Spring"), world.course("Someone else's")
    world.assignment(autumn, "Essay")
    teacher, token = world.user_with_token("alan")
    for course in (autumn, spring):
        world.enroll(teacher, course, "TeacherEnrollment")
    with console(world) as c:  # someone else's copy first: the teacher's job list leaves it out
        assert sign_in(c, access_token=world.admin_token).status_code == 303
        c.post(f"/console/courses/{other.id}/copy", data={
            "csrf_token": csrf_of(c.get(f"/console/courses/{other.id}/copy").text), "component": "pages",
            "target": "new", "name": "Admin's copy"})
    with console(world) as c:
        assert sign_in(c, access_token=token).status_code == 303
        form = c.get(f"/console/courses/{autumn.id}/copy")
        assert "New course name" not in form.text and f'<option value="{spring.id}">Spring' in form.text
        assert f'<option value="{other.id}">' not in form.text
        started = c.post(f"/console/courses/{autumn.id}/copy", data={
            "csrf_token": csrf_of(form.text), "component": ["assignments", "assignment_groups"],
            "target": "existing", "existing_course": str(spring.id)})
        assert started.status_code == 303
        assert world.run_jobs() == 2
        assert 'data-state="completed"' in c.get(started.headers["location"]).text
        jobs = c.get("/console/jobs")
    assert jobs.text.count('<tr data-job="') == 1 and started.headers["location"] in jobs.text
    with world.tx() as db:
        assert db.scalar(select(ContentItem.title).where(ContentItem.course_id == spring.id,
                                                         ContentItem.type == "assignment")) == "Essay"
