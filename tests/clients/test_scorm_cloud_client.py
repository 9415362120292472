"""rustici-software-cloud-v2 5.0.0, unmodified, drives every Course Service operation of part A
(imports, courses, versions, zips, configuration, tags) plus token, ping, about and application
configuration, against the live server with packages built here."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from rustici_software_cloud_v2 import (
    AboutApi,
    ApiClient,
    ApplicationManagementApi,
    AuthenticationApi,
    BatchTagsSchema,
    Configuration,
    CourseApi,
    ImportFetchRequestSchema,
    ImportMediaFileReferenceRequestSchema,
    ImportRequestSchema,
    MediaFileMetadataSchema,
    PingApi,
    SettingsIndividualSchema,
    SettingsPostSchema,
    TagListSchema,
    TitleSchema,
)
from rustici_software_cloud_v2.rest import ApiException

from tests import package_builders as pb
from tests.local_http import Answer, LocalHttp


def client(world, app_id: str, secret: str, token: str = "") -> ApiClient:
    cfg = Configuration()
    cfg.host = world.base_url + "/api/v2/"  # the vendor default ends in "/": paths arrive as //courses
    cfg.username, cfg.password, cfg.access_token = app_id, secret, token
    return ApiClient(cfg)


@pytest.fixture
def api(world):
    return CourseApi(client(world, *world.scorm_app()))


def package_file(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def imported(world, api: CourseApi, tmp_path: Path, course_id: str, data: bytes, **kwargs):
    job = api.create_upload_and_import_course_job(course_id, file=package_file(tmp_path, f"{course_id}.zip", data),
                                                  **kwargs)
    assert api.get_import_job_status(job.result).status == "RUNNING"
    world.run_jobs()
    return api.get_import_job_status(job.result)


def test_upload_imports_and_course_reads(world, api, tmp_path):
    status = imported(world, api, tmp_path, "golf", pb.scorm12(), tags=["sport", "demo"])
    assert status.status == "COMPLETE"
    assert status.import_result.course.course_learning_standard == "SCORM12"
    assert status.import_result.course_languages == ["en-US"]
    multi = imported(world, api, tmp_path, "multi", pb.scorm2004("3rd"))
    assert multi.import_result.course.root_activity.children[0].children[1].scaled_passing_score == "0.75"
    cmi5 = imported(world, api, tmp_path, "cmi5", pb.cmi5())
    assert cmi5.import_result.course.course_learning_standard == "CMI5"
    broken = imported(world, api, tmp_path, "broken", pb.broken())
    assert (broken.status, broken.message) == (
        "ERROR", "imsmanifest.xml: item 'item_1' refers to resource 'missing_res', which the manifest does not define")

    course = api.get_course("golf", include_course_metadata=True, include_registration_count=True)
    assert (course.title, course.tags, course.registration_count) == ("Golf Explained", ["demo", "sport"], 0)
    assert course.metadata.keywords == ["golf", "sport"]
    listing = api.get_courses(tags=["sport"], include_total_count=True)
    assert [c.id for c in listing.courses] == ["golf"] and listing.more is None
    assert [c.id for c in api.get_courses(order_by="course_id_desc").courses] == ["multi", "golf", "cmi5"]
    assert [c.id for c in api.get_courses(filter="mul", filter_by="course_id").courses] == ["multi"]

    with pytest.raises(ApiException) as err:
        api.create_upload_and_import_course_job("golf", file=package_file(tmp_path, "again.zip", pb.scorm12()))
    assert (err.value.status, err.value.body) == (409, '{"message":"Course \'golf\' already exists and '
                                                       'mayCreateNewVersion is false"}')


def test_versions_title_zip_and_delete(world, api, tmp_path):
    imported(world, api, tmp_path, "golf", pb.scorm12())
    imported(world, api, tmp_path, "golf", pb.scorm2004(), may_create_new_version=True)
    api.set_course_title("golf", TitleSchema(title="Golf, the course"))
    assert api.get_course("golf").title == "Golf, the course"
    assert [v.version for v in api.get_course_versions("golf", include_course_metadata=True).courses] == [0, 1]
    assert api.get_course_version_info("golf", 0).course_learning_standard == "SCORM12"
    newest = zipfile.ZipFile(api.get_course_zip("golf"))
    assert "lesson1/index.html" in newest.namelist()
    oldest = zipfile.ZipFile(io.BytesIO(Path(api.get_versioned_course_zip("golf", 0)).read_bytes()))
    assert oldest.read("index.html") == pb.SCO_HTML
    api.delete_course_version("golf", 1)
    assert api.get_course("golf").version == 0
    api.delete_course_version("golf", 0)
    with pytest.raises(ApiException) as err:
        api.get_course("golf")
    assert err.value.status == 404
    imported(world, api, tmp_path, "gone", pb.tincan())
    api.delete_course("gone")
    assert api.get_courses().courses == []


def test_fetch_and_no_upload_imports(world, api, monkeypatch):
    monkeypatch.setattr(world.services, "settings", world.services.settings.with_changes(outbound_allow=("127.0.0.1",)))
    with LocalHttp() as local:
        local.routes["/golf.zip"] = Answer(200, pb.scorm12())
        job = api.create_fetch_and_import_course_job("fetched", ImportFetchRequestSchema(url=f"{local.url}/golf.zip"))
        reference = ImportRequestSchema(media_file_reference_request=ImportMediaFileReferenceRequestSchema(
            url="https://media.example.com/intro.mp3", content_type="audio/mpeg",
            media_file_metadata=MediaFileMetadataSchema(title="Intro", estimated_duration=60)))
        ref_job = api.create_no_upload_and_import_course_job("intro", reference)
        fetch_job = api.create_no_upload_and_import_course_job("fetched2", ImportRequestSchema(
            fetch_request=ImportFetchRequestSchema(url=f"{local.url}/golf.zip")))
        world.run_jobs()
    assert api.get_import_job_status(job.result).import_result.course.id == "fetched"
    intro = api.get_import_job_status(ref_job.result).import_result.course
    assert (intro.title, intro.root_activity.href) == ("Intro", "https://media.example.com/intro.mp3")
    assert api.get_import_job_status(fetch_job.result).status == "COMPLETE"


def test_configuration_at_every_level(world, api, tmp_path):
    imported(world, api, tmp_path, "golf", pb.scorm12())
    app = ApplicationManagementApi(api.api_client)
    one = lambda name, value: SettingsPostSchema(settings=[SettingsIndividualSchema(setting_id=name, value=value)])  # noqa: E731
    app.set_application_configuration(one("PlayerDesiredWidth", "900"))
    api.set_course_configuration("golf", one("PlayerDesiredHeight", "600"))
    api.set_course_version_configuration("golf", 0, one("PlayerLaunchType", "NEW_WINDOW"))
    items = {s.id: s for s in api.get_course_version_configuration("golf", 0, include_metadata=True).setting_items}
    assert [(items[n].effective_value, items[n].effective_value_source) for n in (
        "PlayerDesiredWidth", "PlayerDesiredHeight", "PlayerLaunchType", "PlayerCaptureHistory")] == [
        ("900", "application"), ("600", "course"), ("NEW_WINDOW", "course"), ("true", "default")]
    assert items["PlayerLaunchType"].metadata.data_type == "enum"
    api.delete_course_version_configuration_setting("golf", 0, "PlayerLaunchType")
    api.delete_course_configuration_setting("golf", "PlayerDesiredHeight")
    app.delete_application_configuration_setting("PlayerDesiredWidth")
    course = {s.id: s for s in api.get_course_configuration("golf").setting_items}
    assert {course[n].effective_value_source for n in ("PlayerDesiredWidth", "PlayerDesiredHeight")} == {"default"}
    assert {s.id for s in app.get_application_configuration().setting_items} == set(course)


def test_tags(world, api, tmp_path):
    imported(world, api, tmp_path, "a", pb.scorm12())
    imported(world, api, tmp_path, "b", pb.cmi5())
    api.put_course_tags("a", TagListSchema(tags=["x", "y"]))
    api.delete_course_tags("a", TagListSchema(tags=["x"]))
    api.put_course_tags_batch(BatchTagsSchema(ids=["a", "b"], tags=["shared"]))
    assert api.get_course_tags("a").tags == ["shared", "y"]
    assert api.get_course_tags("b").tags == ["shared"]


def test_tokens_ping_and_about(world):
    app_id, secret = world.scorm_app()
    token = AuthenticationApi(client(world, app_id, secret)).get_app_token("read:course", expiration=120)
    assert (token.expires_in, token.token_type) == (120, "Bearer")
    reader = client(world, "", "", token.access_token)
    assert CourseApi(reader).get_courses().courses == []
    assert PingApi(reader).ping_app_id().api_message == "pong"
    assert AboutApi(reader).get_about().distribution.startswith("courseport")
    with pytest.raises(ApiException) as err:
        CourseApi(reader).set_course_title("x", TitleSchema(title="y"))
    assert err.value.status == 403
