"""The document resources of courseport's xAPI endpoint: State (activity + agent + registration +
stateId), Activity Profile (activity + profileId) and Agent Profile (agent + profileId).

Documents are kept per course (the launch's; an application's credential: per tenant) as bytes with
their content type and an ETag (the SHA-1 of the bytes). POST merges JSON objects (top-level keys; both
must be JSON objects). A launch reads and writes State of its own learner and registration only; a
credential any agent's and registration's (or none). Concurrency per the spec: If-Match /
If-None-Match are honoured on every write (412 when they fail), and a profile PUT over an existing
document without either is a Conflict (409).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from courseport.core.kit.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from courseport.core.packages.lrs_credentials import LaunchScope, Scope
from courseport.core.packages.lrs_statement_checks import MAX_IRI, check_iri
from courseport.schema import LrsDocument

KINDS = ("state", "activity_profile", "agent_profile")
MAX_BYTES = 1024 * 1024
JSON_TYPE = "application/json"


class PreconditionFailed(DomainError):
    """If-Match / If-None-Match did not hold."""


@dataclass(frozen=True)
class DocumentKey:
    """Which document (or, with `document_id` None, which set of documents)."""

    kind: str
    activity_id: str = ""
    agent: str = ""  # the agent's identifier text (`agent_key`)
    registration: str = ""
    document_id: str | None = None


@dataclass(frozen=True)
class Preconditions:
    if_match: str | None = None
    if_none_match: str | None = None


def _check_scope(scope: Scope, key: DocumentKey) -> None:
    """A launch reaches its learner's documents and its registration's State; an application's credential
    any agent's and registration's (or none), in its tenant's own documents."""
    if key.kind != "agent_profile":
        check_iri(key.activity_id, "activityId")
    if key.document_id is not None and len(key.document_id) > MAX_IRI:
        raise InvalidInput("document id", f"a document id holds at most {MAX_IRI} characters")
    if not isinstance(scope, LaunchScope):
        return
    if key.kind in ("state", "agent_profile") and key.agent != scope.agent_key():
        raise NotAllowed("agent: these credentials reach documents of their launch's learner only")
    if key.kind == "state" and key.registration != scope.registration:
        raise NotAllowed(f"registration: these credentials reach the state of registration {scope.registration} "
                         "only (give it as the registration parameter)")


def _owner(scope: Scope) -> dict[str, int | None]:
    """Whose documents: a launch's course's, or a credential's tenant's."""
    if isinstance(scope, LaunchScope):
        return {"course_id": scope.course_id, "tenant_id": None}
    return {"course_id": None, "tenant_id": scope.tenant_id}


def _hash(scope: Scope, key: DocumentKey) -> str:
    owner = str(scope.course_id) if isinstance(scope, LaunchScope) else f"tenant:{scope.tenant_id}"
    parts = [owner, key.kind, key.activity_id, key.agent, key.registration, key.document_id or ""]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _find(db: Session, scope: Scope, key: DocumentKey) -> LrsDocument | None:
    return db.scalar(select(LrsDocument).where(LrsDocument.key == _hash(scope, key)))


def get_document(db: Session, scope: Scope, key: DocumentKey) -> LrsDocument:
    _check_scope(scope, key)
    found = _find(db, scope, key)
    if found is None:
        raise NotFound("document", f"No document has the id {key.document_id}")
    return found


def document_ids(db: Session, scope: Scope, key: DocumentKey, since: datetime | None) -> list[str]:
    """The ids of the documents of `key` (its document_id unset), changed after `since` when given."""
    _check_scope(scope, key)
    rows = db.scalars(_set_of(scope, key).order_by(LrsDocument.updated_at, LrsDocument.id))
    return [r.document_id for r in rows if since is None or r.updated_at > since]


def _set_of(scope: Scope, key: DocumentKey) -> Select[LrsDocument]:
    """The documents of `key` without its document id (a State set: GET lists them, DELETE removes them)."""
    owner = (LrsDocument.course_id == scope.course_id if isinstance(scope, LaunchScope)
             else LrsDocument.tenant_id == scope.tenant_id)
    return select(LrsDocument).where(owner, LrsDocument.kind == key.kind, LrsDocument.activity_id == key.activity_id,
                                     LrsDocument.agent == key.agent, LrsDocument.registration == key.registration)


def _etag(content: bytes) -> str:
    return hashlib.sha1(content, usedforsecurity=False).hexdigest()


def _check_preconditions(found: LrsDocument | None, given: Preconditions, *, profile_put: bool) -> None:
    if given.if_match is not None:
        wanted = [t.strip().strip('"') for t in given.if_match.split(",")]
        if found is None or ("*" not in wanted and found.etag not in wanted):
            raise PreconditionFailed("If-Match: the document's ETag does not match")
    if given.if_none_match is not None:
        wanted = [t.strip().strip('"') for t in given.if_none_match.split(",")]
        if found is not None and ("*" in wanted or found.etag in wanted):
            raise PreconditionFailed("If-None-Match: the document exists")
    if profile_put and found is not None and given.if_match is None and given.if_none_match is None:
        raise Conflict("the document exists: send If-Match with its ETag (or If-None-Match: *) to replace it")


def put_document(db: Session, scope: Scope, key: DocumentKey, content: bytes, content_type: str,
                 given: Preconditions, now: datetime, *, merge: bool) -> LrsDocument:
    """Store a document (PUT), or merge a JSON object into it (POST)."""
    _check_scope(scope, key)
    if len(content) > MAX_BYTES:
        raise InvalidInput("content", f"a document holds at most {MAX_BYTES} bytes")
    found = _find(db, scope, key)
    _check_preconditions(found, given, profile_put=not merge and key.kind != "state")
    if merge:
        content, content_type = _merged(found, content, content_type)
    if found is None:
        found = LrsDocument(key=_hash(scope, key), **_owner(scope), kind=key.kind,
                            activity_id=key.activity_id, agent=key.agent, registration=key.registration,
                            document_id=key.document_id or "")
        db.add(found)
    found.content, found.content_type, found.etag, found.updated_at = content, content_type, _etag(content), now
    db.flush()
    return found


def _json_object(content: bytes, what: str) -> dict:
    try:
        value = json.loads(content)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise InvalidInput("content", f"{what} is not a JSON object, so the two cannot be merged")
    return value


def _merged(found: LrsDocument | None, content: bytes, content_type: str) -> tuple[bytes, str]:
    posted = _json_object(content, "the posted document")
    if found is None:
        return json.dumps(posted).encode(), JSON_TYPE
    stored = _json_object(found.content, "the stored document")
    return json.dumps({**stored, **posted}).encode(), JSON_TYPE


def delete_documents(db: Session, scope: Scope, key: DocumentKey, given: Preconditions) -> None:
    """Delete one document, or (State, no stateId) every document of the key."""
    _check_scope(scope, key)
    if key.document_id is not None:
        found = _find(db, scope, key)
        _check_preconditions(found, given, profile_put=False)
        if found is not None:
            db.delete(found)
    else:
        for row in db.scalars(_set_of(scope, key)):
            db.delete(row)
    db.flush()
