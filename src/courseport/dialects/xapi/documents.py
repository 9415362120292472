"""The State, Activity Profile and Agent Profile resources: one document (by its id) or the ids of
a set (`since`); PUT stores, POST merges JSON objects, DELETE removes; ETags on every answer."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Response

from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import lrs_documents
from courseport.core.packages.lrs_documents import DocumentKey
from courseport.dialects.xapi.protocol import Call, answer, delete, get, post, put

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
    return Response(found.content, media_type=found.content_type, headers={
        "X-Experience-API-Version": "1.0.3", "ETag": f'"{found.etag}"',
        "Last-Modified": found.updated_at.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")})


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


def _handlers(path: str) -> list:
    name = path.strip("/").replace("/", "_")

    def read(call: Call) -> Response:
        return read_documents(call, path)

    def replace(call: Call) -> Response:
        return write_document(call, path, merge=False)

    def merge(call: Call) -> Response:
        return write_document(call, path, merge=True)

    def remove(call: Call) -> Response:
        return remove_documents(call, path)

    return [get(path, name=f"{name}_get")(read), put(path, name=f"{name}_put")(replace),
            post(path, name=f"{name}_post")(merge), delete(path, name=f"{name}_delete")(remove)]


ROUTES = [handler for path in RESOURCES for handler in _handlers(path)]
