"""Canvas file upload over raw HTTP: both steps, file JSON, download, limits, names, shared blobs."""

from __future__ import annotations

import hashlib
import os
import tracemalloc
from pathlib import Path

import httpx
import pytest

from courseport.core.content import file_uploads
from courseport.core.content import files as core_files
from courseport.schema import File, Folder
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED

BAD_TICKET = {"errors": [{"message": "Invalid or expired upload ticket."}]}


def ask_upload(client: httpx.Client, course_id: int, name: str, **params) -> httpx.Response:
    return client.post(f"/api/v1/courses/{course_id}/files", data={"name": name, **params})


def send_file(upload_url: str, params: dict, name: str, content) -> httpx.Response:  # noqa: ANN001
    """Step 2 exactly as canvasapi does it: no Authorization header, the params, then the file part."""
    with httpx.Client(timeout=60) as anonymous:
        return anonymous.post(upload_url, data=params, files={"file": (name, content)})


def upload(client: httpx.Client, course_id: int, name: str, content: bytes, **params) -> dict:
    step1 = ask_upload(client, course_id, name, size=str(len(content)), **params)
    assert step1.status_code == 200, step1.text
    step2 = send_file(step1.json()["upload_url"], step1.json()["upload_params"], name, content)
    assert step2.status_code == 201, step2.text
    return step2.json()


def blob_files(world) -> set[Path]:
    root = world.services.settings.blob_dir
    return {p for p in root.rglob("*") if p.is_file() and p.parent.name != "tmp"}


def temp_files(world) -> list[Path]:
    return list((world.services.settings.blob_dir / "tmp").iterdir())


def live_files(world, course_id: int) -> list[tuple[str, int]]:
    with world.tx() as db:
        rows = db.query(File).filter(File.course_id == course_id, File.workflow_state != "deleted")
        return sorted((f.display_name, f.size) for f in rows)


