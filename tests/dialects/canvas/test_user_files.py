"""A user's own files (submission uploads, course exports) over canvasapi and raw HTTP: who reads them."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import Forbidden, ResourceDoesNotExist

from courseport.core.content import files
from courseport.dialects.canvas.files import render_file
from courseport.schema import File, User
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def own_file(world, user: User, name: str, data: bytes, folder_path: str = files.SUBMISSIONS) -> File:
    with world.tx() as db:
        made = files.own_file(db, db.get(User, user.id), name, "text/plain",
                              world.services.blobs.put_stream([data], max_bytes=len(data)), folder_path=folder_path)
        db.expunge(made)
        return made


@pytest.fixture
def owners(world):
    ann, ann_token = world.user_with_token("ann")
    bob, bob_token = world.user_with_token("bob")
    essay = own_file(world, ann, "essay.txt", b"essay")
    export = own_file(world, ann, "archive.imscc", b"zipped", files.EXPORTS)
    bobs = own_file(world, bob, "bob.txt", b"bob")
    return ann, ann_token, bob_token, essay, export, bobs


def test_the_owner_lists_and_reads_their_files_through_canvasapi(world, owners):
    ann, ann_token, _, essay, export, _ = owners
    me = world.canvas(ann_token).get_current_user()
    assert [(f.id, f.display_name, f.size) for f in me.get_files()] == [
        (export.id, "archive.imscc", 6), (essay.id, "essay.txt", 5)]
    assert [f.id for f in me.get_files(sort="size")] == [essay.id, export.id]
    assert [f.id for f in me.get_files(search_term="ess")] == [essay.id]
    assert me.get_file(essay.id).display_name == "essay.txt"


def test_exact_json_paging_and_course_files_left_out(world, owners):
    ann, ann_token, _, essay, export, _ = owners
    course = world.course("Files of a course")
    world.enroll(ann, course, "TeacherEnrollment")
    with world.client(ann_token) as c:
        step1 = c.post(f"/api/v1/courses/{course.id}/files", data={"name": "course.txt", "size": "2"})
        assert step1.status_code == 200, step1.text
        first = c.get("/api/v1/users/self/files", params={"per_page": 1})
        second = c.get(first.links["next"]["url"])
        one = c.get(f"/api/v1/users/{ann.id}/files/{essay.id}")
    with world.tx() as db:
        rows = [db.get(File, export.id), db.get(File, essay.id)]
        expected = [render_file(r, world.base_url, world.services.secret) for r in rows]
    assert first.status_code == 200 and first.json() == expected[:1]
    assert second.json() == expected[1:] and "next" not in second.links
    assert one.status_code == 200 and one.json() == expected[1]
    assert one.json()["folder_id"] is None


def test_admins_read_them_and_others_are_refused(world, owners):
    ann, _, bob_token, essay, _, bobs = owners
    with world.client(world.admin_token) as c:
        assert [f["id"] for f in c.get(f"/api/v1/users/{ann.id}/files").json()] != []
        assert c.get(f"/api/v1/users/{ann.id}/files/{essay.id}").json()["id"] == essay.id
    with world.client(bob_token) as c:
        listed = c.get(f"/api/v1/users/{ann.id}/files")
        shown = c.get(f"/api/v1/users/{ann.id}/files/{essay.id}")
        not_ann = c.get(f"/api/v1/users/self/files/{essay.id}")  # someone else's file under one's own id
        unknown_user = c.get("/api/v1/users/999999/files")
        unknown_file = c.get("/api/v1/users/self/files/999999")
        mine = c.get("/api/v1/users/self/files")
    assert (listed.status_code, listed.json()) == (403, FORBIDDEN)
    assert (shown.status_code, shown.json()) == (403, FORBIDDEN)
    assert (not_ann.status_code, not_ann.json()) == (404, NOT_FOUND)
    assert (unknown_user.status_code, unknown_user.json()) == (404, NOT_FOUND)
    assert (unknown_file.status_code, unknown_file.json()) == (404, NOT_FOUND)
    assert [f["id"] for f in mine.json()] == [bobs.id]
    with pytest.raises(Forbidden):
        world.canvas(bob_token).get_user(ann.id).get_files()[0]
    with pytest.raises(ResourceDoesNotExist):
        world.canvas(bob_token).get_current_user().get_file(essay.id)


def test_deleted_files_are_gone(world, owners):
    ann, ann_token, _, essay, export, _ = owners
    with world.tx() as db:
        db.get(File, essay.id).workflow_state = "deleted"
    with world.client(ann_token) as c:
        assert [f["id"] for f in c.get("/api/v1/users/self/files").json()] == [export.id]
        gone = c.get(f"/api/v1/users/self/files/{essay.id}")
    assert (gone.status_code, gone.json()) == (404, NOT_FOUND)
