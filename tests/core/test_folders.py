"""core.folders on a real database: paths made on demand, visibility, moves, deletes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from courseport.core.content import folders
from courseport.core.content.folders import FolderChanges
from courseport.core.identity.permissions import course_rights
from courseport.core.kit.errors import Conflict, InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Window
from courseport.schema import Course, File, Folder, User
from courseport.schema.base import utcnow


@pytest.fixture
def setup(world):
    course = world.course("Core Folders")
    teacher, student = world.user("teacher"), world.user("student")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(student, course)
    return course, teacher, student


def test_folder_at_path_creates_once_with_positions(world, setup):
    course, _, _ = setup
    with world.tx() as db:
        c = folders.folder_at_path(db, course.id, "course files/a/c")
        b = folders.folder_at_path(db, course.id, "course files/a/b")
        again = folders.folder_at_path(db, course.id, "course files/a/c")
        root = folders.root_folder(db, course.id)
        rows = db.query(Folder).filter(Folder.course_id == course.id).order_by(Folder.full_name).all()
        assert again.id == c.id
        assert [(f.full_name, f.position) for f in rows] == [
            ("course files", 0), ("course files/a", 1), ("course files/a/b", 2), ("course files/a/c", 1)]
        assert (c.parent_folder_id, b.parent_folder_id) == (rows[1].id, rows[1].id)
        assert rows[1].parent_folder_id == root.id


@pytest.mark.parametrize("relative, full", [
    (None, "course files"), ("course files/a", "course files/a"), ("a\\b", "course files/a/b"),
    ("/x//./y/", "course files/x/y"),
])
def test_course_folder_path(relative, full):
    assert folders.course_folder_path(relative) == full


def test_course_folder_path_refuses_parent_steps():
    with pytest.raises(InvalidInput) as exc:
        folders.course_folder_path("a/../../b")
    assert exc.value.field == "parent_folder_path"


def test_visibility_follows_flags_dates_and_ancestors(world, setup):
    course, teacher, student = setup
    now = utcnow()
    with world.tx() as db:
        made = {p: folders.folder_at_path(db, course.id, f"course files/{p}")
                for p in ("open", "hidden/child", "locked", "not_yet", "expired", "open/fine")}
        db.get(Folder, made["hidden/child"].parent_folder_id).hidden = True
        made["locked"].locked = True
        made["not_yet"].unlock_at = now + timedelta(days=1)
        made["expired"].lock_at = now - timedelta(minutes=1)
        db.flush()
        c = db.get(Course, course.id)
        seen = folders.visible_folder_ids(db, course.id, course_rights(db, db.get(User, student.id), c))
        everything = folders.visible_folder_ids(db, course.id, course_rights(db, db.get(User, teacher.id), c))
        names = {f.id: f.full_name for f in db.query(Folder).filter(Folder.course_id == course.id)}
    assert sorted(names[i] for i in seen) == ["course files", "course files/open", "course files/open/fine"]
    assert everything == set(names)


def test_create_update_delete_rules(world, setup):
    course, teacher, student = setup
    with world.tx() as db:
        me = db.get(User, teacher.id)
        made = folders.create_folder(db, me, course_ref=course.id, parent_folder_path="x",
                                     changes=FolderChanges(name="y"))
        assert (made.folder.full_name, made.can_upload) == ("course files/x/y", True)
        with pytest.raises(Conflict):
            folders.create_folder(db, me, course_ref=course.id, parent_folder_path="x", changes=FolderChanges(name="y"))
        with pytest.raises(NotAllowed):
            folders.create_folder(db, db.get(User, student.id), course_ref=course.id, changes=FolderChanges(name="z"))
        x = db.get(Folder, made.folder.parent_folder_id)
        with pytest.raises(InvalidInput):
            folders.update_folder(db, me, x.id, FolderChanges(parent_folder_id=made.folder.id))
        folders.update_folder(db, me, x.id, FolderChanges(name="renamed"))
        assert db.get(Folder, made.folder.id).full_name == "course files/renamed/y"
        with pytest.raises(InvalidInput) as exc:
            folders.delete_folder(db, me, x.id, force=False)
        assert exc.value.field == "force"
        folders.delete_folder(db, me, x.id, force=True)
        assert db.query(Folder).filter(Folder.course_id == course.id).count() == 1
        with pytest.raises(NotFound):
            folders.show_folder(db, me, made.folder.id)


def test_lists_page_and_count(world, setup):
    course, teacher, _ = setup
    with world.tx() as db:
        me = db.get(User, teacher.id)
        for name in ("b", "a", "c"):
            folders.folder_at_path(db, course.id, f"course files/{name}")
        page = folders.list_course_folders(db, me, course.id, Window(0, 2))
        assert ([v.folder.full_name for v in page.items], page.has_more) == (
            ["course files", "course files/a"], True)
        root = page.items[0]
        assert (root.folders_count, root.files_count) == (3, 0)
        subs = folders.list_subfolders(db, me, root.folder.id, Window(0, 10))
        assert [v.folder.name for v in subs.items] == ["b", "a", "c"]  # by position: creation order
        assert db.query(File).count() == 0