@pytest.fixture
def teacher_setup(world):
    course = world.course("Files 101")
    teacher, token = world.user_with_token("teacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    return course, teacher, token


def test_step1_answers_an_upload_url_and_params(world, teacher_setup):
    course, _, token = teacher_setup
    with world.client(token) as c:
        r = ask_upload(c, course.id, "notes.txt", size="5", parent_folder_path="week 1")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["upload_url"].startswith(f"{world.base_url}/api/v1/file_uploads/")
    assert body["upload_params"] == {"filename": "notes.txt", "content_type": "text/plain"}
    assert body["file_param"] == "file"
    ticket = file_uploads.read_ticket(world.services.secret, body["upload_url"].rsplit("/", 1)[1])
    assert (ticket.course_id, ticket.name, ticket.folder_path, ticket.max_bytes, ticket.on_duplicate) == (
        course.id, "notes.txt", "course files/week 1", 5, "overwrite")


def test_step1_accepts_json(world, teacher_setup):
    course, _, token = teacher_setup
    with world.client(token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/files", json={"name": "a.pdf", "size": 3})
    assert r.status_code == 200, r.text
    assert r.json()["upload_params"] == {"filename": "a.pdf", "content_type": "application/pdf"}


def test_upload_show_and_download(world, teacher_setup):
    course, teacher, token = teacher_setup
    with world.client(token) as c:
        body = upload(c, course.id, "notes.txt", b"hello", content_type="text/plain")
        shown = c.get(f"/api/v1/files/{body['id']}")
    assert shown.status_code == 200
    assert shown.json() == body
    with world.tx() as db:
        row = db.get(File, body["id"])
        verifier = core_files.file_verifier(world.services.secret, row)
        assert (row.course_id, row.user_id, row.folder_path, row.blob_sha256) == (
            course.id, teacher.id, "course files", hashlib.sha256(b"hello").hexdigest())
        root = db.get(Folder, row.folder_id)
        assert (root.course_id, root.full_name, root.parent_folder_id) == (course.id, "course files", None)
    assert body == {
        "id": row.id, "uuid": row.uuid, "folder_id": root.id, "display_name": "notes.txt", "filename": "notes.txt",
        "upload_status": "success", "content-type": "text/plain",
        "url": f"{world.base_url}/api/v1/files/{row.id}/download?download_frd=1&verifier={verifier}",
        "size": 5, "created_at": body["created_at"], "updated_at": body["updated_at"], "unlock_at": None,
        "locked": False, "hidden": False, "lock_at": None, "hidden_for_user": False, "thumbnail_url": None,
        "modified_at": body["updated_at"], "mime_class": "text", "media_entity_id": None,
        "locked_for_user": False, "preview_url": None, "usage_rights": None,
    }
    with world.client() as anonymous:
        got = anonymous.get(body["url"])
    assert got.status_code == 200
    assert got.content == b"hello"
    assert got.headers["content-type"] == "text/plain"
    assert got.headers["content-disposition"] == "attachment; filename=\"notes.txt\"; filename*=UTF-8''notes.txt"


def test_download_needs_a_verifier_or_read_right(world, teacher_setup):
    course, _, token = teacher_setup
    with world.client(token) as c:
        body = upload(c, course.id, "résumé 1.txt", b"cv")
    student, student_token = world.user_with_token("student")
    world.enroll(student, course)
    _, outsider_token = world.user_with_token("outsider")
    plain = f"/api/v1/files/{body['id']}/download"
    with world.client() as anonymous:
        bare = anonymous.get(plain)
        assert (bare.status_code, bare.json()) == (401, UNAUTHENTICATED)
        wrong = anonymous.get(plain, params={"verifier": "x" * 32})
        assert wrong.status_code == 401
        assert wrong.json() == {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}
    with world.client(student_token) as c:
        r = c.get(plain)
    assert (r.status_code, r.content) == (200, b"cv")
    assert r.headers["content-disposition"] == (
        "attachment; filename=\"rsum 1.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%201.txt")
    with world.client(outsider_token) as c:
        r = c.get(plain)
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
        shown, unknown = c.get(f"/api/v1/files/{body['id']}"), c.get("/api/v1/files/999999")
    assert [(shown.status_code, shown.json()), (unknown.status_code, unknown.json())] == [
        (403, FORBIDDEN), (404, NOT_FOUND)]


def test_student_may_not_upload(world, teacher_setup):
    course, _, _ = teacher_setup
    student, token = world.user_with_token("student")
    world.enroll(student, course)
    with world.client(token) as c:
        r = ask_upload(c, course.id, "essay.txt", size="3")
    assert r.status_code == 403
    assert r.json() == FORBIDDEN


@pytest.mark.parametrize("etype", ["TaEnrollment", "DesignerEnrollment"])
def test_other_staff_may_upload(world, teacher_setup, etype):
    course, _, _ = teacher_setup
    staff, token = world.user_with_token("staff")
    world.enroll(staff, course, etype)
    with world.client(token) as c:
        assert upload(c, course.id, "x.bin", b"123")["size"] == 3


def test_tampered_ticket_is_refused_and_stores_nothing(world, teacher_setup):
    course, _, token = teacher_setup
    with world.client(token) as c:
        step1 = ask_upload(c, course.id, "a.txt", size="4").json()
    url = step1["upload_url"]
    payload, mac = url.rsplit("/", 1)[1].split(".")
    other = file_uploads.sign_ticket(b"another secret" * 3, file_uploads.read_ticket(world.services.secret,
                                                                                   f"{payload}.{mac}"))
    before = blob_files(world)
    for bad in (f"{payload[:-2]}AA.{mac}", f"{payload}.{mac[:-2]}AA", "garbage", other):
        r = send_file(url.rsplit("/", 1)[0] + "/" + bad, {}, "a.txt", b"evil")
        assert r.status_code == 401, bad
        assert r.json() == BAD_TICKET
    assert blob_files(world) == before
    assert live_files(world, course.id) == []


def test_expired_ticket_is_refused(world, teacher_setup):
    course, teacher, _ = teacher_setup
    ticket = file_uploads.UploadTicket(course.id, teacher.id, "a.txt", "text/plain", "course files", "overwrite",
                                     10, expires_at=1)
    token = file_uploads.sign_ticket(world.services.secret, ticket)
    r = send_file(f"{world.base_url}/api/v1/file_uploads/{token}", {}, "a.txt", b"late")
    assert (r.status_code, r.json()) == (401, BAD_TICKET)
    assert live_files(world, course.id) == []


def test_more_bytes_than_declared_is_400_and_leaves_nothing(world, teacher_setup):
    course, _, token = teacher_setup
    with world.client(token) as c:
        step1 = ask_upload(c, course.id, "a.txt", size="5").json()
    before = blob_files(world)
    r = send_file(step1["upload_url"], step1["upload_params"], "a.txt", os.urandom(50))
    assert r.status_code == 400
    assert r.json() == {"errors": [{"message": "file size exceeds the declared size of 5 bytes", "field": "file"}]}
    assert blob_files(world) == before
    assert temp_files(world) == []
    assert live_files(world, course.id) == []


def test_server_limit_applies_to_declared_and_undeclared_sizes(world, teacher_setup, monkeypatch):
    course, _, token = teacher_setup
    monkeypatch.setattr(world.services, "settings", world.services.settings.with_changes(max_upload_bytes=100))
    with world.client(token) as c:
        declared = ask_upload(c, course.id, "big.bin", size="101")
        undeclared = ask_upload(c, course.id, "big.bin")
    assert declared.status_code == 400
    assert declared.json() == {"errors": [{"message": "file size exceeds the limit of 100 bytes", "field": "size"}]}
    assert undeclared.status_code == 200
    r = send_file(undeclared.json()["upload_url"], {}, "big.bin", b"x" * 101)
    assert r.status_code == 400
    assert r.json()["errors"][0]["message"] == "file size exceeds the declared size of 100 bytes"
    ok = send_file(undeclared.json()["upload_url"], {}, "big.bin", b"x" * 100)
    assert (ok.status_code, ok.json()["size"]) == (201, 100)


def test_bad_step1_params_are_400(world, teacher_setup):
    course, _, token = teacher_setup
    with world.client(token) as c:
        no_name = ask_upload(c, course.id, "")
        bad_dup = ask_upload(c, course.id, "a.txt", on_duplicate="explode")
        bad_size = ask_upload(c, course.id, "a.txt", size="big")
        escape = ask_upload(c, course.id, "a.txt", parent_folder_path="../../etc")
        missing = ask_upload(c, 999999, "a.txt")
    assert no_name.json() == {"errors": [{"message": "name is required and must be a plain file name",
                                          "field": "name"}]}
    assert bad_dup.json() == {"errors": [{"message": "on_duplicate must be overwrite or rename",
                                          "field": "on_duplicate"}]}
    assert bad_size.json() == {"errors": [{"message": "size must be an integer, got 'big'", "field": "size"}]}
    assert escape.json()["errors"][0]["field"] == "parent_folder_path"
    assert [r.status_code for r in (no_name, bad_dup, bad_size, escape, missing)] == [400, 400, 400, 400, 404]


def test_step2_without_a_file_part_or_multipart_is_400(world, teacher_setup):
    course, _, token = teacher_setup
    with world.client(token) as c:
        url = ask_upload(c, course.id, "a.txt").json()["upload_url"]
    with httpx.Client() as anonymous:
        no_part = anonymous.post(url, files={"other": ("a.txt", b"abc")})
        not_multipart = anonymous.post(url, content=b"abc", headers={"content-type": "text/plain"})
    assert (no_part.status_code, no_part.json()) == (
        400, {"errors": [{"message": "no file part was uploaded", "field": "file"}]})
    assert (not_multipart.status_code, not_multipart.json()) == (
        400, {"errors": [{"message": "the upload must be multipart/form-data with a file part", "field": "file"}]})
    assert temp_files(world) == []


def test_same_bytes_twice_make_two_files_and_one_blob(world, teacher_setup):
    course, _, token = teacher_setup
    content = os.urandom(4096)
    before = blob_files(world)
    with world.client(token) as c:
        first = upload(c, course.id, "one.bin", content)
        second = upload(c, course.id, "two.bin", content)
    assert first["id"] != second["id"]
    added = blob_files(world) - before
    assert [p.name for p in added] == [hashlib.sha256(content).hexdigest()]
    assert live_files(world, course.id) == [("one.bin", 4096), ("two.bin", 4096)]


def test_rename_numbers_the_duplicate(world, teacher_setup):
    course, _, token = teacher_setup
    with world.client(token) as c:
        names = [upload(c, course.id, "report.txt", bytes([i]), on_duplicate="rename")["display_name"]
                 for i in range(3)]
        elsewhere = upload(c, course.id, "report.txt", b"z", on_duplicate="rename", parent_folder_path="sub")
    assert names == ["report.txt", "report-1.txt", "report-2.txt"]
    assert elsewhere["display_name"] == "report.txt"
    assert live_files(world, course.id) == [("report-1.txt", 1), ("report-2.txt", 1), ("report.txt", 1),
                                            ("report.txt", 1)]


def test_overwrite_replaces_the_file_of_the_same_name(world, teacher_setup):
    course, _, token = teacher_setup
    with world.client(token) as c:
        old = upload(c, course.id, "syllabus.txt", b"old text", on_duplicate="overwrite")
        new = upload(c, course.id, "syllabus.txt", b"new", on_duplicate="overwrite")
        assert c.get(f"/api/v1/files/{old['id']}").status_code == 404
        assert c.get(f"/api/v1/files/{new['id']}").json()["display_name"] == "syllabus.txt"
        assert c.get(new["url"]).content == b"new"
    assert live_files(world, course.id) == [("syllabus.txt", 3)]


def test_storage_quota_used_counts_uploaded_bytes(world, teacher_setup):
    course, _, token = teacher_setup
    with world.client(token) as c:
        upload(c, course.id, "a.bin", b"a" * (1024 * 1024))
        upload(c, course.id, "b.bin", b"b" * (512 * 1024))
        r = c.get(f"/api/v1/courses/{course.id}", params={"include[]": "storage_quota_used_mb"})
    assert r.json()["storage_quota_used_mb"] == 1.5


def test_large_upload_streams_without_holding_the_file(world, teacher_setup):
    course, _, token = teacher_setup
    block, blocks = os.urandom(1024 * 1024), 20
    digest = hashlib.sha256()
    for _ in range(blocks):
        digest.update(block)
    with world.client(token) as c:
        step1 = ask_upload(c, course.id, "big.bin", size=str(len(block) * blocks)).json()
    boundary = "courseport-test-boundary"

    def body():
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
               "Content-Type: application/octet-stream\r\n\r\n").encode()
        for _ in range(blocks):
            yield block
        yield f"\r\n--{boundary}--\r\n".encode()

    tracemalloc.start()
    try:
        with httpx.Client(timeout=60) as anonymous:
            r = anonymous.post(step1["upload_url"], content=body(),
                               headers={"content-type": f"multipart/form-data; boundary={boundary}"})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.status_code == 201, r.text
    assert r.json()["size"] == len(block) * blocks
    assert peak < 8 * 1024 * 1024, f"peak traced memory {peak} bytes for a 20 MiB upload"
    with world.tx() as db:
        assert db.get(File, r.json()["id"]).blob_sha256 == digest.hexdigest()
    with httpx.Client(timeout=60) as anonymous, anonymous.stream("GET", r.json()["url"]) as got:
        downloaded = hashlib.sha256()
        for chunk in got.iter_bytes():
            downloaded.update(chunk)
    assert downloaded.hexdigest() == digest.hexdigest()
