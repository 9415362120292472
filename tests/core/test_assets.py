"""Assets in core: destination cleaning, update policies checked again at write time, file rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.blobs import StoredBlob
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.packages import assets
from courseport.schema import Blob, PackageFile
from tests import package_builders as pb
from tests.scorm_app import ScormApp


@pytest.mark.parametrize(("given", "clean"), [
    ("a.png", "a.png"), ("/images/a.png", "images/a.png"), ("  docs/x y.pdf ", "docs/x y.pdf"),
    ("images\\a.png", "images/a.png"), ("..a/b..", "..a/b..")])
def test_destinations_inside_the_package(given, clean):
    assert assets.clean_destination(given) == clean


@pytest.mark.parametrize("given", [
    None, "", "   ", "..", "../a", "a/../b", "a/..", "./a", "a//b", "a/", "C:/a", "c:", "a\\..\\..\\b", "a\x00b",
    "a\nb", "x" * 1025])
def test_destinations_that_could_leave_the_package_are_refused(given):
    with pytest.raises(InvalidInput) as caught:
        assets.clean_destination(given)
    assert caught.value.field == "destination"


@pytest.fixture
def golf(world):
    assert ScormApp(world).imported(pb.scorm12(), "golf")["status"] == "COMPLETE"


def stored(world, data: bytes) -> StoredBlob:
    return world.services.blobs.put_stream([data])


def test_place_records_the_blob_and_the_file(world, golf):
    blob = stored(world, b"asset bytes")
    with world.tx() as db:
        where = assets.check_target(db, world.admin, "golf", None, "docs/a.txt", "reject")
        placed = assets.place_asset(db, world.admin, where, blob, None)
    assert placed == assets.PlacedAsset("a.txt", "docs/a.txt")
    with world.tx() as db:
        row = db.scalar(select(PackageFile).where(PackageFile.path == "docs/a.txt"))
        assert (row.blob_sha256, row.size, row.content_type) == (blob.sha256, 11, "text/plain")
        assert db.get(Blob, blob.sha256).size == 11


def test_the_policy_is_checked_again_when_placing(world, golf):
    with world.tx() as db:
        where = assets.check_target(db, world.admin, "golf", 0, "late.txt", "reject")
    with world.tx() as db:
        assets.place_asset(db, world.admin, where, stored(world, b"first"), "late.txt")
    with world.tx() as db, pytest.raises(InvalidInput, match="already exists and the policy is reject"):
        assets.place_asset(db, world.admin, where, stored(world, b"second"), "late.txt")


def test_unknown_courses_versions_and_files(world, golf):
    with world.tx() as db:
        with pytest.raises(NotFound, match="Course 'nope' not found"):
            assets.check_target(db, world.admin, "nope", None, "a", None)
        with pytest.raises(NotFound, match="has no version 3"):
            assets.check_target(db, world.admin, "golf", 3, "a", None)
        with pytest.raises(NotFound, match="No file at 'nothing.txt'"):
            assets.asset_file(db, world.admin, "golf", None, "nothing.txt")
        with pytest.raises(InvalidInput) as caught:
            assets.asset_file(db, world.admin, "golf", None, "../index.html")
        assert caught.value.field == "relative_path"


def test_only_application_administrators_manage_assets(world, golf):
    outsider = world.user("outsider")
    with world.tx() as db, pytest.raises(Exception, match="may not manage courses"):
        assets.check_target(db, outsider, "golf", None, "a.txt", None)
