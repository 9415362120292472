"""The preview player in headless Chromium (Debian's, driven by Playwright).

The runtime tests serve the real player page and runtime script from memory (Playwright answers
the requests), so they check our JavaScript alone. The launch tests import packages through the
vendor client, open a preview link and read the statements the SCO's runtime calls produced.
Skipped, saying why, when Playwright or Chromium is missing.
"""

from __future__ import annotations

import json
import time

import pytest

from courseport.core.packages.previews import LaunchGrant, PlayerView, Sco
from courseport.web.player import render_player, served_type

ORIGIN = "http://player.test"
WAIT_MS = 5000


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


# --- the runtime alone ------------------------------------------------------------------------

SCO_PAGE = "<!doctype html><title>SCO</title><p id=sco>content</p>"


def _view(standard: str, scos: list[Sco] | None = None, exit: str = "message") -> PlayerView:
    session = LaunchGrant(course_id=1, version_id=1, expires_at=0, tracking=True, exit=exit, learner_id="learner-1",
                          learner_name="Ada Lovelace", culture="fr-FR", registration="r")
    scos = scos or [Sco("sco-1", "Lesson one", "lesson/one.html?x=1")]
    return PlayerView(title="Runtime <test>", standard=standard, scos=scos, start=0, session=session,
                      session_token="TOKEN")


def serve_player(page, view: PlayerView, files: dict[str, str] | None = None) -> list[dict]:
    """Answer the player's requests from memory; returns the list that collects runtime commits."""
    from importlib.resources import files as resources

    markup, policy = render_player(view, ORIGIN, "NONCE")
    scripts = {name: resources("courseport.web").joinpath(f"static/{name}").read_text()
               for name in ("scorm_runtime.js", "scorm_navigation.js")}
    commits: list[dict] = []
    files = files or {}

    def answer(route):
        url = route.request.url
        if url == f"{ORIGIN}/launch":
            return route.fulfill(body=markup, content_type="text/html", headers={"Content-Security-Policy": policy})
        if url.startswith(f"{ORIGIN}/player/scorm_") and url.rsplit("/", 1)[1] in scripts:
            return route.fulfill(body=scripts[url.rsplit("/", 1)[1]], content_type="text/javascript")
        if url == f"{ORIGIN}/player/TOKEN/runtime":
            commits.append(json.loads(route.request.post_data))
            return route.fulfill(status=204)
        prefix = f"{ORIGIN}/player/TOKEN/files/"
        path = url[len(prefix):].split("?")[0] if url.startswith(prefix) else None
        if path is not None and path in files:
            return route.fulfill(body=files[path], content_type=served_type(path, None))
        return route.fulfill(status=404, body="not found")

    page.route(f"{ORIGIN}/**", answer)
    page.goto(f"{ORIGIN}/launch")
    return commits


def run(page, script: str):
    return page.evaluate(script)


