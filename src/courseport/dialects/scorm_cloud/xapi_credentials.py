"""xAPI Service credentials: create, list, get, replace and delete an application's xAPI credentials
(XapiCredentialPostSchema / XapiCredentialPutSchema in, XapiCredentialSchema and XapiCredentialsListSchema
out). Activity providers use them as HTTP Basic id:secret against the xAPI endpoint (`dialects/xapi`)."""

from __future__ import annotations

from typing import Any, cast

from litestar import Response

from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.core.packages import xapi_credentials
from courseport.core.packages.xapi_credentials import CredentialFields
from courseport.dialects.scorm_cloud.json_types import check_types, listing_state
from courseport.dialects.scorm_cloud.protocol import Call, decode_more, delete, encode_more, get, post, put, to_datetime
from courseport.schema import XapiCredential

READ, WRITE, DELETE = ("read", "read:xapi"), ("write", "write:xapi"), ("delete", "delete:xapi")
NAMES = {"permissions": "permissionsLevel", "enabled": "isEnabled", "xapi_credential": "xapiCredentialId"}
_TYPES = {"name": str, "info": str, "secret": str, "isEnabled": bool, "id": str}
# The wire's enum values; a client may send one bare (as SCORM Cloud answers) or in its schema's object.
_ENUMS = {"auth": ("xapiCredentialAuthType", {"BASICAUTH": "basic", "OAUTH": "oauth"}),
          "permissionsLevel": ("xapiCredentialPermissionsLevel",
                               {v.upper(): v for v in xapi_credentials.PERMISSIONS})}


def _enum(body: dict[str, Any], name: str, default: str) -> str:
    wrapper, values = _ENUMS[name]
    value = body.get(name)
    if isinstance(value, dict):
        value = value.get(wrapper)
    if value is None:
        return default
    if not isinstance(value, str) or value.upper() not in values:
        raise InvalidInput(name, f"{name} must be one of {', '.join(values)}")
    return values[value.upper()]


def _fields(call: Call) -> CredentialFields:
    body = check_types(call.json("xapiCredential"), _TYPES)
    return CredentialFields(
        name=body.get("name") or "", info=body.get("info"), secret=body.get("secret"),
        enabled=body.get("isEnabled", True) is not False, auth=_enum(body, "auth", "basic"),
        permissions=_enum(body, "permissionsLevel", "default"))


def render_credential(row: XapiCredential) -> dict[str, Any]:
    made = {"id": row.id, "name": row.name, "info": row.info, "secret": row.secret, "isEnabled": row.enabled,
            "auth": "BASICAUTH", "permissionsLevel": row.permissions.upper()}
    return {k: v for k, v in made.items() if v is not None}


@post("/xapi/credentials")
def create_xapi_credential(call: Call) -> dict:
    with spelled_as(NAMES):
        fields = _fields(call)
        with call.write(WRITE) as (db, me):
            return {"result": xapi_credentials.create_credential(db, me, fields).id}


def _listing(call: Call) -> dict[str, Any]:
    if call.str("more"):
        return listing_state(decode_more(cast(str, call.str("more"))))
    call.datetime("since"), call.datetime("until")  # a bad date is refused now, not on the next page
    by = call.str("datetimeFilter") or "created"
    if by not in ("created", "updated"):
        raise InvalidInput("datetimeFilter", "datetimeFilter must be created or updated")
    return {"filters": {"since": call.str("since"), "until": call.str("until"), "by": by}, "offset": 0}


@get("/xapi/credentials")
def get_xapi_credentials(call: Call) -> Response:
    state = _listing(call)
    filters = state["filters"]
    with call.read(READ) as (db, me):
        rows, following = xapi_credentials.list_credentials(
            db, me, to_datetime(filters["since"], "since"), to_datetime(filters["until"], "until"),
            by_update=filters["by"] == "updated", offset=state["offset"])
        body: dict[str, Any] = {"xapiCredentials": [render_credential(r) for r in rows]}
    if following is not None:
        body["more"] = encode_more({**state, "offset": following})
    return Response(body)


@get("/xapi/credentials/{xapi_credential_id:str}")
def get_xapi_credential(call: Call, xapi_credential_id: str) -> dict:
    with spelled_as(NAMES), call.read(READ) as (db, me):
        return render_credential(xapi_credentials.get_credential(db, me, xapi_credential_id))


@put("/xapi/credentials/{xapi_credential_id:str}")
def set_xapi_credential(call: Call, xapi_credential_id: str) -> None:
    with spelled_as(NAMES):
        fields = _fields(call)
        if call.json().get("id") not in (None, xapi_credential_id):
            raise InvalidInput("id", "id must be the credential's own id: a credential's id cannot change")
        with call.write(WRITE) as (db, me):
            xapi_credentials.replace_credential(db, me, xapi_credential_id, fields)


@delete("/xapi/credentials/{xapi_credential_id:str}")
def delete_xapi_credential(call: Call, xapi_credential_id: str) -> None:
    with spelled_as(NAMES), call.session(DELETE, write=True) as (db, me):
        xapi_credentials.delete_credential(db, me, xapi_credential_id)


ROUTES = [create_xapi_credential, get_xapi_credentials, get_xapi_credential, set_xapi_credential,
          delete_xapi_credential]
