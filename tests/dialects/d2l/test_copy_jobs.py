"""Copy jobs over HTTP: queue with selected components, status by token, errors, rights."""

from __future__ import annotations

from sqlalchemy import select

from courseport.core.content import content
from courseport.schema import ContentItem, Job
from tests.dialects.d2l.org_ids import ou

LE = "/d2l/api/le/1.5"


def fill(world, course):
    """A page, an assignment and a discussion topic in `course`."""
    world.assignment(course, "Essay")
    with world.tx() as db:
        content.create_item(db, course.id, "page", {"title": "Welcome", "slug": "welcome", "body": "<p>Hi</p>",
                                                    "workflow_state": "published"})
        content.create_item(db, course.id, "discussion_topic", {"title": "Talk", "workflow_state": "active"})


def live_types(world, course_id):
    with world.tx() as db:
        return sorted(db.scalars(select(ContentItem.type).where(
            ContentItem.course_id == course_id, ContentItem.workflow_state != "deleted")))


def test_copy_selected_components_and_poll(world):
    source, target = world.course("Source"), world.course("Target")
    source_ou, target_ou = ou(world, source), ou(world, target)
    fill(world, source)
    with world.client(world.admin_token) as http:
        answer = http.post(f"{LE}/import/{target_ou}/copy/", json={
            "SourceOrgUnitId": source_ou, "Components": ["Content", "Discussions"], "CallbackUrl": None})
        assert answer.status_code == 202
        token = answer.json()["JobToken"]
        assert answer.json() == {"JobToken": token}
        assert http.get(f"{LE}/import/{target_ou}/copy/{token}").json() == {"Status": "PENDING"}
        assert world.run_jobs() == 1
        assert http.get(f"{LE}/import/{target_ou}/copy/{token}").json() == {"Status": "COMPLETE"}
    assert live_types(world, target.id) == ["discussion_topic", "page"]


def test_copy_everything_when_components_is_null_or_missing(world):
    source, target = world.course("Source"), world.course("Target")
    source_ou, target_ou = ou(world, source), ou(world, target)
    fill(world, source)
    with world.client(world.admin_token) as http:
        assert http.post(f"{LE}/import/{target_ou}/copy/", json={"SourceOrgUnitId": source_ou}).status_code == 202
    world.run_jobs()
    assert live_types(world, target.id) == live_types(world, source.id)


def test_copy_errors(world):
    source, target = world.course("Source"), world.course("Target")
    source_ou, target_ou = ou(world, source), ou(world, target)
    with world.client(world.admin_token) as http:
        def post(target_id, **block):
            return http.post(f"{LE}/import/{target_id}/copy/", json={"SourceOrgUnitId": source_ou, **block})

        for block in ({"Components": []}, {"Components": ["Nope"]}, {"Components": "Content"},
                      {"SourceOrgUnitId": 99999999}, {"SourceOrgUnitId": "x"}, {"CallbackUrl": "ftp://x"}):
            answer = post(target_ou, **block)
            assert answer.status_code == 400, block
            assert answer.json()["status"] == 400
        assert "Source org unit not found." == post(target_ou, SourceOrgUnitId=99999999).json()["detail"]
        assert post(99999999).status_code == 404
        assert http.post(f"/d2l/api/le/1.4/import/{target_ou}/copy/", json={"SourceOrgUnitId": 1}).status_code == 404
        assert http.get(f"{LE}/import/{target_ou}/copy/99999999").status_code == 404
        assert http.get(f"{LE}/import/{target_ou}/copy/abc").status_code == 404
    with world.tx() as db:
        assert db.scalar(select(Job.id)) is None


def test_copy_rights(world):
    source, target = world.course("Source"), world.course("Target")
    source_ou, target_ou = ou(world, source), ou(world, target)
    cast = world.cast(target)
    with world.client(world.admin_token) as http:
        token = http.post(f"{LE}/import/{target_ou}/copy/", json={"SourceOrgUnitId": source_ou}).json()["JobToken"]
    with world.client(cast["teacher"]) as http:  # teaches the target, not the source
        assert http.post(f"{LE}/import/{target_ou}/copy/", json={"SourceOrgUnitId": source_ou}).status_code == 403
        assert http.get(f"{LE}/import/{target_ou}/copy/{token}").json() == {"Status": "PENDING"}
    with world.client(cast["student"]) as http:
        assert http.get(f"{LE}/import/{target_ou}/copy/{token}").status_code == 403
    other = world.course("Other")
    other_ou = ou(world, other)
    with world.client(world.admin_token) as http:  # a token names a job of its own target only
        assert http.get(f"{LE}/import/{other_ou}/copy/{token}").status_code == 404