def test_scorm12_api_data_model_and_error_codes(page):
    commits = serve_player(page, _view("scorm12"), {"lesson/one.html": SCO_PAGE})
    assert page.frame_locator("#courseport-sco").locator("#sco").inner_text() == "content"
    calls = run(page, """() => {
      const a = window.API, out = [];
      const step = (label, value) => out.push([label, value, a.LMSGetLastError()]);
      step("get before init", a.LMSGetValue("cmi.core.lesson_status"));
      step("init with argument", a.LMSInitialize("x"));
      step("init", a.LMSInitialize(""));
      step("init again", a.LMSInitialize(""));
      step("student_id", a.LMSGetValue("cmi.core.student_id"));
      step("student_name", a.LMSGetValue("cmi.core.student_name"));
      step("status", a.LMSGetValue("cmi.core.lesson_status"));
      step("entry", a.LMSGetValue("cmi.core.entry"));
      step("language", a.LMSGetValue("cmi.student_preference.language"));
      step("children", a.LMSGetValue("cmi.core.score._children"));
      step("no children", a.LMSGetValue("cmi.core.lesson_status._children"));
      step("no count", a.LMSGetValue("cmi.core._count"));
      step("set keyword", a.LMSSetValue("cmi.core._children", "x"));
      step("set read-only", a.LMSSetValue("cmi.core.student_id", "x"));
      step("get write-only", a.LMSGetValue("cmi.core.exit"));
      step("set not attempted", a.LMSSetValue("cmi.core.lesson_status", "not attempted"));
      step("set bad score", a.LMSSetValue("cmi.core.score.raw", "101"));
      step("set word score", a.LMSSetValue("cmi.core.score.raw", "lots"));
      step("set score", a.LMSSetValue("cmi.core.score.raw", "85"));
      step("get score", a.LMSGetValue("cmi.core.score.raw"));
      step("unset location", a.LMSGetValue("cmi.core.lesson_location"));
      step("unknown", a.LMSGetValue("cmi.core.nothing"));
      step("bad timespan", a.LMSSetValue("cmi.core.session_time", "1 hour"));
      step("timespan", a.LMSSetValue("cmi.core.session_time", "0000:01:30.5"));
      step("objective out of order", a.LMSSetValue("cmi.objectives.1.id", "obj"));
      step("objective", a.LMSSetValue("cmi.objectives.0.id", "obj"));
      step("objective count", a.LMSGetValue("cmi.objectives._count"));
      step("long location", a.LMSSetValue("cmi.core.lesson_location", "x".repeat(256)));
      step("status", a.LMSSetValue("cmi.core.lesson_status", "passed"));
      step("error string", a.LMSGetErrorString("405"));
      step("commit with argument", a.LMSCommit("x"));
      step("commit", a.LMSCommit(""));
      step("finish", a.LMSFinish(""));
      step("get after finish", a.LMSGetValue("cmi.core.lesson_status"));
      step("finish again", a.LMSFinish(""));
      return out;
    }""")
    assert calls == [
        ["get before init", "", "301"], ["init with argument", "false", "201"], ["init", "true", "0"],
        ["init again", "false", "101"], ["student_id", "learner-1", "0"], ["student_name", "Ada Lovelace", "0"],
        ["status", "not attempted", "0"], ["entry", "ab-initio", "0"], ["language", "fr-FR", "0"],
        ["children", "raw,min,max", "0"], ["no children", "", "202"], ["no count", "", "203"],
        ["set keyword", "false", "402"], ["set read-only", "false", "403"], ["get write-only", "", "404"],
        ["set not attempted", "false", "405"], ["set bad score", "false", "405"], ["set word score", "false", "405"],
        ["set score", "true", "0"], ["get score", "85", "0"], ["unset location", "", "0"], ["unknown", "", "201"],
        ["bad timespan", "false", "405"], ["timespan", "true", "0"], ["objective out of order", "false", "201"],
        ["objective", "true", "0"], ["objective count", "1", "0"], ["long location", "false", "405"],
        ["status", "true", "0"], ["error string", "Incorrect data type", "0"], ["commit with argument", "false", "201"],
        ["commit", "true", "0"], ["finish", "true", "0"], ["get after finish", "", "301"],
        ["finish again", "false", "301"],
    ]
    page.wait_for_function("() => document.body.dataset.state === 'exited'")
    assert [c["event"] for c in commits] == ["initialize", "commit", "terminate"]
    assert commits[-1]["sco"] == "sco-1" and commits[-1]["session"] == 1
    assert {k: commits[-1]["data"][k] for k in ("cmi.core.lesson_status", "cmi.core.score.raw",
                                                 "cmi.core.session_time", "cmi.objectives.0.id")} == {
        "cmi.core.lesson_status": "passed", "cmi.core.score.raw": "85", "cmi.core.session_time": "0000:01:30.5",
        "cmi.objectives.0.id": "obj"}
    assert page.frame_locator("#courseport-sco").locator("#sco").count() == 0  # taken away at the exit
    assert page.title() == "Runtime <test>"


