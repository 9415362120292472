"""A user's own settings (booleans, all false until set) and the rows behind them and behind custom colors
(`user_preferences`, by kind). Who: the user themself and admins over them; others are refused."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.identity import account_users, users
from courseport.core.kit.errors import NotAllowed
from courseport.schema import User, UserPreference

SETTINGS = ("manual_mark_as_read", "release_notes_badge_disabled", "collapse_global_nav", "collapse_course_nav",
            "hide_dashcard_color_overlays", "comment_library_suggestions_enabled", "elementary_dashboard_disabled",
            "default_to_block_editor")
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


def update_settings(db: Session, actor: User, user_ref: str, changes: dict[str, bool]) -> dict[str, bool]:
    """Set the settings given (names of SETTINGS; others are ignored, as Canvas ignores them)."""
    user = owned_user(db, actor, user_ref)
    for name, value in changes.items():
        if name in SETTINGS:
            set_preference(db, user.id, SETTING, name, "true" if value else "false")
    return _settings_of(db, user.id)


def _settings_of(db: Session, user_id: int) -> dict[str, bool]:
    stored = preferences(db, user_id, SETTING)
    return {name: stored.get(name) == "true" for name in SETTINGS}
