"""Course assets over HTTP and through the vendor client: upload, fetch (through the SSRF guard),
update policies, download, delete, file lists, at course and version level; hostile destinations
and URLs are refused and leave nothing behind."""

from __future__ import annotations

import os
import tempfile

import httpx
import pytest

from tests import package_builders as pb
from tests.local_http import Answer, LocalHttp
from tests.scorm_app import ScormApp, refused_callers, stored_files

PNG = b"\x89PNG new logo"


@pytest.fixture
def scorm(world):
    app = ScormApp(world)
    assert app.imported(pb.scorm12(), "golf")["status"] == "COMPLETE"
    assert app.imported(pb.scorm12(title="v2"), "golf", mayCreateNewVersion="True")["status"] == "COMPLETE"
    return app


@pytest.fixture
def local():
    with LocalHttp() as server:
        yield server


@pytest.fixture
def allow_loopback(world, monkeypatch):
    monkeypatch.setattr(world.services, "settings", world.services.settings.with_changes(outbound_allow=("127.0.0.1",)))


def upload(scorm, destination: str | None, data: bytes = PNG, path: str = "/courses/golf/asset/upload",
           **params) -> httpx.Response:
    fields = {} if destination is None else {"destination": destination}
    return scorm.http.post(path, params=params, data=fields, files={"file": ("logo.png", data, "image/png")})


def paths(scorm, prefix: str = "/courses/golf") -> list[str]:
    answer = scorm.http.get(prefix + "/asset/list")
    assert answer.status_code == 200
    return [f["path"] for f in answer.json()["files"]]


def test_upload_adds_a_file_the_player_and_the_download_serve(scorm):
    answer = upload(scorm, "images/logo.png")
    assert (answer.status_code, answer.json()) == (200, {"filename": "logo.png", "destination": "images/logo.png"})
    assert paths(scorm) == ["images/ball.png", "images/logo.png", "imsmanifest.xml", "index.html"]
    assert paths(scorm, "/courses/golf/versions/0") == ["images/ball.png", "imsmanifest.xml", "index.html"]
    got = scorm.http.get("/courses/golf/asset", params={"relativePath": "images/logo.png"})
    assert (got.status_code, got.content, got.headers["content-type"]) == (200, PNG, "image/png")
    assert got.headers["content-disposition"] == 'attachment; filename="logo.png"'


def test_file_list_body(scorm):
    files = scorm.http.get("/courses/golf/versions/0/asset/list").json()["files"]
    assert [{k: f[k] for k in ("path", "size")} for f in files] == [
        {"path": "images/ball.png", "size": 9}, {"path": "imsmanifest.xml", "size": len(pb.SCORM12_MANIFEST.format(
            title="Golf Explained", href="index.html").encode())}, {"path": "index.html", "size": len(pb.SCO_HTML)}]
    assert all(f["modified"].endswith("Z") for f in files)


def test_policies(scorm):
    assert upload(scorm, "index.html", b"new", updateAssetPolicy="reject").json() == {
        "message": "'index.html' already exists and the policy is reject"}
    assert upload(scorm, "new.html", b"new", updateAssetPolicy="strict").json() == {
        "message": "'new.html' does not exist and the policy is strict"}
    assert upload(scorm, "new.html", b"new", updateAssetPolicy="sometimes").json() == {
        "message": "updateAssetPolicy must be reject, strict or lax"}
    assert upload(scorm, "index.html", b"replaced", updateAssetPolicy="strict").status_code == 200
    assert upload(scorm, "fresh.html", b"fresh", updateAssetPolicy="reject").status_code == 200
    assert upload(scorm, "fresh.html", b"again").status_code == 200  # lax by default
    got = scorm.http.get("/courses/golf/asset", params={"relativePath": "index.html"})
    assert got.content == b"replaced"
    assert scorm.http.get("/courses/golf/asset", params={"relativePath": "fresh.html"}).content == b"again"


@pytest.mark.parametrize("destination", [
    "../evil.html", "a/../../evil.html", "a/./b.html", "a//b.html", "C:/evil.html", "..\\evil.html", "a/\x00.html",
    "", "images/"])
def test_hostile_destinations_are_refused_and_leave_nothing(scorm, destination):
    before = scorm.counts()
    answer = upload(scorm, destination)
    assert answer.status_code == 400
    assert answer.json()["message"] in (
        "destination is required",
        "destination must be a relative path inside the course, without '.', '..', empty segments, drive letters "
        "or control characters")
    assert scorm.counts() == before


def test_upload_needs_a_file_and_a_destination(scorm):
    answer = scorm.http.post("/courses/golf/asset/upload", data={"destination": "x.png"}, files={"other": ("a", b"")})
    assert (answer.status_code, answer.json()) == (400, {"message": "file is required"})
    before = scorm.counts()
    assert upload(scorm, None).json() == {"message": "destination is required"}
    assert scorm.counts() == before


def test_fetch_imports_an_asset(scorm, local, allow_loopback):
    local.routes["/media/clip.mp4"] = Answer(200, b"MP4DATA", {"Content-Type": "video/mp4"})
    answer = scorm.http.post("/courses/golf/versions/0/asset", json={
        "fetchUrl": f"{local.url}/media/clip.mp4", "destination": "media/clip.mp4"})
    assert (answer.status_code, answer.json()) == (200, {"filename": "clip.mp4", "destination": "media/clip.mp4"})
    got = scorm.http.get("/courses/golf/versions/0/asset", params={"relativePath": "media/clip.mp4"})
    assert (got.content, got.headers["content-type"]) == (b"MP4DATA", "video/mp4")
    assert "media/clip.mp4" not in paths(scorm)  # the newest version is untouched