def test_scorm2004_api_data_model_and_error_codes(page):
    commits = serve_player(page, _view("scorm2004"), {"lesson/one.html": SCO_PAGE})
    calls = run(page, """() => {
      const a = window.API_1484_11, out = [];
      const step = (label, value) => out.push([label, value, a.GetLastError()]);
      step("get before init", a.GetValue("cmi.location"));
      step("set before init", a.SetValue("cmi.location", "x"));
      step("commit before init", a.Commit(""));
      step("terminate before init", a.Terminate(""));
      step("init", a.Initialize(""));
      step("init again", a.Initialize(""));
      step("version", a.GetValue("cmi._version"));
      step("learner", a.GetValue("cmi.learner_id"));
      step("completion", a.GetValue("cmi.completion_status"));
      step("unset location", a.GetValue("cmi.location"));
      step("undefined", a.GetValue("cmi.nothing"));
      step("empty name", a.GetValue(""));
      step("write-only", a.GetValue("cmi.exit"));
      step("read-only", a.SetValue("cmi.learner_id", "x"));
      step("set version", a.SetValue("cmi._version", "2"));
      step("scaled too big", a.SetValue("cmi.score.scaled", "2"));
      step("scaled a word", a.SetValue("cmi.score.scaled", "high"));
      step("bad completion", a.SetValue("cmi.completion_status", "done"));
      step("not attempted", a.SetValue("cmi.completion_status", "not attempted"));
      step("objective before id", a.SetValue("cmi.objectives.0.score.raw", "1"));
      step("objective out of order", a.SetValue("cmi.objectives.1.id", "urn:x:1"));
      step("objective id", a.SetValue("cmi.objectives.0.id", "urn:x:0"));
      step("objective score", a.SetValue("cmi.objectives.0.score.raw", "1"));
      step("objectives count", a.GetValue("cmi.objectives._count"));
      step("objective missing", a.GetValue("cmi.objectives.3.id"));
      step("score children", a.GetValue("cmi.score._children"));
      step("no count", a.GetValue("cmi.score._count"));
      step("bad interval", a.SetValue("cmi.session_time", "00:01:00"));
      step("interval", a.SetValue("cmi.session_time", "PT1M30S"));
      step("scaled", a.SetValue("cmi.score.scaled", "0.9"));
      step("raw", a.SetValue("cmi.score.raw", "90"));
      step("success", a.SetValue("cmi.success_status", "passed"));
      step("completion", a.SetValue("cmi.completion_status", "completed"));
      step("nav", a.SetValue("adl.nav.request", "sideways"));
      step("error string", a.GetErrorString("408"));
      step("diagnostic", a.GetDiagnostic(""));
      step("commit", a.Commit(""));
      step("terminate", a.Terminate(""));
      step("get after terminate", a.GetValue("cmi.location"));
      step("init after terminate", a.Initialize(""));
      step("terminate again", a.Terminate(""));
      return out;
    }""")
    assert calls == [
        ["get before init", "", "122"], ["set before init", "false", "132"], ["commit before init", "false", "142"],
        ["terminate before init", "false", "112"], ["init", "true", "0"], ["init again", "false", "103"],
        ["version", "1.0", "0"], ["learner", "learner-1", "0"], ["completion", "unknown", "0"],
        ["unset location", "", "403"], ["undefined", "", "401"], ["empty name", "", "301"],
        ["write-only", "", "405"], ["read-only", "false", "404"], ["set version", "false", "404"],
        ["scaled too big", "false", "407"], ["scaled a word", "false", "406"], ["bad completion", "false", "406"],
        ["not attempted", "true", "0"], ["objective before id", "false", "408"],
        ["objective out of order", "false", "351"], ["objective id", "true", "0"], ["objective score", "true", "0"],
        ["objectives count", "1", "0"], ["objective missing", "", "301"], ["score children", "scaled,raw,min,max", "0"],
        ["no count", "", "301"], ["bad interval", "false", "406"], ["interval", "true", "0"], ["scaled", "true", "0"],
        ["raw", "true", "0"], ["success", "true", "0"], ["completion", "true", "0"], ["nav", "false", "406"],
        ["error string", "Data Model Dependency Not Established", "406"],
        ["diagnostic", "adl.nav.request = sideways", "406"],
        ["commit", "true", "0"], ["terminate", "true", "0"], ["get after terminate", "", "123"],
        ["init after terminate", "false", "104"], ["terminate again", "false", "113"],
    ]
    page.wait_for_function("() => document.body.dataset.state === 'exited'")
    assert [c["event"] for c in commits] == ["initialize", "commit", "terminate"]
    final = commits[-1]["data"]
    assert (final["cmi.score.scaled"], final["cmi.success_status"], final["cmi.completion_status"],
            final["cmi.session_time"]) == ("0.9", "passed", "completed", "PT1M30S")


