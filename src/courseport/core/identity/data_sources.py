"""Data sources: the named integrations (an SIS feed, say) a root account's records may say they came
from, each with an external id unique in the root account and a description. Records no integration
claimed have none (the built-in source faces may name, as Learn's SYSTEM). Who may read and write them:
the root account's admins. Deleting one leaves the records that name it as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, tenancy
from courseport.core.kit.changes import UNSET, Unset
from courseport.core.kit.errors import Conflict, FieldText, InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.core.kit.uniqueness import held_by_another
from courseport.schema import DataSource, User

_TAKEN = FieldText("A data source with the same {external_id} already exists")


@dataclass(frozen=True)
class SourceChanges:
    external_id: str | Unset = UNSET
    description: str | None | Unset = UNSET


def managed_root(db: Session, actor: User) -> int:
    """The actor's root account, which they must administer (NotAllowed otherwise): whose sources they manage."""
    root = tenancy.tenant_of(db, actor.id) or accounts.ROOT_ACCOUNT_ID
    if not accounts.is_admin_of(db, actor.id, root):
        raise NotAllowed()
    return root


def list_sources(db: Session, actor: User, external_id: str | None, window: Window) -> Slice[DataSource]:
    """The root account's data sources by id; `external_id` keeps those whose external id contains it."""
    stmt = select(DataSource).where(DataSource.root_account_id == managed_root(db, actor)).order_by(DataSource.id)
    if external_id:
        stmt = stmt.where(DataSource.external_id.contains(external_id, autoescape=True))
    return fetch_window(db, stmt, window)


def get_source(db: Session, actor: User, kind: str, value: int | str) -> DataSource:
    """One data source of the actor's root account by `id` or `external_id`."""
    column = DataSource.id if kind == "id" else DataSource.external_id
    found = db.scalar(select(DataSource).where(column == value, DataSource.root_account_id == managed_root(db, actor)))
    if found is None:
        raise NotFound("data source", "Data source not found")
    return found


def create_source(db: Session, actor: User, changes: SourceChanges) -> DataSource:
    if not changes.external_id:
        raise InvalidInput("external_id", "external_id is required")
    source = DataSource(root_account_id=managed_root(db, actor), external_id=changes.external_id)
    return _written(db, source, changes)


def update_source(db: Session, actor: User, kind: str, value: int | str, changes: SourceChanges) -> DataSource:
    source = get_source(db, actor, kind, value)
    if changes.external_id is not UNSET and not changes.external_id:
        raise InvalidInput("external_id", "external_id must not be empty")
    return _written(db, source, changes)


def _written(db: Session, source: DataSource, changes: SourceChanges) -> DataSource:
    if not isinstance(changes.external_id, Unset):
        if held_by_another(db, DataSource.external_id, changes.external_id, source.id,
                           DataSource.root_account_id == source.root_account_id):
            raise Conflict(_TAKEN)
        source.external_id = changes.external_id
    if not isinstance(changes.description, Unset):
        source.description = changes.description
    try:
        with db.begin_nested():
            db.add(source)
            db.flush()
    except IntegrityError:  # a concurrent write took the external id first
        raise Conflict(_TAKEN) from None
    return source


def delete_source(db: Session, actor: User, kind: str, value: int | str) -> None:
    db.delete(get_source(db, actor, kind, value))
    db.flush()
