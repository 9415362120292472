"""Canvas Outcome Groups API for accounts and the global context over raw HTTP: exact shapes of account and
global groups, links and outcomes, who reads and who writes (Canvas's error bodies), an account's outcome linked
read-only into a course, and the stored state after each call."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.core.identity import accounts
from courseport.schema import ContentItem
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND
from tests.dialects.canvas.test_outcomes import form


@pytest.fixture
def school(world):
    """Science (a sub-account) is administered by dean and holds Physics (tina teaches, ann studies); sam is in
    no course; Arts is another sub-account."""
    with world.tx() as db:
        science = accounts.create_account(db, "Science", accounts.ROOT_ACCOUNT_ID)
        arts = accounts.create_account(db, "Arts", accounts.ROOT_ACCOUNT_ID)
    people = {login: world.user_with_token(login) for login in ("dean", "tina", "ann", "sam")}
    with world.tx() as db:
        accounts.make_admin(db, people["dean"][0].id, science.id)
    course = world.course("Physics", account_id=science.id)
    world.enroll(people["tina"][0], course, "TeacherEnrollment")
    world.enroll(people["ann"][0], course)
    return science, arts, course, {login: token for login, (_, token) in people.items()}


def _rows(world, **where) -> list[tuple]:
    with world.tx() as db:
        stmt = select(ContentItem).where(*(getattr(ContentItem, k) == v for k, v in where.items()))
        return [(i.type, i.title, i.course_id, i.account_id, i.workflow_state)
                for i in db.scalars(stmt.order_by(ContentItem.id))]


def test_account_group_and_link_shapes(world, school):
    science, _, _, tokens = school
    base = f"/api/v1/accounts/{science.id}"
    with world.client(tokens["dean"]) as c:
        root = c.get(f"{base}/root_outcome_group").json()
        url = f"{base}/outcome_groups/{root['id']}"
        assert root == {"id": root["id"], "url": url, "title": "Science", "vendor_guid": None,
                        "subgroups_url": f"{url}/subgroups", "outcomes_url": f"{url}/outcomes", "can_edit": True,
                        "parent_outcome_group": None, "context_id": science.id, "context_type": "Account",
                        "description": "", "import_url": f"{url}/import"}
        made = c.post(f"{url}/outcomes", **form({"title": "Measure", "vendor_guid": "S.1"}))
        assert made.status_code == 200, made.text
        link = made.json()
        oid = link["outcome"]["id"]
        assert link == {"url": f"{url}/outcomes/{oid}", "context_id": science.id, "context_type": "Account",
                        "outcome_group": {k: root[k] for k in ("id", "url", "title", "vendor_guid", "subgroups_url",
                                                               "outcomes_url", "can_edit")},
                        "outcome": {"id": oid, "url": f"/api/v1/outcomes/{oid}", "context_id": science.id,
                                    "context_type": "Account", "title": "Measure", "display_name": None,
                                    "vendor_guid": "S.1", "can_edit": True},
                        "assessed": False, "can_unlink": True}
        assert [x["outcome"]["id"] for x in c.get(f"{base}/outcome_group_links").json()] == [oid]
        assert c.get(f"{base}/outcome_groups").json()[0]["id"] == root["id"]
    assert _rows(world, account_id=science.id) == [("outcome_group", "Science", None, science.id, "active"),
                                                   ("outcome", "Measure", None, science.id, "active"),
                                                   ("outcome_link", "Measure", None, science.id, "active")]


def test_account_rights_and_unknown_ids(world, school):
    science, arts, course, tokens = school
    base = f"/api/v1/accounts/{science.id}"
    with world.client(tokens["dean"]) as c:
        root_id = c.get(f"{base}/root_outcome_group").json()["id"]
        assert c.get(f"/api/v1/accounts/{arts.id}/root_outcome_group").json() == FORBIDDEN
        assert c.get(f"{base}/outcome_groups/99999999").json() == NOT_FOUND
        bad = c.post(f"{base}/outcome_groups/{root_id}/subgroups", **form({"title": " "}))
        assert bad.status_code == 400 and "title" in bad.text
        assert c.delete(f"{base}/outcome_groups/{root_id}").status_code == 400
    for login in ("tina", "ann"):
        with world.client(tokens[login]) as c:
            seen = c.get(f"{base}/outcome_groups/{root_id}")
            assert (seen.status_code, seen.json()["can_edit"]) == (200, False)
            refused = c.post(f"{base}/outcome_groups/{root_id}/subgroups", **form({"title": "Mine"}))
            assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    with world.client(tokens["sam"]) as c:
        assert c.get(f"{base}/outcome_groups/{root_id}").status_code == 403
    with world.client(tokens["dean"]) as c:  # another course's group id is not the account's
        course_root = c.get(f"/api/v1/courses/{course.id}/root_outcome_group")
        assert c.get(f"{base}/outcome_groups/{course_root.json()['id']}").status_code == 404
    assert [r[1] for r in _rows(world, account_id=science.id)] == ["Science"]


def test_course_links_account_outcome_read_only(world, school):
    science, _, course, tokens = school
    with world.client(tokens["dean"]) as c:
        root_id = c.get(f"/api/v1/accounts/{science.id}/root_outcome_group").json()["id"]
        oid = c.post(f"/api/v1/accounts/{science.id}/outcome_groups/{root_id}/outcomes",
                     **form({"title": "Measure"})).json()["outcome"]["id"]
    with world.client(tokens["tina"]) as c:
        croot = c.get(f"/api/v1/courses/{course.id}/root_outcome_group").json()["id"]
        link = c.put(f"/api/v1/courses/{course.id}/outcome_groups/{croot}/outcomes/{oid}").json()
        assert (link["context_type"], link["outcome"]["context_type"], link["outcome"]["can_edit"]) == (
            "Course", "Account", False)
        assert c.put(f"/api/v1/outcomes/{oid}", **form({"title": "Mine"})).json() == FORBIDDEN
        assert c.delete(f"/api/v1/courses/{course.id}/outcome_groups/{croot}/outcomes/{oid}").status_code == 200
    assert _rows(world, id=oid) == [("outcome", "Measure", None, science.id, "active")]  # not the course's to drop


def test_global_groups(world, school):
    _, _, _, tokens = school
    with world.client(world.admin_token) as c:
        root = c.get("/api/v1/global/root_outcome_group").json()
        assert (root["url"], root["context_id"], root["context_type"], root["title"], root["can_edit"]) == (
            f"/api/v1/global/outcome_groups/{root['id']}", None, None, "ROOT", True)
        sub = c.post(f"/api/v1/global/outcome_groups/{root['id']}/subgroups", **form({"title": "Shared"})).json()
        assert sub["parent_outcome_group"]["id"] == root["id"]
    with world.client(tokens["sam"]) as c:
        assert c.get(f"/api/v1/global/outcome_groups/{sub['id']}").json()["can_edit"] is False
        refused = c.put(f"/api/v1/global/outcome_groups/{sub['id']}", **form({"title": "Mine"}))
        assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
        assert c.delete(f"/api/v1/global/outcome_groups/{sub['id']}").status_code == 403
        assert c.get("/api/v1/global/outcome_groups/99999999").json() == NOT_FOUND
    assert [(r[1], r[2], r[3]) for r in _rows(world, type="outcome_group", workflow_state="active")
            if r[2] is None and r[3] is None] == [("ROOT", None, None), ("Shared", None, None)]
