"""The read cache: results kept while SQLite's data_version holds, dropped by any commit."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from courseport.db import is_sqlite, make_engine, transaction
from courseport.read_cache import ReadCache, StoreVersion


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    with transaction(engine, write=True) as db:
        db.execute(text("CREATE TABLE t (n INTEGER)"))
        db.execute(text("INSERT INTO t VALUES (1)"))
    yield engine
    engine.dispose()


def _count_loads(cache: ReadCache, engine, key: str = "k") -> tuple[list[int], callable]:
    loads: list[int] = []

    def load() -> int:
        with transaction(engine, write=False) as db:
            loads.append(1)
            return db.execute(text("SELECT sum(n) FROM t")).scalar_one()

    return loads, lambda: cache.get(key, load)


def test_version_moves_on_a_commit_anywhere_and_not_on_reads(engine, tmp_path):
    version = StoreVersion(engine)
    first = version.current()
    with transaction(engine, write=False) as db:
        db.execute(text("SELECT * FROM t")).all()
    assert version.current() == first
    with transaction(engine, write=True) as db:  # a pooled connection of this process
        db.execute(text("INSERT INTO t VALUES (2)"))
    second = version.current()
    assert second != first
    other = sqlite3.connect(tmp_path / "store.db", isolation_level=None)  # as another process would
    other.execute("INSERT INTO t VALUES (3)")
    other.close()
    assert version.current() not in (first, second)


def test_a_result_is_served_until_the_store_changes(engine):
    cache = ReadCache(StoreVersion(engine))
    loads, get = _count_loads(cache, engine)
    assert get() == 1 and get() == 1
    assert len(loads) == 1
    with transaction(engine, write=True) as db:
        db.execute(text("INSERT INTO t VALUES (41)"))
    assert get() == 42
    assert len(loads) == 2


def test_a_failed_load_is_not_kept(engine):
    cache = ReadCache(StoreVersion(engine))
    calls = []

    def failing() -> int:
        calls.append(1)
        raise LookupError("no such thing")

    for _ in range(2):
        with pytest.raises(LookupError):
            cache.get("k", failing)
    assert len(calls) == 2


def test_the_cache_keeps_at_most_its_limit(engine):
    cache = ReadCache(StoreVersion(engine), limit=2)
    for key in ("a", "b", "c"):
        cache.get(key, lambda key=key: key)
    assert cache.get("a", lambda: "reloaded") == "reloaded"  # the oldest went first
    assert cache.get("c", lambda: "reloaded") == "c"


def test_postgresql_and_memory_stores_keep_nothing(services):
    if is_sqlite(services.engine):
        memory = make_engine("sqlite://")
        assert StoreVersion(memory).current() is None
        memory.dispose()
    else:
        assert StoreVersion(services.engine).current() is None
    cache = ReadCache(StoreVersion(make_engine("sqlite://")))
    results = iter([1, 2])
    assert cache.get("k", lambda: next(results)) == 1
    assert cache.get("k", lambda: next(results)) == 2


@pytest.mark.parametrize(("value", "expected"), [("off", False), ("0", False), ("on", True), (None, True)])
def test_the_environment_turns_the_cache_off(monkeypatch, value, expected):
    from courseport.settings import Settings

    if value is None:
        monkeypatch.delenv("COURSEPORT_READ_CACHE", raising=False)
    else:
        monkeypatch.setenv("COURSEPORT_READ_CACHE", value)
    assert Settings.from_env().read_cache is expected


def test_a_store_version_that_is_off_keeps_nothing(engine):
    assert StoreVersion(engine, enabled=False).current() is None
    assert StoreVersion(engine).current() is not None
