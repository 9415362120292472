"""canvasapi, unmodified, runs a course copy as a content migration and reads the copied content:
pages, assignments, modules whose items point at the copies, files sharing the source's blobs."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import File
from tests.core.test_copying import build_source


def test_content_migration_copies_a_course_readable_through_canvasapi(world):
    source, target = world.course("Source"), world.course("Target")
    teacher, token = world.user_with_token("teacher")
    world.enroll(teacher, source, "TeacherEnrollment")
    world.enroll(teacher, target, "TeacherEnrollment")
    build_source(world, source)
    canvas = world.canvas(token)
    course = canvas.get_course(target.id)

    assert [m.type for m in course.get_migration_systems()] == ["course_copy_importer"]
    migration = course.create_content_migration("course_copy_importer", settings={"source_course_id": source.id})
    assert (migration.workflow_state, migration.migration_type_title) == ("queued", "Copy a Canvas Course")
    assert migration.get_progress().workflow_state == "queued"
    assert world.run_jobs() == 1
    progress = migration.get_progress()
    assert (progress.workflow_state, progress.completion, progress.tag) == ("completed", 100.0, "content_migration")
    migration = course.get_content_migration(migration.id)
    assert migration.workflow_state == "completed"
    assert [m.id for m in course.get_content_migrations()] == [migration.id]
    assert list(migration.get_migration_issues()) == []

    pages = {p.url: p for p in course.get_pages()}
    assert sorted(pages) == ["guide", "intro"]
    guide = course.get_page("guide")
    assignments = {a.name: a for a in course.get_assignments()}
    assert sorted(assignments) == ["Essay", "Quiz 1"]
    assert f'/courses/{target.id}/assignments/{assignments["Essay"].id}"' in guide.body
    files = list(course.get_files())
    assert [f.display_name for f in files] == ["notes.txt"]
    assert f'/courses/{target.id}/files/{files[0].id}/download"' in guide.body

    modules = list(course.get_modules())
    assert [m.name for m in modules] == ["Week 1", "Week 2"]
    assert modules[1].prerequisite_module_ids == [modules[0].id]
    week1 = {i.title: i for i in modules[0].get_module_items()}
    week2 = {i.title: i for i in modules[1].get_module_items()}
    assert week1["Guide"].page_url == "guide"
    assert week1["Essay"].content_id == assignments["Essay"].id
    assert week2["Notes"].content_id == files[0].id
    quiz = course.get_quizzes()[0]
    assert week2["Quiz 1"].content_id == quiz.id
    with world.tx() as db:
        shas = {f.course_id: f.blob_sha256 for f in db.scalars(select(File).where(File.display_name == "notes.txt"))}
    assert shas[target.id] == shas[source.id]


def test_copy_twice_updates_rather_than_duplicates_through_canvasapi(world):
    source, target = world.course("Source"), world.course("Target")
    build_source(world, source)
    course = world.canvas().get_course(target.id)
    for _ in range(2):
        course.create_content_migration("course_copy_importer", settings={"source_course_id": source.id})
        world.run_jobs()
    assert sorted(p.url for p in course.get_pages()) == ["guide", "intro"]
    assert len(list(course.get_modules())) == 2
    assert [m.workflow_state for m in course.get_content_migrations()] == ["completed", "completed"]
