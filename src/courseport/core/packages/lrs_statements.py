"""The Statements resource of courseport's xAPI endpoint: statements content sends, stored in the one
statement store (`xapi_statements`, the same rows the SCORM Cloud face lists), voided, read back.

A launch's call is scoped to it (`lrs_credentials.LaunchScope`): a statement must be about its
learner and carry its registration, and reads see only that registration's statements. Rows are read
per course and learner (indexed) and filtered here by the rest of the query, in `stored` order.
An application's xAPI credential (`CredentialScope`) writes any statement, kept outside every course
(`course_id` NULL, `tenant_id` its tenant), and reads every statement of its tenant: its own and those
of its courses' launches.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from courseport.core.kit.errors import Conflict, InvalidInput, NotAllowed, NotFound
from courseport.core.packages.attempts import end_of_millisecond
from courseport.core.packages.lrs_credentials import HOME_PAGE, CredentialScope, LaunchScope, Scope, agent_key
from courseport.core.packages.lrs_statement_checks import VOIDED, check_statement, parse_timestamp
from courseport.core.packages.statements import iso_instant
from courseport.schema import Course, PackageVersion, XapiStatement

MAX_LIMIT = 500
LRS_SET = ("stored", "authority", "version")  # what the LRS sets: left out when two statements are compared
AUTHORITY = {"objectType": "Agent", "name": "courseport", "account": {"homePage": HOME_PAGE, "name": "courseport"}}


@dataclass(frozen=True)
class StatementQuery:
    """The Statements resource's filters (agent as its identifier text, from `agent_key`)."""

    agent: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 0  # 0: the server's maximum
    ascending: bool = False
    after: str | None = None  # the last statement id of the previous page (`more`)


def _comparable(statement: dict, posted: dict) -> str:
    kept = {k: v for k, v in statement.items() if k not in LRS_SET and (k != "timestamp" or "timestamp" in posted)}
    return json.dumps(kept, sort_keys=True)


def check_scope(scope: Scope, statement: dict, field: str) -> None:
    """A launch writes statements of its own learner and registration only (403 otherwise); an
    application's credential writes any."""
    if isinstance(scope, CredentialScope):
        return
    if agent_key(statement["actor"]) != scope.agent_key():
        raise NotAllowed(f"{field}.actor: these credentials write statements of their launch's learner only")
    registration = (statement.get("context") or {}).get("registration")
    if registration != scope.registration:
        raise NotAllowed(f"{field}.context.registration: these credentials write statements of registration "
                         f"{scope.registration} only")


def prepare(scope: Scope, posted: list[Any], given_id: str | None = None) -> list[dict]:
    """Checked statements with their ids (new UUIDs where none was given); duplicates in one batch refused."""
    found: list[dict] = []
    for i, value in enumerate(posted):
        field = "statement" if len(posted) == 1 else f"statements[{i}]"
        statement = dict(check_statement(value, field))
        if given_id is not None:
            if statement.setdefault("id", given_id) != given_id:
                raise InvalidInput("statementId", "statementId and the statement's id differ")
        statement.setdefault("id", str(uuid.uuid4()))
        check_scope(scope, statement, field)
        found.append(statement)
    ids = [s["id"] for s in found]
    if len(set(ids)) != len(ids):
        raise InvalidInput("id", "a batch holds two statements with the same id")
    return found


def _owner(db: Session, scope: Scope) -> dict[str, Any]:
    """The columns that say whose a statement is: its launch's course and version, or the tenant."""
    if isinstance(scope, CredentialScope):
        return {"course_id": None, "version": None, "tenant_id": scope.tenant_id}
    version = db.get(PackageVersion, scope.version_id)
    if version is None or version.course_id != scope.course_id:
        raise NotFound("course", "The course of this launch no longer exists.")
    return {"course_id": scope.course_id, "version": version.version, "learner_id": scope.learner_id}


def _learner_id(statement: dict) -> str:
    """Whom a statement outside a launch is about: a courseport learner's id, else the actor's identifier."""
    account = statement["actor"].get("account") or {}
    if account.get("homePage") == HOME_PAGE and isinstance(account.get("name"), str):
        return str(account["name"])[:255]
    return (agent_key(statement["actor"]) or "")[:255]


