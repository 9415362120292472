"""canvasapi 3.6.0, unmodified, against the live server: a course's custom gradebook columns made, listed,
changed, reordered and deleted, their entries read and written one at a time and in bulk (a background job
whose Progress the client polls); refusals as canvasapi raises them, with Canvas's bodies; course copies
carry no columns."""

from __future__ import annotations

import json

import pytest
from canvasapi.custom_gradebook_columns import ColumnData, CustomGradebookColumn
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist
from canvasapi.progress import Progress
from sqlalchemy import select

from courseport.schema import GradebookColumn, GradebookColumnDatum
from tests.dialects.canvas.errors import FORBIDDEN


@pytest.fixture
def cls(world):
    course = world.course("Biology")
    tina, tina_token = world.user_with_token(f"tina{course.id}")
    ann, ann_token = world.user_with_token(f"ann{course.id}")
    bob, _ = world.user_with_token(f"bob{course.id}")
    world.enroll(tina, course, "TeacherEnrollment")
    world.enroll(ann, course)
    world.enroll(bob, course)
    teacher = world.canvas(tina_token).get_course(course.id)
    return teacher, ann, bob, world.canvas(ann_token).get_course(course.id)


def _stored(world, course_id: int) -> list[tuple]:
    with world.tx() as db:
        rows = db.scalars(select(GradebookColumn).where(GradebookColumn.course_id == course_id)
                          .order_by(GradebookColumn.position, GradebookColumn.id))
        return [(c.title, c.position, c.hidden, c.teacher_notes, c.read_only, c.workflow_state) for c in rows]


def _entries(world, column_id: int) -> dict[int, str]:
    with world.tx() as db:
        return dict(db.execute(select(GradebookColumnDatum.user_id, GradebookColumnDatum.content)
                               .where(GradebookColumnDatum.column_id == column_id)).all())


def test_columns_are_made_listed_changed_reordered_and_deleted(world, cls):
    teacher, _, _, _ = cls
    notes = teacher.create_custom_column({"title": "Notes", "teacher_notes": True})
    diet = teacher.create_custom_column({"title": "Diet", "read_only": True})
    seat = teacher.create_custom_column({"title": "Seat", "hidden": True})
    assert isinstance(notes, CustomGradebookColumn)
    assert (notes.title, notes.position, notes.teacher_notes, notes.hidden, notes.read_only, notes.course_id) == (
        "Notes", 1, True, False, False, teacher.id)
    assert [c.title for c in teacher.get_custom_columns()] == ["Notes", "Diet"]
    assert [c.title for c in teacher.get_custom_columns(include_hidden=True)] == ["Notes", "Diet", "Seat"]
    diet.update_custom_column(column={"title": "Allergies", "read_only": False})
    assert (diet.title, diet.read_only) == ("Allergies", False)
    assert diet.reorder_custom_columns(order=[seat.id, diet.id, notes.id]) is True
    assert [(c.title, c.position) for c in teacher.get_custom_columns(include_hidden=True)] == [
        ("Seat", 1), ("Allergies", 2), ("Notes", 3)]
    gone = seat.delete()
    assert (gone.id, gone.title) == (seat.id, "Seat")
    assert _stored(world, teacher.id) == [("Seat", 1, True, False, False, "deleted"),
                                          ("Allergies", 2, False, False, False, "active"),
                                          ("Notes", 3, False, True, False, "active")]
    with pytest.raises(ResourceDoesNotExist):  # canvasapi keeps no 404 body; tests/dialects/canvas pins it
        seat.delete()


def test_entries_are_read_and_written_one_at_a_time(world, cls):
    teacher, ann, bob, _ = cls
    diet = teacher.create_custom_column({"title": "Diet"})
    assert list(diet.get_column_entries()) == []
    entry = ColumnData(diet._requester, {"course_id": teacher.id, "gradebook_column_id": diet.id, "user_id": ann.id})
    entry.update_column_data({"content": "vegan"})
    assert (entry.content, entry.user_id) == ("vegan", ann.id)
    ColumnData(diet._requester, {"course_id": teacher.id, "gradebook_column_id": diet.id, "user_id": bob.id}
               ).update_column_data({"content": "none"})
    listed = list(diet.get_column_entries())
    assert all(isinstance(e, ColumnData) for e in listed)
    assert [(e.user_id, e.content, e.gradebook_column_id) for e in listed] == [(ann.id, "vegan", diet.id),
                                                                               (bob.id, "none", diet.id)]
    listed[1].update_column_data({"content": ""})  # empty: the entry is removed
    assert _entries(world, diet.id) == {ann.id: "vegan"}


