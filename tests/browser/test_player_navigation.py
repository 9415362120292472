"""The player's navigation in headless Chromium, on our own pages served from memory (the real
player page and both scripts): switching SCOs unloads the current one first, so the calls its
unload handler makes reach its own session, and only then starts the next."""

from __future__ import annotations

import pytest

from courseport.core.packages.previews import Sco
from tests.browser.test_preview_player import SCO_PAGE, _view, serve_player


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(5000)
    yield page
    context.close()


# A SCO that, like Rustici's golf samples, records its exit from its unload handler.
UNLOADING_2004 = """<!doctype html><title>SCO</title><p id=sco>content</p><script>
var api = window.parent.API_1484_11; api.Initialize("");
api.SetValue("cmi.location", "page-3");
window.addEventListener("unload", function () {
  api.SetValue("cmi.session_time", "PT42S"); api.SetValue("cmi.exit", "suspend");
  api.SetValue("cmi.suspend_data", "left-here"); api.Terminate("");
});
</script>"""
UNLOADING_12 = """<!doctype html><title>SCO</title><p id=sco>content</p><script>
var api = window.parent.API; api.LMSInitialize("");
window.addEventListener("unload", function () {
  api.LMSSetValue("cmi.core.session_time", "0000:00:42"); api.LMSSetValue("cmi.core.exit", "suspend");
  api.LMSSetValue("cmi.core.lesson_location", "page-3"); api.LMSFinish("");
});
</script>"""


@pytest.mark.parametrize(("standard", "sco_page", "exit_data"), [
    ("scorm2004", UNLOADING_2004, {"cmi.exit": "suspend", "cmi.session_time": "PT42S", "cmi.location": "page-3",
                                   "cmi.suspend_data": "left-here"}),
    ("scorm12", UNLOADING_12, {"cmi.core.exit": "suspend", "cmi.core.session_time": "0000:00:42",
                               "cmi.core.lesson_location": "page-3"}),
])
def test_switching_scos_commits_the_exit_data_of_the_one_left_before_the_next_starts(page, standard, sco_page,
                                                                                     exit_data):
    scos = [Sco("one", "One", "one.html"), Sco("two", "Two", "two.html")]
    commits = serve_player(page, _view(standard, scos), {"one.html": sco_page, "two.html": SCO_PAGE})
    page.wait_for_function("() => document.body.dataset.sco === 'one'")
    page.frame_locator("#courseport-sco").locator("#sco").wait_for()
    page.click("nav a >> text=Two")
    page.wait_for_function("() => document.body.dataset.sco === 'two'")
    page.evaluate("() => window.courseportRuntime.idle()")
    assert page.evaluate("() => document.body.dataset.commitError || null") is None
    assert [(c["sco"], c["event"]) for c in commits] == [("one", "initialize"), ("one", "terminate")]
    assert {k: commits[-1]["data"].get(k) for k in exit_data} == exit_data
    # The next SCO's session is a fresh one: its calls succeed.
    api = "API_1484_11" if standard == "scorm2004" else "API"
    init = "Initialize" if standard == "scorm2004" else "LMSInitialize"
    assert page.evaluate(f"() => window.{api}.{init}('')") == "true"
