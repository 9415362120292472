"""core.files on a real database: upload tickets, name clashes, rights, verifiers."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from courseport.blobs import StoredBlob
from courseport.core.content import file_uploads, files, folders
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotAuthenticated, NotFound
from courseport.schema import Blob, Enrollment, File, User

SECRET = b"s" * 32


def stored(data: bytes) -> StoredBlob:
    return StoredBlob(hashlib.sha256(data).hexdigest(), len(data), len(data))


@pytest.fixture
def teacher_course(world):
    course = world.course("Core Files")
    teacher = world.user("teacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    return course, teacher


def start(world, user: User, course, **overrides):  # noqa: ANN001, ANN201
    args = dict(name="a.txt", size=None, content_type=None, folder_path=None, on_duplicate=None,
                max_upload_bytes=1000)
    args.update(overrides)
    with world.tx() as db:
        return file_uploads.start_upload(db, db.get(User, user.id), course.id, **args)


def test_start_upload_describes_the_upload(world, teacher_course):
    course, teacher = teacher_course
    ticket = start(world, teacher, course, name="slides.pdf", size=12, folder_path="/Week 1//./slides/",
                   now=1000.0)
    assert ticket == file_uploads.UploadTicket(course.id, teacher.id, "slides.pdf", "application/pdf",
                                               "course files/Week 1/slides", "overwrite", 12,
                                               1000 + file_uploads.TICKET_SECONDS)
    assert start(world, teacher, course, name="x.unknownext").content_type == "application/octet-stream"
    assert start(world, teacher, course, content_type="text/markdown").content_type == "text/markdown"
    assert start(world, teacher, course).max_bytes == 1000


@pytest.mark.parametrize(("overrides", "field"), [
    ({"name": "  "}, "name"), ({"name": "a/b.txt"}, "name"), ({"name": ".."}, "name"),
    ({"size": -1}, "size"), ({"size": 1001}, "size"), ({"on_duplicate": "keep"}, "on_duplicate"),
    ({"folder_path": "a/../../b"}, "parent_folder_path"),
])
def test_start_upload_rejects_bad_input(world, teacher_course, overrides, field):
    course, teacher = teacher_course
    with pytest.raises(InvalidInput) as err:
        start(world, teacher, course, **overrides)
    assert err.value.field == field


def test_only_file_managers_may_start(world, teacher_course):
    course, _ = teacher_course
    student, observer = world.user("student"), world.user("observer")
    world.enroll(student, course)
    world.enroll(observer, course, "ObserverEnrollment")
    for user in (student, observer):
        with pytest.raises(NotAllowed):
            start(world, user, course)
    with pytest.raises(NotAllowed):
        start(world, world.user("stranger"), course)


def test_ticket_round_trip_and_refusals(teacher_course):
    course, teacher = teacher_course
    ticket = file_uploads.UploadTicket(course.id, teacher.id, "é.txt", "text/plain", "course files", "rename", 5, 2000)
    token = file_uploads.sign_ticket(SECRET, ticket)
    assert file_uploads.read_ticket(SECRET, token, now=1999) == ticket
    forged_claims = file_uploads.sign_ticket(SECRET, replace(ticket, max_bytes=10**9)).split(".")[0]
    forged = forged_claims + "." + token.split(".")[1]
    for bad, now in [(token, 2001), (forged, 0), (token + "x", 0), ("a.b.c", 0), ("", 0), ("!!.!!", 0)]:
        with pytest.raises(NotAuthenticated):
            file_uploads.read_ticket(SECRET, bad, now=now)
    with pytest.raises(NotAuthenticated):
        file_uploads.read_ticket(b"other" * 8, token, now=0)


def test_course_folder_path():
    assert folders.course_folder_path(None) == "course files"
    assert folders.course_folder_path("course files/a") == "course files/a"
    assert folders.course_folder_path("a\\b") == "course files/a/b"


def test_free_name():
    assert files.free_name("a.txt", set()) == "a.txt"
    assert files.free_name("a.txt", {"a.txt", "a-1.txt"}) == "a-2.txt"
    assert files.free_name("README", {"README"}) == "README-1"
    assert files.free_name("x.tar.gz", {"x.tar.gz"}) == "x.tar-1.gz"


def test_finish_upload_records_file_and_blob_once(world, teacher_course):
    course, teacher = teacher_course
    ticket = start(world, teacher, course, name="n.txt", on_duplicate="rename")
    with world.tx() as db:
        first = file_uploads.finish_upload(db, ticket, stored(b"same"))
        second = file_uploads.finish_upload(db, ticket, stored(b"same"))
    with world.tx() as db:
        assert db.query(Blob).filter(Blob.sha256 == first.blob_sha256).count() == 1
        rows = db.query(File).filter(File.course_id == course.id).order_by(File.id).all()
        assert [(f.display_name, f.blob_sha256, f.user_id) for f in rows] == [
            ("n.txt", first.blob_sha256, teacher.id), ("n-1.txt", first.blob_sha256, teacher.id)]
    assert first.uuid != second.uuid


def test_finish_upload_overwrite_retires_the_old_file(world, teacher_course):
    course, teacher = teacher_course
    ticket = start(world, teacher, course, name="n.txt")
    with world.tx() as db:
        old = file_uploads.finish_upload(db, ticket, stored(b"1"))
        new = file_uploads.finish_upload(db, ticket, stored(b"22"))
    with world.tx() as db:
        assert db.get(File, old.id).workflow_state == "deleted"
        with pytest.raises(NotFound):
            files.show_file(db, db.get(User, teacher.id), old.id)
        assert files.show_file(db, db.get(User, teacher.id), new.id).size == 2


def test_finish_upload_checks_rights_again(world, teacher_course):
    course, teacher = teacher_course
    ticket = start(world, teacher, course)
    with world.tx() as db:
        db.query(Enrollment).filter(Enrollment.user_id == teacher.id).update({"workflow_state": "deleted"})
    with world.tx() as db, pytest.raises(NotAllowed):
        file_uploads.finish_upload(db, ticket, stored(b"x"))


def test_downloadable_file_by_verifier_or_token(world, teacher_course):
    course, teacher = teacher_course
    ticket = start(world, teacher, course)
    with world.tx() as db:
        file = file_uploads.finish_upload(db, ticket, stored(b"v"))
    verifier = files.file_verifier(SECRET, file)
    teacher_token = world.token(teacher)
    with world.tx() as db:
        assert files.downloadable_file(db, SECRET, file.id, verifier, None).id == file.id
        assert files.downloadable_file(db, SECRET, file.id, None, teacher_token).id == file.id
        with pytest.raises(NotAuthenticated):
            files.downloadable_file(db, SECRET, file.id, files.file_verifier(b"x" * 32, file), None)
        with pytest.raises(NotAuthenticated):
            files.downloadable_file(db, SECRET, file.id, "é", None)
        with pytest.raises(NotFound):
            files.downloadable_file(db, SECRET, file.id + 1000, verifier, None)
