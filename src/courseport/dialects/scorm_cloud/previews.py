"""Course preview launch links (LaunchLinkRequestSchema in, LaunchLinkSchema out); the player they
open lives in web/player.py."""

from __future__ import annotations

from typing import Any

from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import previews
from courseport.core.packages.launch_vault import VaultRule
from courseport.core.packages.previews import LaunchRequest
from courseport.dialects.scorm_cloud.fields import scorm_fields
from courseport.dialects.scorm_cloud.json_types import check_types, object_at
from courseport.dialects.scorm_cloud.protocol import Call, post

_STRINGS = ("redirectOnExitUrl", "startSco", "culture", "cssUrl")
_AUTH_OPTIONS = {"ipAddress": bool, "fingerprint": bool, "expiry": int, "slidingExpiry": int}


def launch_request(body: dict[str, Any], css_url: str | None = None) -> LaunchRequest:
    expiry, tracking = body.get("expiry"), body.get("tracking")
    if expiry is not None and (not isinstance(expiry, int) or isinstance(expiry, bool)):
        raise InvalidInput("expiry", "expiry must be a whole number of seconds")
    if tracking is not None and not isinstance(tracking, bool):
        raise InvalidInput("tracking", "tracking must be true or false")
    for name in _STRINGS:
        if body.get(name) is not None and not isinstance(body[name], str):
            raise InvalidInput(name, f"{name} must be a string")
    extra = dict(_pairs(body.get("additionalvalues")))  # the learner a preview tracks, by SCORM Cloud's item names
    auth_type, vault = _launch_auth(object_at(body, "launchAuth"))
    return LaunchRequest(expiry=expiry, tracking=tracking, redirect_on_exit_url=body.get("redirectOnExitUrl"),
                         start_sco=body.get("startSco"), culture=body.get("culture"),
                         css_url=body.get("cssUrl") or css_url, learner_id=extra.get("learnerId"),
                         learner_name=extra.get("learnerName"), auth_type=auth_type, vault=vault)


def _launch_auth(auth: dict[str, Any]) -> tuple[str | None, VaultRule | None]:
    """LaunchAuthSchema: `type` (cookies or vault) and its LaunchAuthOptionsSchema."""
    check_types(auth, {"type": str, "options": dict}, "launchAuth.")
    options = check_types(object_at(auth, "options", "launchAuth."), _AUTH_OPTIONS, "launchAuth.options.")
    kind = auth.get("type")
    return (kind.lower() if kind else None,
            VaultRule(ip_address=bool(options.get("ipAddress")), fingerprint=bool(options.get("fingerprint")),
                      expiry=options.get("expiry") or 0, sliding_expiry=options.get("slidingExpiry") or 0))


def _pairs(values: Any) -> list[tuple[str, str]]:
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(v, dict) and isinstance(v.get("item"), str)
                                               and isinstance(v.get("value", ""), str) for v in values):
        raise InvalidInput("additionalvalues", "additionalvalues must be a list of {item, value} strings")
    return [(v["item"], v.get("value", "")) for v in values]


def _link(call: Call, course_id: str, version: int | None, css_url: str | None) -> dict:
    request = launch_request(call.json("launchLinkRequest"), css_url)
    with scorm_fields(), call.read() as (db, me):
        token = previews.preview_link(db, me, call.services.secret, course_id, version, request)
    return {"launchLink": f"{call.origin}/preview/{token}"}


@post("/courses/{course_id:str}/preview")
def build_course_preview_launch_link(call: Call, course_id: str) -> dict:
    return _link(call, course_id, None, call.str("cssUrl"))


@post("/courses/{course_id:str}/versions/{version:int}/preview")
def build_course_preview_launch_link_with_version(call: Call, course_id: str, version: int) -> dict:
    return _link(call, course_id, version, None)


ROUTES = [build_course_preview_launch_link, build_course_preview_launch_link_with_version]
