"""The copy engine on a real database: references rewired to the copies, shared blobs, lineage
updates instead of duplicates, selections that name what they skip, atomic failure, rights."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, update

from courseport.core.content import content
from courseport.core.content.folders import folder_at_path
from courseport.core.copy import copy_tables, copying
from courseport.core.copy.components import selection
from courseport.core.jobs import jobs
from courseport.core.kit.errors import InvalidInput, NotAllowed
from courseport.schema import Blob, ContentItem, ContentLink, File, Folder, Job, JobClaim, User

EVERYTHING = selection()


def _file(db, course, name, path="course files/docs"):
    if db.get(Blob, "b" * 64) is None:
        db.add(Blob(sha256="b" * 64, size=5))
        db.flush()
    folder = folder_at_path(db, course.id, path)
    file = File(uuid=f"u-{course.id}-{name}", course_id=course.id, display_name=name, filename=name,
                content_type="text/plain", size=5, blob_sha256="b" * 64, folder_path=folder.full_name,
                folder_id=folder.id)
    db.add(file)
    db.flush()
    return file


def build_source(world, course) -> dict[str, int]:
    """A small course with every kind of reference a copy must rewire."""
    with world.tx() as db:
        add = lambda typ, **f: content.create_item(db, course.id, typ, f)  # noqa: E731
        group = add("assignment_group", title="Homework", workflow_state="available", data={"group_weight": 0.0})
        essay = add("assignment", title="Essay", parent_id=group.id, points=10.0, workflow_state="published",
                    data={"submission_types": ["online_text_entry"]})
        quiz_assignment = add("assignment", title="Quiz 1", parent_id=group.id, points=2.0,
                              workflow_state="published", data={"quiz": True})
        quiz = add("quiz", title="Quiz 1", ref_id=quiz_assignment.id, workflow_state="published",
                   data={"quiz_type": "assignment"})
        add("quiz_question", title="Q1", parent_id=quiz.id, points=2.0, body="2+2?", data={"answers": []})
        notes = _file(db, course, "notes.txt")
        intro = add("page", title="Intro", slug="intro", workflow_state="published", data={"front_page": True})
        body = (f'<a href="/courses/{course.id}/assignments/{essay.id}">essay</a> '
                f'<a href="/courses/{course.id}/files/{notes.id}/download">notes</a> '
                f'<a href="/courses/{course.id}/pages/intro">intro</a> <a href="/courses/{course.id}/modules">m</a>')
        guide = add("page", title="Guide", slug="guide", body=body, workflow_state="published",
                    data={"front_page": False})
        week1 = add("module", title="Week 1", workflow_state="active", data={"prerequisite_module_ids": []})
        week2 = add("module", title="Week 2", workflow_state="active",
                    data={"prerequisite_module_ids": [week1.id]})
        add("module_item", title="Guide", parent_id=week1.id, ref_id=guide.id, workflow_state="active",
            data={"type": "Page"})
        add("module_item", title="Essay", parent_id=week1.id, ref_id=essay.id, workflow_state="active",
            data={"type": "Assignment"})
        add("module_item", title="Notes", parent_id=week2.id, file_id=notes.id, workflow_state="active",
            data={"type": "File"})
        add("module_item", title="Quiz 1", parent_id=week2.id, ref_id=quiz.id, workflow_state="active",
            data={"type": "Quiz"})
        gone = add("page", title="Gone", slug="gone", workflow_state="deleted")
        return {"essay": essay.id, "quiz": quiz.id, "guide": guide.id, "intro": intro.id, "notes": notes.id,
                "week1": week1.id, "week2": week2.id, "gone": gone.id, "group": group.id}


@pytest.fixture
def courses(world):
    source, target = world.course("Source"), world.course("Target")
    teacher = world.user("teacher")
    world.enroll(teacher, source, "TeacherEnrollment")
    world.enroll(teacher, target, "TeacherEnrollment")
    return source, target, teacher, build_source(world, source)


def _copy(world, actor, source, target, chosen=EVERYTHING, **kw) -> Job:
    with world.tx() as db:
        job_id = copying.queue_copy(db, db.get(User, actor.id), source.id, target.id, chosen, **kw).id
    world.run_jobs()
    with world.tx() as db:
        return db.get(Job, job_id)


def _items(world, course_id) -> dict[tuple[str, str], ContentItem]:
    with world.tx() as db:
        rows = db.scalars(select(ContentItem).where(ContentItem.course_id == course_id)).all()
        return {(r.type, r.title): r for r in rows}


def test_whole_copy_rewires_every_reference_and_shares_blobs(world, courses):
    source, target, teacher, ids = courses
    job = _copy(world, teacher, source, target)
    assert job.state == "completed", job.error
    assert job.result["copied"] == {"assignment": 2, "assignment_group": 1, "file": 1, "folder": 2, "module": 2,
                                    "module_item": 4, "page": 2, "quiz": 1, "quiz_question": 1}
    assert job.result["skipped"] == [] and job.result["updated"] == {} and job.result["blob_bytes_written"] == 0
    got = _items(world, target.id)
    assert ("page", "Gone") not in got
    assert all(item.course_id == target.id for item in got.values())
    essay, guide, quiz = got[("assignment", "Essay")], got[("page", "Guide")], got[("quiz", "Quiz 1")]
    assert essay.lineage_id == ids["essay"] and essay.parent_id == got[("assignment_group", "Homework")].id
    assert quiz.ref_id == got[("assignment", "Quiz 1")].id
    assert got[("quiz_question", "Q1")].parent_id == quiz.id
    assert got[("module_item", "Guide")].ref_id == guide.id
    assert got[("module_item", "Guide")].parent_id == got[("module", "Week 1")].id
    assert got[("module", "Week 2")].data["prerequisite_module_ids"] == [got[("module", "Week 1")].id]
    with world.tx() as db:
        copied_file = db.scalar(select(File).where(File.course_id == target.id))
        folder = db.get(Folder, copied_file.folder_id)
        links = set(db.execute(select(ContentLink.target_item_id, ContentLink.target_file_id)
                               .where(ContentLink.item_id == guide.id)).all())
    assert (copied_file.blob_sha256, copied_file.lineage_id) == ("b" * 64, ids["notes"])
    assert (folder.course_id, folder.full_name) == (target.id, "course files/docs")
    assert got[("module_item", "Notes")].file_id == copied_file.id
    assert guide.body == (f'<a href="/courses/{target.id}/assignments/{essay.id}">essay</a> '
                          f'<a href="/courses/{target.id}/files/{copied_file.id}/download">notes</a> '
                          f'<a href="/courses/{target.id}/pages/intro">intro</a> '
                          f'<a href="/courses/{target.id}/modules">m</a>')
    assert links == {(essay.id, None), (None, copied_file.id), (got[("page", "Intro")].id, None)}


def test_copying_again_updates_copies_and_recreates_deleted_ones(world, courses):
    source, target, teacher, ids = courses
    _copy(world, teacher, source, target)
    first = _items(world, target.id)
    with world.tx() as db:
        content.update_item(db, db.get(ContentItem, ids["essay"]), {"title": "Essay v2", "points": 20.0})
        content.delete_item(db, db.get(ContentItem, first[("page", "Guide")].id))
    job = _copy(world, teacher, source, target)
    assert job.result["copied"] == {"page": 1}
    assert job.result["recreated"] == {"page": 1}
    assert job.result["updated"]["assignment"] == 2 and job.result["updated"]["file"] == 1
    again = _items(world, target.id)
    assert len(again) == len(first)
    assert again[("assignment", "Essay v2")].id == first[("assignment", "Essay")].id
    assert again[("assignment", "Essay v2")].points == 20.0
    assert again[("page", "Guide")].id == first[("page", "Guide")].id
    assert again[("page", "Guide")].workflow_state == "published"
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(File).where(File.course_id == target.id)) == 1


def test_target_pages_keep_their_urls_and_front_page(world, courses):
    source, target, teacher, _ = courses
    with world.tx() as db:
        own = content.create_item(db, target.id, "page", {"title": "Intro", "slug": "intro",
                                                          "workflow_state": "published",
                                                          "data": {"front_page": True}})
    _copy(world, teacher, source, target)
    with world.tx() as db:
        pages = {p.id: (p.title, p.slug, p.data["front_page"]) for p in db.scalars(
            select(ContentItem).where(ContentItem.course_id == target.id, ContentItem.type == "page"))}
    assert pages[own.id] == ("Intro", "intro", True)
    assert sorted(pages.values()) == [("Guide", "guide", False), ("Intro", "intro", True),
                                      ("Intro-2", "intro-2", False)]
    guide = _items(world, target.id)[("page", "Guide")]
    assert f'/courses/{target.id}/pages/intro-2"' in guide.body


def test_selection_skips_and_names_module_items_whose_target_is_excluded(world, courses):
    source, target, teacher, ids = courses
    job = _copy(world, teacher, source, target, selection(exclude=["pages", "files"]))
    assert job.state == "completed"
    with world.tx() as db:
        guide_item = db.scalar(select(ContentItem.id).where(ContentItem.course_id == source.id,
                                                            ContentItem.title == "Guide",
                                                            ContentItem.type == "module_item"))
        notes_item = db.scalar(select(ContentItem.id).where(ContentItem.course_id == source.id,
                                                            ContentItem.title == "Notes"))
    assert job.result["skipped"] == [
        {"type": "module_item", "id": guide_item, "title": "Guide",
         "reason": "it links to a page that is not selected for copying"},
        {"type": "module_item", "id": notes_item, "title": "Notes",
         "reason": "it links to a file that is not selected for copying"}]
    got = _items(world, target.id)
    assert ("page", "Guide") not in got and ("module_item", "Guide") not in got
    assert ("module_item", "Essay") in got and ("module_item", "Quiz 1") in got


def test_quizzes_alone_bring_their_assignment_and_group(world, courses):
    source, target, teacher, _ = courses
    job = _copy(world, teacher, source, target, selection(["quizzes", "questions"]))
    assert job.result["copied"] == {"assignment": 1, "assignment_group": 1, "quiz": 1, "quiz_question": 1}
    got = _items(world, target.id)
    assert got[("quiz", "Quiz 1")].ref_id == got[("assignment", "Quiz 1")].id


def test_questions_come_only_with_their_quiz(world, courses):
    """Leaving quizzes out leaves their questions out: a question copied without its quiz would hang
    under the source course's quiz."""
    source, target, teacher, _ = courses
    job = _copy(world, teacher, source, target, selection(exclude=["quizzes"]))
    assert job.state == "completed"
    assert "quiz" not in job.result["copied"] and "quiz_question" not in job.result["copied"]
    got = _items(world, target.id)
    assert not [key for key in got if key[0] in ("quiz", "quiz_question")]
    with world.tx() as db:
        parents = set(db.scalars(select(ContentItem.parent_id).where(ContentItem.course_id == target.id)))
        own = set(db.scalars(select(ContentItem.id).where(ContentItem.course_id == target.id)))
    assert parents - {None} <= own  # every copied row hangs under a row of the target


