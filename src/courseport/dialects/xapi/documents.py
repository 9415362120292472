"""The State, Activity Profile and Agent Profile resources: one document (by its id) or the ids of
a set (`since`); PUT stores, POST merges JSON objects, DELETE removes; ETags on every answer."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

from litestar import Response

from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import lrs_documents
from courseport.core.packages.lrs_documents import DocumentKey
from courseport.dialects.xapi.protocol import Call, answer, delete, get, head, headers_only, post, put

# resource path -> (kind, the document id's parameter)
RESOURCES = {"/activities/state": ("state", "stateId"), "/activities/profile": ("activity_profile", "profileId"),
             "/agents/profile": ("agent_profile", "profileId")}


def _key(call: Call, path: str, *, single: bool) -> DocumentKey:
    kind, id_name = RESOURCES[path]
    registration = call.str("registration") if kind == "state" else None
    return DocumentKey(
        kind, activity_id=call.str("activityId", required=True) or "" if kind != "agent_profile" else "",
        agent=call.agent(required=True) or "" if kind != "activity_profile" else "",
        registration=registration or "", document_id=call.str(id_name, required=single))


def read_documents(call: Call, path: str) -> Response:
    key = _key(call, path, single=False)
    with call.scoped(write=False) as (db, scope):
        if key.document_id is None:
            return answer(lrs_documents.document_ids(db, scope, key, call.datetime("since")))
        found = lrs_documents.get_document(db, scope, key)
    return answer(found.content, media_type=found.content_type, headers={
        "ETag": f'"{found.etag}"', "Last-Modified": format_datetime(found.updated_at.astimezone(UTC), usegmt=True)})


def write_document(call: Call, path: str, *, merge: bool) -> Response:
    key = _key(call, path, single=True)
    content_type = (call.headers.get("content-type") or "application/octet-stream").split(";")[0].strip()
    if merge and content_type != lrs_documents.JSON_TYPE:
        raise InvalidInput("Content-Type", "a POST merges JSON documents: send Content-Type application/json")
    with call.scoped(write=True) as (db, scope):
        found = lrs_documents.put_document(db, scope, key, call.body, content_type, call.preconditions(),
                                           datetime.now(UTC), merge=merge)
    return answer(None, 204, {"ETag": f'"{found.etag}"'})


def remove_documents(call: Call, path: str) -> Response:
    key = _key(call, path, single=path != "/activities/state")
    with call.scoped(write=True) as (db, scope):
        lrs_documents.delete_documents(db, scope, key, call.preconditions())
    return answer(None, 204)


STATE, ACTIVITY_PROFILE, AGENT_PROFILE = RESOURCES


@get(STATE)
def get_state(call: Call) -> Response:
    return read_documents(call, STATE)


@head(STATE)
def head_state(call: Call) -> Response[None]:
    return headers_only(read_documents(call, STATE))


@put(STATE)
def put_state(call: Call) -> Response:
    return write_document(call, STATE, merge=False)


@post(STATE)
def post_state(call: Call) -> Response:
    return write_document(call, STATE, merge=True)


@delete(STATE)
def delete_state(call: Call) -> Response:
    return remove_documents(call, STATE)


@get(ACTIVITY_PROFILE)
def get_activity_profile(call: Call) -> Response:
    return read_documents(call, ACTIVITY_PROFILE)


@head(ACTIVITY_PROFILE)
def head_activity_profile(call: Call) -> Response[None]:
    return headers_only(read_documents(call, ACTIVITY_PROFILE))


@put(ACTIVITY_PROFILE)
def put_activity_profile(call: Call) -> Response:
    return write_document(call, ACTIVITY_PROFILE, merge=False)


@post(ACTIVITY_PROFILE)
def post_activity_profile(call: Call) -> Response:
    return write_document(call, ACTIVITY_PROFILE, merge=True)


@delete(ACTIVITY_PROFILE)
def delete_activity_profile(call: Call) -> Response:
    return remove_documents(call, ACTIVITY_PROFILE)


@get(AGENT_PROFILE)
def get_agent_profile(call: Call) -> Response:
    return read_documents(call, AGENT_PROFILE)


@head(AGENT_PROFILE)
def head_agent_profile(call: Call) -> Response[None]:
    return headers_only(read_documents(call, AGENT_PROFILE))


@put(AGENT_PROFILE)
def put_agent_profile(call: Call) -> Response:
    return write_document(call, AGENT_PROFILE, merge=False)


@post(AGENT_PROFILE)
def post_agent_profile(call: Call) -> Response:
    return write_document(call, AGENT_PROFILE, merge=True)


@delete(AGENT_PROFILE)
def delete_agent_profile(call: Call) -> Response:
    return remove_documents(call, AGENT_PROFILE)


ROUTES = [get_state, head_state, put_state, post_state, delete_state,
          get_activity_profile, head_activity_profile, put_activity_profile, post_activity_profile,
          delete_activity_profile, get_agent_profile, head_agent_profile, put_agent_profile, post_agent_profile,
          delete_agent_profile]
