"""Import jobs over HTTP: a Common Cartridge becomes content; statuses, bad packages, rights."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import select

from courseport.schema import ContentItem
from tests.dialects.d2l.cartridge import cartridge
from tests.dialects.d2l.org_ids import ou

LE = "/d2l/api/le/unstable"


def items(world, course_id):
    with world.tx() as db:
        return {(i.type, i.title): i for i in db.scalars(select(ContentItem).where(ContentItem.course_id == course_id))}


def test_cartridge_import(world):
    target = world.course("Target")
    target_ou = ou(world, target)
    with world.client(world.admin_token) as http:
        answer = http.post(f"{LE}/import/{target_ou}/imports/", files={"file": ("course.imscc", cartridge())})
        assert answer.status_code == 200, answer.text
        token = answer.json()["JobToken"]
        status = http.get(f"{LE}/import/{target_ou}/imports/{token}")
        assert status.json() == {"JobToken": token, "TargetOrgUnitId": target_ou, "Status": "UPLOADING"}
        assert world.run_jobs() == 1
        assert http.get(f"{LE}/import/{target_ou}/imports/{token}").json()["Status"] == "COMPLETED"
        assert http.get(f"/d2l/api/le/1.5/import/{target_ou}/imports/{token}").status_code == 200
        assert http.get(f"/d2l/api/le/1.4/import/{target_ou}/imports/{token}").status_code == 404
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
    target_ou = ou(world, target)
    with world.client(world.admin_token) as http:
        tokens = [http.post(f"{LE}/import/{target_ou}/imports/", files={"file": ("x.imscc", body)}).json()["JobToken"]
                  for body in (b"not a zip", cartridge(**{"imsmanifest.xml": "<manifest"}),
                               cartridge(**{"../evil.txt": "x"}))]
        world.run_jobs()
        for token in tokens:
            assert http.get(f"{LE}/import/{target_ou}/imports/{token}").json()["Status"] == "IMPORTFAILED"
    assert items(world, target.id) == {}


def test_import_errors_and_rights(world):
    target = world.course("Target")
    target_ou = ou(world, target)
    cast = world.cast(target)
    with world.client(world.admin_token) as http:
        assert http.post(f"{LE}/import/{target_ou}/imports/", files={"other": ("x", b"x")}).status_code == 400
        assert http.post(f"{LE}/import/99999999/imports/", files={"file": ("x", b"x")}).status_code == 404
        assert http.get(f"{LE}/import/{target_ou}/imports/77").status_code == 404
        bad_url = http.post(f"{LE}/import/{target_ou}/imports/?callbackUrl=file:///etc/passwd",
                            files={"file": ("x", b"x")})
        assert bad_url.status_code == 400
    with world.client(cast["student"]) as http:
        assert http.post(f"{LE}/import/{target_ou}/imports/", files={"file": ("x", b"x")}).status_code == 403


def _stored_files(world, scratch) -> set[str]:
    """Every file in the blob store (its temp folder included) and in the process's temp folder."""
    return ({str(p) for p in Path(world.services.blobs.root).rglob("*") if p.is_file()}
            | {str(p) for p in Path(scratch).rglob("*")})


def _tampered(url: str) -> str:
    """The URL with its signature's first character changed (to another one: a signature that began with
    the replacement made this test pass a valid URL, 1 run in 64)."""
    parts = urlsplit(url)
    query = [(k, ("B" if v[0] == "A" else "A") + v[1:] if k == "x_c" else v) for k, v in parse_qsl(parts.query)]
    return parts._replace(query=urlencode(query)).geturl()


REFUSALS = {
    "no credentials": (None, 403, "This call needs a user: sign it with a user id and key, or send a token."),
    "bad signature": ("signed", 403, "Invalid Token"),
    "no right": ("student", 403, "No permission to perform this action."),
    "no such org unit": ("admin", 404, "Could not resolve course offering to a known org unit."),
    "refused callbackUrl": ("admin", 400, "callbackUrl may not point at 0x7f.1: 127.0.0.1 is a loopback address "
                            "(not public, and not in the outbound allow-list)"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_refused_uploads_are_refused_before_the_body_is_read(world, case, tmp_path, monkeypatch):
    """Nothing of a refused upload is stored: no blob, no temp file (finding: 20 refused 9 MB uploads
    left 180 MB); the caller gets the face's error."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    caller, status, detail = REFUSALS[case]
    target = world.course("Target")
    target_ou = ou(world, target)
    cast = world.cast(target)
    org_unit = 999999 if case == "no such org unit" else target_ou
    query = "?callbackUrl=http://0x7f.1/cb" if case == "refused callbackUrl" else ""
    path = f"{LE}/import/{org_unit}/imports/{query}"
    url = world.base_url + path
    headers = {"Authorization": f"Bearer {cast[caller]}"} if caller in cast else {}
    if caller == "signed":
        url = _tampered(world.d2l().decorate_url_with_authentication(url, method="POST"))
    before = _stored_files(world, tmp_path)
    package = cartridge(**{"big.bin": os.urandom(3 * 1024 * 1024)})
    answer = httpx.post(url, headers=headers, files={"file": ("course.imscc", package)}, timeout=30)
    assert answer.status_code == status
    assert (answer.text if detail == "Invalid Token" else answer.json()["detail"]) == detail
    assert _stored_files(world, tmp_path) == before
    assert world.run_jobs() == 0


def test_a_package_over_10_mb_is_streamed_and_imported(world):
    target = world.course("Target")
    target_ou = ou(world, target)
    package = cartridge(**{"media/big.bin": os.urandom(11 * 1024 * 1024)})
    assert len(package) > 11 * 1024 * 1024
    with world.client(world.admin_token) as http:
        answer = http.post(f"{LE}/import/{target_ou}/imports/", files={"file": ("course.imscc", package)})
        assert answer.status_code == 200, answer.text
        token = answer.json()["JobToken"]
        assert world.run_jobs() == 1
        assert http.get(f"{LE}/import/{target_ou}/imports/{token}").json()["Status"] == "COMPLETED"
    assert ("page", "Introduction") in items(world, target.id)


def test_a_package_past_the_upload_limit_is_400_and_leaves_nothing(world, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(world.services, "settings", world.services.settings.with_changes(max_upload_bytes=1000))
    target = world.course("Target")
    target_ou = ou(world, target)
    before = _stored_files(world, tmp_path)
    with world.client(world.admin_token) as http:
        answer = http.post(f"{LE}/import/{target_ou}/imports/", files={"file": ("c.imscc", os.urandom(5000))})
    assert answer.status_code == 400
    assert answer.json()["detail"] == "The course package is too large (more than 1000 bytes)."
    assert _stored_files(world, tmp_path) == before
    assert world.run_jobs() == 0