def test_picked_module_brings_its_items_and_their_targets(world, courses):
    source, target, teacher, ids = courses
    job = _copy(world, teacher, source, target, frozenset(), picked={"module": [ids["week1"]]})
    assert job.result["copied"] == {"assignment": 1, "assignment_group": 1, "module": 1, "module_item": 2,
                                    "page": 1}
    assert ("page", "Intro") not in _items(world, target.id)


def test_a_failing_step_leaves_the_target_untouched_and_fails_the_job(world, courses, monkeypatch):
    source, target, teacher, _ = courses

    def broken(db, plan):
        raise InvalidInput("links", "links could not be copied: the disk is on fire")

    monkeypatch.setattr(copy_tables, "copy_links", broken)
    job = _copy(world, teacher, source, target)
    assert (job.state, job.error) == ("failed", "links could not be copied: the disk is on fire")
    with world.tx() as db:
        for table in (ContentItem, File, Folder):
            assert db.scalar(select(func.count()).select_from(table).where(table.course_id == target.id)) == 0


def test_rights_on_source_and_target(world, courses):
    source, target, teacher, _ = courses
    student, stranger = world.user("student"), world.user("stranger")
    world.enroll(student, target)
    world.enroll(stranger, target, "TeacherEnrollment")
    for actor in (student, stranger):
        with pytest.raises(NotAllowed), world.tx() as db:
            copying.queue_copy(db, db.get(User, actor.id), source.id, target.id, EVERYTHING)
    with pytest.raises(InvalidInput), world.tx() as db:
        copying.queue_copy(db, db.get(User, teacher.id), source.id, source.id, EVERYTHING)
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(Job).where(Job.kind == copying.KIND)) == 0


