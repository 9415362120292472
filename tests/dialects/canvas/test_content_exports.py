"""Canvas content exports over raw HTTP: the ContentExport body through its states, its Progress, and the
cartridge it writes (manifest, resources and a QTI item with its right answer)."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

from courseport.core.content import content
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"


def test_an_export_from_created_to_exported_and_its_cartridge(world):
    course = world.course("Chemistry", course_code="CHEM")
    with world.tx() as db:
        content.create_item(db, course.id, "page", {"title": "Atoms", "slug": "atoms", "workflow_state": "published",
                                                    "body": "<p>Small &amp; many</p>"})  # stored sanitised
        quiz = content.create_item(db, course.id, "quiz", {"title": "Quiz <1>", "workflow_state": "published"})
        content.create_item(db, course.id, "quiz_question", {
            "title": "Pick", "body": "<p>Which?</p>", "parent_id": quiz.id, "workflow_state": "published",
            "data": {"question_type": "multiple_choice_question",
                     "answers": [{"text": "A", "weight": 0}, {"text": "B", "weight": 100}]}})
        content.create_item(db, course.id, "assignment", {"title": "Essay", "workflow_state": "published"})
    base = f"/api/v1/courses/{course.id}/content_exports"
    with world.client(world.admin_token) as c:
        made = c.post(base, data={"export_type": "common_cartridge"})
        created = made.json()
        progress = c.get(f"/api/v1/progress/{created['id']}").json()
        assert world.run_jobs() == 1
        done = c.get(f"{base}/{created['id']}").json()
        progress_done = c.get(f"/api/v1/progress/{created['id']}").json()
        unknown = c.get(f"{base}/999999")
    assert made.status_code == 200
    assert created == {"id": created["id"], "created_at": created["created_at"], "export_type": "common_cartridge",
                       "progress_url": f"{world.base_url}/api/v1/progress/{created['id']}",
                       "user_id": world.admin.id, "workflow_state": "created"}
    assert (progress["workflow_state"], progress["tag"]) == ("queued", "content_export")
    assert done["workflow_state"] == "exported" and done["attachment"]["content-type"] == "application/zip"
    assert progress_done["workflow_state"] == "completed"
    assert progress_done["results"]["skipped"] == ["assignment 'Essay'"]
    assert progress_done["results"]["exported"] == {"module": 0, "page": 1, "quiz": 1}
    assert (unknown.status_code, unknown.json()) == (404, NOT_FOUND)
    with world.client() as anonymous:
        data = anonymous.get(done["attachment"]["url"], follow_redirects=True).content
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    assert manifest.findtext(f"{CP}metadata/{CP}schema") == "IMS Common Cartridge"
    kinds = {r.get("type"): r.find(f"{CP}file").get("href") for r in manifest.iter(f"{CP}resource")}
    assert set(kinds) == {"webcontent", "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"}
    assert b"<title>Atoms</title></head><body><p>Small &amp; many</p></body>" in archive.read(kinds["webcontent"])
    qti = ET.fromstring(archive.read(kinds["imsqti_xmlv1p2/imscc_xmlv1p1/assessment"]))
    assert qti.find(f"{QTI}assessment").get("title") == "Quiz <1>"
    [item] = qti.iter(f"{QTI}item")
    labels = {lab.get("ident"): lab.findtext(f".//{QTI}mattext") for lab in item.iter(f"{QTI}response_label")}
    [right] = [v.text for v in item.iter(f"{QTI}varequal")]
    assert labels[right] == "B" and item.findtext(f".//{QTI}fieldentry") == "cc.multiple_choice.v0p1"


def test_refusals(world):
    course = world.course("Chemistry")
    cast = world.cast(course)
    base = f"/api/v1/courses/{course.id}/content_exports"
    with world.client(cast["teacher"]) as c:
        qti = c.post(base, data={"export_type": "qti"})
        missing = c.post(base, data={})
    with world.client(cast["student"]) as c:
        student = c.post(base, data={"export_type": "common_cartridge"})
        listed = c.get(base)
    wrong = {"errors": [{"message": "export_type must be one of common_cartridge", "field": "export_type"}]}
    assert [(r.status_code, r.json()) for r in (qti, missing)] == [(400, wrong)] * 2
    assert [(r.status_code, r.json()) for r in (student, listed)] == [(403, FORBIDDEN)] * 2
    assert world.run_jobs() == 0  # nothing was queued
