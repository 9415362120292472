"""Canvas folders and file lists over raw HTTP: exact folder JSON, filters, sorts, errors and rights."""

from __future__ import annotations

import pytest

from courseport.schema import File, Folder
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


@pytest.fixture
def course_cast(world):
    course = world.course("Folders 101")
    return course, world.cast(course)


def upload(c, course_id: int, name: str, content: bytes, content_type: str = "text/plain", **params) -> dict:
    step1 = c.post(f"/api/v1/courses/{course_id}/files",
                   data={"name": name, "size": str(len(content)), "content_type": content_type, **params})
    assert step1.status_code == 200, step1.text
    import httpx

    with httpx.Client(timeout=30) as anonymous:
        step2 = anonymous.post(step1.json()["upload_url"], data=step1.json()["upload_params"],
                               files={"file": (name, content)})
    assert step2.status_code == 201, step2.text
    return step2.json()


def folder_json(world, row: Folder, *, files: int = 0, folders: int = 0, can_upload: bool = True) -> dict:
    from courseport.dialects.canvas.protocol import iso

    return {
        "id": row.id, "name": row.name, "full_name": row.full_name, "context_id": row.course_id,
        "context_type": "Course", "parent_folder_id": row.parent_folder_id, "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at), "lock_at": None, "unlock_at": None, "position": row.position,
        "locked": row.locked, "folders_url": f"{world.base_url}/api/v1/folders/{row.id}/folders",
        "files_url": f"{world.base_url}/api/v1/folders/{row.id}/files", "files_count": files,
        "folders_count": folders, "hidden": row.hidden, "locked_for_user": False, "hidden_for_user": False,
        "for_submissions": False, "can_upload": can_upload,
    }


def folder_row(world, folder_id: int) -> Folder:
    with world.tx() as db:
        return db.get(Folder, folder_id)


def test_root_is_made_on_demand_and_rendered_exactly(world, course_cast):
    course, cast = course_cast
    with world.client(cast["teacher"]) as c:
        r = c.get(f"/api/v1/courses/{course.id}/folders/root")
    assert r.status_code == 200, r.text
    root = folder_row(world, r.json()["id"])
    assert (root.course_id, root.full_name, root.parent_folder_id) == (course.id, "course files", None)
    assert r.json() == folder_json(world, root)
    with world.client(cast["student"]) as c:
        assert c.get(f"/api/v1/folders/{root.id}").json() == folder_json(world, root, can_upload=False)


def test_create_by_parent_path_and_id_then_list(world, course_cast):
    course, cast = course_cast
    with world.client(cast["teacher"]) as c:
        deep = c.post(f"/api/v1/courses/{course.id}/folders", data={"name": "c", "parent_folder_path": "a/b"})
        assert deep.status_code == 200, deep.text
        b_id = deep.json()["parent_folder_id"]
        sibling = c.post(f"/api/v1/courses/{course.id}/folders",
                         json={"name": "d", "parent_folder_id": b_id, "locked": True, "position": 7})
        listed = c.get(f"/api/v1/courses/{course.id}/folders")
        children = c.get(f"/api/v1/folders/{b_id}/folders")
        dup = c.post(f"/api/v1/courses/{course.id}/folders", data={"name": "c", "parent_folder_id": b_id})
        bad = c.post(f"/api/v1/courses/{course.id}/folders", data={"name": "x/y"})
    assert [f["full_name"] for f in listed.json()] == [
        "course files", "course files/a", "course files/a/b", "course files/a/b/c", "course files/a/b/d"]
    assert sibling.json() == folder_json(world, folder_row(world, sibling.json()["id"]))
    assert (sibling.json()["locked"], sibling.json()["position"]) == (True, 7)
    assert [f["name"] for f in children.json()] == ["c", "d"]
    assert listed.json()[2]["folders_count"] == 2
    assert dup.status_code == 409
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "name")


