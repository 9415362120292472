"""Import jobs over HTTP: a Common Cartridge becomes content; statuses, bad packages, rights."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import ContentItem
from tests.dialects.d2l.cartridge import cartridge

LE = "/d2l/api/le/unstable"


def items(world, course_id):
    with world.tx() as db:
        return {(i.type, i.title): i for i in db.scalars(select(ContentItem).where(ContentItem.course_id == course_id))}


def test_cartridge_import(world):
    target = world.course("Target")
    with world.client(world.admin_token) as http:
        answer = http.post(f"{LE}/import/{target.id}/imports/", files={"file": ("course.imscc", cartridge())})
        assert answer.status_code == 200, answer.text
        token = answer.json()["JobToken"]
        status = http.get(f"{LE}/import/{target.id}/imports/{token}")
        assert status.json() == {"JobToken": token, "TargetOrgUnitId": target.id, "Status": "UPLOADING"}
        assert world.run_jobs() == 1
        assert http.get(f"{LE}/import/{target.id}/imports/{token}").json()["Status"] == "COMPLETED"
        assert http.get(f"/d2l/api/le/1.5/import/{target.id}/imports/{token}").status_code == 200
        assert http.get(f"/d2l/api/le/1.4/import/{target.id}/imports/{token}").status_code == 404
    made = items(world, target.id)
    assert set(made) == {("page", "Introduction"), ("link", "Docs"), ("discussion_topic", "Say hello"),
                         ("quiz", "Check"), ("quiz_question", "Colour"), ("module", "Week 1"),
                         ("module_item", "Read me"), ("module_item", "Docs"), ("module_item", "Say hello"),
                         ("module_item", "Check")}
    assert made[("page", "Introduction")].body == "<p>Hello class</p>"
    assert made[("link", "Docs")].data["url"] == "https://example.org/docs"
    assert made[("discussion_topic", "Say hello")].body == "<p>Introduce yourself</p>"
    question = made[("quiz_question", "Colour")]
    assert (question.body, question.data["question_type"], [a["text"] for a in question.data["answers"]]) == (
        "Sky colour?", "multiple_choice", ["Blue", "Green"])
    assert question.parent_id == made[("quiz", "Check")].id
    module = made[("module", "Week 1")]
    assert made[("module_item", "Read me")].parent_id == module.id
    assert made[("module_item", "Read me")].ref_id == made[("page", "Introduction")].id
    assert made[("module_item", "Docs")].data["type"] == "ExternalUrl"


def test_bad_packages_fail_the_import_and_write_nothing(world):
    target = world.course("Target")
    with world.client(world.admin_token) as http:
        tokens = [http.post(f"{LE}/import/{target.id}/imports/", files={"file": ("x.imscc", body)}).json()["JobToken"]
                  for body in (b"not a zip", cartridge(**{"imsmanifest.xml": "<manifest"}),
                               cartridge(**{"../evil.txt": "x"}))]
        world.run_jobs()
        for token in tokens:
            assert http.get(f"{LE}/import/{target.id}/imports/{token}").json()["Status"] == "IMPORTFAILED"
    assert items(world, target.id) == {}


def test_import_errors_and_rights(world):
    target = world.course("Target")
    cast = world.cast(target)
    with world.client(world.admin_token) as http:
        assert http.post(f"{LE}/import/{target.id}/imports/", files={"other": ("x", b"x")}).status_code == 400
        assert http.post(f"{LE}/import/9999/imports/", files={"file": ("x", b"x")}).status_code == 404
        assert http.get(f"{LE}/import/{target.id}/imports/77").status_code == 404
        bad_url = http.post(f"{LE}/import/{target.id}/imports/?callbackUrl=file:///etc/passwd",
                            files={"file": ("x", b"x")})
        assert bad_url.status_code == 400
    with world.client(cast["student"]) as http:
        assert http.post(f"{LE}/import/{target.id}/imports/", files={"file": ("x", b"x")}).status_code == 403
