"""The console in headless Chromium (Debian's, driven by Playwright), over a live server with the demo
data: sign in, find a course, copy it, blueprints, packages, a failed job, and who may see what.

Jobs run on demand (`world.run_jobs()`) while the page polls: the tests see each page change without
reloading it. Every page is photographed at laptop and phone widths into COURSEPORT_TEST_ARTIFACTS
(default: a pytest temporary folder), never into the repository.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from courseport import demo
from courseport.core.content import content
from courseport.core.courses import org_units
from courseport.schema import ContentItem, User

WAIT_MS = 10000
WIDTHS = {"laptop": (1366, 768), "phone": (390, 844)}
PACKAGES = Path(__file__).resolve().parents[2].parent / "shared" / "packages"
PACKAGE = PACKAGES / "RuntimeBasicCalls_SCORM20043rdEdition.zip"


@pytest.fixture
def page(browser, world):
    context = browser.new_context(base_url=world.base_url, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


@pytest.fixture(scope="session")
def screens(tmp_path_factory) -> Path:
    folder = os.environ.get("COURSEPORT_TEST_ARTIFACTS")
    path = Path(folder) / "console" if folder else tmp_path_factory.mktemp("console-screens")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def seeded(world) -> demo.DemoSummary:
    with world.tx() as db:
        return demo.seed_demo(db, db.get(User, world.admin.id), blobs=world.services.blobs)


def shoot(page, screens: Path, name: str) -> None:
    """The page at each width (then back to the laptop's), whole, as PNG files."""
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width + 1, f"{name} scrolls sideways"
        page.screenshot(path=str(screens / f"{name}-{width_name}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})


def sign_in(page, token: str) -> None:
    page.goto("/console/sign-in")
    page.get_by_label("Access token").fill(token)
    page.keyboard.press("Enter")  # a keyboard submits the form
    page.wait_for_url(re.compile(r"/console/courses$"))


def course_id(seeded: demo.DemoSummary, name: str) -> int:
    return next(c.id for c in seeded.courses if c.name == name)


def user_token(seeded: demo.DemoSummary, login: str) -> str:
    return next(u.token for u in seeded.users if u.login == login)


def run_jobs_while_watching(page, world) -> None:
    """Run the queued jobs while the page stays loaded: a reload would lose the marker."""
    page.evaluate("() => { window.stillHere = true; }")
    assert world.run_jobs() >= 1


def still_the_same_page(page) -> bool:
    return page.evaluate("() => window.stillHere === true")


def test_sign_in_find_a_demo_course_and_copy_it_into_a_new_course(page, world, seeded, screens):
    page.goto("/")
    page.wait_for_url(re.compile(r"/console/sign-in"))
    shoot(page, screens, "sign-in")
    sign_in(page, world.admin_token)
    page.get_by_label("Search").fill("Biology")
    page.get_by_role("button", name="Find").click()
    page.wait_for_url(re.compile(r"search=Biology"))
    assert page.locator("#course-list a").all_inner_texts() == ["Introduction to Biology", "Biology Blueprint"]
    shoot(page, screens, "courses")

    page.get_by_role("link", name="Introduction to Biology").click()
    page.get_by_role("heading", name="Introduction to Biology").wait_for()
    bio = course_id(seeded, "Introduction to Biology")
    with world.tx() as db:
        bio_ou = org_units.org_unit_id_of(db, org_units.COURSE_OFFERING, bio)
    assert page.locator("#face-ids dd").all_inner_texts() == [str(bio), "BIO 101", f"_{bio}_1", str(bio_ou)]
    assert "Week 1: Cells" in page.locator("#modules").inner_text()
    assert page.locator("#sections li").all_inner_texts() == ["Introduction to Biology", "Section A", "Section B"]
    shoot(page, screens, "course")

    page.get_by_role("link", name="Copy this course").click()
    page.get_by_label("New course name").fill("Biology rollover")
    page.get_by_label("Term of the new course").select_option(label="Spring 2026")
    page.get_by_label("Quizzes").uncheck()
    shoot(page, screens, "copy")
    page.get_by_role("button", name="Start the copy").click()
    page.wait_for_url(re.compile(r"/console/jobs/\d+$"))
    assert page.locator("#job-status").get_attribute("data-state") == "queued"
    run_jobs_while_watching(page, world)
    page.locator('#job-status[data-state="completed"]').wait_for()
    assert still_the_same_page(page)
    assert "2 × page" in page.locator("#copied").inner_text()
    assert "Cell biology check: it links to a quiz that is not selected" in page.locator("#skipped").inner_text()
    shoot(page, screens, "copy-job")

    page.locator("#job-status a", has_text="course").first.click()
    page.get_by_role("heading", name="Biology rollover").wait_for()
    assert "Spring 2026" in page.locator("dl.facts").first.inner_text()
    assert "Lab safety rules" in page.locator("#content-h + *").locator("..").inner_text()


def test_export_a_course_as_a_cartridge_and_download_it(page, world, seeded, screens):
    sign_in(page, world.admin_token)
    page.goto(f"/console/courses/{course_id(seeded, 'Introduction to Biology')}")
    page.get_by_role("button", name="Export as Common Cartridge").click()
    page.wait_for_url(re.compile(r"/console/jobs/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Course export")
    run_jobs_while_watching(page, world)
    page.locator('#job-status[data-state="completed"]').wait_for()
    assert still_the_same_page(page)
    assert "× page" in page.locator("#exported").inner_text()
    shoot(page, screens, "export-job")
    href = page.locator("#export-download").get_attribute("href")
    with world.client() as anonymous:  # what the link downloads: the cartridge itself
        cartridge = anonymous.get(href, follow_redirects=True)
    assert cartridge.status_code == 200 and cartridge.content[:2] == b"PK"
    assert b"imsmanifest.xml" in cartridge.content


def test_make_a_blueprint_associate_two_courses_sync_and_read_the_change_records(page, world, seeded, screens):
    sign_in(page, world.admin_token)
    page.goto(f"/console/courses/{course_id(seeded, 'Calculus I')}/blueprint")
    page.get_by_role("button", name="Make this course a blueprint").click()
    page.get_by_role("heading", name="Associate courses").wait_for()
    page.get_by_label("Modern Poetry").check()
    page.get_by_label("History of Computing").check()
    page.get_by_role("button", name="Associate the picked courses").click()
    page.get_by_role("button", name="Remove the checked courses").wait_for()
    assert [t.split("(")[0].strip() for t in page.locator("#associated li").all_inner_texts()] == [
        "Modern Poetry", "History of Computing"]
    assert page.locator("#unsynced").inner_text().startswith("initial sync")
    shoot(page, screens, "blueprint")

    page.get_by_label("Comment for the sync").fill("first term")
    page.get_by_role("button", name="Sync to associated courses").click()
    page.wait_for_url(re.compile(r"/blueprint/syncs/\d+$"))
    assert page.locator("#sync-status").get_attribute("data-state") == "queued"
    run_jobs_while_watching(page, world)
    page.locator('#sync-status[data-state="completed"]').wait_for()
    assert still_the_same_page(page)
    assert page.locator("#change-records tbody tr").all_inner_texts() == [
        "created\tassignment group\tProblem sets\tno\tnone", "created\tassignment\tProblem set 1: limits\tno\tnone"]
    with world.tx() as db:  # both associated courses took the blueprint's assignment
        for name in ("Modern Poetry", "History of Computing"):
            assert db.scalar(select(ContentItem.id).where(ContentItem.course_id == course_id(seeded, name),
                                                          ContentItem.title == "Problem set 1: limits"))
    shoot(page, screens, "blueprint-sync")

    page.goto(f"/console/courses/{course_id(seeded, 'Calculus I')}/blueprint")
    assert "completed" in page.locator("#syncs").inner_text()
    assert "Nothing changed since the last sync." in page.locator("#unsynced").inner_text()

    poetry = edit_assignment(world, course_id(seeded, "Modern Poetry"), "<p>our own problems</p>")
    edit_assignment(world, course_id(seeded, "Calculus I"), "<p>new problems</p>")
    page.reload()
    assert page.locator("#unsynced li").all_inner_texts() == ["updated: assignment “Problem set 1: limits”"]
    page.get_by_role("button", name="Sync to associated courses").click()
    page.wait_for_url(re.compile(r"/blueprint/syncs/\d+$"))
    run_jobs_while_watching(page, world)
    page.locator('#sync-status[data-state="completed"]').wait_for()
    [row] = page.locator("#change-records tbody tr").all_inner_texts()
    assert row.split("\t")[:3] == ["updated", "assignment", "Problem set 1: limits"]
    assert f"course {poetry} kept its own content" in row
    shoot(page, screens, "blueprint-exceptions")


def edit_assignment(world, course: int, body: str) -> int:  # noqa: ANN001
    """Edit the course's copy of the blueprint's assignment, as a teacher there would."""
    with world.tx() as db:
        item = db.scalar(select(ContentItem).where(ContentItem.course_id == course,
                                                   ContentItem.title == "Problem set 1: limits"))
        content.update_item(db, item, {"body": body})
    return course


def test_upload_a_package_see_its_import_complete_and_open_its_preview(page, world, seeded, screens):
    sign_in(page, world.admin_token)
    page.get_by_role("link", name="Packages").click()
    page.get_by_label("Course id").fill("golf-basics")
    page.get_by_label("SCORM, cmi5 or xAPI package (.zip)").set_input_files(str(PACKAGE))
    shoot(page, screens, "packages")
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_url(re.compile(r"/console/jobs/\d+$"))
    run_jobs_while_watching(page, world)
    page.locator('#job-status[data-state="completed"]').wait_for()
    assert still_the_same_page(page)
    shoot(page, screens, "import-job")

    page.get_by_role("link", name="golf-basics").click()
    page.get_by_role("heading", name="Versions").wait_for()
    assert page.locator("#versions li").count() == 1
    assert "golf-basics" in page.locator("dl.facts").first.inner_text()
    shoot(page, screens, "package")
    page.get_by_role("button", name="Open the preview").click()
    page.wait_for_url(re.compile(r"/preview/"))
    page.frame_locator("#courseport-sco").locator("body").wait_for()
    page.wait_for_function("() => document.body.dataset.state === 'running'")
    assert "initialized" in statement_verbs(page, "golf-basics", "initialized")  # the SCO's start, recorded


def statement_verbs(page, package: str, verb: str) -> list[str]:
    """The package page's statement verbs once `verb` is among them, read in a second tab: navigating the
    preview's own page away could end the SCO before its first commit (seen once under load)."""
    deadline = time.monotonic() + WAIT_MS / 1000
    watcher = page.context.new_page()
    try:
        while True:
            watcher.goto(f"/console/packages/{package}")
            verbs = watcher.locator("#statements tbody tr td:nth-child(3)").all_inner_texts()
            if verb in verbs or time.monotonic() > deadline:
                return verbs
            time.sleep(0.1)
    finally:
        watcher.close()


def test_a_packages_registrations_and_one_registrations_progress(page, world, screens):
    from rustici_software_cloud_v2 import RegistrationApi

    from tests import package_builders as pb
    from tests.clients.test_scorm_cloud_registrations import client
    from tests.scorm_app import ScormApp
    from tests.web.test_console_registrations import passed_once

    assert ScormApp(world).imported(pb.scorm12(), "golf")["status"] == "COMPLETE"
    passed_once(world, RegistrationApi(client(world)), "reg-done")
    sign_in(page, world.admin_token)
    page.goto("/console/packages/golf")
    assert page.locator("#registrations tbody td").first.inner_text() == "Ada Lovelace (ada)"
    shoot(page, screens, "package-registrations")
    page.get_by_role("link", name="reg-done").click()
    page.get_by_role("heading", name="Launch history").wait_for()
    assert "Passed" in page.locator("#progress").inner_text()
    page.get_by_text("Runtime data").click()  # opens the SCO's data model
    shoot(page, screens, "registration")


def test_a_failed_jobs_reason_is_told_in_words(page, world, seeded, screens, tmp_path):
    not_a_package = tmp_path / "notes.zip"
    not_a_package.write_bytes(b"these are my notes, not a zip archive")
    sign_in(page, world.admin_token)
    page.goto("/console/packages")
    page.get_by_label("Course id").fill("broken")
    page.get_by_label("SCORM, cmi5 or xAPI package (.zip)").set_input_files(str(not_a_package))
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_url(re.compile(r"/console/jobs/\d+$"))
    job_page = page.url
    page.get_by_role("link", name="All jobs").click()  # the list polls while a job is queued or running
    assert page.locator("#job-list tbody tr .state").all_inner_texts() == ["queued"]
    run_jobs_while_watching(page, world)
    page.locator("#job-list tbody tr .state-failed").wait_for()
    assert still_the_same_page(page)

    page.goto(job_page)
    words = page.locator("#job-words").inner_text()
    assert words.startswith("Failed after 1 attempt: ") and "zip" in words.lower(), words
    page.goto("/console/jobs")
    page.get_by_label("State").select_option("failed")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"state=failed"))
    rows = page.locator("#job-list tbody tr")
    assert rows.count() == 1
    assert "Package import" in rows.first.inner_text() and words.split(": ", 1)[1] in rows.first.inner_text()
    shoot(page, screens, "jobs")


def test_a_teacher_sees_only_their_own_courses(page, world, seeded, screens):
    sign_in(page, user_token(seeded, "demo.teacher"))
    assert sorted(page.locator("#course-list a").all_inner_texts()) == [
        "Biology Blueprint", "History of Computing", "Introduction to Biology"]
    assert page.get_by_role("link", name="Packages").count() == 0  # packages are the administrators'
    shoot(page, screens, "teacher-courses")
    page.goto(f"/console/courses/{course_id(seeded, 'Calculus I')}")
    assert page.get_by_role("heading", name="Not allowed").is_visible()


def test_a_student_cannot_sign_in_to_the_console(page, world, seeded, screens):
    page.goto("/console/sign-in")
    page.get_by_label("Access token").fill(user_token(seeded, "demo.student1"))
    page.get_by_role("button", name="Sign in with token").click()
    page.get_by_role("heading", name="Not allowed").wait_for()
    assert "students and observers cannot sign in" in page.locator(".notice").inner_text()
    shoot(page, screens, "student-refused")
    page.goto("/console/courses")
    page.wait_for_url(re.compile(r"/console/sign-in"))


def test_people_pages_list_users_enrollments_terms_and_sub_accounts(page, world, seeded, screens):
    sign_in(page, world.admin_token)
    page.get_by_role("link", name="People").click()
    page.get_by_label("Enrollments of course").select_option(label="Introduction to Biology")
    page.get_by_role("button", name="Show").click()
    page.get_by_label("Section").select_option(label="Section B")
    page.get_by_role("button", name="Show").click()
    assert page.locator("#enrollments tbody tr").all_inner_texts() == ["Barbara Liskov\tStudent\tSection B\tactive"]
    assert "Fall 2026" in page.locator("#terms").inner_text()
    assert "Demo University" in page.locator("#sub-accounts").inner_text()
    shoot(page, screens, "people")