def test_fetches_of_private_addresses_are_refused_and_leave_nothing(scorm, local):
    local.routes["/x.png"] = Answer(200, PNG)
    before = scorm.counts()
    answer = scorm.http.post("/courses/golf/asset", json={"fetchUrl": f"{local.url}/x.png", "destination": "x.png"})
    assert answer.status_code == 400
    assert answer.json()["message"].startswith("fetchUrl may not point at 127.0.0.1: 127.0.0.1 is a loopback address")
    assert local.received == [] and scorm.counts() == before


@pytest.mark.parametrize(("body", "message"), [
    ({"destination": "x.png"}, "fetchUrl must be an absolute http or https URL, got ''"),
    ({"fetchUrl": "file:///etc/passwd", "destination": "x.png"},
     "fetchUrl must be an absolute http or https URL, got 'file:///etc/passwd'"),
    ({"fetchUrl": "http://example.test/x.png", "destination": "../x.png"},
     "destination must be a relative path inside the course, without '.', '..', empty segments, drive letters "
     "or control characters"),
])
def test_bad_fetch_requests_are_400(scorm, body, message):
    before = scorm.counts()
    answer = scorm.http.post("/courses/golf/asset", json=body)
    assert (answer.status_code, answer.json()) == (400, {"message": message})
    assert scorm.counts() == before


def test_a_failed_fetch_leaves_nothing(scorm, local, allow_loopback):
    before = scorm.counts()
    answer = scorm.http.post("/courses/golf/asset", json={"fetchUrl": f"{local.url}/gone", "destination": "x.png"})
    assert (answer.status_code, answer.json()) == (400, {"message": f"{local.url}/gone answered 404"})
    assert scorm.counts() == before


def test_delete_and_missing_assets(scorm):
    assert scorm.http.delete("/courses/golf/versions/0/asset", params={"relativePath": "images/ball.png"}).status_code \
        == 204
    assert paths(scorm, "/courses/golf/versions/0") == ["imsmanifest.xml", "index.html"]
    assert "images/ball.png" in paths(scorm)
    for method in ("get", "delete"):
        answer = scorm.http.request(method, "/courses/golf/versions/0/asset",
                                    params={"relativePath": "images/ball.png"})
        assert (answer.status_code, answer.json()) == (
            404, {"message": "No file at 'images/ball.png' in course 'golf'"})
    answer = scorm.http.get("/courses/golf/asset", params={"relativePath": "../x"})
    assert (answer.status_code, answer.json()["message"].split(" must")[0]) == (400, "relativePath")
    assert scorm.http.get("/courses/nope/asset/list").json() == {"message": "Course 'nope' not found"}


def test_the_vendor_client_drives_every_asset_operation(scorm, world, local, allow_loopback, tmp_path):
    from rustici_software_cloud_v2 import ApiClient, Configuration, CourseApi, ImportAssetRequestSchema

    config = Configuration()
    config.host, config.username, config.password = world.base_url + "/api/v2/", scorm.app_id, scorm.secret
    config.temp_folder_path = str(tmp_path)
    api = CourseApi(ApiClient(config))
    source = tmp_path / "notes.txt"
    source.write_bytes(b"notes")
    placed = api.upload_course_asset_file("golf", "docs/notes.txt", file=str(source))
    assert (placed.filename, placed.destination) == ("notes.txt", "docs/notes.txt")
    placed = api.upload_course_version_asset_file("golf", 0, "docs/notes.txt", file=str(source),
                                                  update_asset_policy="reject")
    assert placed.destination == "docs/notes.txt"
    local.routes["/a.css"] = Answer(200, b"body{}", {"Content-Type": "text/css"})
    placed = api.import_course_asset_file("golf", ImportAssetRequestSchema(fetch_url=f"{local.url}/a.css",
                                                                          destination="style/a.css"))
    assert (placed.filename, placed.destination) == ("a.css", "style/a.css")
    placed = api.import_course_version_asset_file("golf", 0, ImportAssetRequestSchema(
        fetch_url=f"{local.url}/a.css", destination="style/a.css"), update_asset_policy="lax")
    assert placed.destination == "style/a.css"
    with open(api.get_course_asset("golf", "docs/notes.txt"), "rb") as fh:
        assert fh.read() == b"notes"
    with open(api.get_course_version_asset("golf", 0, "style/a.css"), "rb") as fh:
        assert fh.read() == b"body{}"
    assert [f.path for f in api.get_course_file_list("golf").files] == [
        "docs/notes.txt", "images/ball.png", "imsmanifest.xml", "index.html", "style/a.css"]
    api.delete_course_asset("golf", "docs/notes.txt")
    api.delete_course_version_asset("golf", 0, "style/a.css")
    assert [f.path for f in api.get_course_version_file_list("golf", 0).files] == [
        "docs/notes.txt", "images/ball.png", "imsmanifest.xml", "index.html"]
    assert "docs/notes.txt" not in [f.path for f in api.get_course_file_list("golf").files]


@pytest.mark.parametrize("who", ["anonymous", "wrong secret", "no right"])
@pytest.mark.parametrize("path", ["/courses/golf/asset/upload", "/courses/golf/versions/0/asset/upload"])
def test_refused_asset_uploads_leave_no_bytes(scorm, world, who, path, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    client, status, message = refused_callers(scorm, world)[who]
    before = stored_files(world, tmp_path)
    answer = client.post(path, data={"destination": "big.bin"},
                         files={"file": ("big.bin", os.urandom(3 * 1024 * 1024), "application/octet-stream")})
    assert (answer.status_code, answer.json()) == (status, {"message": message})
    assert stored_files(world, tmp_path) == before
    assert "big.bin" not in paths(scorm)