def test_by_path_resolves_the_chain_and_404s_on_a_missing_part(world, course_cast):
    course, cast = course_cast
    with world.client(cast["teacher"]) as c:
        c.post(f"/api/v1/courses/{course.id}/folders", data={"name": "two", "parent_folder_path": "one"})
        chain = c.get(f"/api/v1/courses/{course.id}/folders/by_path/one/two")
        root_only = c.get(f"/api/v1/courses/{course.id}/folders/by_path")
        missing = c.get(f"/api/v1/courses/{course.id}/folders/by_path/one/three")
    assert [f["full_name"] for f in chain.json()] == ["course files", "course files/one", "course files/one/two"]
    assert [f["full_name"] for f in root_only.json()] == ["course files"]
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)


def test_rename_and_move_carry_paths_of_files_and_subfolders(world, course_cast):
    course, cast = course_cast
    with world.client(cast["teacher"]) as c:
        f = upload(c, course.id, "n.txt", b"n", parent_folder_path="old/inner")
        old = c.get(f"/api/v1/courses/{course.id}/folders/by_path/old").json()[-1]
        target = c.post(f"/api/v1/courses/{course.id}/folders", data={"name": "target"}).json()
        moved = c.put(f"/api/v1/folders/{old['id']}", data={"name": "new", "parent_folder_id": target["id"]})
        into_self = c.put(f"/api/v1/folders/{target['id']}", data={"parent_folder_id": old["id"]})
        root_rename = c.put(f"/api/v1/folders/{old['parent_folder_id']}", data={"name": "mine"})
    assert moved.json()["full_name"] == "course files/target/new"
    assert (into_self.status_code, into_self.json()["errors"][0]["field"]) == (400, "parent_folder_id")
    assert root_rename.status_code == 400
    with world.tx() as db:
        assert db.get(File, f["id"]).folder_path == "course files/target/new/inner"
        assert db.get(Folder, f["folder_id"]).full_name == "course files/target/new/inner"


def test_file_list_filters_sorts_and_pages(world, course_cast):
    course, cast = course_cast
    with world.client(cast["teacher"]) as c:
        upload(c, course.id, "b-notes.txt", b"bbbb")
        upload(c, course.id, "A-photo.png", b"p", content_type="image/png")
        upload(c, course.id, "c-sheet.csv", b"cc", content_type="text/csv")
        get = lambda **p: [f["display_name"] for f in c.get(f"/api/v1/courses/{course.id}/files", params=p).json()]  # noqa: E731
        assert get() == ["A-photo.png", "b-notes.txt", "c-sheet.csv"]
        assert get(sort="size", order="desc") == ["b-notes.txt", "c-sheet.csv", "A-photo.png"]
        assert get(**{"content_types[]": "image"}) == ["A-photo.png"]
        assert get(**{"content_types[]": "text/csv"}) == ["c-sheet.csv"]
        assert get(**{"exclude_content_types[]": "text"}) == ["A-photo.png"]
        assert get(search_term="NOTES") == ["b-notes.txt"]
        page = c.get(f"/api/v1/courses/{course.id}/files", params={"per_page": 2})
        short = c.get(f"/api/v1/courses/{course.id}/files", params={"search_term": "a"})
        bad_sort = c.get(f"/api/v1/courses/{course.id}/files", params={"sort": "colour"})
    assert len(page.json()) == 2 and 'rel="next"' in page.headers["Link"]
    assert short.json() == {"errors": [{"message": "search_term of 2 or more characters is required",
                                        "field": "search_term"}]}
    assert (bad_sort.status_code, bad_sort.json()["errors"][0]["field"]) == (400, "sort")


