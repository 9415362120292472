"""A user's own settings (booleans, all false until set) and the rows behind them and behind custom colors
(`user_preferences`, by kind). Who: the user themself and admins over them; others are refused."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity import account_users, users
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import NotAllowed
from courseport.schema import User, UserPreference


@dataclass(frozen=True)
class SettingsChanges:
    """The settings a call sets; the others stay as they are."""

    manual_mark_as_read: bool | Unset = UNSET
    release_notes_badge_disabled: bool | Unset = UNSET
    collapse_global_nav: bool | Unset = UNSET
    collapse_course_nav: bool | Unset = UNSET
    hide_dashcard_color_overlays: bool | Unset = UNSET
    comment_library_suggestions_enabled: bool | Unset = UNSET
    elementary_dashboard_disabled: bool | Unset = UNSET
    default_to_block_editor: bool | Unset = UNSET


SETTINGS = tuple(f.name for f in dataclasses.fields(SettingsChanges))
SETTING, COLOR = "setting", "color"


def owned_user(db: Session, actor: User, user_ref: str) -> User:
    """The user whose preferences are meant: the actor, or a user they administer; others are refused."""
    user = users.resolve_user(db, user_ref, actor)
    if user.id != actor.id and not account_users.administers_user(db, actor.id, user):
        raise NotAllowed()
    return user


def preferences(db: Session, user_id: int, kind: str) -> dict[str, str]:
    rows = db.execute(select(UserPreference.name, UserPreference.value)
                      .where(UserPreference.user_id == user_id, UserPreference.kind == kind)
                      .order_by(UserPreference.name))
    return {name: value for name, value in rows}


def set_preference(db: Session, user_id: int, kind: str, name: str, value: str) -> None:
    row = db.get(UserPreference, (user_id, kind, name))
    if row is None:
        db.add(UserPreference(user_id=user_id, kind=kind, name=name, value=value))
    else:
        row.value = value
    db.flush()


def get_settings(db: Session, actor: User, user_ref: str) -> dict[str, bool]:
    """Every setting of the user, true or false."""
    user = owned_user(db, actor, user_ref)
    return _settings_of(db, user.id)


def update_settings(db: Session, actor: User, user_ref: str, changes: SettingsChanges) -> dict[str, bool]:
    """Set the settings given; answers every setting."""
    user = owned_user(db, actor, user_ref)
    for name, value in given(changes).items():
        set_preference(db, user.id, SETTING, name, "true" if value else "false")
    return _settings_of(db, user.id)


def _settings_of(db: Session, user_id: int) -> dict[str, bool]:
    stored = preferences(db, user_id, SETTING)
    return {name: stored.get(name) == "true" for name in SETTINGS}
