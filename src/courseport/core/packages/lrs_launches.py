"""xAPI (Tin Can) and cmi5 launches, and what the LMS does with the statements their content sends.

A launch of a `tincan.xml` course opens its activity's URL with `endpoint`, `auth`, `actor`,
`registration` and `activity_id` (Rustici's launch convention); a cmi5 AU's URL gets `endpoint`,
`fetch`, `registration`, `activityId` and `actor`, and before it opens the LMS writes the
`LMS.LaunchData` state document and a "launched" statement (cmi5 §8, §10). The credentials are
scoped to the launch (`lrs_credentials`). Statements the content sends go through
`accept_statements`: the cmi5 rules checked here, stored, then the registration's progress follows
them (completion, success, score, time), and cmi5 moveOn is evaluated: when every AU is satisfied
the LMS states the course "satisfied".
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.kit import signing
from courseport.core.kit.errors import DomainError, NotAllowed
from courseport.core.packages import attempts, lrs_credentials, lrs_documents, lrs_statements
from courseport.core.packages.lrs_credentials import LaunchScope, Scope
from courseport.core.packages.previews import PlayerView, launchable_scos
from courseport.core.packages.registration_postbacks import queue_postback
from courseport.schema import LrsFetch, PackageVersion, Registration, XapiStatement

ADL = "http://adlnet.gov/expapi/verbs/"
W3ID = "https://w3id.org/xapi/adl/verbs/"  # the verbs cmi5 adds to ADL's: satisfied, abandoned, waived
ABANDONED = W3ID + "abandoned"
CMI5 = "https://w3id.org/xapi/cmi5/context/"
CMI5_CATEGORY = {"objectType": "Activity", "id": CMI5 + "categories/cmi5"}
FETCH_PURPOSE = "cmi5-fetch"
_IDS = uuid.UUID("5d0c3e39-0c7b-4f7e-9a57-6a3f7ad1c2b4")


class FetchRefused(DomainError):
    """A cmi5 fetch URL that cannot give a token (cmi5's error codes: 1 used already, 2 not valid)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class LaunchUrls:
    """Where this installation serves a launch: the xAPI endpoint, cmi5 fetch URLs, the launch's files."""

    endpoint: str
    fetch_base: str
    files_base: str


def _node(version: PackageVersion, au_id: str) -> dict[str, Any]:
    def walk(node: dict[str, Any]) -> dict[str, Any] | None:
        if (node.get("item_identifier") or node.get("external_identifier")) == au_id and node.get("href"):
            return node
        return next((found for kid in node.get("children") or [] if (found := walk(kid))), None)

    return walk((version.manifest or {}).get("root_activity") or {}) or {}


def content_launch(db: Session, secret: bytes, view: PlayerView, urls: LaunchUrls,
                   now: datetime | None = None) -> str | None:
    """The URL an xAPI or cmi5 launch opens (None: the course is neither, the player plays it)."""
    version = db.get(PackageVersion, view.session.version_id)
    if version is None or version.learning_standard not in ("XAPI", "CMI5") or not view.scos:
        return None
    now = now or datetime.now(UTC)
    sco, cmi5 = view.scos[view.start], version.learning_standard == "CMI5"
    session = view.session
    scope = LaunchScope(course_id=version.course_id, version_id=version.id, registration=session.registration or "",
                        learner_id=session.learner_id, learner_name=session.learner_name,
                        expires_at=session.expires_at, launch_key=str(uuid.uuid4()), tracking=session.tracking,
                        cmi5=cmi5, au_id=sco.id)
    href = sco.href if urlparse(sco.href).scheme else urls.files_base + sco.href
    actor = json.dumps(scope.actor(), separators=(",", ":"))
    if cmi5:
        _cmi5_start(db, scope, version, href, session.exit, now)
        fetch = urls.fetch_base + signing.sign(secret, FETCH_PURPOSE, asdict(scope))
        params = {"endpoint": urls.endpoint, "fetch": fetch, "registration": scope.registration,
                  "activityId": sco.id, "actor": actor}
    else:
        params = {"endpoint": urls.endpoint, "auth": "Basic " + lrs_credentials.issue(secret, scope), "actor": actor,
                  "registration": scope.registration, "activity_id": sco.id}
    return href + ("&" if "?" in href else "?") + urlencode(params)


def fetch_auth_token(db: Session, secret: bytes, token: str) -> str:
    """A cmi5 fetch URL's auth-token, given once."""
    claims = signing.unsign(secret, FETCH_PURPOSE, token)
    try:
        scope = LaunchScope(**claims) if claims is not None else None
    except TypeError:
        scope = None
    if scope is None or scope.expires_at < time.time():
        raise FetchRefused("2", "This fetch URL is not valid or has expired.")
    if db.get(LrsFetch, scope.launch_key) is not None:
        raise FetchRefused("1", "This fetch URL has given its token already.")
    db.add(LrsFetch(launch_key=scope.launch_key))
    db.flush()
    return lrs_credentials.issue(secret, scope)


# --- cmi5: launch data, launched and satisfied statements -------------------------------------------

def _launch_mode(scope: LaunchScope) -> str:
    return "Normal" if scope.tracking else "Browse"


def _context(scope: LaunchScope, extensions: dict[str, Any]) -> dict:
    return {"registration": scope.registration,
            "contextActivities": {"grouping": [{"objectType": "Activity", "id": scope.au_id}],
                                  "category": [CMI5_CATEGORY]},
            "extensions": {CMI5 + "extensions/sessionid": scope.launch_key, **extensions}}


def _cmi5_start(db: Session, scope: LaunchScope, version: PackageVersion, url: str, exit_to: str,
                now: datetime) -> None:
    node = _node(version, scope.au_id)
    data: dict[str, Any] = {
        "contextTemplate": {"contextActivities": {"grouping": [{"objectType": "Activity", "id": scope.au_id}]},
                            "extensions": {CMI5 + "extensions/sessionid": scope.launch_key}},
        "launchMode": _launch_mode(scope), "launchMethod": node.get("launch_method") or "AnyWindow",
        "moveOn": node.get("move_on") or "NotApplicable"}
    if node.get("scaled_passing_score"):
        data["masteryScore"] = float(node["scaled_passing_score"])
    if node.get("launch_parameters"):
        data["launchParameters"] = node["launch_parameters"]
    if urlparse(exit_to).scheme in ("http", "https"):
        data["returnURL"] = exit_to
    key = lrs_documents.DocumentKey("state", scope.au_id, scope.agent_key(), scope.registration, "LMS.LaunchData")
    lrs_documents.put_document(db, scope, key, json.dumps(data).encode(), lrs_documents.JSON_TYPE,
                               lrs_documents.Preconditions(), now, merge=False)
    launched = _lms_statement(scope, "launched", {"objectType": "Activity", "id": scope.au_id,
                                                  "definition": {"name": {"und": node.get("title") or scope.au_id}}},
                              _context(scope, {CMI5 + "extensions/launchmode": data["launchMode"],
                                               CMI5 + "extensions/launchurl": url,
                                               CMI5 + "extensions/moveon": data["moveOn"]}), now)
    _abandon_open_sessions(db, scope, now)
    lrs_statements.store(db, scope, [launched], now + timedelta(milliseconds=1))


def _abandon_open_sessions(db: Session, scope: LaunchScope, now: datetime) -> None:
    """cmi5: a new launch of an AU ends its earlier sessions that sent no `terminated`: the LMS states each
    `abandoned`, in that session's context, with the time from its launch to its last statement."""
    sessions: dict[str, list[XapiStatement]] = {}
    for row in lrs_statements.registration_rows(db, scope):
        session = _session_of(row.statement)
        if session and session != scope.launch_key:
            sessions.setdefault(session, []).append(row)
    abandoned = []
    for session, rows in sessions.items():
        if not any(r.verb == ADL + "launched" and r.object_activity_id == scope.au_id for r in rows) or \
                any(r.verb in (ADL + "terminated", ABANDONED) for r in rows):
            continue
        spent = max(r.timestamp for r in rows) - min(r.timestamp for r in rows)
        ended = replace(scope, launch_key=session)
        statement = _lms_statement(ended, "abandoned", {"objectType": "Activity", "id": scope.au_id},
                                   _context(ended, {}), now, f"{session}/abandoned")
        abandoned.append(statement | {"result": {"duration": f"PT{spent.total_seconds():g}S"}})
    if abandoned:
        lrs_statements.store(db, scope, abandoned, now)


def _lms_statement(scope: LaunchScope, verb: str, target: dict, context: dict, now: datetime,
                   identity: str | None = None) -> dict:
    statement_id = uuid.uuid5(_IDS, f"{scope.registration}/{identity}") if identity else uuid.uuid4()
    return {"id": str(statement_id), "actor": scope.actor(),
            "verb": {"id": (W3ID if verb in ("satisfied", "abandoned") else ADL) + verb, "display": {"en-US": verb}},
            "object": target, "context": context, "timestamp": now.isoformat().replace("+00:00", "Z")}


# --- statements in, progress out -------------------------------------------------------------------

def accept_statements(db: Session, secret: bytes, scope: Scope, posted: list[Any], given_id: str | None,
                      now: datetime | None = None) -> list[str]:
    """Check, store and act on statements a launch's content (or an application's credential) sends; their
    ids, in order. Statements outside a launch are stored only: no launch's progress follows them."""
    now = now or datetime.now(UTC)
    checked = lrs_statements.prepare(scope, posted, given_id)
    if not isinstance(scope, LaunchScope):
        lrs_statements.store(db, scope, checked, now)
        return [s["id"] for s in checked]
    version = db.get(PackageVersion, scope.version_id)
    if version is not None and scope.cmi5:
        _check_cmi5(db, scope, version, checked)
    if lrs_statements.store(db, scope, checked, now) and version is not None:
        follow_progress(db, scope, version, now)
    return [s["id"] for s in checked]


def _check_cmi5(db: Session, scope: LaunchScope, version: PackageVersion, checked: list[dict]) -> None:
    """The cmi5 rules cheap to check (403 when broken): nothing after the session's terminated,
    masteryScore decides passed/failed, no verdict outside Normal mode, completed and passed at most
    once per registration. A statement stored already (a retry) is left to the store."""
    mastery = _node(version, scope.au_id).get("scaled_passing_score")
    rows = lrs_statements.registration_rows(db, scope)
    known = {r.id for r in rows}
    seen = {(r.verb, r.object_activity_id) for r in rows}
    ended = any(r.verb == ADL + "terminated" and _session_of(r.statement) == scope.launch_key for r in rows)
    for statement in checked:
        if statement["id"] in known:
            continue
        if ended:
            raise NotAllowed("cmi5: this AU session has terminated; a new launch starts a new session")
        verb, target = statement["verb"]["id"], (statement["object"] or {}).get("id")
        ended = verb == ADL + "terminated"
        if target == scope.au_id and verb in (ADL + "completed", ADL + "passed", ADL + "failed"):
            _check_verdict(scope, verb, statement.get("result") or {}, mastery, seen)
            seen.add((verb, target))


def _session_of(statement: dict) -> str | None:
    return ((statement.get("context") or {}).get("extensions") or {}).get(CMI5 + "extensions/sessionid")


def _check_verdict(scope: LaunchScope, verb: str, result: dict, mastery: str | None,
                   seen: set[tuple[str, str]]) -> None:
    scaled = (result.get("score") or {}).get("scaled")
    if _launch_mode(scope) != "Normal":
        raise NotAllowed("cmi5: an AU launched in Browse mode sends no completed, passed or failed")
    if verb in (ADL + "completed", ADL + "passed") and (verb, scope.au_id) in seen:
        raise NotAllowed(f"cmi5: the AU is {verb.rsplit('/', 1)[1]} already in this registration")
    if mastery and scaled is not None and verb == ADL + "passed" and scaled < float(mastery):
        raise NotAllowed(f"cmi5: passed with a scaled score of {scaled}, below the masteryScore {mastery}")
    if mastery and scaled is not None and verb == ADL + "failed" and scaled >= float(mastery):
        raise NotAllowed(f"cmi5: failed with a scaled score of {scaled}, at or above the masteryScore {mastery}")


def _au_states(rows: list[XapiStatement], au_ids: list[str]) -> dict[str, dict[str, Any]]:
    states: dict[str, dict[str, Any]] = {au: {"completed": False, "success": None, "scaled": None, "seconds": {}}
                                         for au in au_ids}
    for row in rows:
        state = states.get(row.object_activity_id)
        if state is None:
            continue
        result = row.statement.get("result") or {}
        verb = row.verb.rsplit("/", 1)[-1]
        if verb == "completed" or result.get("completion") is True:
            state["completed"] = True
        if verb in ("passed", "failed"):
            state["success"] = verb == "passed"
        if isinstance((result.get("score") or {}).get("scaled"), int | float):
            state["scaled"] = result["score"]["scaled"]
        if isinstance(result.get("duration"), str):
            session = _session_of(row.statement) or row.id
            state["seconds"][session] = max(state["seconds"].get(session, 0.0),
                                            attempts.duration_seconds(result["duration"]))
    return states


def _satisfied(node: dict[str, Any], state: dict[str, Any]) -> bool:
    passed, completed = state["success"] is True, state["completed"]
    return {"Completed": completed, "Passed": passed, "CompletedAndPassed": completed and passed,
            "CompletedOrPassed": completed or passed}.get(node.get("move_on") or "NotApplicable", True)


def follow_progress(db: Session, scope: LaunchScope, version: PackageVersion, now: datetime) -> None:
    """The registration's progress from its statements; cmi5: the course satisfied once every AU is."""
    nodes = {sco_id: _node(version, sco_id) for sco_id in _au_ids(version)}
    rows = lrs_statements.registration_rows(db, scope)
    states = _au_states(rows, list(nodes))
    if scope.cmi5 and all(_satisfied(nodes[au], states[au]) for au in nodes):
        _state_satisfied(db, scope, version, now)
    registration = db.scalar(select(Registration).where(Registration.xapi_registration == scope.registration,
                                                        Registration.course_id == scope.course_id))
    if registration is None or not scope.tracking:
        return
    attempt = attempts.attempt_of(db, registration)
    runtime = dict(attempt.runtime or {})
    for au, state in states.items():
        launched = any(r.object_activity_id == au for r in rows)
        done = _satisfied(nodes[au], state) if scope.cmi5 else None  # cmi5: done when its moveOn is met
        if launched or done:
            runtime[au] = {"data": _runtime_data(state, done), "seconds": state["seconds"]}
    before = (attempt.completion, attempt.success, attempt.score_scaled)
    attempt.runtime = runtime
    attempts.apply_progress(attempt, version, now)
    attempt.last_access_at = registration.updated_at = now
    db.flush()
    if before != (attempt.completion, attempt.success, attempt.score_scaled):
        queue_postback(db, registration, attempt)


def _runtime_data(state: dict[str, Any], done: bool | None) -> dict[str, str]:
    """An AU's statements as the neutral (SCORM 2004) data model attempts compute progress from: a cmi5
    AU is complete once its moveOn is met (`done`), and passed then unless it failed; a Tin Can activity
    is complete once it said completed (`done` None)."""
    success = True if done and state["success"] is None else state["success"]
    data = {"cmi.completion_status": "completed" if (state["completed"] if done is None else done) else "incomplete",
            "cmi.success_status": {True: "passed", False: "failed"}.get(success, "unknown")}
    if state["scaled"] is not None:
        data["cmi.score.scaled"] = str(state["scaled"])
    return data


def _state_satisfied(db: Session, scope: LaunchScope, version: PackageVersion, now: datetime) -> None:
    """The LMS's `satisfied` statement about the course, once per registration."""
    course_id = (version.manifest or {}).get("xapi_activity_id") or scope.au_id
    target = {"objectType": "Activity", "id": course_id,
              "definition": {"name": {"und": version.title}, "type": "https://w3id.org/xapi/cmi5/activitytype/course"}}
    satisfied = _lms_statement(scope, "satisfied", target, _context(scope, {}), now, f"{course_id}/satisfied")
    if db.get(XapiStatement, satisfied["id"]) is None:  # stored after the statements that satisfied it
        lrs_statements.store(db, scope, [satisfied], now + timedelta(milliseconds=1))


def _au_ids(version: PackageVersion) -> list[str]:
    return [sco.id for sco in launchable_scos(version)]
