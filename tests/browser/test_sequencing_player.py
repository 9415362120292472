"""SCORM 2004 sequencing in the player, in headless Chromium with Rustici's real golf samples from
../shared/packages/ (never copied here), registrations driven and read back through
rustici-software-cloud-v2 5.0.0.

- "Sequencing Forced Sequential": the third SCO is refused until the ones before it are done; the
  next SCO is allowed once the first is completed; switching SCOs keeps the exit data of the one
  left; rollup reaches the registration; closing the window mid-SCO resumes there next launch.
- "Post Test Rollup" (4th edition): jumping to the post-test and passing it completes and passes
  the registration.

The golf pages are driven as a learner would (their Next / Exit / Jump buttons); where a page
needs many clicks, the SCO's own page functions are called in its frame (`goToPage`, `RecordTest`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.test_preview_player import WAIT_MS
from tests.browser.test_registration_launch import until

PACKAGES = Path(__file__).resolve().parents[2].parent / "shared" / "packages"
FORCED = PACKAGES / "SequencingForcedSequential_SCORM20043rdEdition.zip"
POST_TEST = PACKAGES / "SequencingPostTestRollup4thEd_SCORM20044thEdition.zip"


def registration_api(world, package: Path, course_id: str):
    from rustici_software_cloud_v2 import ApiClient, Configuration, RegistrationApi

    from tests.scorm_app import ScormApp

    if not package.exists():
        pytest.skip(f"the shared sample packages are not at {package.parent}")
    scorm = ScormApp(world)
    assert scorm.imported(package.read_bytes(), course_id)["status"] == "COMPLETE"
    config = Configuration()
    config.host, config.username, config.password = world.base_url + "/api/v2/", scorm.app_id, scorm.secret
    return RegistrationApi(ApiClient(config))


def register(api, course_id: str, registration_id: str) -> str:
    """A new registration's launch link."""
    from rustici_software_cloud_v2 import CreateRegistrationSchema, LearnerSchema

    api.create_registration(CreateRegistrationSchema(
        course_id=course_id, registration_id=registration_id,
        learner=LearnerSchema(id="golfer", first_name="Tiger", last_name="Woods")))
    return launch_link(api, registration_id)


def launch_link(api, registration_id: str) -> str:
    from rustici_software_cloud_v2 import LaunchLinkRequestSchema

    request = LaunchLinkRequestSchema(redirect_on_exit_url="message", culture="en-US")
    return api.build_registration_launch_link(registration_id, request).launch_link


def open_page(browser, link: str):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.on("dialog", lambda dialog: dialog.accept())  # the golf pages' "resume?" prompt
    page.goto(link)
    return context, page


