"""canvasapi 3.6.0, unmodified, against the live server: a course exported as a Common Cartridge by a
background job, its cartridge downloaded and imported into another course through the D2L face."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden
from sqlalchemy import select

from courseport.schema import ContentItem
from tests.dialects.d2l.org_ids import ou


def _built(world):
    raw = world.course("Biology", course_code="BIO-1")
    course = world.canvas().get_course(raw.id)
    page = course.create_page({"title": "Cells", "body": "<p>Cells are <em>small</em>.</p>", "published": True})
    topic = course.create_discussion_topic(title="Introduce yourself", message="<p>Say hello</p>", published=True)
    quiz = course.create_quiz({"title": "Check", "quiz_type": "assignment"})
    quiz.create_question(question={
        "question_name": "Sum", "question_text": "<p>2 + 2?</p>", "question_type": "multiple_choice_question",
        "answers": [{"answer_text": "4", "answer_weight": 100}, {"answer_text": "5", "answer_weight": 0}]})
    module = course.create_module(module={"name": "Week 1"})
    module.create_module_item(module_item={"type": "Page", "page_url": page.url})
    module.create_module_item(module_item={"type": "Discussion", "content_id": topic.id})
    module.create_module_item(module_item={"type": "Quiz", "content_id": quiz.id})
    module.create_module_item(module_item={"type": "ExternalUrl", "title": "Reading",
                                           "external_url": "https://example.org/reading"})
    return raw, course


def _contents(world, course_id):
    with world.tx() as db:
        return {(i.type, i.title): i for i in db.scalars(select(ContentItem).where(
            ContentItem.course_id == course_id, ContentItem.workflow_state != "deleted"))}


def test_a_course_exported_as_a_cartridge_imports_into_another_course(world):
    raw, course = _built(world)
    export = course.export_content("common_cartridge")
    assert (export.export_type, export.workflow_state) == ("common_cartridge", "created")
    assert not hasattr(export, "attachment")
    assert world.run_jobs() == 1
    done = course.get_content_export(export.id)
    assert done.workflow_state == "exported" and done.attachment["display_name"] == "BIO-1-export.imscc"
    assert [e.id for e in course.get_content_exports()] == [export.id]
    with world.client() as anonymous:  # the attachment URL carries its verifier
        cartridge = anonymous.get(done.attachment["url"], follow_redirects=True)
    assert cartridge.status_code == 200 and cartridge.content[:2] == b"PK"

    target = world.course("Biology, next term")
    with world.client(world.admin_token) as http:
        started = http.post(f"/d2l/api/le/unstable/import/{ou(world, target)}/imports/",
                            files={"file": ("export.imscc", cartridge.content)})
    assert started.status_code == 200, started.text
    assert world.run_jobs() == 1
    made = _contents(world, target.id)
    assert {k for k in made if k[0] != "module_item"} == {
        ("page", "Cells"), ("discussion_topic", "Introduce yourself"), ("quiz", "Check"), ("quiz_question", "Sum"),
        ("link", "Reading"), ("module", "Week 1")}
    assert made[("page", "Cells")].body == "<p>Cells are <em>small</em>.</p>"
    assert made[("discussion_topic", "Introduce yourself")].body == "<p>Say hello</p>"
    question = made[("quiz_question", "Sum")]
    assert (question.body, [a["text"] for a in question.data["answers"]]) == ("<p>2 + 2?</p>", ["4", "5"])
    assert made[("link", "Reading")].data["url"] == "https://example.org/reading"
    items = sorted((i.position, i.title, i.data["type"]) for (kind, _), i in made.items() if kind == "module_item")
    assert [(t, k) for _, t, k in items] == [("Cells", "Page"), ("Introduce yourself", "Discussion"),
                                             ("Check", "Quiz"), ("Reading", "ExternalUrl")]


def test_exports_need_the_content_right_and_a_known_type(world):
    raw = world.course("Biology")
    cast = world.cast(raw)
    with pytest.raises(Forbidden):
        world.canvas(cast["student"]).get_course(raw.id).export_content("common_cartridge")
    with pytest.raises(BadRequest):
        world.canvas(cast["teacher"]).get_course(raw.id).export_content("qti")
    with pytest.raises(BadRequest):
        world.canvas(cast["teacher"]).get_course(raw.id).export_content("zip")
