"""Snapshots: taken after seeding, restored after changes made through canvasapi, the changes gone; the blobs a
snapshot refers to outlive the collector until the snapshot is deleted. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import time

import pytest
from canvasapi.exceptions import ResourceDoesNotExist
from sqlalchemy import delete, func, select

from courseport.core.kit.blob_lifecycle import collect
from courseport.schema import Course, File, Snapshot, SnapshotBlob


@pytest.fixture
def admin_http(world):
    with world.client(world.admin_token) as c:
        yield c
        for snapshot in c.get("/_courseport/snapshots").json():
            c.delete(f"/_courseport/snapshots/{snapshot['name']}")


def test_restore_undoes_changes_made_after_the_snapshot(world, admin_http, tmp_path):
    assert admin_http.post("/_courseport/seed").status_code == 200  # the demo data
    canvas = world.canvas()
    kept = world.course("Kept")
    path = tmp_path / "notes.txt"
    path.write_text("the notes")
    ok, uploaded = canvas.get_course(kept.id).upload(str(path))
    assert ok
    with world.tx() as db:
        courses_before = db.scalar(select(func.count()).select_from(Course))
    taken = admin_http.post("/_courseport/snapshots", json={"name": "seeded"})
    assert taken.status_code == 201, taken.text
    assert taken.json()["name"] == "seeded"

    canvas.get_course(kept.id).update(course={"name": "Renamed"})
    added = canvas.get_account(1).create_course(course={"name": "Added later"})
    with world.tx() as db:  # the file row goes (as a purge would): nothing live refers to its bytes
        sha = db.scalar(select(File.blob_sha256).where(File.id == uploaded["id"]))
        db.execute(delete(File).where(File.id == uploaded["id"]))
    assert world.services.blobs.exists(sha)
    report = collect(world.engine, world.services.blobs, grace=0, now=time.time() + 10)
    assert report.ran and world.services.blobs.exists(sha)  # the snapshot still refers to it

    restored = admin_http.post("/_courseport/snapshots/seeded/restore")
    assert (restored.status_code, restored.json()["restored"]) == (200, True)
    assert canvas.get_course(kept.id).name == "Kept"
    with pytest.raises(ResourceDoesNotExist):
        canvas.get_course(added.id)
    assert canvas.get_file(uploaded["id"]).display_name == "notes.txt"
    with world.tx() as db:
        assert db.scalar(select(func.count()).select_from(Course)) == courses_before
    made = canvas.get_account(1).create_course(course={"name": "After restore"})  # ids go on after the restore
    assert made.id > kept.id

    listed = admin_http.get("/_courseport/snapshots").json()
    assert [(s["name"], s["blobs"] >= 1) for s in listed] == [("seeded", True)]
    assert admin_http.delete("/_courseport/snapshots/seeded").json() == {"name": "seeded", "removed": True}
    with world.tx() as db:
        db.execute(delete(File).where(File.id == uploaded["id"]))
    collect(world.engine, world.services.blobs, grace=0, now=time.time() + 10)
    assert not world.services.blobs.exists(sha)  # no snapshot keeps it any more
    with world.tx() as db:
        assert db.scalar(select(Snapshot.id)) is None and db.scalar(select(SnapshotBlob.sha256)) is None


def test_snapshot_names_conflicts_and_missing(world, admin_http):
    assert admin_http.post("/_courseport/snapshots", json={"name": "a b"}).json()["errors"][0]["field"] == "name"
    assert admin_http.post("/_courseport/snapshots", json={"name": "one"}).status_code == 201
    assert admin_http.post("/_courseport/snapshots", json={"name": "one"}).status_code == 409
    assert admin_http.post("/_courseport/snapshots/none/restore").status_code == 404
    assert admin_http.delete("/_courseport/snapshots/none").status_code == 404


def test_snapshots_need_an_installation_admin(world, admin_http):
    _, token = world.user_with_token("teacher")
    with world.client(token) as c:
        assert c.post("/_courseport/snapshots", json={"name": "mine"}).status_code == 403
        assert c.get("/_courseport/snapshots").status_code == 403
    assert admin_http.get("/_courseport/snapshots").json() == []
