"""Canvas's Feature and FeatureFlag JSON. A flag names the context it is set on (`context_type`, `context_id`),
absent for the catalogue's default; `locking_account_id` is always null, as Canvas keeps it for old clients.
A feature carries its name under both `feature` (Canvas's reference) and `name` (what canvasapi reads)."""

from __future__ import annotations

from typing import Any

from courseport.core.courses.feature_flags import Feature, Flag

_CONTEXT_TYPES = {"account": "Account", "course": "Course", "user": "User"}
_APPLIES_TO = {"account": "Account", "course": "Course", "root_account": "RootAccount", "user": "User"}


def render_flag(flag: Flag) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if flag.kind is not None:
        body.update(context_type=_CONTEXT_TYPES[flag.kind], context_id=flag.id)
    body.update(feature=flag.feature, state=flag.state, locked=flag.locked, locking_account_id=None)
    return body


def render_feature(feature: Feature, flag: Flag) -> dict[str, Any]:
    return {"feature": feature.name, "name": feature.name, "display_name": feature.display_name,
            "description": feature.description, "applies_to": _APPLIES_TO[feature.applies_to],
            "root_opt_in": False, "beta": False, "feature_flag": render_flag(flag)}
