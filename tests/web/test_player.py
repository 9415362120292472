"""The preview player over HTTP: the launch link's page, package files under the session path with
their types and CSP, the runtime script, runtime commits, and HTML errors for bad links."""

from __future__ import annotations

import json
import re
import time

import httpx
import pytest
from sqlalchemy import func, select

from courseport.core.packages import previews
from courseport.schema import XapiStatement
from tests import package_builders as pb
from tests.scorm_app import ScormApp


@pytest.fixture
def scorm(world):
    app = ScormApp(world)
    assert app.imported(pb.scorm12(), "golf")["status"] == "COMPLETE"
    return app


def launch(scorm, body: dict | None = None, course: str = "golf") -> str:
    answer = scorm.http.post(f"/courses/{course}/preview", json=body or {})
    assert answer.status_code == 200, answer.text
    return answer.json()["launchLink"]


def open_player(world, link: str) -> tuple[httpx.Response, dict]:
    answer = httpx.get(link)
    found = re.search(r'<script id="courseport-launch" type="application/json">(.*?)</script>', answer.text)
    return answer, json.loads(found.group(1)) if found else {}


def statement_count(world) -> int:
    with world.tx() as db:
        return db.scalar(select(func.count()).select_from(XapiStatement))


def test_the_link_opens_the_player_with_its_launch_and_policy(scorm, world):
    answer, config = open_player(world, launch(scorm, {"culture": "fr-FR", "redirectOnExitUrl": "blank"}))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.headers["cache-control"] == "no-store"
    base = config["filesUrl"][: -len("/files/")]
    assert base.startswith(world.base_url + "/player/")
    nonce = re.search(r"script-src 'nonce-([^']+)'", answer.headers["content-security-policy"]).group(1)
    assert answer.headers["content-security-policy"] == (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; frame-src {base}/files/; "
        f"connect-src {base}/runtime; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
        f"frame-ancestors 'self'")
    assert config == {
        "standard": "scorm12", "start": 0, "culture": "fr-FR", "exit": "blank",
        "learner": {"id": "preview", "name": "Preview Learner"},
        "filesUrl": f"{base}/files/", "runtimeUrl": f"{base}/runtime",
        "scos": [{"id": "item_1", "title": "Playing the game", "href": "index.html", "scaledPassingScore": "0.8",
                  "masteryScore": "80"}], "resume": {}}  # a preview resumes nothing; a registration launch does
    assert '<html lang="fr-FR">' in answer.text and f'src="{world.base_url}/player/scorm_runtime.js"' in answer.text


def test_package_files_have_their_types_and_a_policy_that_keeps_them_home(scorm, world):
    _, config = open_player(world, launch(scorm))
    page = httpx.get(config["filesUrl"] + "index.html")
    prefix = config["filesUrl"]
    assert (page.status_code, page.content) == (200, pb.SCO_HTML)
    assert page.headers["content-type"] == "text/html"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["content-security-policy"] == (
        f"default-src {prefix} 'unsafe-inline' 'unsafe-eval' data: blob:; base-uri {prefix}; "
        f"form-action {prefix}; frame-ancestors 'self'")
    assert httpx.get(prefix + "images/ball.png").headers["content-type"] == "image/png"
    assert httpx.get(prefix + "imsmanifest.xml").headers["content-type"] == "application/xml"


def test_only_this_service_and_configured_sites_may_frame_the_player(scorm, world, monkeypatch):
    answer, _ = open_player(world, launch(scorm))
    assert answer.headers["content-security-policy"].endswith("; frame-ancestors 'self'")
    settings = world.services.settings.with_changes(frame_ancestors=("https://lms.example", "https://*.school.test"))
    monkeypatch.setattr(world.services, "settings", settings)
    answer, _ = open_player(world, launch(scorm))
    assert answer.headers["content-security-policy"].endswith(
        "; frame-ancestors 'self' https://lms.example https://*.school.test")
    error = httpx.get(world.base_url + "/preview/not-a-link")
    assert error.status_code == 403 and "frame-ancestors 'self'" in error.headers["content-security-policy"]


def test_package_files_load_only_their_own_files_and_the_configured_content_sources(scorm, world, monkeypatch):
    _, config = open_player(world, launch(scorm))
    policy = httpx.get(config["filesUrl"] + "index.html").headers["content-security-policy"]
    assert policy.startswith(f"default-src {config['filesUrl']} 'unsafe-inline'")
    settings = world.services.settings.with_changes(content_sources=("https://ajax.googleapis.com",))
    monkeypatch.setattr(world.services, "settings", settings)
    policy = httpx.get(config["filesUrl"] + "index.html").headers["content-security-policy"]
    assert policy.startswith(f"default-src {config['filesUrl']} https://ajax.googleapis.com 'unsafe-inline'")
    with pytest.raises(ValueError, match="not a content source"):
        settings.with_changes(content_sources=("https://cdn.example; script-src *",))


def test_launch_links_and_the_player_ignore_a_forged_host(scorm, world):
    answer = scorm.http.post("/courses/golf/preview", json={}, headers={"Host": "evil.example"})
    assert answer.status_code == 200, answer.text
    link = answer.json()["launchLink"]
    assert link.startswith(world.base_url + "/preview/")
    page = httpx.get(link, headers={"Host": "evil.example"})
    assert page.status_code == 200
    assert "evil.example" not in page.text and "evil.example" not in page.headers["content-security-policy"]
    _, config = open_player(world, link)
    files = httpx.get(config["filesUrl"] + "index.html", headers={"Host": "evil.example"})
    assert files.status_code == 200 and "evil.example" not in files.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["missing.html", "images/%2e%2e/index.html", "%2e%2e/index.html", "..%2Findex.html"])