def _owns(db: Session, scope: Scope, row: XapiStatement) -> bool:
    if isinstance(scope, LaunchScope):
        return row.course_id == scope.course_id
    return row.tenant_id == scope.tenant_id or (
        row.course_id is not None and db.scalar(select(Course.root_account_id).where(
            Course.id == row.course_id)) == scope.tenant_id)


def store(db: Session, scope: Scope, posted: list[dict], now: datetime) -> list[dict]:
    """Store checked statements (`prepare`); a known id with the same content is kept as it is, with
    other content it is a Conflict. Returns the statements stored now, as stored."""
    owner = _owner(db, scope)
    known = {row.id: row for row in db.scalars(select(XapiStatement).where(
        XapiStatement.id.in_([s["id"] for s in posted])))}
    fresh: list[tuple[dict, datetime]] = []
    for i, statement in enumerate(posted):
        row = known.get(statement["id"])
        if row is not None:
            if not _owns(db, scope, row) or _comparable(row.statement, statement) != \
                    _comparable(statement, statement):
                raise Conflict(f"statement {statement['id']} is stored already with other content")
            continue
        stored = now + timedelta(microseconds=i)
        fresh.append((_stored_form(statement, stored), stored))
    for statement, stored in fresh:
        _check_voiding(db, scope, statement)
        target = statement["object"]
        db.add(XapiStatement(
            id=statement["id"], **{"learner_id": _learner_id(statement), **owner},
            verb=statement["verb"]["id"], object_activity_id=str(target.get("id") or agent_key(target) or ""),
            result=statement.get("result"), timestamp=parse_timestamp(statement["timestamp"], "timestamp"),
            stored=stored, statement=statement))
    db.flush()
    return [statement for statement, _ in fresh]


def _stored_form(statement: dict, stored: datetime) -> dict:
    made = {**statement, "authority": AUTHORITY, "version": statement.get("version") or "1.0.0"}
    made.setdefault("timestamp", iso_instant(stored))
    return made


def _check_voiding(db: Session, scope: Scope, statement: dict) -> None:
    if statement["verb"]["id"] != VOIDED:
        return
    target = db.get(XapiStatement, statement["object"]["id"])
    if target is not None and target.verb == VOIDED:
        raise InvalidInput("object", "object: a voiding statement cannot be voided")
    if target is None:
        return
    if isinstance(scope, CredentialScope) and not _owns(db, scope, target):
        raise NotAllowed("object: these credentials void statements of their application only")
    if isinstance(scope, LaunchScope) and (target.course_id != scope.course_id or
                                           target.learner_id != scope.learner_id):
        raise NotAllowed("object: these credentials void statements of their launch only")


# --- reading ---------------------------------------------------------------------------------

def registration_rows(db: Session, scope: LaunchScope) -> list[XapiStatement]:
    rows = db.scalars(select(XapiStatement).where(XapiStatement.course_id == scope.course_id,
                                                  XapiStatement.learner_id == scope.learner_id)
                      .order_by(XapiStatement.stored, XapiStatement.id))
    return [r for r in rows if ((r.statement.get("context") or {}).get("registration")) == scope.registration]


def visible_rows(db: Session, scope: Scope) -> list[XapiStatement]:
    """The statements a scope reads, oldest first: a launch's registration's, or a credential's tenant's."""
    if isinstance(scope, LaunchScope):
        return registration_rows(db, scope)
    courses = select(Course.id).where(Course.root_account_id == scope.tenant_id)
    return list(db.scalars(select(XapiStatement).where(or_(
        XapiStatement.tenant_id == scope.tenant_id, XapiStatement.course_id.in_(courses)))
        .order_by(XapiStatement.stored, XapiStatement.id)))


def _voided(rows: list[XapiStatement]) -> set[str]:
    return {r.object_activity_id for r in rows if r.verb == VOIDED}


