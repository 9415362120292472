"""Snapshots over HTTP: take, list, restore and delete named copies of the whole store
(web/controls/snapshot_store.py). A snapshot holds every tenant's data, so only administrators of the
default tenant (root account 1, the installation's) may use them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courseport.core.identity import accounts
from courseport.core.kit.errors import NotAllowed
from courseport.dialects.canvas.protocol import Call, delete, get, iso, post
from courseport.schema import Snapshot, SnapshotBlob, User
from courseport.web.controls import snapshot_store
from courseport.web.controls.access import controls_router, tenant_admin


def _installation_admin(db: Session, me: User) -> None:
    if tenant_admin(db, me) != accounts.ROOT_ACCOUNT_ID:
        raise NotAllowed("snapshots hold every tenant's data: only administrators of the default tenant may use them")


def _render(snapshot: Snapshot, blobs: int | None = None) -> dict[str, Any]:
    shown: dict[str, Any] = {"name": snapshot.name, "created_at": iso(snapshot.created_at),
                             "schema_revision": snapshot.schema_revision}
    return shown if blobs is None else {**shown, "blobs": blobs}


@get("/snapshots", summary="The named snapshots of the store")
def list_snapshots(call: Call) -> list:
    with call.read() as (db, me):
        _installation_admin(db, me)
        counts = dict(db.execute(select(SnapshotBlob.snapshot_id, func.count()).group_by(SnapshotBlob.snapshot_id))
                      .tuples().all())
        return [_render(s, counts.get(s.id, 0)) for s in snapshot_store.list_snapshots(db)]


@post("/snapshots", status_code=201, summary="Take a snapshot of the whole store under a name",
      description="Body (JSON or form): name (1 to 64 letters, digits, dots, dashes or underscores).")
def take_snapshot(call: Call) -> dict:
    with call.read() as (db, me):
        _installation_admin(db, me)
    name = snapshot_store.check_name(call.str("name"))
    settings = call.services.settings
    return _render(snapshot_store.take(call.services.engine, settings.data_dir, name))


@post("/snapshots/{name:str}/restore", status_code=200, summary="Return the store to a snapshot")
def restore_snapshot(call: Call, name: str) -> dict:
    with call.read() as (db, me):
        _installation_admin(db, me)
    snapshot = snapshot_store.restore(call.services.engine, call.services.settings.data_dir, name)
    return {**_render(snapshot), "restored": True}


@delete("/snapshots/{name:str}", summary="Delete a snapshot")
def delete_snapshot(call: Call, name: str) -> dict:
    with call.read() as (db, me):
        _installation_admin(db, me)
    snapshot_store.remove(call.services.engine, call.services.settings.data_dir, name)
    return {"name": name, "removed": True}


ROUTES = [controls_router([list_snapshots, take_snapshot, restore_snapshot, delete_snapshot], "snapshots")]