def test_files_outside_the_package_or_oddly_named_are_404(scorm, world, path):
    _, config = open_player(world, launch(scorm))
    answer = httpx.get(config["filesUrl"] + path)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "text/html; charset=utf-8"


def test_the_runtime_script_is_ours_and_typed(world):
    answer = httpx.get(world.base_url + "/player/scorm_runtime.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "window.API_1484_11 = {" in answer.text and "window.API = {" in answer.text


def test_a_tracked_commit_stores_statements_once(scorm, world):
    _, config = open_player(world, launch(scorm))
    body = {"event": "terminate", "sco": "item_1", "session": 1,
            "data": {"cmi.core.lesson_status": "completed", "cmi.core.score.raw": "90"}}
    for _ in range(2):
        answer = httpx.post(config["runtimeUrl"], content=json.dumps(body), headers={"Content-Type": "text/plain"})
        assert answer.status_code == 204
    with world.tx() as db:
        verbs = [s.verb.rsplit("/", 1)[1] for s in db.scalars(select(XapiStatement).order_by(XapiStatement.stored))]
    # mastery score 80: a completed SCO scoring 90 passed
    assert verbs == ["completed", "passed", "scored", "terminated"]


def test_an_untracked_launch_stores_nothing(scorm, world):
    _, config = open_player(world, launch(scorm, {"tracking": False}))
    answer = httpx.post(config["runtimeUrl"], json={"event": "initialize", "sco": "item_1", "data": {}})
    assert answer.status_code == 204
    assert statement_count(world) == 0


@pytest.mark.parametrize(("body", "message"), [
    ("not json", "the runtime sends JSON"),
    ({"event": "explode", "sco": "item_1", "data": {}}, "event must be one of initialize, commit, terminate"),
    ({"event": "commit", "sco": "nope", "data": {}}, "the course has no SCO 'nope'"),
    ({"event": "commit", "sco": "item_1", "data": {"cmi.core.score.raw": 5}},
     "data maps data model elements to string values"),
])
def test_bad_runtime_bodies_are_400(scorm, world, body, message):
    _, config = open_player(world, launch(scorm))
    answer = httpx.post(config["runtimeUrl"], content=body if isinstance(body, str) else json.dumps(body))
    assert answer.status_code == 400
    assert f"<p>{message}</p>".replace("'", "&#x27;") in answer.text
    assert statement_count(world) == 0


def test_expired_tampered_and_misused_tokens_are_403_pages(scorm, world):
    link = launch(scorm)
    token = link.rsplit("/", 1)[1]
    payload, mac = token.split(".")
    _, config = open_player(world, link)
    session = config["filesUrl"].split("/player/")[1].split("/")[0]
    for url, text in [(f"{world.base_url}/preview/{payload}x.{mac}", "This launch link is not valid."),
                      (f"{world.base_url}/preview/{session}", "This launch link is not valid."),
                      (f"{world.base_url}/player/{token}/files/index.html", "This launch link is not valid.")]:
        answer = httpx.get(url)
        assert (answer.status_code, answer.headers["content-type"]) == (403, "text/html; charset=utf-8"), url
        assert f"<p>{text}</p>" in answer.text
    with world.tx() as db:
        course, version = previews.packaged_version(db, world.admin, "golf")
        expired = previews.create_launch_link(world.services.secret, course, version, previews.LaunchRequest(),
                                              now=time.time() - 121)
    answer = httpx.get(f"{world.base_url}/preview/{expired}")
    assert answer.status_code == 403 and "<p>This launch link has expired.</p>" in answer.text


def test_a_deleted_course_no_longer_opens(scorm, world):
    link = launch(scorm)
    assert scorm.http.delete("/courses/golf").status_code == 204
    answer = httpx.get(link)
    assert answer.status_code == 404 and "<p>The course of this launch no longer exists.</p>" in answer.text


def test_cmi5_courses_preview_through_their_own_launch_url(scorm, world):
    assert scorm.imported(pb.cmi5(), "cmi5-course")["status"] == "COMPLETE"
    answer = httpx.get(launch(scorm, course="cmi5-course"))
    assert answer.status_code == 302  # to the AU, with its fetch URL (tests/dialects/xapi)
    assert "/files/au1/index.html?endpoint=" in answer.headers["location"] and "&fetch=" in answer.headers["location"]


def test_multi_sco_courses_list_their_scos_and_start_where_asked(scorm, world):
    assert scorm.imported(pb.scorm2004(), "multi")["status"] == "COMPLETE"
    answer, config = open_player(world, launch(scorm, {"startSco": "sco_2"}, course="multi"))
    assert [(s["id"], s["href"]) for s in config["scos"]] == [
        ("sco_1", "lesson1/index.html"), ("sco_2", "lesson2/index.html?page=2"), ("glossary", "glossary.html")]
    assert (config["standard"], config["start"]) == ("scorm2004", 1)
    assert answer.text.count("data-sco-index=") == 3