def get_statement(db: Session, scope: Scope, statement_id: str, *, voided: bool) -> dict:
    """One statement by id (`voided`: a voided one, by voidedStatementId)."""
    rows = visible_rows(db, scope)
    row = next((r for r in rows if r.id == statement_id), None)
    if row is None or (statement_id in _voided(rows)) != voided:
        raise NotFound("statement", f"No {'voided ' if voided else ''}statement has id {statement_id}")
    return rendered(row)


def rendered(row: XapiStatement) -> dict:
    return {**row.statement, "stored": iso_instant(row.stored)}


def query_statements(db: Session, scope: Scope, query: StatementQuery) -> tuple[list[dict], str | None]:
    """One page of the scope's statements that match, and the id to continue after (None: the last page)."""
    if isinstance(scope, LaunchScope) and query.registration is not None and query.registration != scope.registration:
        raise NotAllowed("registration: these credentials read statements of their own registration only")
    rows = visible_rows(db, scope)
    voided = _voided(rows)
    found = [r for r in rows if r.id not in voided and _matches(r, query)]
    if not query.ascending:
        found.reverse()
    if query.after is not None:
        at = next((i for i, r in enumerate(found) if r.id == query.after), None)
        if at is None:
            raise InvalidInput("more", "this more URL is no longer valid")
        found = found[at + 1:]
    limit = min(query.limit or MAX_LIMIT, MAX_LIMIT)
    page = found[:limit]
    return [rendered(r) for r in page], page[-1].id if len(found) > limit else None


def _matches(row: XapiStatement, query: StatementQuery) -> bool:
    statement = row.statement
    stored = row.stored
    # `stored` is shown to the millisecond: since and until compare at that precision
    if query.since is not None and stored < end_of_millisecond(query.since):
        return False
    if query.until is not None and stored >= end_of_millisecond(query.until):
        return False
    if query.verb is not None and row.verb != query.verb:
        return False
    if query.registration is not None and (statement.get("context") or {}).get("registration") != query.registration:
        return False
    if query.activity is not None and query.activity not in _activities(statement, query.related_activities):
        return False
    return query.agent is None or query.agent in _agents(statement, query.related_agents)


def _activities(statement: dict, related: bool) -> set[str]:
    target = statement.get("object") or {}
    found = {target.get("id")} if target.get("objectType", "Activity") == "Activity" else set()
    if related:
        if target.get("objectType") == "SubStatement":
            found |= _activities(target, True)
        for kind in ((statement.get("context") or {}).get("contextActivities") or {}).values():
            found |= {a.get("id") for a in (kind if isinstance(kind, list) else [kind]) if isinstance(a, dict)}
    return {a for a in found if a}


def _agents(statement: dict, related: bool) -> set[str]:
    found = [statement.get("actor"), statement.get("object")]
    if related:
        context = statement.get("context") or {}
        found += [statement.get("authority"), context.get("instructor"), context.get("team")]
        target = statement.get("object") or {}
        if target.get("objectType") == "SubStatement":
            found += [target.get("actor"), target.get("object")]
    keys = {agent_key(a) for a in found if isinstance(a, dict) and a.get("objectType", "Agent") in ("Agent", "Group")}
    return {k for k in keys if k}


def ids_form(statement: dict) -> dict:
    """`format=ids`: agents and groups by their identifier only, activities by their id only."""
    def agent(value: dict) -> dict:
        kept = {k: v for k, v in value.items() if k in ("objectType", "mbox", "mbox_sha1sum", "openid", "account")}
        if "member" in value:
            kept["member"] = [agent(m) for m in value["member"] if isinstance(m, dict)]
        return kept

    def thing(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        kind = value.get("objectType", "Activity")
        if kind in ("Agent", "Group"):
            return agent(value)
        if kind == "Activity" and "id" in value:
            return {"objectType": "Activity", "id": value["id"]}
        return value

    made = {**statement, "actor": agent(statement["actor"]), "object": thing(statement.get("object"))}
    if "authority" in made:
        made["authority"] = agent(made["authority"])
    context = made.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        kinds = context["contextActivities"].items()
        made["context"] = {**context, "contextActivities": {
            k: [thing(a) for a in (v if isinstance(v, list) else [v])] for k, v in kinds}}
    return made
