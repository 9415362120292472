"""canvasapi's own upload, file and download calls against the live server."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import Forbidden

from courseport.schema import File


@pytest.fixture
def course_and_teacher(world):
    course = world.course("Upload 101")
    teacher, token = world.user_with_token("teacher")
    world.enroll(teacher, course, "TeacherEnrollment")
    return course, token


def test_course_upload_path_then_fetch_and_download(world, course_and_teacher, tmp_path):
    course, token = course_and_teacher
    content = bytes(range(256)) * 100
    path = tmp_path / "data.bin"
    path.write_bytes(content)
    canvas = world.canvas(token)
    ok, body = canvas.get_course(course.id).upload(str(path))
    assert ok is True
    assert (body["display_name"], body["size"], body["content-type"]) == ("data.bin", len(content),
                                                                         "application/octet-stream")
    file = canvas.get_file(body["id"])
    assert (file.id, file.display_name, file.url) == (body["id"], "data.bin", body["url"])
    assert file.get_contents(binary=True) == content
    target = tmp_path / "downloaded.bin"
    file.download(str(target))
    assert target.read_bytes() == content
    with world.tx() as db:
        assert db.get(File, body["id"]).course_id == course.id


def test_course_upload_file_object_with_folder_and_rename(world, course_and_teacher, tmp_path):
    course, token = course_and_teacher
    canvas_course = world.canvas(token).get_course(course.id)
    path = tmp_path / "handout.txt"
    names = []
    for text in (b"one", b"two"):
        path.write_bytes(text)
        with open(path, "rb") as handle:
            ok, body = canvas_course.upload(handle, parent_folder_path="handouts", on_duplicate="rename")
        assert ok is True
        names.append(body["display_name"])
    assert names == ["handout.txt", "handout-1.txt"]
    with world.tx() as db:
        assert {f.folder_path for f in db.query(File).filter(File.course_id == course.id)} == {
            "course files/handouts"}


def test_student_upload_is_forbidden(world, course_and_teacher, tmp_path):
    course, _ = course_and_teacher
    student, token = world.user_with_token("student")
    world.enroll(student, course)
    path = tmp_path / "essay.txt"
    path.write_text("mine")
    with pytest.raises(Forbidden):
        world.canvas(token).get_course(course.id).upload(str(path))
    with world.tx() as db:
        assert db.query(File).filter(File.course_id == course.id).count() == 0
