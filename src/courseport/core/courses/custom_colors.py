"""A user's custom colors for the courses, groups and users they can see, by asset string (`course_42`,
`group_7`, `user_1`): list, read and set them. Who: the user themself and admins over them
(user_settings.owned_user). An asset the user cannot see, or that does not exist, is not found."""

from __future__ import annotations

from sqlalchemy.orm import Session

from courseport.core.courses import courses, groups
from courseport.core.identity import user_settings, users
from courseport.core.identity.user_settings import COLOR
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import store_id
from courseport.schema import User

_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def list_colors(db: Session, actor: User, user_ref: str) -> dict[str, str]:
    user = user_settings.owned_user(db, actor, user_ref)
    return user_settings.preferences(db, user.id, COLOR)


def get_color(db: Session, actor: User, user_ref: str, asset: str) -> str:
    """The color the user set for the asset; none set is not found."""
    user = user_settings.owned_user(db, actor, user_ref)
    color = user_settings.preferences(db, user.id, COLOR).get(asset)
    if color is None:
        raise NotFound("color", "Asset does not have an associated color.")
    return color


def set_color(db: Session, actor: User, user_ref: str, asset: str, hexcode: str | None) -> str:
    """Store `#` and three or six hex digits (given with or without the `#`) for an asset the user sees."""
    user = user_settings.owned_user(db, actor, user_ref)
    _check_visible(db, user, asset)
    color = normalized_hexcode(hexcode)
    user_settings.set_preference(db, user.id, COLOR, asset, color)
    return color


def normalized_hexcode(hexcode: str | None) -> str:
    digits = (hexcode or "").strip().removeprefix("#")
    if len(digits) not in (3, 6) or not set(digits) <= _HEX_DIGITS:
        raise InvalidInput("hexcode", f"hexcode must be 3 or 6 hex digits, with or without #, got {hexcode!r}")
    return "#" + digits


def _check_visible(db: Session, user: User, asset: str) -> None:
    """The asset (`course_N`, `group_N`, `user_N`) exists and `user` may read it; else not found."""
    kind, _, ref = asset.partition("_")
    if store_id(ref) is None or kind not in ("course", "group", "user"):
        raise NotFound("asset", "Asset does not exist")
    try:
        if kind == "course":
            courses.readable_course(db, user, ref)
        elif kind == "group":
            groups.get_group(db, user, ref)
        else:
            users.resolve_user(db, ref, user)
    except (NotAllowed, NotFound):
        raise NotFound("asset", "Asset does not exist") from None
