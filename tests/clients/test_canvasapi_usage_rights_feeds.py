"""canvasapi's usage rights, licenses and announcement external feed calls against the live server."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist
from sqlalchemy import select

from courseport.schema import ExternalFeed, File


@pytest.fixture
def setup(world, tmp_path):
    course = world.course("Rights 201")
    cast = world.cast(course)
    cc = world.canvas(cast["teacher"]).get_course(course.id)
    ids = []
    for name in ("a.txt", "b.txt"):
        path = tmp_path / name
        path.write_bytes(b"x")
        ok, body = cc.upload(str(path), parent_folder_path="readings")
        assert ok, body
        ids.append(body["id"])
    return course, cast, cc, ids


def test_set_and_remove_usage_rights(world, setup):
    _, cast, cc, (a, b) = setup
    folder = next(f for f in cc.get_folders() if f.name == "readings")
    rights = cc.set_usage_rights(folder_ids=[folder.id], publish=True,
                                 usage_rights={"use_justification": "creative_commons", "license": "cc_by_sa",
                                               "legal_copyright": "Grace"})
    assert (rights.use_justification, rights.license, rights.license_name, rights.legal_copyright) == (
        "creative_commons", "cc_by_sa", "CC Attribution Share Alike", "Grace")
    assert (rights.file_ids, rights.message, str(rights)) == ([a, b], "2 files updated", "creative_commons cc_by_sa")
    assert cc.get_file(a).usage_rights["license"] == "cc_by_sa"
    removed = cc.remove_usage_rights(file_ids=[a])
    assert removed == {"message": "Usage rights removed", "file_ids": [a]}
    assert cc.get_file(a).usage_rights is None
    with world.tx() as db:
        assert [(f.use_justification, f.license, f.legal_copyright) for f in (db.get(File, a), db.get(File, b))] == [
            (None, None, None), ("creative_commons", "cc_by_sa", "Grace")]
    with pytest.raises(BadRequest):
        cc.set_usage_rights(file_ids=[a], usage_rights={"use_justification": "because"})
    with pytest.raises(Forbidden):
        world.canvas(cast["student"]).get_course(cc.id).set_usage_rights(
            file_ids=[a], usage_rights={"use_justification": "fair_use"})


def test_get_licenses(setup):
    _, _, cc, _ = setup
    licenses = list(cc.get_licenses())
    assert len(licenses) == 8
    assert str(licenses[0]) == "Private (Copyrighted) private"
    assert (licenses[-1].id, licenses[-1].url) == ("cc_by_nc_nd", "http://creativecommons.org/licenses/by-nc-nd/4.0")


def test_external_feeds(world, setup):
    course, cast, cc, _ = setup
    feed = cc.create_external_feed("https://news.example.com/rss", verbosity="truncate", header_match="exam")
    assert (str(feed), feed.url, feed.verbosity, feed.header_match, feed.external_feed_entries_count) == (
        "https://news.example.com feed", "https://news.example.com/rss", "truncate", "exam", 0)
    cc.create_external_feed("http://other.example.com/atom")
    assert [f.url for f in cc.get_external_feeds()] == ["https://news.example.com/rss", "http://other.example.com/atom"]
    deleted = cc.delete_external_feed(feed)
    assert deleted.id == feed.id
    with world.tx() as db:
        assert list(db.scalars(select(ExternalFeed.url).where(ExternalFeed.course_id == course.id))) == [
            "http://other.example.com/atom"]
    with pytest.raises(ResourceDoesNotExist):
        cc.delete_external_feed(feed.id)
    with pytest.raises(BadRequest):
        cc.create_external_feed("javascript:alert(1)")
    with pytest.raises(Forbidden):
        list(world.canvas(cast["student"]).get_course(course.id).get_external_feeds())


def test_a_course_copy_carries_usage_rights(world, setup):
    course, _, cc, (a, _) = setup
    cc.set_usage_rights(file_ids=[a], usage_rights={"use_justification": "used_by_permission",
                                                    "legal_copyright": "Press"})
    target = world.course("Rights copy")
    teacher, token = world.user_with_token("copier")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(teacher, target, "TeacherEnrollment")
    copy = world.canvas(token).get_course(target.id)
    copy.create_content_migration("course_copy_importer", settings={"source_course_id": course.id})
    assert world.run_jobs() == 1
    rights = {f.display_name: f.usage_rights for f in copy.get_files()}
    assert rights == {"a.txt": {"legal_copyright": "Press", "use_justification": "used_by_permission",
                                "license": "private", "license_name": "Private (Copyrighted)"}, "b.txt": None}