def test_bulk_update_answers_a_progress_the_client_polls(world, cls):
    teacher, ann, bob, _ = cls
    diet = teacher.create_custom_column({"title": "Diet"})
    notes = teacher.create_custom_column({"title": "Notes", "teacher_notes": True})
    progress = teacher.column_data_bulk_update([
        {"column_id": diet.id, "user_id": ann.id, "content": "vegan"},
        {"column_id": diet.id, "user_id": bob.id, "content": "halal"},
        {"column_id": notes.id, "user_id": bob.id, "content": "needs extra time"}])
    assert isinstance(progress, Progress)
    assert (progress.workflow_state, progress.tag, progress.context_id) == (
        "queued", "custom_columns_submissions_update", teacher.id)
    assert _entries(world, diet.id) == {}
    assert world.run_jobs() == 1
    done = progress.query()
    assert (done.workflow_state, done.completion, done.results) == ("completed", 100.0, {"updated": 3})
    assert _entries(world, diet.id) == {ann.id: "vegan", bob.id: "halal"}
    assert [(e.user_id, e.content) for e in notes.get_column_entries()] == [(bob.id, "needs extra time")]


def test_refusals_as_canvasapi_raises_them(world, cls):
    teacher, ann, _, student_course = cls
    diet = teacher.create_custom_column({"title": "Diet"})
    with pytest.raises(BadRequest) as no_title:
        teacher.create_custom_column({"title": ""})
    with pytest.raises(BadRequest) as second_notes:
        teacher.create_custom_column({"title": "A", "teacher_notes": True})
        teacher.create_custom_column({"title": "B", "teacher_notes": True})
    with pytest.raises(BadRequest) as bulk:
        teacher.column_data_bulk_update([{"column_id": diet.id, "user_id": ann.id, "content": "ok"},
                                         {"column_id": diet.id + 1000, "user_id": ann.id, "content": "x"}])
    with pytest.raises(Forbidden) as student:
        list(student_course.get_custom_columns())
    with pytest.raises(Forbidden) as student_bulk:
        student_course.column_data_bulk_update([{"column_id": diet.id, "user_id": ann.id, "content": "x"}])
    assert [json.loads(e.value.message) for e in (no_title, second_notes, bulk, student, student_bulk)] == [
        {"errors": [{"message": "column[title] is required", "field": "column[title]"}]},
        {"errors": [{"message": "a course has only one teacher notes column", "field": "column[teacher_notes]"}]},
        {"errors": [{"message": f"column {diet.id + 1000} is not a column of the course",
                     "field": "column_data[][column_id]"}]},
        FORBIDDEN, FORBIDDEN]
    assert world.run_jobs() == 0
    assert [row[0] for row in _stored(world, teacher.id)] == ["Diet", "A"]
    assert _entries(world, diet.id) == {}


def test_a_course_copy_carries_no_columns(world, cls):
    teacher, ann, _, _ = cls
    diet = teacher.create_custom_column({"title": "Diet"})
    ColumnData(diet._requester, {"course_id": teacher.id, "gradebook_column_id": diet.id, "user_id": ann.id}
               ).update_column_data({"content": "vegan"})
    target = world.course("Copy")
    admin_course = world.canvas().get_course(target.id)
    admin_course.create_content_migration("course_copy_importer", settings={"source_course_id": teacher.id})
    assert world.run_jobs() == 1
    assert list(admin_course.get_custom_columns(include_hidden=True)) == []
    assert _stored(world, target.id) == []
    assert _entries(world, diet.id) == {ann.id: "vegan"}