def test_scorm2004_dependency_on_objective_id(page):
    serve_player(page, _view("scorm2004"), {"lesson/one.html": SCO_PAGE})
    calls = run(page, """() => {
      const a = window.API_1484_11, out = [];
      a.Initialize("");
      a.SetValue("cmi.objectives.0.id", "urn:x:0");
      a.SetValue("cmi.interactions.0.id", "q1");
      out.push([a.SetValue("cmi.interactions.0.correct_responses.0.pattern", "a"), a.GetLastError()]);
      a.SetValue("cmi.interactions.0.type", "choice");
      out.push([a.SetValue("cmi.interactions.0.correct_responses.0.pattern", "a"), a.GetLastError()]);
      out.push([a.GetValue("cmi.interactions.0.correct_responses._count"), a.GetLastError()]);
      return out;
    }""")
    assert calls == [["false", "408"], ["true", "0"], ["1", "0"]]


def test_navigation_requests_launch_the_next_sco_and_the_contents_switch_scos(page):
    scos = [Sco("one", "One", "one.html"), Sco("two", "Two", "two.html")]
    commits = serve_player(page, _view("scorm2004", scos), {"one.html": SCO_PAGE, "two.html": SCO_PAGE})
    assert page.locator("nav a").all_inner_texts() == ["One", "Two"]
    run(page, """() => { const a = window.API_1484_11; a.Initialize("");
                         a.SetValue("adl.nav.request", "continue"); a.Terminate(""); }""")
    page.wait_for_function("() => document.body.dataset.sco === 'two'")
    assert run(page, """() => { window.API_1484_11.Initialize("");
                                return window.API_1484_11.GetValue("adl.nav.request_valid.previous"); }""") == "true"
    page.click("nav a >> text=One")
    page.wait_for_function("() => document.body.dataset.sco === 'one'")
    run(page, "() => window.courseportRuntime.idle()")
    assert [(c["sco"], c["event"], c["session"]) for c in commits] == [
        ("one", "initialize", 1), ("one", "terminate", 1), ("two", "initialize", 1), ("two", "terminate", 1)]


def test_exit_redirects_to_the_requested_url(page):
    serve_player(page, _view("scorm12", exit=f"{ORIGIN}/done"), {"lesson/one.html": SCO_PAGE})
    run(page, "() => { window.API.LMSInitialize(''); window.API.LMSFinish(''); }")
    page.wait_for_url(f"{ORIGIN}/done")


