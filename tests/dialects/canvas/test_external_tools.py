"""Canvas external tools over raw HTTP: the exact tool JSON (no shared secret), paging and filters, a course
seeing its accounts' tools with include_parents, refusals naming the field, permission refusals, and the stored
rows after every call (nothing written by a refused one)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.core.courses.external_tools import PLACEMENTS
from courseport.schema import ExternalTool
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

_TOOL = {"name": "Quizlet", "privacy_level": "public", "consumer_key": "key", "shared_secret": "s3cret",
         "url": "https://tool.example.com/launch", "description": "Flash cards",
         "custom_fields": {"mode": "study"}, "course_navigation": {"enabled": "true", "text": "Cards",
                                                                   "selection_width": "500"}}


@pytest.fixture
def cls(world):
    course = world.course("Biology")
    tina, tina_token = world.user_with_token(f"tina{course.id}")
    ann, ann_token = world.user_with_token(f"ann{course.id}")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    return course, tina_token, ann_token


def _stored(world) -> list[tuple]:
    with world.tx() as db:
        return [(t.course_id, t.account_id, t.name, t.privacy_level, t.consumer_key, t.shared_secret, t.url,
                 t.domain, t.custom_fields, t.placements)
                for t in db.scalars(select(ExternalTool).order_by(ExternalTool.id))]


def _post(world, token, path, body):
    with world.client(token) as c:
        return c.post(f"/api/v1/{path}/external_tools", json=body)


def test_create_answers_the_tool_json_and_stores_it(world, cls):
    course, tina_token, _ = cls
    r = _post(world, tina_token, f"courses/{course.id}", _TOOL)
    assert r.status_code == 200, r.text
    body = r.json()
    assert "shared_secret" not in body
    created, updated = body.pop("created_at"), body.pop("updated_at")
    assert created.endswith("Z") and updated.endswith("Z")
    placements = {name: None for name in PLACEMENTS}
    placements["course_navigation"] = {"enabled": True, "text": "Cards", "selection_width": 500}
    assert body == {"id": body["id"], "name": "Quizlet", "description": "Flash cards",
                    "url": "https://tool.example.com/launch", "domain": None, "consumer_key": "key",
                    "privacy_level": "public", "custom_fields": {"mode": "study"}, "workflow_state": "public",
                    "icon_url": None, "not_selectable": False, "is_rce_favorite": False, "version": "1.1",
                    **placements}
    assert _stored(world) == [(course.id, None, "Quizlet", "public", "key", "s3cret",
                               "https://tool.example.com/launch", None, {"mode": "study"},
                               {"course_navigation": {"enabled": True, "text": "Cards", "selection_width": 500}})]


@pytest.mark.parametrize(("change", "field"), [
    ({"name": ""}, "name"),
    ({"url": None}, "url"),
    ({"url": "ftp://tool.example.com/x"}, "url"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"privacy_level": "everyone"}, "privacy_level"),
    ({"consumer_key": None}, "consumer_key"),
    ({"shared_secret": ""}, "shared_secret"),
    ({"domain": "bad domain/x", "url": None}, "domain"),
    ({"course_navigation": {"enabled": "maybe"}}, "course_navigation[enabled]"),
    ({"course_navigation": {"url": "file:///etc/passwd"}}, "course_navigation[url]"),
    ({"custom_fields": "x"}, "custom_fields"),
    ({"config_type": "by_url", "config_url": "https://tool.example.com/config.xml"}, "config_type"),
    ({"config_type": "by_xml", "config_xml": "<xml/>"}, "config_type"),
    ({"client_id": "10000000000001"}, "client_id"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(world, cls, change, field):
    course, tina_token, _ = cls
    body = {k: v for k, v in {**_TOOL, **change}.items() if v is not None}
    r = _post(world, tina_token, f"courses/{course.id}", body)
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["field"] == field
    assert _stored(world) == []


def test_a_domain_alone_is_enough(world, cls):
    course, tina_token, _ = cls
    body = {k: v for k, v in _TOOL.items() if k != "url"} | {"domain": "Tool.Example.com"}
    r = _post(world, tina_token, f"courses/{course.id}", body)
    assert r.status_code == 200, r.text
    assert (r.json()["url"], r.json()["domain"]) == (None, "tool.example.com")


def test_students_read_but_do_not_write_and_strangers_do_neither(world, cls):
    course, tina_token, ann_token = cls
    made = _post(world, tina_token, f"courses/{course.id}", _TOOL).json()
    assert _post(world, ann_token, f"courses/{course.id}", _TOOL).json() == FORBIDDEN
    with world.client(ann_token) as c:
        assert [t["id"] for t in c.get(f"/api/v1/courses/{course.id}/external_tools").json()] == [made["id"]]
        assert c.get(f"/api/v1/courses/{course.id}/external_tools/{made['id']}").json()["name"] == "Quizlet"
        r = c.put(f"/api/v1/courses/{course.id}/external_tools/{made['id']}", json={"name": "Mine"})
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
        r = c.delete(f"/api/v1/courses/{course.id}/external_tools/{made['id']}")
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
        assert c.get("/api/v1/accounts/1/external_tools").status_code == 403
    _, stranger = world.user_with_token(f"sam{course.id}")
    with world.client(stranger) as c:
        assert c.get(f"/api/v1/courses/{course.id}/external_tools").status_code == 403
    assert [row[2] for row in _stored(world)] == ["Quizlet"]


def test_update_changes_only_what_is_sent_and_keeps_the_secret(world, cls):
    course, tina_token, _ = cls
    made = _post(world, tina_token, f"courses/{course.id}", _TOOL).json()
    with world.client(tina_token) as c:
        r = c.put(f"/api/v1/courses/{course.id}/external_tools/{made['id']}",
                  json={"name": "Quizlet 2", "privacy_level": "anonymous", "editor_button": {"enabled": "false"}})
        assert r.status_code == 200, r.text
        assert (r.json()["name"], r.json()["privacy_level"], r.json()["workflow_state"]) == (
            "Quizlet 2", "anonymous", "anonymous")
        assert r.json()["editor_button"] == {"enabled": False}
        assert r.json()["course_navigation"]["text"] == "Cards"
        bad = c.put(f"/api/v1/courses/{course.id}/external_tools/{made['id']}", json={"url": "notaurl"})
        assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "url")
        assert c.put(f"/api/v1/courses/{course.id}/external_tools/999999", json={"name": "x"}).json() == NOT_FOUND
    assert _stored(world)[0][2:6] == ("Quizlet 2", "anonymous", "key", "s3cret")
    assert _stored(world)[0][6] == "https://tool.example.com/launch"


def test_delete_answers_the_deleted_tool_and_removes_it(world, cls):
    course, tina_token, _ = cls
    made = _post(world, tina_token, f"courses/{course.id}", _TOOL).json()
    with world.client(tina_token) as c:
        r = c.delete(f"/api/v1/courses/{course.id}/external_tools/{made['id']}")
        assert r.status_code == 200, r.text
        assert (r.json()["id"], r.json()["workflow_state"]) == (made["id"], "deleted")
        again = c.delete(f"/api/v1/courses/{course.id}/external_tools/{made['id']}")
        assert (again.status_code, again.json()) == (404, NOT_FOUND)
    assert _stored(world) == []


def test_course_lists_account_tools_with_include_parents_and_changes_only_its_own(world, cls):
    course, tina_token, _ = cls
    account_tool = _post(world, world.admin_token, "accounts/1", {**_TOOL, "name": "District Tool"}).json()
    own = _post(world, tina_token, f"courses/{course.id}", _TOOL).json()
    with world.client(tina_token) as c:
        path = f"/api/v1/courses/{course.id}/external_tools"
        assert [t["id"] for t in c.get(path).json()] == [own["id"]]
        assert [t["id"] for t in c.get(path, params={"include_parents": "true"}).json()] == [
            account_tool["id"], own["id"]]
        assert c.get(f"{path}/{account_tool['id']}").json()["name"] == "District Tool"
        assert c.put(f"{path}/{account_tool['id']}", json={"name": "x"}).status_code == 404
        assert c.delete(f"{path}/{account_tool['id']}").status_code == 404
    assert sorted(row[2] for row in _stored(world)) == ["District Tool", "Quizlet"]


def test_list_pages_with_link_headers_and_filters(world, cls):
    course, tina_token, _ = cls
    for name in ("Alpha", "Beta", "Alphabet"):
        _post(world, tina_token, f"courses/{course.id}", {**_TOOL, "name": name})
    _post(world, tina_token, f"courses/{course.id}", {**_TOOL, "name": "Hidden", "not_selectable": "true"})
    path = f"/api/v1/courses/{course.id}/external_tools"
    with world.client(tina_token) as c:
        first = c.get(path, params={"per_page": 2})
        assert [t["name"] for t in first.json()] == ["Alpha", "Beta"]
        assert 'rel="next"' in first.headers["Link"]
        assert [t["name"] for t in c.get(path, params={"per_page": 2, "page": 2}).json()] == ["Alphabet", "Hidden"]
        assert [t["name"] for t in c.get(path, params={"search_term": "alph"}).json()] == ["Alpha", "Alphabet"]
        assert [t["name"] for t in c.get(path, params={"selectable": "true"}).json()] == [
            "Alpha", "Beta", "Alphabet"]
        short = c.get(path, params={"search_term": "a"})
        assert (short.status_code, short.json()["errors"][0]["field"]) == (400, "search_term")


def test_account_tools_are_for_account_admins(world, cls):
    course, tina_token, _ = cls
    r = _post(world, tina_token, "accounts/1", _TOOL)
    assert (r.status_code, r.json()) == (403, FORBIDDEN)
    made = _post(world, world.admin_token, "accounts/1", _TOOL).json()
    with world.client(world.admin_token) as c:
        assert [t["id"] for t in c.get("/api/v1/accounts/1/external_tools").json()] == [made["id"]]
        assert c.put(f"/api/v1/accounts/1/external_tools/{made['id']}", json={"name": "New"}).json()["name"] == "New"
    assert _stored(world)[0][:3] == (None, 1, "New")


def test_a_course_copy_carries_the_source_courses_own_tools(world, cls):
    course, tina_token, _ = cls
    target = world.course("Biology copy")
    world.enroll(world.admin, target, "TeacherEnrollment")
    _post(world, tina_token, f"courses/{course.id}", _TOOL)
    _post(world, world.admin_token, "accounts/1", {**_TOOL, "name": "District Tool"})
    for _ in range(2):  # a second copy updates the tool it made rather than adding another
        with world.client(world.admin_token) as c:
            r = c.post(f"/api/v1/courses/{target.id}/content_migrations",
                       data={"migration_type": "course_copy_importer", "settings[source_course_id]": str(course.id)})
            assert r.status_code == 200, r.text
        world.run_jobs()
    copied = [row for row in _stored(world) if row[0] == target.id]
    assert copied == [(target.id, None, "Quizlet", "public", "key", "s3cret", "https://tool.example.com/launch",
                       None, {"mode": "study"},
                       {"course_navigation": {"enabled": True, "text": "Cards", "selection_width": 500}})]
