"""The data folder is owner-only and every secret-bearing file is 0600 from creation: a fresh start
under a permissive umask, an older wide install tightened, credentials.json never written wide.

Each test runs `serve`'s own steps (cli.prepare_store, then build_services as every server process
does) on SQLite in a temporary folder."""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import contextmanager
from pathlib import Path

import pytest

from courseport import cli
from courseport.app import build_services
from courseport.settings import Settings

SECRET_FILES = ("courseport.db", "courseport.db-wal", "courseport.db-shm", "credentials.json")


@contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def start(data_dir: Path) -> None:
    """What `serve` does before uvicorn, then what each server process does; the engine stays open
    so the -wal and -shm files exist."""
    settings = Settings(data_dir=data_dir, job_mode="manual")
    cli.prepare_store(settings, "http://127.0.0.1:9", False)
    services = build_services(settings)
    with services.engine.connect():
        assert all((data_dir / name).exists() for name in SECRET_FILES)
        modes = {name: mode(data_dir / name) for name in SECRET_FILES}
    services.engine.dispose()
    assert mode(data_dir) == 0o700
    assert modes == dict.fromkeys(SECRET_FILES, 0o600)


def test_a_fresh_start_under_a_permissive_umask_makes_folder_and_secrets_owner_only(tmp_path):
    with umask(0):
        start(tmp_path / "data")
    blobs = tmp_path / "data" / "blobs"
    assert blobs.is_dir()  # blobs and their temp files are private through the 0700 data folder


def test_an_existing_wide_install_is_tightened(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / "courseport.db") as conn:  # SQLite's own default: 0644 under umask 022
        conn.execute("create table t (x)")
    for name in SECRET_FILES[1:]:
        (data / name).touch()
    (data / "credentials.json").write_text("{}")
    for path in (data, *(data / name for name in SECRET_FILES)):
        os.chmod(path, 0o755 if path == data else 0o644)
    start(data)


def test_credentials_json_is_owner_only_from_creation(tmp_path, monkeypatch):
    """No chmod after the fact: with chmod disabled and a umask that takes nothing away, the file
    still never has a group or other bit, whether it is new or replaces a wide one."""
    monkeypatch.setattr(os, "chmod", lambda *a, **k: None)
    monkeypatch.setattr(os, "fchmod", lambda *a, **k: None)
    settings = Settings(data_dir=tmp_path, job_mode="manual")
    path = tmp_path / "credentials.json"
    with umask(0):
        cli.prepare_store(settings, "http://127.0.0.1:9", False)
        assert mode(path) == 0o600
        path.unlink()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o666)  # an older release's wide file
        os.write(fd, b"{}")
        os.close(fd)
        assert mode(path) == 0o666
        cli.prepare_store(settings, "http://127.0.0.1:9", False)
    assert mode(path) == 0o600 and path.read_text().startswith("{")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".credentials.json.")]  # no temp file left


def test_a_bad_public_url_or_frame_ancestor_is_refused():
    for url in ("ftp://x", "http://", "http://host/?q=1", "http://ho st"):
        with pytest.raises(ValueError):
            Settings(public_url=url)
    with pytest.raises(ValueError):
        Settings(frame_ancestors=("https://a.example; script-src *",))
    assert Settings(public_url="https://lms.example/cp/").base_url == "https://lms.example/cp"
    assert Settings(host="0.0.0.0", port=8123).base_url == "http://127.0.0.1:8123"
