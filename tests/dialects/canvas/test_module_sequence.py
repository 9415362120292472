"""Canvas module item sequence and module relock over raw HTTP."""

from __future__ import annotations

from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND
from tests.dialects.canvas.test_modules import _item, _module, _target


def _sequence(c, course, asset_type, asset_id):
    return c.get(f"/api/v1/courses/{course.id}/module_item_sequence",
                 params={"asset_type": asset_type, "asset_id": asset_id})


def test_the_items_around_an_asset_across_modules_headers_skipped(world):
    course = world.course("Sequenced")
    cast = world.cast(course)
    page = _target(world, course, "page", "Intro", slug="intro", workflow_state="published")
    quiz = _target(world, course, "quiz", "Check", workflow_state="published")
    with world.client(cast["teacher"]) as c:
        one = _module(c, course, "Week 1", published="true")
        two = _module(c, course, "Week 2", published="true")
        intro = _item(c, course, one["id"], type="Page", page_url="intro", published="true")
        _item(c, course, two["id"], type="SubHeader", title="Read first", published="true")
        check = _item(c, course, two["id"], type="Quiz", content_id=str(quiz.id), published="true")
        draft = _item(c, course, two["id"], type="ExternalUrl", title="Later", external_url="https://example.org/",
                      new_tab="false")
        by_page = _sequence(c, course, "Page", "intro")
        by_quiz = _sequence(c, course, "Quiz", str(quiz.id))
        by_item = _sequence(c, course, "ModuleItem", str(draft["id"]))
        nowhere = _sequence(c, course, "Assignment", "99999999")
        bad_type = _sequence(c, course, "Wiki", "1")
        no_id = c.get(f"/api/v1/courses/{course.id}/module_item_sequence", params={"asset_type": "Page"})
    assert by_page.status_code == 200
    [step] = by_page.json()["items"]
    assert (step["prev"], step["current"]["id"], step["next"]["id"], step["mastery_path"]) == (
        None, intro["id"], check["id"], None)
    assert (step["current"]["type"], step["current"]["page_url"]) == ("Page", "intro")
    assert [m["id"] for m in by_page.json()["modules"]] == [one["id"], two["id"]]
    [quiz_step] = by_quiz.json()["items"]
    assert (quiz_step["prev"]["id"], quiz_step["next"]["id"]) == (intro["id"], draft["id"])
    assert by_item.json()["items"][0]["next"] is None and by_item.json()["modules"][0]["id"] == two["id"]
    assert nowhere.json() == {"items": [], "modules": []}
    assert bad_type.status_code == 400 and "asset_type" in bad_type.text
    assert no_id.status_code == 400 and "asset_id" in no_id.text
    with world.client(cast["student"]) as s:  # the unpublished link is not in a student's sequence
        [seen] = s.get(f"/api/v1/courses/{course.id}/module_item_sequence",
                       params={"asset_type": "Quiz", "asset_id": str(quiz.id)}).json()["items"]
    assert seen["next"] is None and seen["prev"]["id"] == intro["id"]
    assert seen["prev"]["page_url"] == page.slug


def test_relock_answers_the_module_for_its_managers(world):
    course = world.course("Relock")
    cast = world.cast(course)
    with world.client(cast["teacher"]) as c:
        module = _module(c, course, "Week 1")
        relocked = c.put(f"/api/v1/courses/{course.id}/modules/{module['id']}/relock")
        unknown = c.put(f"/api/v1/courses/{course.id}/modules/999999/relock")
    with world.client(cast["student"]) as s:
        refused = s.put(f"/api/v1/courses/{course.id}/modules/{module['id']}/relock")
    assert relocked.status_code == 200 and relocked.json()["id"] == module["id"]
    assert relocked.json()["name"] == "Week 1"
    assert [(r.status_code, r.json()) for r in (unknown, refused)] == [(404, NOT_FOUND), (403, FORBIDDEN)]
