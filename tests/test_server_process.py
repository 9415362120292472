"""What a server process (`uvicorn --factory courseport.app:app_from_env`) sets up for itself on start."""

from __future__ import annotations

import gc

import pytest
from litestar.testing import TestClient

from courseport import migrate
from courseport.app import GC_YOUNG_THRESHOLD, app_from_env
from courseport.db import make_engine
from courseport.settings import Settings


@pytest.fixture
def collector_restored():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_a_started_server_process_freezes_its_startup_heap(tmp_path, monkeypatch, collector_restored):
    monkeypatch.setenv("COURSEPORT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COURSEPORT_JOB_MODE", "manual")
    engine = make_engine(Settings(data_dir=tmp_path).effective_database_url)
    migrate.upgrade(engine)  # as `courseport serve` does before it starts server processes
    engine.dispose()
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)
    app = app_from_env()
    assert gc.get_freeze_count() == 0  # building the app changes nothing yet
    with TestClient(app) as client:
        assert client.get("/_courseport/health").status_code == 200
        assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD
        assert gc.get_freeze_count() > 10_000  # modules, routes and mappers at least
        assert client.get("/_courseport/health").json()["status"] == "ok"
