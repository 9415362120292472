"""Canvas Modules API over raw HTTP: exact Module and ModuleItem bodies, ordering, validation,
publishing, what students see, and marking items read or done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from courseport.core.content import content
from courseport.schema.base import utcnow
from courseport.schema.content import ContentItem, ModuleProgress


def _target(world, course, item_type, title, **fields):
    with world.tx() as db:
        return content.create_item(db, course.id, item_type, {"title": title, **fields})


def _state(world, item_id):
    with world.tx() as db:
        item = db.get(ContentItem, item_id)
        return item.workflow_state, item.position, item.parent_id


def _key(prefix, name):
    base, bracket, rest = name.partition("[")
    return f"{prefix}[{base}]" + (bracket + rest if bracket else "")


def _module(c, course, name, **params):
    r = c.post(f"/api/v1/courses/{course.id}/modules",
               data={"module[name]": name, **{f"module[{k}]": v for k, v in params.items()}})
    assert r.status_code == 200, r.text
    return r.json()


def _item(c, course, module_id, **params):
    r = c.post(f"/api/v1/courses/{course.id}/modules/{module_id}/items",
               data={_key("module_item", k): v for k, v in params.items()})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture
def setup(world):
    course = world.course("Modules")
    return course, world.cast(course)


def test_create_module_exact_body(world, setup):
    course, cast = setup
    with world.client(cast["teacher"]) as c:
        r = c.post(f"/api/v1/courses/{course.id}/modules", data={
            "module[name]": "Week 1", "module[unlock_at]": "2030-01-01T00:00:00Z",
            "module[require_sequential_progress]": "true", "module[publish_final_grade]": "false"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == {
        "id": body["id"], "workflow_state": "unpublished", "position": 1, "name": "Week 1",
        "unlock_at": "2030-01-01T00:00:00Z", "require_sequential_progress": True, "requirement_type": "all",
        "prerequisite_module_ids": [], "publish_final_grade": False, "items_count": 0,
        "items_url": f"{world.base_url}/api/v1/courses/{course.id}/modules/{body['id']}/items", "published": False,
    }
    assert _state(world, body["id"]) == ("unpublished", 1, None)


def test_module_validation_errors(world, setup):
    course, cast = setup
    with world.client(cast["teacher"]) as c:
        first = _module(c, course, "First")
        r = c.post(f"/api/v1/courses/{course.id}/modules", data={"module[name]": " "})
        assert r.status_code == 400
        assert r.json() == {"errors": [{"message": "missing module name", "field": "module[name]"}]}
        second = _module(c, course, "Second", prerequisite_module_ids=str(first["id"]))
        assert second["prerequisite_module_ids"] == [first["id"]]
        r = c.put(f"/api/v1/courses/{course.id}/modules/{first['id']}",
                  data={"module[prerequisite_module_ids][]": str(second["id"])})
        assert r.status_code == 400
        assert r.json()["errors"][0]["field"] == "module[prerequisite_module_ids]"
        r = c.put(f"/api/v1/courses/{course.id}/modules/{first['id']}", data={"module[position]": "0"})
        assert r.status_code == 400
        assert r.json()["errors"][0]["field"] == "module[position]"
        r = c.put(f"/api/v1/courses/{course.id}/modules/{first['id']}", data={"module[position]": "x"})
        assert r.status_code == 400
        assert r.json()["errors"][0]["field"] == "module[position]"
        assert c.get(f"/api/v1/courses/{course.id}/modules/999999").status_code == 404


def test_positions_renumber_on_insert_move_and_delete(world, setup):
    course, cast = setup
    with world.client(cast["teacher"]) as c:
        a, b = _module(c, course, "A"), _module(c, course, "B")
        c_ = _module(c, course, "C", position="1", prerequisite_module_ids="")
        assert c_["position"] == 1
        names = [(m["name"], m["position"]) for m in c.get(f"/api/v1/courses/{course.id}/modules").json()]
        assert names == [("C", 1), ("A", 2), ("B", 3)]
        b_with_prereq = c.put(f"/api/v1/courses/{course.id}/modules/{b['id']}",
                              data={"module[prerequisite_module_ids][]": [str(a["id"]), str(c_["id"])]}).json()
        assert b_with_prereq["prerequisite_module_ids"] == [a["id"], c_["id"]]
        moved = c.put(f"/api/v1/courses/{course.id}/modules/{b['id']}", data={"module[position]": "2"}).json()
        assert moved["position"] == 2
        assert moved["prerequisite_module_ids"] == [c_["id"]]  # A no longer comes before B
        gone = c.delete(f"/api/v1/courses/{course.id}/modules/{c_['id']}")
        assert gone.status_code == 200
        assert gone.json()["workflow_state"] == "deleted"
        listed = c.get(f"/api/v1/courses/{course.id}/modules").json()
    assert [(m["name"], m["position"], m["prerequisite_module_ids"]) for m in listed] == [("B", 1, []), ("A", 2, [])]


def test_module_items_exact_bodies_and_targets(world, setup):
    course, cast = setup
    assignment = _target(world, course, "assignment", "Essay", points=10.0, workflow_state="published",
                         due_at=utcnow().replace(microsecond=0) + timedelta(days=3))
    _target(world, course, "page", "Intro", slug="intro", workflow_state="unpublished")
    origin, base = world.base_url, f"/api/v1/courses/{course.id}"
    with world.client(cast["teacher"]) as c:
        module = _module(c, course, "Week 1")
        header = _item(c, course, module["id"], type="SubHeader", title="Read first")
        a = _item(c, course, module["id"], type="Assignment", content_id=str(assignment.id), indent="1",
                  **{"completion_requirement[type]": "min_score", "completion_requirement[min_score]": "7"})
        p = _item(c, course, module["id"], type="Page", page_url="intro", position="1",
                  **{"completion_requirement[type]": "must_view"})
        link = _item(c, course, module["id"], type="ExternalUrl", title="Docs", external_url="https://example.org/x",
                     new_tab="true", **{"completion_requirement[type]": "must_submit"})
    assert header == {"id": header["id"], "module_id": module["id"], "position": 1, "title": "Read first",
                      "indent": 0, "type": "SubHeader", "published": False}
    assert a == {
        "id": a["id"], "module_id": module["id"], "position": 2, "title": "Essay", "indent": 1, "type": "Assignment",
        "html_url": f"{origin}/courses/{course.id}/modules/items/{a['id']}", "content_id": assignment.id,
        "url": f"{origin}{base}/assignments/{assignment.id}",
        "completion_requirement": {"type": "min_score", "min_score": 7}, "published": True,
    }
    assert p == {
        "id": p["id"], "module_id": module["id"], "position": 1, "title": "Intro", "indent": 0, "type": "Page",
        "html_url": f"{origin}/courses/{course.id}/modules/items/{p['id']}", "page_url": "intro",
        "url": f"{origin}{base}/pages/intro", "completion_requirement": {"type": "must_view"}, "published": False,
    }
    assert link == {  # must_submit does not apply to links, so Canvas ignores it
        "id": link["id"], "module_id": module["id"], "position": 4, "title": "Docs", "indent": 0,
        "type": "ExternalUrl", "html_url": f"{origin}{base}/module_item_redirect/{link['id']}",
        "external_url": "https://example.org/x", "new_tab": True, "published": False,
    }
    with world.client(cast["teacher"]) as c:
        listed = c.get(f"{base}/modules/{module['id']}/items", params={"include[]": "content_details"}).json()
    assert [(i["title"], i["position"]) for i in listed] == [("Intro", 1), ("Read first", 2), ("Essay", 3),
                                                             ("Docs", 4)]
    assert listed[2]["content_details"] == {"points_possible": 10.0, "due_at": _due(assignment),
                                            "locked_for_user": False}


def _due(item):
    return item.due_at.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"type": "Quiz", "content_id": "1"}, "module_item[content_id]", "Could not find content"),
    ({"type": "Assignment"}, "module_item[content_id]", "module_item[content_id] is required for Assignment items"),
    ({"type": "Page"}, "module_item[page_url]", "missing page_url parameter"),
    ({"type": "Page", "page_url": "nope"}, "module_item[page_url]", "invalid page_url parameter"),
    ({"type": "Video"}, "module_item[type]",
     "module_item[type] must be one of Assignment, Quiz, Discussion, Page, File, SubHeader, ExternalUrl, ExternalTool"),
    ({"type": "SubHeader"}, "module_item[title]", "module_item[title] is required for SubHeader items"),
    ({"type": "ExternalUrl", "external_url": "javascript:alert(1)"}, "module_item[external_url]",
     "module_item[external_url] must be an http or https URL"),
    ({"type": "SubHeader", "title": "x", "completion_requirement[type]": "must_win"},
     "module_item[completion_requirement][type]",
     "completion_requirement type must be one of must_view, must_mark_done, must_contribute, must_submit, min_score"),
    ({"type": "Assignment", "content_id": "@a", "completion_requirement[type]": "min_score"},
     "module_item[completion_requirement][min_score]", "min_score is required (a number) for a min_score requirement"),
])
def test_module_item_validation(world, setup, params, field, message):
    course, cast = setup
    assignment = _target(world, course, "assignment", "A", workflow_state="published")
    params = {k: str(assignment.id) if v == "@a" else v for k, v in params.items()}
    with world.client(cast["teacher"]) as c:
        module = _module(c, course, "M")
        r = c.post(f"/api/v1/courses/{course.id}/modules/{module['id']}/items",
                   data={_key("module_item", k): v for k, v in params.items()})
    assert r.status_code == 400, r.text
    assert r.json() == {"errors": [{"message": message, "field": field}]}
    with world.tx() as db:
        assert db.scalar(select(ContentItem.id).where(ContentItem.type == "module_item")) is None


def test_content_of_the_wrong_type_or_another_course_is_refused(world, setup):
    course, cast = setup
    page = _target(world, course, "page", "P", slug="p", workflow_state="published")
    elsewhere = _target(world, world.course("Other"), "assignment", "Theirs", workflow_state="published")
    with world.client(cast["teacher"]) as c:
        module = _module(c, course, "M")
        for content_id in (page.id, elsewhere.id):
            r = c.post(f"/api/v1/courses/{course.id}/modules/{module['id']}/items",
                       data={"module_item[type]": "Assignment", "module_item[content_id]": str(content_id)})
            assert r.status_code == 400
            assert r.json()["errors"][0]["field"] == "module_item[content_id]"


def test_publishing_an_item_publishes_its_target_and_module_publishes_items(world, setup):
    course, cast = setup
    page = _target(world, course, "page", "P", slug="p", workflow_state="unpublished")
    assignment = _target(world, course, "assignment", "A", workflow_state="unpublished")
    with world.client(cast["teacher"]) as c:
        module = _module(c, course, "M")
        pi = _item(c, course, module["id"], type="Page", page_url="p")
        ai = _item(c, course, module["id"], type="Assignment", content_id=str(assignment.id))
        r = c.put(f"/api/v1/courses/{course.id}/modules/{module['id']}/items/{pi['id']}",
                  data={"module_item[published]": "true"})
        assert r.status_code == 200 and r.json()["published"] is True
        assert _state(world, page.id)[0] == "published"
        assert _state(world, assignment.id)[0] == "unpublished"
        r = c.put(f"/api/v1/courses/{course.id}/modules/{module['id']}", data={"module[published]": "true"})
        assert r.json()["published"] is True and r.json()["workflow_state"] == "active"
    assert _state(world, ai["id"])[0] == "active"
    assert _state(world, assignment.id)[0] == "published"


def test_update_renames_target_and_moves_between_modules(world, setup):
    course, cast = setup
    assignment = _target(world, course, "assignment", "Old", workflow_state="published")
    with world.client(cast["teacher"]) as c:
        one, two = _module(c, course, "One"), _module(c, course, "Two")
        first = _item(c, course, one["id"], type="SubHeader", title="h")
        item = _item(c, course, one["id"], type="Assignment", content_id=str(assignment.id), position="1",
                     **{"completion_requirement[type]": "must_submit"})
        _item(c, course, two["id"], type="SubHeader", title="t")
        r = c.put(f"/api/v1/courses/{course.id}/modules/{one['id']}/items/{item['id']}",
                  data={"module_item[title]": "New", "module_item[module_id]": str(two["id"]),
                        "module_item[position]": "1"})
        assert r.status_code == 200, r.text
        moved = r.json()
        bad = c.put(f"/api/v1/courses/{course.id}/modules/{two['id']}/items/{item['id']}",
                    data={"module_item[module_id]": "999999"})
    assert (moved["module_id"], moved["position"], moved["title"]) == (two["id"], 1, "New")
    assert moved["completion_requirement"] == {"type": "must_submit"}
    assert _state(world, assignment.id)[0] == "published"
    with world.tx() as db:
        assert db.get(ContentItem, assignment.id).title == "New"
    assert _state(world, first["id"])[1] == 1  # the old module closed the gap
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "module_item[module_id]"


def test_delete_item_renumbers(world, setup):
    course, cast = setup
    with world.client(cast["teacher"]) as c:
        module = _module(c, course, "M")
        a = _item(c, course, module["id"], type="SubHeader", title="a")
        b = _item(c, course, module["id"], type="SubHeader", title="b")
        r = c.delete(f"/api/v1/courses/{course.id}/modules/{module['id']}/items/{a['id']}")
        assert r.status_code == 200 and r.json()["id"] == a["id"]
        assert c.get(f"/api/v1/courses/{course.id}/modules/{module['id']}/items/{a['id']}").status_code == 404
    assert _state(world, a["id"])[0] == "deleted"
    assert _state(world, b["id"])[1] == 1


def test_students_cannot_write_and_see_only_published(world, setup):
    course, cast = setup
    page = _target(world, course, "page", "Draft", slug="draft", workflow_state="unpublished")
    with world.client(cast["teacher"]) as c:
        hidden = _module(c, course, "Hidden")
        shown = _module(c, course, "Shown", published="true")
        visible = _item(c, course, shown["id"], type="SubHeader", title="Welcome", published="true")
        _item(c, course, shown["id"], type="Page", page_url="draft")
    base = f"/api/v1/courses/{course.id}/modules"
    with world.client(cast["student"]) as c:
        assert c.post(base, data={"module[name]": "Mine"}).status_code == 403
        assert c.put(f"{base}/{shown['id']}", data={"module[name]": "X"}).status_code == 403
        assert c.delete(f"{base}/{shown['id']}").status_code == 403
        assert c.post(f"{base}/{shown['id']}/items", data={"module_item[type]": "SubHeader",
                                                           "module_item[title]": "x"}).status_code == 403
        listed = c.get(base, params={"include[]": "items"}).json()
        assert c.get(f"{base}/{hidden['id']}").status_code == 404
        assert c.get(f"{base}/{hidden['id']}/items").status_code == 404
    assert listed == [{
        "id": shown["id"], "workflow_state": "active", "position": 2, "name": "Shown", "unlock_at": None,
        "require_sequential_progress": False, "requirement_type": "all", "prerequisite_module_ids": [],
        "publish_final_grade": False, "items_count": 1, "items_url": f"{world.base_url}{base}/{shown['id']}/items",
        "state": "completed", "completed_at": None,
        "items": [{"id": visible["id"], "module_id": shown["id"], "position": 1, "title": "Welcome", "indent": 0,
                   "type": "SubHeader"}],
    }]
    assert _state(world, page.id)[0] == "unpublished"  # adding a page to a module does not publish it
    with world.client(cast["admin"]) as c:
        assert [(m["name"], m["published"], "state" in m) for m in c.get(base).json()] == [
            ("Hidden", False, False), ("Shown", True, False)]
    with world.client(cast["outsider"]) as c:
        assert c.get(base).status_code == 403


def test_search_term_filters_modules_and_items(world, setup):
    course, cast = setup
    with world.client(cast["teacher"]) as c:
        algebra = _module(c, course, "Algebra")
        geometry = _module(c, course, "Geometry")
        _item(c, course, geometry["id"], type="SubHeader", title="Algebraic proofs")
        _item(c, course, geometry["id"], type="SubHeader", title="Triangles")
        base = f"/api/v1/courses/{course.id}/modules"
        plain = c.get(base, params={"search_term": "alg"}).json()
        with_items = c.get(base, params={"search_term": "alg", "include[]": "items"}).json()
        short = c.get(base, params={"search_term": "a"})
    assert [m["id"] for m in plain] == [algebra["id"]]
    assert [(m["id"], [i["title"] for i in m["items"]]) for m in with_items] == [
        (algebra["id"], []), (geometry["id"], ["Algebraic proofs"])]
    assert short.status_code == 400 and short.json()["errors"][0]["field"] == "search_term"


def test_paging_links(world, setup):
    course, cast = setup
    with world.client(cast["teacher"]) as c:
        for n in range(3):
            _module(c, course, f"M{n}")
        r = c.get(f"/api/v1/courses/{course.id}/modules", params={"per_page": 2})
        second = c.get(f"/api/v1/courses/{course.id}/modules", params={"per_page": 2, "page": 2})
    assert [m["name"] for m in r.json()] == ["M0", "M1"]
    assert 'rel="next"' in r.headers["Link"] and 'rel="last"' in r.headers["Link"]
    assert [m["name"] for m in second.json()] == ["M2"]


def _progress_rows(world, user_id):
    with world.tx() as db:
        return {(r.item_id, r.viewed_at is not None, r.completed_at is not None)
                for r in db.scalars(select(ModuleProgress).where(ModuleProgress.user_id == user_id))}


def test_student_marks_items_and_sequential_progress_locks(world, setup):
    course, cast = setup
    with world.client(cast["teacher"]) as c:
        module = _module(c, course, "Seq", require_sequential_progress="true", published="true")
        read = _item(c, course, module["id"], type="ExternalUrl", title="Read", external_url="https://e.org",
                     published="true", **{"completion_requirement[type]": "must_view"})
        done = _item(c, course, module["id"], type="SubHeader", title="after", published="true")
        mark = _item(c, course, module["id"], type="ExternalUrl", title="Do", external_url="https://e.org/2",
                     published="true", **{"completion_requirement[type]": "must_mark_done"})
    base = f"/api/v1/courses/{course.id}/modules/{module['id']}"
    student = world.user_with_token(f"student{course.id}")[0]
    with world.client(cast["student"]) as c:
        locked = c.put(f"{base}/items/{mark['id']}/done")
        assert locked.status_code == 403
        assert locked.json()["errors"] == [{"message": "The module item is locked."}]
        before = c.get(f"{base}/items", params={"include[]": "content_details"}).json()
        assert [(i["id"], i["content_details"]["locked_for_user"]) for i in before] == [
            (read["id"], False), (done["id"], True), (mark["id"], True)]
        assert before[0]["completion_requirement"] == {"type": "must_view", "completed": False}
        r = c.post(f"{base}/items/{read['id']}/mark_read")
        assert (r.status_code, r.json()) == (200, {"message": "OK"})
        assert c.get(base).json()["state"] == "started"
        assert c.put(f"{base}/items/{mark['id']}/done").json() == {"message": "OK"}
        finished = c.get(base, params={"include[]": "items"}).json()
        assert finished["state"] == "completed" and finished["completed_at"] is not None
        assert [i["completion_requirement"]["completed"] for i in finished["items"] if "completion_requirement" in i] \
            == [True, True]
        assert _progress_rows(world, student.id) == {(read["id"], True, False), (mark["id"], False, True)}
        assert c.delete(f"{base}/items/{mark['id']}/done").json() == {"message": "OK"}
        assert c.get(base).json()["state"] == "started"
    assert _progress_rows(world, student.id) == {(read["id"], True, False), (mark["id"], False, False)}


def test_prerequisites_and_unlock_dates_lock_modules(world, setup):
    course, cast = setup
    with world.client(cast["teacher"]) as c:
        first = _module(c, course, "First", published="true")
        item = _item(c, course, first["id"], type="SubHeader", title="x", published="true")
        ignored = c.put(f"/api/v1/courses/{course.id}/modules/{first['id']}/items/{item['id']}",
                        data={"module_item[completion_requirement][type]": "must_view"}).json()
        assert "completion_requirement" not in ignored  # sub-headers cannot carry requirements
        link = _item(c, course, first["id"], type="ExternalUrl", title="L", external_url="https://e.org",
                     published="true", **{"completion_requirement[type]": "must_view"})
        second = _module(c, course, "Second", published="true", prerequisite_module_ids=str(first["id"]))
        later = _module(c, course, "Later", published="true",
                        unlock_at=(utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"))
        teacher_view = c.get(f"/api/v1/courses/{course.id}/modules").json()
    assert all("state" not in m for m in teacher_view)
    base = f"/api/v1/courses/{course.id}/modules"
    with world.client(cast["student"]) as c:
        assert [m["state"] for m in c.get(base).json()] == ["unlocked", "locked", "locked"]
        c.post(f"{base}/{first['id']}/items/{link['id']}/mark_read")
        assert [m["state"] for m in c.get(base).json()] == ["completed", "completed", "locked"]
    with world.client(cast["teacher"]) as c:
        student = world.user_with_token(f"student{course.id}")[0]
        as_student = c.get(base, params={"student_id": str(student.id)}).json()
    assert [(m["id"], m["state"]) for m in as_student] == [
        (first["id"], "completed"), (second["id"], "completed"), (later["id"], "locked")]
