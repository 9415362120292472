"""The blueprint sync engine on a real database: initial syncs through the copy engine for new
courses only, incremental changes by lineage, per-field conflicts reported as exceptions while
other fields still update, locked fields overwriting local edits, deletions, and one course's
failed import leaving the others' results."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from courseport.core.blueprints import blueprints
from courseport.core.content import content, files
from courseport.core.content.folders import folder_at_path
from courseport.core.courses.courses import CourseChanges, update_course
from courseport.core.kit.errors import InvalidInput
from courseport.schema import (
    Blob,
    BlueprintChange,
    BlueprintException,
    BlueprintImport,
    BlueprintMigration,
    ContentItem,
    Course,
    Enrollment,
    File,
    Folder,
    User,
)


def _setup(world, children=2):
    blueprint = world.course("Blueprint", blueprint=True)
    group = world.assignment_group(blueprint)
    essay = world.assignment(blueprint, "Essay", group=group, points=10.0, body="<p>Write</p>")
    with world.tx() as db:
        page = content.create_item(db, blueprint.id, "page", {"title": "Intro", "slug": "intro", "body": "Hi",
                                                               "workflow_state": "published", "data": {}})
    kids = [world.course(f"Section {n}") for n in range(children)]
    _associate(world, blueprint, [k.id for k in kids])
    return blueprint, kids, {"essay": essay.id, "page": page.id, "group": group.id}


def _associate(world, blueprint, add=(), remove=()):
    with world.tx() as db:
        blueprints.update_associations(db, db.get(User, world.admin.id), blueprint.id, "default",
                                       [str(i) for i in add], [str(i) for i in remove])


def _sync(world, blueprint, **options) -> BlueprintMigration:
    with world.tx() as db:
        migration_id = blueprints.queue_migration(db, db.get(User, world.admin.id), blueprint.id, "default",
                                                  options.pop("comment", None), options).id
    world.run_jobs()
    with world.tx() as db:
        return db.get(BlueprintMigration, migration_id)


def _copy(world, course_id, lineage) -> ContentItem:
    with world.tx() as db:
        return db.scalar(select(ContentItem).where(ContentItem.course_id == course_id,
                                                   ContentItem.lineage_id == lineage))


def _edit(world, item_id, fields, local=True):
    with world.tx() as db:
        return content.update_item(db, db.get(ContentItem, item_id), fields, local=local)


def _imports(world, migration_id):
    with world.tx() as db:
        return {r.course_id: (r.initial, r.workflow_state, r.error) for r in db.scalars(
            select(BlueprintImport).where(BlueprintImport.migration_id == migration_id))}


def test_initial_sync_copies_everything_to_each_course_once(world):
    blueprint, kids, ids = _setup(world)
    migration = _sync(world, blueprint, comment="first")
    assert migration.workflow_state == "completed"
    assert migration.exports_started_at and migration.imports_queued_at and migration.imports_completed_at
    assert _imports(world, migration.id) == {k.id: (True, "completed", None) for k in kids}
    for kid in kids:
        assert _copy(world, kid.id, ids["essay"]).points == 10.0
        assert _copy(world, kid.id, ids["page"]).body == "Hi"
    again = _sync(world, blueprint)
    assert _imports(world, again.id) == {k.id: (False, "completed", None) for k in kids}
    with world.tx() as db:
        assert db.scalar(select(func.count()).where(ContentItem.course_id == kids[0].id,
                                                    ContentItem.lineage_id == ids["essay"])) == 1


def test_unrelated_field_syncs_when_another_field_conflicts(world):
    blueprint, kids, ids = _setup(world)
    _sync(world, blueprint)
    local = _copy(world, kids[0].id, ids["essay"])
    _edit(world, local.id, {"points": 15.0})  # the section changes points
    _edit(world, ids["essay"], {"points": 20.0, "title": "Essay (revised)"})  # the blueprint changes both
    migration = _sync(world, blueprint)
    mine, other = _copy(world, kids[0].id, ids["essay"]), _copy(world, kids[1].id, ids["essay"])
    assert (mine.points, mine.title) == (15.0, "Essay (revised)")
    assert (other.points, other.title) == (20.0, "Essay (revised)")
    with world.tx() as db:
        rows = db.scalars(select(BlueprintException)).all()
        assert [(r.course_id, r.conflicting_changes) for r in rows] == [(kids[0].id, ["points"])]
    assert migration.workflow_state == "completed"


def test_locked_fields_overwrite_local_edits_after_tightening(world):
    blueprint, kids, ids = _setup(world)
    _sync(world, blueprint)
    local = _copy(world, kids[0].id, ids["essay"])
    _edit(world, local.id, {"points": 15.0})
    with world.tx() as db:
        blueprints.restrict_item(db, db.get(User, world.admin.id), blueprint.id, "default", "assignment",
                                 str(ids["essay"]), True, {"points": True})
    _sync(world, blueprint)
    assert _copy(world, kids[0].id, ids["essay"]).points == 10.0
    # now the copy's points are locked: a local edit through the core is refused
    try:
        _edit(world, local.id, {"points": 99.0})
        raise AssertionError("locked edit was applied")
    except InvalidInput as exc:
        assert exc.message == "cannot change column(s): points_possible - locked by Master Course"
    _edit(world, local.id, {"title": "Mine"})  # content is not locked here
    assert _copy(world, kids[0].id, ids["essay"]).title == "Mine"


def test_deleting_a_blueprint_item_deletes_unedited_copies(world):
    blueprint, kids, ids = _setup(world)
    _sync(world, blueprint)
    _edit(world, _copy(world, kids[1].id, ids["page"]).id, {"body": "Our own intro"})
    with world.tx() as db:
        content.delete_item(db, db.get(ContentItem, ids["page"]))
    migration = _sync(world, blueprint)
    assert _copy(world, kids[0].id, ids["page"]).workflow_state == "deleted"
    assert _copy(world, kids[1].id, ids["page"]).workflow_state == "published"
    with world.tx() as db:
        rows = db.scalars(select(BlueprintException)).all()
        assert [(r.course_id, r.conflicting_changes) for r in rows] == [(kids[1].id, ["content"])]
    assert migration.workflow_state == "completed"


def test_associating_one_course_syncs_only_that_course_in_full(world):
    blueprint, kids, ids = _setup(world)
    _sync(world, blueprint)
    late = world.course("Late section")
    _associate(world, blueprint, [late.id])
    migration = _sync(world, blueprint)
    assert _imports(world, migration.id) == {kids[0].id: (False, "completed", None),
                                             kids[1].id: (False, "completed", None),
                                             late.id: (True, "completed", None)}
    assert _copy(world, late.id, ids["essay"]).title == "Essay"
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(ContentItem).where(
            ContentItem.course_id == kids[0].id)) == 3  # nothing copied again into the synced ones


def test_new_items_reach_synced_courses_with_references(world):
    blueprint, kids, ids = _setup(world)
    _sync(world, blueprint)
    added = world.assignment(blueprint, "Lab", group=type("G", (), {"id": ids["group"]})(), points=5.0)
    _sync(world, blueprint)
    copy = _copy(world, kids[0].id, added.id)
    assert copy is not None and copy.parent_id == _copy(world, kids[0].id, ids["group"]).id


def test_failed_import_in_one_course_keeps_the_others(world):
    blueprint, kids, ids = _setup(world, children=3)
    _sync(world, blueprint)
    _edit(world, ids["essay"], {"title": "Essay 2"})
    with world.tx() as db:
        db.get(Course, kids[1].id).workflow_state = "deleted"
    migration = _sync(world, blueprint)
    assert migration.workflow_state == "imports_failed"
    results = _imports(world, migration.id)
    assert results[kids[1].id] == (False, "failed", f"the associated course {kids[1].id} no longer exists")
    assert results[kids[0].id] == results[kids[2].id] == (False, "completed", None)
    assert _copy(world, kids[2].id, ids["essay"]).title == "Essay 2"
    assert migration.error == f"course {kids[1].id}: the associated course {kids[1].id} no longer exists"


def test_blueprint_cannot_be_turned_off_while_a_sync_runs(world):
    blueprint, kids, ids = _setup(world)
    with world.tx() as db:
        blueprints.queue_migration(db, db.get(User, world.admin.id), blueprint.id, "default", None, {})
    with world.tx() as db:
        try:
            update_course(db, db.get(User, world.admin.id), blueprint.id, CourseChanges(blueprint=False))
            raise AssertionError("turned off during a sync")
        except InvalidInput as exc:
            assert exc.message == "cannot stop being a blueprint course while a sync is running"
    world.run_jobs()
    with world.tx() as db:
        off = CourseChanges(blueprint=False)
        assert update_course(db, db.get(User, world.admin.id), blueprint.id, off).blueprint is False


def _file(world, course, name, path="course files/docs"):
    with world.tx() as db:
        if db.get(Blob, "c" * 64) is None:
            db.add(Blob(sha256="c" * 64, size=5))
            db.flush()
        folder = folder_at_path(db, course.id, path)
        now = datetime.now(UTC)  # as an upload stamps it
        file = File(uuid=f"u-{course.id}-{name}", course_id=course.id, display_name=name, filename=name,
                    content_type="text/plain", size=5, blob_sha256="c" * 64, folder_path=folder.full_name,
                    folder_id=folder.id, created_at=now, updated_at=now)
        db.add(file)
        db.flush()
        return file.id


def _file_copies(world, course_id):
    with world.tx() as db:
        return {f.lineage_id: (f.display_name, f.folder_path, f.blob_sha256, f.workflow_state, f.hidden,
                               db.get(Folder, f.folder_id).full_name if f.folder_id else None)
                for f in db.scalars(select(File).where(File.course_id == course_id))}


def _file_records(world, migration_id):
    with world.tx() as db:
        return sorted((c.item_id, c.change_type) for c in db.scalars(select(BlueprintChange).where(
            BlueprintChange.migration_id == migration_id, BlueprintChange.asset_type == "attachment")))


def test_incremental_syncs_create_update_and_delete_file_copies(world):
    blueprint, kids, _ = _setup(world)
    kept = _file(world, blueprint, "kept.txt")
    moved = _file(world, blueprint, "moved.txt")
    gone = _file(world, blueprint, "gone.txt")
    edited = _file(world, blueprint, "edited.txt")
    first = _sync(world, blueprint)
    assert first.workflow_state == "completed"
    assert _file_copies(world, kids[0].id)[gone][3] == "processed"
    with world.tx() as db:  # a course renames its copy of `edited` downstream
        admin = db.get(User, world.admin.id)
        mine = db.scalar(select(File.id).where(File.course_id == kids[0].id, File.lineage_id == edited))
        files.update_file(db, admin, mine, files.FileChanges(name="mine.txt"))
    added = _file(world, blueprint, "new.txt", "course files/deep/er")
    with world.tx() as db:
        admin = db.get(User, world.admin.id)
        other = folder_at_path(db, blueprint.id, "course files/other")
        files.update_file(db, admin, moved, files.FileChanges(name="renamed.txt", parent_folder_id=other.id,
                                                                hidden=True))
        for file_id in (gone, edited):
            files.delete_file(db, admin, file_id)
    second = _sync(world, blueprint)
    assert second.workflow_state == "completed"
    assert _file_records(world, second.id) == sorted([(added, "created"), (moved, "updated"), (gone, "deleted"),
                                                      (edited, "deleted")])
    for kid in kids:
        copies = _file_copies(world, kid.id)
        assert copies[added] == ("new.txt", "course files/deep/er", "c" * 64, "processed", False,
                                 "course files/deep/er")
        assert copies[moved] == ("renamed.txt", "course files/other", "c" * 64, "processed", True,
                                 "course files/other")
        assert copies[kept] == ("kept.txt", "course files/docs", "c" * 64, "processed", False, "course files/docs")
        assert copies[gone][3] == "deleted"
    assert _file_copies(world, kids[1].id)[edited][3] == "deleted"
    assert _file_copies(world, kids[0].id)[edited][:4] == ("mine.txt", "course files/docs", "c" * 64, "processed")
    with world.tx() as db:
        exceptions = db.execute(select(BlueprintException.course_id, BlueprintException.conflicting_changes,
                                       BlueprintChange.item_id).join(BlueprintChange)
                                .where(BlueprintChange.migration_id == second.id)).all()
    assert [tuple(e) for e in exceptions] == [(kids[0].id, ["content"], edited)]


def test_publishing_after_the_initial_sync_sends_held_invitations(world):
    """A course published by a sync (publish_after_initial_sync) invites those it held, as any publish does."""
    blueprint = world.course("Blueprint", blueprint=True)
    kid = world.course("Section Unpublished", offer=False)
    held = world.enroll(world.user("held"), kid, state="creation_pending")
    _associate(world, blueprint, [kid.id])

    assert _sync(world, blueprint, publish_after_initial_sync=True).workflow_state == "completed"
    with world.tx() as db:
        assert db.get(Course, kid.id).workflow_state == "available"
        assert db.scalar(select(Enrollment.workflow_state).where(Enrollment.id == held.id)) == "invited"


def test_batched_imports_record_exceptions_and_a_failing_course_is_redone_alone(world, monkeypatch):
    from courseport.core.blueprints import blueprint_sync
    from courseport.schema import BlueprintSubscription

    blueprint, kids, ids = _setup(world, children=5)
    _sync(world, blueprint)
    _edit(world, _copy(world, kids[3].id, ids["essay"]).id, {"points": 15.0})  # a local edit: an exception
    _edit(world, ids["essay"], {"title": "Essay 3", "points": 30.0})
    monkeypatch.setattr(blueprint_sync, "BATCH", 2)  # batches [0, 1], [2, 3], [4]
    applied = blueprint_sync.apply_changes

    def failing_in_course_2(db, export, course_id, *targets):  # noqa: ANN001, ANN002, ANN202
        if course_id == kids[2].id:
            raise RuntimeError("disk on fire")
        return applied(db, export, course_id, *targets)

    monkeypatch.setattr(blueprint_sync, "apply_changes", failing_in_course_2)
    batches, batch = [], blueprint_sync._import_batch

    def recorded(ctx, export, pending):  # noqa: ANN001, ANN202
        batches.append(([course_id for _, course_id, _ in pending], batch(ctx, export, pending)))
        return batches[-1][1]

    monkeypatch.setattr(blueprint_sync, "_import_batch", recorded)
    migration = _sync(world, blueprint)
    results = _imports(world, migration.id)
    assert results[kids[2].id][:2] == (False, "failed") and "internal error" in results[kids[2].id][2]
    assert [results[k.id] for k in kids if k is not kids[2]] == [(False, "completed", None)] * 4
    assert [(_copy(world, k.id, ids["essay"]).title, _copy(world, k.id, ids["essay"]).points) for k in kids] == [
        ("Essay 3", 30.0), ("Essay 3", 30.0), ("Essay", 10.0), ("Essay 3", 15.0), ("Essay 3", 30.0)]
    with world.tx() as db:
        rows = db.scalars(select(BlueprintException)).all()
        assert [(r.course_id, r.conflicting_changes) for r in rows] == [(kids[3].id, ["points"])]
        assert all(s.synced for s in db.scalars(select(BlueprintSubscription)))
    assert batches == [([kids[0].id, kids[1].id], True), ([kids[2].id, kids[3].id], False)]


def test_a_question_added_to_a_synced_quiz_reaches_the_quiz_copies(world):
    blueprint, kids, _ = _setup(world)
    with world.tx() as db:
        quiz = content.create_item(db, blueprint.id, "quiz", {"title": "Check", "workflow_state": "published",
                                                              "data": {"quiz_type": "practice_quiz"}})
        content.create_item(db, blueprint.id, "quiz_question", {"title": "Q1", "parent_id": quiz.id, "data": {}})
    assert _sync(world, blueprint).workflow_state == "completed"
    with world.tx() as db:
        added = content.create_item(db, blueprint.id, "quiz_question", {"title": "Q2", "parent_id": quiz.id,
                                                                        "data": {}})
    assert _sync(world, blueprint).workflow_state == "completed"
    for kid in kids:
        quiz_copy, question_copy = _copy(world, kid.id, quiz.id), _copy(world, kid.id, added.id)
        assert question_copy is not None and question_copy.title == "Q2"
        assert question_copy.parent_id == quiz_copy.id
