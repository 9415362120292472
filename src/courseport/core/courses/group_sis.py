"""SIS ids of course groups and group categories through the API: who sees and sets them, and one holder of
each id among the root account's live rows.

The SIS import (`sis_apply_groups.py`) gives a category or group its `sis_source_id` and `sis_import_id`; the
API shows both, and takes a new SIS id, only from admins of the root account, as Canvas asks read_sis and
manage_sis of the group's root account rather than of its course (a teacher, whose course role reads SIS
ids of courses and sections, sees none on groups). Every group or category an actor may read is in the
actor's own root account (the tenant: `tenancy.tenant_of`), so one answer serves a whole request.

An SIS id is unique among the root account's live categories (and, apart, its live groups), the set the import
looks ids up in. The check and the write take turns with every other writer of the account's SIS ids, the
import included: the account's row is locked first (FOR NO KEY UPDATE, as the import locks it).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity.accounts import is_admin_of
from courseport.core.identity.tenancy import tenant_of
from courseport.core.kit.changes import Unset
from courseport.core.kit.errors import FieldText, InvalidInput, NotAllowed
from courseport.schema import Account, Course, CourseGroup, GroupCategory, User

FIELD = "sis_source_id"
MAX_LENGTH = 255  # the column's


class SisIdTaken(InvalidInput):
    """An SIS id another live category (or group) of the root account holds: `taken`, as Canvas reports it."""

    reason = "taken"

    def __init__(self) -> None:
        super().__init__(FIELD, FieldText("{sis_source_id} has already been taken"))


def manages_sis(db: Session, actor: User) -> bool:
    """Whether the actor reads and sets the SIS ids of the groups and categories it may read: an admin of its
    root account (account admins hold manage_sis there, and read_sis with it)."""
    return is_admin_of(db, actor.id, tenant_of(db, actor.id))


def require_right(db: Session, actor: User, sis_id: str | None | Unset, *, updating: bool) -> None:
    """An SIS id given by one who may not set it is refused, with Canvas's words."""
    if not isinstance(sis_id, Unset) and not manages_sis(db, actor):
        raise NotAllowed(f"You must have manage_sis permission to {'update' if updating else 'set'} sis attributes")


def check_free(db: Session, model: type[GroupCategory] | type[CourseGroup], course_id: int,
               values: dict[str, Any], exclude_id: int | None) -> None:
    """The SIS id in `values` (an empty one clears it: None), checked free among the root account's live rows
    of `model` under the account's row lock, held until the write commits."""
    if FIELD not in values:
        return
    sis_id = values[FIELD] = (values[FIELD] or "").strip() or None
    if sis_id is None:
        return
    if len(sis_id) > MAX_LENGTH:
        raise InvalidInput(FIELD, FieldText("{sis_source_id} must be at most {n} characters long", n=MAX_LENGTH))
    root = db.scalar(select(Course.root_account_id).where(Course.id == course_id))
    db.execute(select(Account.id).where(Account.id == root).with_for_update(key_share=True))
    if holder(db, model, root, sis_id, exclude_id) is not None:
        raise SisIdTaken()


def holder(db: Session, model: type[GroupCategory] | type[CourseGroup], root_id: int | None, sis_id: str,
           exclude_id: int | None) -> int | None:
    """The live row of `model` in the root account holding `sis_id`, but the one `exclude_id` names."""
    return db.scalar(select(model.id).join(Course, Course.id == model.course_id).where(
        model.sis_source_id == sis_id, model.workflow_state != "deleted", Course.root_account_id == root_id,
        model.id != (exclude_id or 0)).limit(1))