def test_a_sco_cannot_load_anything_outside_its_launch(page):
    """The file CSP is the server's; here the player page's own policy keeps frames to the launch."""
    markup, policy = render_player(_view("scorm12"), ORIGIN, "NONCE")
    assert policy == ("default-src 'none'; script-src 'nonce-NONCE'; style-src 'nonce-NONCE'; "
                      f"frame-src {ORIGIN}/player/TOKEN/files/; connect-src {ORIGIN}/player/TOKEN/runtime; "
                      "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
    assert "Runtime &lt;test&gt;" in markup and "<test>" not in markup


# --- a real launch: import, preview link, browser, statements -----------------------------------

SCO_SCRIPT = """
function findApi(name) {
  var win = window, hops = 0;
  while (!win[name] && win.parent && win.parent !== win && hops++ < 10) { win = win.parent; }
  return win[name] || null;
}
// Shown on the player page: the player takes the SCO away once it terminates.
function show(id, text) { window.parent.document.body.setAttribute("data-sco-" + id, text); }
function play() {
  var calls = window.SCO_CALLS, api = findApi(calls.api), results = [];
  calls.steps.forEach(function (step) { results.push(api[step[0]].apply(api, step.slice(1))); });
  show("results", results.join(","));
}
fetch("/api/v2/ping").then(function () { show("outside", "reachable"); }, function () { show("outside", "blocked"); })
  .then(play);
"""

SCORM12_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="browser12" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>Browser course 1.2</title>
      <item identifier="lesson-1" identifierref="res-1"><title>Lesson one</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-1" type="webcontent" adlcp:scormtype="sco" href="sco/index.html">
      <file href="sco/index.html"/><file href="sco/sco.js"/>
    </resource>
  </resources>
</manifest>"""

SCORM2004_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="browser2004" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org"><title>Browser course 2004</title>
      <item identifier="lesson-1" identifierref="res-1"><title>Lesson one</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-1" type="webcontent" adlcp:scormType="sco" href="sco/index.html">
      <file href="sco/index.html"/><file href="sco/sco.js"/>
    </resource>
  </resources>
</manifest>"""

SCORM12_STEPS = [["LMSInitialize", ""], ["LMSSetValue", "cmi.core.score.raw", "85"],
                 ["LMSSetValue", "cmi.core.lesson_status", "passed"],
                 ["LMSSetValue", "cmi.core.session_time", "0000:00:05"], ["LMSCommit", ""], ["LMSFinish", ""]]
SCORM2004_STEPS = [["Initialize", ""], ["SetValue", "cmi.score.scaled", "0.9"], ["SetValue", "cmi.score.raw", "90"],
                   ["SetValue", "cmi.score.min", "0"], ["SetValue", "cmi.score.max", "100"],
                   ["SetValue", "cmi.completion_status", "completed"], ["SetValue", "cmi.success_status", "passed"],
                   ["SetValue", "cmi.session_time", "PT5S"], ["Commit", ""], ["Terminate", ""]]


def build_package(manifest: str, api: str, steps: list[list[str]]) -> bytes:
    """A single-SCO package whose SCO finds the API, runs `steps` and shows what they returned."""
    import io
    import zipfile

    calls = json.dumps({"api": api, "steps": steps})
    page = (f"<!doctype html><html><head><meta charset=utf-8><title>Lesson</title>"
            f"<script>window.SCO_CALLS = {calls};</script></head><body>"
            "<p id=results>running</p><p id=outside>unknown</p><script src=sco.js></script></body></html>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("imsmanifest.xml", manifest)
        package.writestr("sco/index.html", page)
        package.writestr("sco/sco.js", SCO_SCRIPT)
    return buffer.getvalue()


@pytest.fixture
def course_api(world):
    from rustici_software_cloud_v2 import ApiClient, Configuration, CourseApi

    from tests.scorm_app import ScormApp

    scorm = ScormApp(world)
    config = Configuration()
    config.host, config.username, config.password = world.base_url + "/api/v2/", scorm.app_id, scorm.secret
    return scorm, CourseApi(ApiClient(config))


def wait_for_statements(api, course_id: str, verb: str) -> list:
    """Statements of the course once one with `verb` arrived (bounded: the SCO commits in milliseconds)."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        found = api.get_course_statements(course_id).statements or []
        if any(s.verb.display["en-US"] == verb for s in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.mark.parametrize(("standard", "manifest", "api_name", "steps", "score"), [
    ("SCORM12", SCORM12_MANIFEST, "API", SCORM12_STEPS, {"scaled": 0.85, "raw": 85.0, "min": None, "max": None}),
    ("SCORM2004", SCORM2004_MANIFEST, "API_1484_11", SCORM2004_STEPS,
     {"scaled": 0.9, "raw": 90.0, "min": 0.0, "max": 100.0}),
])
def test_a_previewed_sco_reports_through_the_runtime_and_its_statements_are_listed(
        page, course_api, world, standard, manifest, api_name, steps, score):
    from rustici_software_cloud_v2 import LaunchLinkRequestSchema

    scorm, api = course_api
    status = scorm.imported(build_package(manifest, api_name, steps), "browser-course")
    request = LaunchLinkRequestSchema(redirect_on_exit_url="message", expiry=60, tracking=True, culture="en-GB")
    assert status["status"] == "COMPLETE", status
    link = api.build_course_preview_launch_link("browser-course", request).launch_link
    assert link.startswith(world.base_url + "/preview/")

    page.goto(link)
    page.wait_for_function("() => document.body.dataset.state === 'exited'")
    assert page.locator("body").get_attribute("data-sco-results") == ",".join(["true"] * len(steps))
    # The package's CSP keeps it to its own files.
    assert page.locator("body").get_attribute("data-sco-outside") == "blocked"
    assert page.locator(".exited").inner_text() == "You have exited the course."

    assert page.evaluate("() => document.body.dataset.commitError || null") is None
    found = wait_for_statements(api, "browser-course", "terminated")
    assert [s.verb.display["en-US"] for s in found] == [
        "attempted", "initialized", "completed", "passed", "scored", "terminated"]
    scored = found[4]
    assert {k: getattr(scored.result.score, k) for k in ("scaled", "raw", "min", "max")} == score
    registration = found[0].context.registration
    assert {(s.actor.account.name, s.object_activity.id, s.context.registration, s.context.language)
            for s in found} == {("preview", "urn:courseport:course:browser-course/lesson-1", registration, "en-GB")}
    assert found[-1].result.duration == ("PT0H0M5S" if standard == "SCORM12" else "PT5S")
    assert found[-1].result.completion is True and found[-1].result.success is True