def sco_frame(page, content: str):
    """The golf launch page of the SCO showing `content` (playing, etiquette, ...)."""
    pattern = re.compile(rf"/shared/launchpage\.html\?content={content}$")
    for _ in range(WAIT_MS // 50):
        found = page.frame(url=pattern)
        if found is not None:
            return found
        page.wait_for_timeout(50)  # lets Playwright hear of the frame's navigation (time.sleep would not)
    raise AssertionError(f"the {content} SCO was not delivered")


def started(sco):
    """The golf SCO, once its page has initialized its session and gone to its first (or bookmarked) page."""
    sco.wait_for_function("() => typeof currentPage !== 'undefined' && currentPage !== null")
    return sco


def leave(page, context) -> None:
    """Close the window once the SCO showing has been taken away and its last commits answered
    (none may still be in flight when the test's store is emptied)."""
    page.evaluate("() => window.courseportRuntime.unload()")
    context.close()


def delivered(page, item: str) -> None:
    page.wait_for_function(f"() => document.body.dataset.sco === '{item}' && document.body.dataset.state === 'running'")


def finish_content(sco) -> None:
    """To the SCO's last page, as its Next button would go: it completes (and passes) there."""
    started(sco).evaluate("() => { currentPage = pageArray.length - 1; goToPage(); }")


def toc_state(page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-sco-index]')].map(
        a => [a.textContent, a.getAttribute('aria-disabled')]))""")


def progress(api, registration_id: str):
    return api.get_registration_progress(registration_id, include_child_results=True, include_runtime=True)


def child(found, item: str):
    return next(c for c in found.activity_details.children if c.id == item)


def test_forced_sequential_refuses_a_jump_allows_the_next_sco_keeps_exit_data_and_rolls_up(browser, world):
    api = registration_api(world, FORCED, "golf-forced")
    context, page = open_page(browser, register(api, "golf-forced", "forced-1"))
    delivered(page, "playing_item")
    playing = started(sco_frame(page, "playing"))
    until(lambda: toc_state(page), lambda t: t.get("Handicapping") == "true", "the contents' availability")
    assert toc_state(page) == {"Playing the Game": "false", "Etiquette": "true", "Handicapping": "true",
                               "Having Fun": "true", "Quiz": "true"}
    valid = "() => window.parent.API_1484_11.GetValue('adl.nav.request_valid.choice.{target=%s}')"
    assert [playing.evaluate(valid % item) for item in ("handicapping_item", "playing_item")] == ["false", "true"]

    # A jump to the third SCO is refused, with the reason shown; the first SCO keeps running.
    page.click("nav a >> text=Handicapping", force=True)  # shown disabled; a learner may still click it
    page.wait_for_function("() => !!document.body.dataset.message")
    assert page.locator("#courseport-message").inner_text() != ""
    assert page.evaluate("() => document.body.dataset.sco") == "playing_item"

    # The first SCO completed: the next one is offered, and Continue delivers it.
    for _ in range(4):
        playing.click("#butNext")
    until(lambda: toc_state(page), lambda t: t["Etiquette"] == "false", "Etiquette offered")
    assert toc_state(page)["Handicapping"] == "true"
    page.click("button[data-nav=continue]")
    delivered(page, "etuqiette_item")
    started(sco_frame(page, "etiquette")).click("#butNext")

    # The SCO left kept its unload-time exit data; rollup reached the registration.
    found = until(lambda: progress(api, "forced-1"), lambda p: child(p, "playing_item").runtime.exit == "suspend",
                  "the first SCO's exit data")
    runtime = child(found, "playing_item").runtime
    assert (runtime.location, runtime.completion_status, runtime.runtime_success_status) == ("4", "completed", "PASSED")
    assert runtime.time_tracked != "0000:00:00.00"  # its session time, set on unload
    assert (child(found, "playing_item").activity_completion, child(found, "playing_item").activity_success) == (
        "COMPLETED", "PASSED")
    assert (found.registration_completion, found.registration_success) == ("INCOMPLETE", "UNKNOWN")
    shared = {o.id: o.objective_success for o in found.global_objectives}  # the manifest's mapInfo targets
    assert shared["com.scorm.golfsamples.sequencing.forcedsequential.playing_satisfied"] == "PASSED"

    # Back to the first SCO by choice (allowed): Etiquette's exit data is kept too.
    page.click("nav a >> text=Playing the Game")
    delivered(page, "playing_item")
    found = until(lambda: progress(api, "forced-1"), lambda p: child(p, "etuqiette_item").runtime.exit == "suspend",
                  "Etiquette's exit data")
    assert child(found, "etuqiette_item").runtime.location == "1"

    # Through every SCO to the quiz; passing it completes and passes the course.
    for title, item, content in (("Etiquette", "etuqiette_item", "etiquette"),
                                 ("Handicapping", "handicapping_item", "handicapping"),
                                 ("Having Fun", "havingfun_item", "havingfun")):
        page.click(f"nav a >> text={title}")
        delivered(page, item)
        finish_content(sco_frame(page, content))
    until(lambda: toc_state(page), lambda t: t["Quiz"] == "false", "the quiz offered")
    page.click("button[data-nav=continue]")
    delivered(page, "assessment_item")
    quiz = sco_frame(page, "assessment")
    quiz.wait_for_function("() => typeof RecordTest === 'function' && startTimeStamp !== null")
    quiz.evaluate("() => RecordTest(85)")
    # This sample has no Exit button: the SCO's own way out (what its siblings' doExit does).
    quiz.evaluate("() => { ScormProcessSetValue('adl.nav.request', 'exitAll'); doUnload(true); }")
    page.wait_for_function("() => document.body.dataset.state === 'exited'")
    assert page.evaluate("() => document.body.dataset.commitError || null") is None
    leave(page, context)
    done = until(lambda: progress(api, "forced-1"), lambda p: p.registration_completion == "COMPLETED", "completion")
    assert done.registration_success == "PASSED"
    assert child(done, "assessment_item").runtime.score_raw == "85"


def test_closing_the_window_mid_sco_resumes_there_on_the_next_launch(browser, world):
    api = registration_api(world, FORCED, "golf-forced")
    context, page = open_page(browser, register(api, "golf-forced", "resumer"))
    delivered(page, "playing_item")
    finish_content(sco_frame(page, "playing"))
    until(lambda: toc_state(page), lambda t: t["Etiquette"] == "false", "Etiquette offered")
    page.click("button[data-nav=continue]")
    delivered(page, "etuqiette_item")
    started(sco_frame(page, "etiquette")).click("#butNext")
    page.goto("about:blank")  # the window goes away mid-SCO: its unload handler suspends and terminates
    context.close()
    left = until(lambda: progress(api, "resumer"), lambda p: child(p, "etuqiette_item").runtime.exit == "suspend",
                 "the suspended exit")
    assert (child(left, "etuqiette_item").runtime.location, left.registration_completion) == ("1", "INCOMPLETE")

    # The next launch resumes the activity left (not the first one), at its bookmark, with entry "resume".
    context, page = open_page(browser, launch_link(api, "resumer"))
    delivered(page, "etuqiette_item")
    etiquette = sco_frame(page, "etiquette")
    # The sample asks whether to resume; the learner accepts.
    etiquette.wait_for_function("() => typeof currentPage !== 'undefined' && currentPage === 1")
    assert etiquette.evaluate("() => window.parent.API_1484_11.GetValue('cmi.entry')") == "resume"
    assert toc_state(page)["Playing the Game"] == "false"  # the first SCO stays completed
    leave(page, context)


def test_passing_the_post_test_completes_and_passes_the_registration(browser, world):
    """The 4th edition sample loads jQuery from Google's CDN, which its file policy (and this offline
    machine) refuses, so its pages never start: the test makes the calls its buttons would."""
    api = registration_api(world, POST_TEST, "golf-post-test")
    context, page = open_page(browser, register(api, "golf-post-test", "post-test"))
    delivered(page, "playing_item")
    sco_frame(page, "playing").evaluate("""() => { const api = window.parent.API_1484_11; api.Initialize("");
        api.SetValue("cmi.completion_status", "incomplete");
        api.SetValue("adl.nav.request", "{target=assessment_item}jump"); api.Terminate(""); }""")  # Skip to the Test
    delivered(page, "assessment_item")
    quiz = sco_frame(page, "assessment")
    assert progress(api, "post-test").registration_completion != "COMPLETED"
    quiz.evaluate("""() => { const api = window.parent.API_1484_11; api.Initialize("");
        [["cmi.score.raw", "90"], ["cmi.score.min", "0"], ["cmi.score.max", "100"], ["cmi.score.scaled", "0.9"],
         ["cmi.success_status", "passed"], ["cmi.completion_status", "completed"]].forEach(p => api.SetValue(...p));
        api.Commit(""); }""")  # RecordTest(90) on the test's last page
    done = until(lambda: progress(api, "post-test"), lambda p: p.registration_completion == "COMPLETED", "completion")
    assert (done.registration_success, done.score.scaled) == ("PASSED", 90.0)
    assert (child(done, "assessment_item").activity_completion, child(done, "assessment_item").activity_success) == (
        "COMPLETED", "PASSED")
    assert child(done, "playing_item").activity_completion == "INCOMPLETE"  # the sequencer's, per activity
    assert done.activity_details.activity_completion == "COMPLETED"
    assert page.evaluate("() => document.body.dataset.commitError || null") is None
    leave(page, context)
