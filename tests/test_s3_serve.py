"""End to end on S3: `courseport serve --blob-url s3://...` (moto in server mode), a Canvas file uploaded
and downloaded, a SCORM package imported and its files served, then `courseport blobs gc` on the same
store keeps every referenced blob; nothing is written to a local blob folder."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from courseport import cli
from tests.s3_server import new_bucket, s3_endpoint  # noqa: F401 - the session fixture
from tests.test_cli import _free_port, _wait_for_health

PACKAGE_NAME = "RuntimeMinimumCalls_SCORM12.zip"
PACKAGE_FOLDERS = [Path(__file__).resolve().parents[1].parent / "shared" / "packages"]


def package() -> Path:
    found = next((folder / PACKAGE_NAME for folder in PACKAGE_FOLDERS if (folder / PACKAGE_NAME).exists()), None)
    if found is None:
        pytest.skip(f"{PACKAGE_NAME} is not in shared/packages on this machine")
    return found


def courseport(*args: str) -> list[str]:
    return [sys.executable, "-m", "courseport.cli", *args]


def canvas_file_round_trip(base: str, token: str) -> None:
    canvas = httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=60)
    course = canvas.post("/accounts/1/courses", json={"course": {"name": "On S3"}}).json()
    data = os.urandom(300 * 1024)
    step1 = canvas.post(f"/courses/{course['id']}/files", json={"name": "notes.bin", "size": len(data)}).json()
    step2 = httpx.post(step1["upload_url"], data=step1["upload_params"], files={"file": ("notes.bin", data)},
                       timeout=60)
    assert step2.status_code == 201, step2.text
    download = canvas.get(f"/files/{step2.json()['id']}/download", follow_redirects=True)
    assert download.status_code == 200 and download.content == data


def scorm_import_round_trip(base: str, app_id: str, secret: str) -> None:
    scorm = httpx.Client(base_url=f"{base}/api/v2", auth=(app_id, secret), timeout=60)
    path = package()
    queued = scorm.post("/courses/importJobs/upload", params={"courseId": "s3-course"},
                        files={"file": (path.name, path.read_bytes(), "application/zip")})
    assert queued.status_code == 200, queued.text
    deadline = time.monotonic() + 60
    while (status := scorm.get(f"/courses/importJobs/{queued.json()['result']}").json())["status"] == "RUNNING":
        assert time.monotonic() < deadline, status
        time.sleep(0.2)  # the server's own job threads run the import
    assert status["status"] == "COMPLETE", status
    with zipfile.ZipFile(path) as archive:
        wanted = {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}
    for name, content in wanted.items():
        got = scorm.get("/courses/s3-course/asset", params={"relativePath": name})
        assert got.status_code == 200 and hashlib.sha256(got.content).digest() == hashlib.sha256(content).digest()


def test_serve_on_s3_uploads_imports_and_downloads(s3_endpoint, tmp_path):  # noqa: F811
    package()
    blob_url = f"s3://{new_bucket(s3_endpoint)}/courseport"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSEPORT_")}
    # On PostgreSQL the server shares the tests' database: its blob locks are advisory locks there.
    database = ["--database-url", os.environ["COURSEPORT_TEST_DATABASE_URL"]] \
        if os.environ.get("COURSEPORT_TEST_DATABASE_URL") else []
    proc = subprocess.Popen(courseport("serve", "--port", str(port), "--data-dir", str(tmp_path), "--workers", "1",
                                       "--no-demo", "--blob-url", blob_url, *database),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        _wait_for_health(proc, f"http://127.0.0.1:{port}", timeout=90)
        creds = json.loads((tmp_path / "credentials.json").read_text())
        canvas_file_round_trip(creds["base_url"], creds["canvas"]["token"])
        scorm_import_round_trip(creds["base_url"], creds["scorm_cloud"]["app_id"], creds["scorm_cloud"]["secret_key"])
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert proc.returncode in (0, -signal.SIGTERM), output  # one uvicorn process re-raises the signal it stopped on
    assert not (tmp_path / "blobs").exists()  # every byte went to S3
    gc = CliRunner().invoke(cli.main, ["blobs", "gc", "--data-dir", str(tmp_path), "--blob-url", blob_url,
                                       "--grace-seconds", "0", *database])
    assert gc.exit_code == 0, gc.output
    # The package zip itself is referenced by nothing once its import ended; every file stays.
    assert gc.output.startswith("removed 1 unreferenced blobs"), gc.output
