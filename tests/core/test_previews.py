"""Preview launch links: validation, signing, expiry, the player's view; runtime commits to statements."""

from __future__ import annotations

import pytest

from courseport.core.kit.errors import InvalidInput, NotAuthenticated
from courseport.core.packages import previews
from courseport.core.packages.previews import LaunchRequest, Sco
from courseport.schema import Course
from courseport.schema.packages import PackageVersion

SECRET = b"s" * 32
NOW = 1_800_000_000


def _version(standard: str = "SCORM12") -> tuple[Course, PackageVersion]:
    tree = {"item_identifier": "org", "activity_type": "AGGREGATION", "title": "Course", "children": [
        {"item_identifier": "one", "activity_type": "SCO", "title": "One", "href": "one/index.html?a=1",
         "scaled_passing_score": "0.8", "children": []},
        {"item_identifier": "folder", "activity_type": "AGGREGATION", "title": "Folder", "children": [
            {"item_identifier": "two", "activity_type": "ASSET", "title": "Two", "href": "two.html", "children": []},
            {"item_identifier": "empty", "activity_type": "SCO", "title": "No href", "children": []}]}]}
    return (Course(id=7, scorm_course_id="c7"),
            PackageVersion(id=3, course_id=7, version=0, learning_standard=standard, title="Course",
                           manifest={"root_activity": tree}, web_path="x/0"))


def test_launchable_scos_in_manifest_order():
    assert previews.launchable_scos(_version()[1]) == [Sco("one", "One", "one/index.html?a=1", "0.8"),
                                                        Sco("two", "Two", "two.html", None)]


def test_link_carries_the_request_and_expires_after_expiry():
    course, version = _version()
    token = previews.create_launch_link(SECRET, course, version, LaunchRequest(
        expiry=60, redirect_on_exit_url="https://lms.example/done", tracking=False, start_sco="two",
        culture="de-DE", css_url="https://cdn.example/p.css",
        learner_id="ada", learner_name="Ada"), now=NOW)
    grant = previews.read_grant(SECRET, "link", token, now=NOW + 60)
    assert grant == previews.LaunchGrant(
        course_id=7, version_id=3, expires_at=NOW + 60, tracking=False, exit="https://lms.example/done",
        learner_id="ada", learner_name="Ada", css_url="https://cdn.example/p.css", start_sco="two", culture="de-DE")
    with pytest.raises(NotAuthenticated, match="expired"):
        previews.read_grant(SECRET, "link", token, now=NOW + 61)


def test_defaults_track_for_120_seconds_as_the_preview_learner():
    course, version = _version()
    grant = previews.read_grant(SECRET, "link", previews.create_launch_link(
        SECRET, course, version, LaunchRequest(), now=NOW), now=NOW)
    assert (grant.expires_at, grant.tracking, grant.exit, grant.learner_id, grant.learner_name) == (
        NOW + 120, True, "message", "preview", "Preview Learner")


@pytest.mark.parametrize(("redirect", "exit"), [
    ("closer", "closer"), ("blank", "blank"), ("message", "message"), ("", "message"), ("not a url", "message"),
    ("javascript:alert(1)", "message"), ("http://lms.example/x?y=1", "http://lms.example/x?y=1")])
def test_exit_follows_scorm_clouds_keywords(redirect, exit):
    course, version = _version()
    token = previews.create_launch_link(SECRET, course, version, LaunchRequest(redirect_on_exit_url=redirect), NOW)
    assert previews.read_grant(SECRET, "link", token, NOW).exit == exit


@pytest.mark.parametrize(("request_", "field"), [
    (LaunchRequest(expiry=9), "expiry"), (LaunchRequest(expiry=301), "expiry"),
    (LaunchRequest(css_url="file:///etc/passwd"), "css_url"), (LaunchRequest(culture="en US"), "culture"),
    (LaunchRequest(start_sco="folder"), "start_sco"), (LaunchRequest(start_sco="nope"), "start_sco")])
def test_bad_requests_name_the_field(request_, field):
    course, version = _version()
    with pytest.raises(InvalidInput) as caught:
        previews.create_launch_link(SECRET, course, version, request_, NOW)
    assert caught.value.field == field


def test_tokens_are_bound_to_secret_and_purpose():
    course, version = _version()
    token = previews.create_launch_link(SECRET, course, version, LaunchRequest(), NOW)
    with pytest.raises(NotAuthenticated, match="not valid"):
        previews.read_grant(b"other" * 8, "link", token, NOW)
    with pytest.raises(NotAuthenticated, match="not valid"):
        previews.read_grant(SECRET, "session", token, NOW)
    payload, mac = token.split(".")
    with pytest.raises(NotAuthenticated, match="not valid"):
        previews.read_grant(SECRET, "link", payload[:-2] + "xx." + mac, NOW)
    with pytest.raises(NotAuthenticated, match="not valid"):
        previews.read_grant(SECRET, "link", "garbage", NOW)