def test_file_update_and_delete_rights_and_bodies(world, course_cast):
    course, cast = course_cast
    with world.client(cast["teacher"]) as c:
        f = upload(c, course.id, "plan.txt", b"plan")
        target = c.post(f"/api/v1/courses/{course.id}/folders", data={"name": "plans"}).json()
        r = c.put(f"/api/v1/files/{f['id']}", data={"name": "plan-v2.txt", "parent_folder_id": target["id"],
                                                     "lock_at": "2030-01-01T00:00:00Z", "hidden": "true"})
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in ("display_name", "folder_id", "lock_at", "hidden", "filename")} == {
        "display_name": "plan-v2.txt", "folder_id": target["id"], "lock_at": "2030-01-01T00:00:00Z",
        "hidden": True, "filename": "plan.txt"}
    for role in ("student", "observer"):
        with world.client(cast[role]) as c:
            assert c.put(f"/api/v1/files/{f['id']}", data={"name": "x"}).json() == NOT_FOUND  # hidden from them
    with world.client(cast["teacher"]) as c:
        c.put(f"/api/v1/files/{f['id']}", data={"hidden": "false"})
    with world.client(cast["student"]) as c:
        assert (c.delete(f"/api/v1/files/{f['id']}").json(), c.put(f"/api/v1/files/{f['id']}").status_code) == (
            FORBIDDEN, 403)
    with world.client(cast["outsider"]) as c:
        assert c.delete(f"/api/v1/files/{f['id']}").status_code == 403
    with world.client(cast["designer"]) as c:
        gone = c.delete(f"/api/v1/files/{f['id']}")
        again = c.delete(f"/api/v1/files/{f['id']}")
    assert (gone.status_code, gone.json()["id"], again.status_code) == (200, f["id"], 404)
    with world.tx() as db:
        assert db.get(File, f["id"]).workflow_state == "deleted"


def test_students_never_see_hidden_or_locked_subtrees(world, course_cast):
    course, cast = course_cast
    with world.client(cast["teacher"]) as c:
        upload(c, course.id, "deep.txt", b"d", parent_folder_path="secret/deeper")
        upload(c, course.id, "later.txt", b"l", parent_folder_path="later")
        secret = c.get(f"/api/v1/courses/{course.id}/folders/by_path/secret").json()[-1]
        later = c.get(f"/api/v1/courses/{course.id}/folders/by_path/later").json()[-1]
        c.put(f"/api/v1/folders/{secret['id']}", data={"hidden": "true"})
        c.put(f"/api/v1/folders/{later['id']}", data={"unlock_at": "2099-01-01T00:00:00Z"})
        deeper = c.get(f"/api/v1/courses/{course.id}/folders/by_path/secret/deeper").json()[-1]
        assert len(c.get(f"/api/v1/courses/{course.id}/files").json()) == 2
    with world.client(cast["student"]) as c:
        assert [f["full_name"] for f in c.get(f"/api/v1/courses/{course.id}/folders").json()] == ["course files"]
        assert c.get(f"/api/v1/courses/{course.id}/files").json() == []
        assert c.get(f"/api/v1/folders/{deeper['id']}").status_code == 404
        assert c.get(f"/api/v1/folders/{later['id']}/files").status_code == 404
        assert c.post(f"/api/v1/courses/{course.id}/folders", data={"name": "mine"}).json() == FORBIDDEN


def test_folder_delete(world, course_cast):
    course, cast = course_cast
    with world.client(cast["teacher"]) as c:
        f = upload(c, course.id, "x.txt", b"x", parent_folder_path="full")
        full = c.get(f"/api/v1/folders/{f['folder_id']}").json()
        refused = c.delete(f"/api/v1/folders/{full['id']}")
        root = c.delete(f"/api/v1/folders/{full['parent_folder_id']}")
        forced = c.delete(f"/api/v1/folders/{full['id']}", params={"force": "true"})
        after = c.get(f"/api/v1/folders/{full['id']}")
    assert refused.json() == {"errors": [{"message": "Can't delete a folder with content", "field": "force"}]}
    assert root.status_code == 400
    assert (forced.status_code, forced.json()["full_name"], after.status_code) == (200, "course files/full", 404)
    with world.tx() as db:
        assert db.get(File, f["id"]).workflow_state == "deleted"
