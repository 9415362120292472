"""Acting as another user (Canvas's masquerading, `as_user_id`): an admin's call answered as if that
user had made it, permission checks and all.

Who may act as whom (Canvas's "Become other users"): anyone as themself; an admin over the target
(an admin of an account the target belongs to), provided every account the target administers is one
the caller administers too, so acting as someone never gains rights the caller lacks.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, users
from courseport.core.identity.account_users import administers_user
from courseport.core.kit.errors import DomainError, NotAuthenticated
from courseport.schema import AccountUser, User


class MasqueradeRefused(NotAuthenticated):
    """The caller may not act as that user (or no such user): Canvas answers 401 `Invalid as_user_id`."""

    def __init__(self) -> None:
        super().__init__("Invalid as_user_id", challenge=False)


def acting_as(db: Session, real: User, ref: str) -> User:
    """The user `ref` names (id, `sis_user_id:`, `sis_login_id:`, `self`), if `real` may act as them."""
    try:
        target = users.resolve_user(db, ref, real)
    except DomainError:
        raise MasqueradeRefused() from None
    if target.id == real.id:
        return db.get_one(User, target.id)
    if not administers_user(db, real.id, target):
        raise MasqueradeRefused()
    for account_id in db.scalars(select(AccountUser.account_id).where(AccountUser.user_id == target.id)):
        if not accounts.is_admin_of(db, real.id, account_id):
            raise MasqueradeRefused()
    return target