def _payload(source, target) -> dict:
    return {"source_course_id": source.id, "target_course_id": target.id, "selection": sorted(EVERYTHING),
            "picked": None}


def test_two_copies_into_one_target_do_not_interleave(world, courses, monkeypatch):
    """The second copy takes the target only after the first committed, so it updates, not duplicates."""
    source, target, _, _ = courses
    events: list[str] = []
    inside, release = threading.Event(), threading.Event()
    lock_target, copy_links = copying._lock_target, copy_tables.copy_links

    def locking(db, target_id):
        course = lock_target(db, target_id)
        events.append(f"{threading.current_thread().name} locked")
        return course

    def pausing(db, plan):
        if threading.current_thread().name == "first":
            inside.set()
            assert release.wait(10)
        copy_links(db, plan)
        if threading.current_thread().name == "first":
            events.append("first linked")  # the first copy's last step, before it commits

    monkeypatch.setattr(copying, "_lock_target", locking)
    monkeypatch.setattr(copy_tables, "copy_links", pausing)
    results: dict[str, dict] = {}

    def run(name):
        results[name] = copying.copy_course(world.engine, _payload(source, target))
        events.append(f"{name} done")

    first = threading.Thread(target=run, args=("first",), name="first")
    second = threading.Thread(target=run, args=("second",), name="second")
    first.start()
    assert inside.wait(10)
    second.start()
    release.set()
    first.join(20)
    second.join(20)
    # the second copy, started while the first held the course, locked it only after the first's last step
    # ("first done" and "second locked" may come in either order: both follow the first's commit)
    assert sorted(events) == ["first done", "first linked", "first locked", "second done", "second locked"]
    assert events.index("first locked") < events.index("first linked") < events.index("second locked")
    assert events.index("second locked") < events.index("second done")
    assert sum(results["first"]["copied"].values()) == 16 and results["first"]["updated"] == {}
    assert results["second"]["copied"] == {} and sum(results["second"]["updated"].values()) == 16
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(ContentItem)
                         .where(ContentItem.course_id == target.id)) == 13


