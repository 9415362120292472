"""Named snapshots of the whole store, and restoring one (docs/architecture.md, "Stand-in controls").

SQLite: taken with SQLite's online backup API into DATA_DIR/snapshots/<id>.db (a consistent copy while
other connections go on writing); restored by attaching that file and, in one write transaction, emptying
every data table and copying it back (foreign keys checked at the commit).
PostgreSQL: taken by copying every data table into a schema of its own (`courseport_snapshot_<id>`) in one
REPEATABLE READ transaction, so all tables are of one moment; restored in one transaction by TRUNCATE of
every data table and INSERT ... SELECT from the snapshot schema, then each id sequence set past the
largest id restored. Readers see the old store or the new one, never a mix.

Blobs are content-addressed and never copied: the shas a snapshot's rows refer to are listed in
`snapshot_blobs`, which the blob collector counts as references (core/kit/blob_lifecycle.py). The control
tables themselves (snapshots, fault and job timing rules, the request log, the instance secret) are never
part of a snapshot and are left as they are by a restore.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, Integer, Table, delete, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport import migrate
from courseport.core.kit.errors import Conflict, InvalidInput, NotFound
from courseport.db import transaction
from courseport.schema import (
    Base,
    FaultRule,
    InstanceValue,
    JobTimingRule,
    RequestLogBatch,
    Snapshot,
    SnapshotBlob,
)

_KEPT_OUT = {m.__tablename__ for m in (Snapshot, SnapshotBlob, FaultRule, JobTimingRule, RequestLogBatch,
                                        InstanceValue)}
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
_BLOB_REFS = "SELECT blob_sha256 FROM {p}files UNION SELECT blob_sha256 FROM {p}package_files"


def data_tables() -> list[Table]:
    """Every table a snapshot holds, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in _KEPT_OUT]


def check_name(name: str | None) -> str:
    if not name or len(name) > 64 or not set(name) <= _NAME_CHARS:
        raise InvalidInput("name", "name must be 1 to 64 letters, digits, dots, dashes or underscores")
    return name


def list_snapshots(db: Session) -> list[Snapshot]:
    return list(db.scalars(select(Snapshot).order_by(Snapshot.id)))


def _find(db: Session, name: str) -> Snapshot:
    snapshot = db.scalar(select(Snapshot).where(Snapshot.name == name))
    if snapshot is None:
        raise NotFound("snapshot", f"no snapshot named {name!r}")
    return snapshot


def take(engine: Engine, data_dir: Path, name: str) -> Snapshot:
    """Take a snapshot named `name` (Conflict if one exists)."""
    check_name(name)
    try:
        with transaction(engine, write=True) as db:
            snapshot = Snapshot(name=name, schema_revision=migrate.head_revision() or "")
            db.add(snapshot)
            db.flush()
    except IntegrityError:
        raise Conflict(f"a snapshot named {name!r} exists; delete it first") from None
    try:
        if engine.dialect.name == "sqlite":
            _take_sqlite(engine, _file(data_dir, snapshot.id), snapshot.id)
        else:
            _take_postgresql(engine, snapshot.id)
    except BaseException:
        remove(engine, data_dir, name)
        raise
    return snapshot


def _file(data_dir: Path, snapshot_id: int) -> Path:
    return data_dir / "snapshots" / f"{snapshot_id}.db"


def _schema(snapshot_id: int) -> str:
    return f"courseport_snapshot_{int(snapshot_id)}"


def _take_sqlite(engine: Engine, path: Path, snapshot_id: int) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    source = engine.raw_connection()
    target = sqlite3.connect(path)
    try:
        cast(sqlite3.Connection, source.driver_connection).backup(target)
        shas = [row[0] for row in target.execute(_BLOB_REFS.format(p=""))]
    finally:
        target.close()
        source.close()
    path.chmod(0o600)
    with transaction(engine, write=True) as db:
        _keep_blobs(db, snapshot_id, shas)


def _take_postgresql(engine: Engine, snapshot_id: int) -> None:
    schema = _schema(snapshot_id)
    with transaction(engine, write=True) as db:
        db.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        db.execute(text(f'CREATE SCHEMA "{schema}"'))
        for table in data_tables():
            db.execute(text(f'CREATE TABLE "{schema}"."{table.name}" AS SELECT * FROM "{table.name}"'))
        shas = list(db.scalars(text(_BLOB_REFS.format(p=f'"{schema}".'))))
        _keep_blobs(db, snapshot_id, shas)


def _keep_blobs(db: Session, snapshot_id: int, shas: list[str]) -> None:
    rows = [{"snapshot_id": snapshot_id, "sha256": sha} for sha in sorted({s for s in shas if s})]
    if rows:
        db.execute(insert(SnapshotBlob), rows)


def restore(engine: Engine, data_dir: Path, name: str) -> Snapshot:
    with transaction(engine, write=False) as db:
        snapshot = _find(db, name)
    if snapshot.schema_revision != (migrate.head_revision() or ""):
        raise Conflict(f"snapshot {name!r} was taken at schema {snapshot.schema_revision}; the store is at "
                       f"{migrate.head_revision()}")
    if engine.dialect.name == "sqlite":
        _restore_sqlite(engine, _file(data_dir, snapshot.id))
    else:
        _restore_postgresql(engine, snapshot.id)
    return snapshot


def _copy_statements(source_prefix: str) -> list[str]:
    statements = []
    for table in data_tables():
        columns = ", ".join(f'"{c.name}"' for c in table.columns)
        statements.append(f'INSERT INTO "{table.name}" ({columns}) SELECT {columns} FROM {source_prefix}"{table.name}"')
    return statements


def _restore_sqlite(engine: Engine, path: Path) -> None:
    if not path.exists():
        raise NotFound("snapshot", "the snapshot's file is missing")
    raw = engine.raw_connection()
    connection = cast(Any, raw.driver_connection)  # isolation_level None: statements run as written
    try:
        connection.execute("ATTACH DATABASE ? AS snapshot", (str(path),))
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute("PRAGMA defer_foreign_keys = ON")
                for table in reversed(data_tables()):
                    connection.execute(f'DELETE FROM main."{table.name}"')
                for statement in _copy_statements("snapshot."):
                    connection.execute(statement)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        finally:
            connection.execute("DETACH DATABASE snapshot")
    finally:
        raw.close()


def _restore_postgresql(engine: Engine, snapshot_id: int) -> None:
    schema = _schema(snapshot_id)
    tables = data_tables()
    with transaction(engine, write=True) as db:
        db.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables)))
        for statement in _copy_statements(f'"{schema}".'):
            db.execute(text(statement))
        for table in tables:
            column = table.columns.get("id")
            if column is not None and column.primary_key and isinstance(column.type, Integer):
                db.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                f'COALESCE((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'))


def remove(engine: Engine, data_dir: Path, name: str) -> None:
    """Delete a snapshot: its copy and its row (the blobs it kept may then be collected)."""
    with transaction(engine, write=True) as db:
        snapshot = _find(db, name)
        snapshot_id = snapshot.id
        if engine.dialect.name == "postgresql":
            db.execute(text(f'DROP SCHEMA IF EXISTS "{_schema(snapshot_id)}" CASCADE'))
        db.execute(delete(SnapshotBlob).where(SnapshotBlob.snapshot_id == snapshot_id))
        db.delete(snapshot)
    if engine.dialect.name == "sqlite":
        _file(data_dir, snapshot_id).unlink(missing_ok=True)
