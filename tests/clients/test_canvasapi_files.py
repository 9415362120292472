"""canvasapi's file and folder calls against the live server: list, folders, move, rename, delete."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Conflict, Forbidden, ResourceDoesNotExist
from sqlalchemy import select

from courseport.core.content import files
from courseport.schema import File, Folder, User
from tests.dialects.canvas.errors import FORBIDDEN


@pytest.fixture
def setup(world, tmp_path):
    course = world.course("Files 201")
    cast = world.cast(course)
    canvas = world.canvas(cast["teacher"])
    return course, cast, canvas, canvas.get_course(course.id)


def upload(course, tmp_path, name: str, content: bytes, **params) -> dict:
    path = tmp_path / name
    path.write_bytes(content)
    ok, body = course.upload(str(path), **params)
    assert ok is True, body
    return body


def test_upload_makes_real_folders_and_lists_them(world, setup, tmp_path):
    course, _, _, cc = setup
    a = upload(cc, tmp_path, "a.txt", b"aa", parent_folder_path="week 1/readings")
    b = upload(cc, tmp_path, "b.txt", b"bb")
    folders = list(cc.get_folders())
    assert [f.full_name for f in folders] == ["course files", "course files/week 1", "course files/week 1/readings"]
    root, week, readings = folders
    assert (root.parent_folder_id, week.parent_folder_id, readings.parent_folder_id) == (None, root.id, week.id)
    assert (a["folder_id"], b["folder_id"]) == (readings.id, root.id)
    assert (root.files_count, root.folders_count, readings.files_count) == (1, 1, 1)
    assert [f.display_name for f in cc.get_files()] == ["a.txt", "b.txt"]
    assert [f.display_name for f in readings.get_files()] == ["a.txt"]
    assert [f.name for f in root.get_folders()] == ["week 1"]
    assert [f.full_name for f in cc.resolve_path("week 1/readings")] == [
        "course files", "course files/week 1", "course files/week 1/readings"]
    assert [f.id for f in cc.resolve_path()] == [root.id]
    assert cc.get_folder(readings.id).full_name == "course files/week 1/readings"
    assert cc.get_file(a["id"]).display_name == "a.txt"
    with world.tx() as db:
        assert db.get(File, a["id"]).folder_path == "course files/week 1/readings"


def test_create_folder_upload_into_it_then_rename_and_move(world, setup, tmp_path):
    course, _, canvas, cc = setup
    folder = cc.create_folder("slides", hidden=True)
    assert (folder.full_name, folder.hidden, folder.can_upload, folder.position) == (
        "course files/slides", True, True, 1)
    sub = folder.create_folder("old")
    path = tmp_path / "deck.pdf"
    path.write_bytes(b"%PDF")
    ok, body = sub.upload(str(path))
    assert ok and body["folder_id"] == sub.id
    moved = sub.update(name="archive", parent_folder_id=cc.resolve_path()[0].id)
    assert moved.full_name == "course files/archive"
    file = canvas.get_file(body["id"]).update(name="deck-v2.pdf", locked=True)
    assert (file.display_name, file.locked, file.folder_id) == ("deck-v2.pdf", True, sub.id)
    with world.tx() as db:
        assert (db.get(File, body["id"]).folder_path, db.get(File, body["id"]).display_name) == (
            "course files/archive", "deck-v2.pdf")
    with pytest.raises(Conflict):
        cc.create_folder("archive")


def test_rename_clash_needs_on_duplicate(world, setup, tmp_path):
    _, _, canvas, cc = setup
    first = upload(cc, tmp_path, "x.txt", b"1")
    second = upload(cc, tmp_path, "y.txt", b"2")
    with pytest.raises(Conflict):
        canvas.get_file(second["id"]).update(name="x.txt")
    renamed = canvas.get_file(second["id"]).update(name="x.txt", on_duplicate="rename")
    assert renamed.display_name == "x-1.txt"
    assert canvas.get_file(first["id"]).display_name == "x.txt"


def test_delete_file_keeps_shared_bytes_and_folder_delete_needs_force(world, setup, tmp_path):
    _, _, canvas, cc = setup
    one = upload(cc, tmp_path, "same.txt", b"shared bytes", parent_folder_path="trash")
    two = upload(cc, tmp_path, "copy.txt", b"shared bytes")
    deleted = canvas.get_file(one["id"]).delete()
    assert deleted.id == one["id"]
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_file(one["id"])
    assert canvas.get_file(two["id"]).get_contents(binary=True) == b"shared bytes"
    trash = list(cc.resolve_path("trash"))[-1]
    upload(cc, tmp_path, "keep.txt", b"k", parent_folder_path="trash")
    with pytest.raises(BadRequest):
        trash.delete()
    assert trash.delete(force=True).id == trash.id
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_folder(trash.id)
    assert [f.display_name for f in cc.get_files()] == ["copy.txt"]
    with world.tx() as db:
        assert db.query(Folder).filter(Folder.full_name == "course files/trash").count() == 0
    assert cc.create_folder("trash").full_name == "course files/trash"


def test_student_sees_only_open_files_and_folders(world, setup, tmp_path):
    course, cast, canvas, cc = setup
    upload(cc, tmp_path, "open.txt", b"o")
    hidden = upload(cc, tmp_path, "hidden.txt", b"h")
    canvas.get_file(hidden["id"]).update(hidden=True)
    upload(cc, tmp_path, "inside.txt", b"i", parent_folder_path="locked")
    list(cc.resolve_path("locked"))[-1].update(locked=True)
    student = world.canvas(cast["student"])
    sc = student.get_course(course.id)
    assert [f.display_name for f in sc.get_files()] == ["open.txt"]
    assert [f.full_name for f in sc.get_folders()] == ["course files"]
    with pytest.raises(ResourceDoesNotExist):
        student.get_file(hidden["id"])
    with pytest.raises(ResourceDoesNotExist):
        list(sc.resolve_path("locked"))
    assert sorted(f.display_name for f in cc.get_files()) == ["hidden.txt", "inside.txt", "open.txt"]


def test_quotas_count_live_files(world, setup, tmp_path):
    course, cast, _, cc = setup
    assert cc.get_file_quota() == {"quota": 500 * 1024 * 1024, "quota_used": 0}
    upload(cc, tmp_path, "a.txt", b"a" * 300)
    gone = upload(cc, tmp_path, "b.txt", b"b" * 40)
    world.canvas(cast["teacher"]).get_file(gone["id"]).delete()
    assert cc.get_file_quota() == {"quota": 500 * 1024 * 1024, "quota_used": 300}  # the deleted file counts no more
    student = world.canvas(cast["student"])
    with pytest.raises(Forbidden):
        student.get_course(course.id).get_file_quota()
    me = student.get_current_user()
    assert me.get_file_quota() == {"quota": 50 * 1024 * 1024, "quota_used": 0}
    with world.tx() as db:  # a file of the student's own (as a submission upload makes)
        files.own_file(db, db.get(User, me.id), "essay.txt", "text/plain",
                       world.services.blobs.put_stream([b"e" * 7], max_bytes=7))
    assert me.get_file_quota() == {"quota": 50 * 1024 * 1024, "quota_used": 7}
    assert cc.get_file_quota()["quota_used"] == 300  # not the course's
    with pytest.raises(Forbidden):
        world.canvas(cast["teacher"]).get_user(me.id).get_file_quota()  # only the user reads theirs


def test_copy_file_shares_the_bytes_and_settles_the_name(world, setup, tmp_path):
    course, cast, _, cc = setup
    other_raw = world.course("Files 202")
    other = world.canvas(cast["admin"]).get_course(other_raw.id)  # the admin manages both courses
    made = upload(cc, tmp_path, "notes.txt", b"shared notes")
    [root] = [f for f in other.get_folders() if f.full_name == "course files"]
    copied = root.copy_file(made["id"])
    assert (copied.display_name, copied.folder_id, copied.size) == ("notes.txt", root.id, 12)
    with pytest.raises(Conflict):
        root.copy_file(made["id"])  # the name is taken and on_duplicate was not given
    renamed = root.copy_file(made["id"], on_duplicate="rename")
    assert renamed.display_name == "notes-1.txt"
    [own_root] = [f for f in cc.get_folders() if f.full_name == "course files"]
    with world.client(cast["admin"]) as c:
        data = c.get(f"/api/v1/files/{renamed.id}/download", follow_redirects=True).content
        missing = c.post(f"/api/v1/folders/{root.id}/copy_file", data={})
    with world.client(cast["teacher"]) as c:  # not a member of the other course: may not write there
        elsewhere = c.post(f"/api/v1/folders/{root.id}/copy_file", data={"source_file_id": str(made["id"])})
    with world.client(cast["student"]) as c:  # reads the file, manages no files
        student = c.post(f"/api/v1/folders/{own_root.id}/copy_file", data={"source_file_id": str(made["id"])})
    assert data == b"shared notes"
    assert (missing.status_code, missing.json()) == (400, {"errors": [
        {"message": "source_file_id is required", "field": "source_file_id"}]})
    assert [(r.status_code, r.json()) for r in (elsewhere, student)] == [(403, FORBIDDEN)] * 2
    with world.tx() as db:
        rows = db.scalars(select(File).where(File.course_id == other_raw.id)).all()
        assert sorted(f.display_name for f in rows) == ["notes-1.txt", "notes.txt"]
        assert {f.blob_sha256 for f in rows} == {db.get(File, made["id"]).blob_sha256}