def test_a_source_edited_during_a_copy_is_read_as_one_snapshot(world, courses, monkeypatch):
    """On PostgreSQL the copy reads the source at REPEATABLE READ: a page committed to the source
    mid-copy is not copied (SQLite cannot commit a second writer during the copy at all)."""
    if world.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers: no edit can commit during a copy")
    source, target, _, _ = courses
    copy_files = copy_tables.copy_files

    def editing(db, plan, new_uuid):
        copied = copy_files(db, plan, new_uuid)
        with world.tx() as other:
            content.create_item(other, source.id, "page", {"title": "Late", "slug": "late",
                                                           "workflow_state": "published"})
        return copied

    monkeypatch.setattr(copy_tables, "copy_files", editing)
    result = copying.copy_course(world.engine, _payload(source, target))
    assert result["copied"]["page"] == 2
    assert ("page", "Late") not in _items(world, target.id)


def test_a_worker_that_lost_its_lease_commits_nothing(world, courses, monkeypatch):
    """The job is taken over mid-copy (its lease ran out): the copy checks, in its own transaction,
    that its worker still holds the job, and commits nothing."""
    source, target, teacher, _ = courses
    with world.tx() as db:
        job_id = copying.queue_copy(db, db.get(User, teacher.id), source.id, target.id, EVERYTHING).id
    ctx = jobs.claim(world.engine, "stalled-worker", 60.0)
    copy_links = copy_tables.copy_links

    def taken_over(db, plan):
        copy_links(db, plan)
        # Another worker claims the job: the job row and its claim row name the new holder.
        steal = [update(Job).where(Job.id == job_id).values(worker_id="new-worker", attempts=2),
                 update(JobClaim).where(JobClaim.job_id == job_id).values(worker_id="new-worker", attempt=2)]
        if world.engine.dialect.name == "sqlite":
            for statement in steal:
                db.execute(statement)  # no second writer can commit during the copy on SQLite
        else:
            with world.tx() as other:
                for statement in steal:
                    other.execute(statement)

    monkeypatch.setattr(copy_tables, "copy_links", taken_over)
    jobs.run(ctx, copying.KIND)
    with world.tx() as db:
        job = db.get(Job, job_id)
        assert job.state == "running"
        assert db.scalar(select(func.count()).select_from(ContentItem).where(ContentItem.course_id == target.id)) == 0
