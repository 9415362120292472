"""Is this an xAPI 1.0.3 statement? The structural rules of the spec's Data part that an LRS checks,
each failure an `InvalidInput` naming the property by its path (`statement.actor.mbox`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from courseport.core.kit.errors import InvalidInput

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
TOP_LEVEL = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority", "version",
             "attachments"}
SUB_STATEMENT = {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def _fail(field: str, message: str) -> InvalidInput:
    return InvalidInput(field, f"{field}: {message}")


def is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _object(value: object, field: str) -> dict:
    if not isinstance(value, dict):
        raise _fail(field, "must be a JSON object")
    return value


MAX_IRI = 1000  # the longest identifier this LRS keeps (stored columns hold 1024 characters, verbs 512)
MAX_VERB = 500


def _iri(value: object, field: str, limit: int = MAX_IRI) -> None:
    if not isinstance(value, str) or ":" not in value or value.strip() != value or not value:
        raise _fail(field, "must be an IRI (an absolute identifier such as http://...)")
    if len(value) > limit:
        raise _fail(field, f"is longer than the {limit} characters this LRS keeps")


def _language_map(value: object, field: str) -> None:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise _fail(field, "must be a language map (language tag -> text)")


def check_agent(value: object, field: str, *, group_allowed: bool = True) -> None:
    agent = _object(value, field)
    kind = agent.get("objectType", "Agent")
    if kind not in ("Agent", "Group") or (kind == "Group" and not group_allowed):
        raise _fail(f"{field}.objectType", "must be Agent" + (" or Group" if group_allowed else ""))
    found = [name for name in IFIS if name in agent]
    members = agent.get("member")
    if len(found) > 1:
        raise _fail(field, f"has more than one identifier ({', '.join(found)})")
    if not found and not (kind == "Group" and isinstance(members, list) and members):
        raise _fail(field, "needs one identifier: mbox, mbox_sha1sum, openid or account")
    if "mbox" in agent and not (isinstance(agent["mbox"], str) and agent["mbox"].startswith("mailto:")):
        raise _fail(f"{field}.mbox", "must be a mailto: IRI")
    for name in ("mbox", "mbox_sha1sum", "name"):
        if name in agent and not isinstance(agent[name], str):
            raise _fail(f"{field}.{name}", "must be a string")
        if len(str(agent.get(name, ""))) > MAX_IRI:
            raise _fail(f"{field}.{name}", f"is longer than the {MAX_IRI} characters this LRS keeps")
    if "openid" in agent:
        _iri(agent["openid"], f"{field}.openid")
    if "account" in agent:
        account = _object(agent["account"], f"{field}.account")
        _iri(account.get("homePage"), f"{field}.account.homePage", MAX_IRI // 2)
        if not isinstance(account.get("name"), str) or len(account["name"]) > MAX_IRI // 2:
            raise _fail(f"{field}.account.name", f"must be a string of at most {MAX_IRI // 2} characters")
    if kind == "Group" and members is not None:
        if not isinstance(members, list):
            raise _fail(f"{field}.member", "must be a list of agents")
        for i, member in enumerate(members):
            check_agent(member, f"{field}.member[{i}]", group_allowed=False)


def check_iri(value: object, field: str) -> None:
    """An identifier given on its own (an activityId parameter)."""
    _iri(value, field)


def _activity(value: object, field: str) -> None:
    activity = _object(value, field)
    if activity.get("objectType", "Activity") != "Activity":
        raise _fail(f"{field}.objectType", "must be Activity")
    _iri(activity.get("id"), f"{field}.id")
    if "definition" in activity:
        definition = _object(activity["definition"], f"{field}.definition")
        for name in ("name", "description"):
            if name in definition:
                _language_map(definition[name], f"{field}.definition.{name}")
        if "type" in definition:
            _iri(definition["type"], f"{field}.definition.type")


def _statement_object(value: object, field: str, *, sub: bool) -> None:
    found = _object(value, field)
    kind = found.get("objectType", "Activity")
    if kind == "Activity":
        _activity(found, field)
    elif kind in ("Agent", "Group"):
        check_agent(found, field)
    elif kind == "StatementRef":
        if not is_uuid(found.get("id")):
            raise _fail(f"{field}.id", "must be the UUID of a statement")
    elif kind == "SubStatement" and not sub:
        check_statement(found, field, sub=True)
    else:
        raise _fail(f"{field}.objectType", "must be Activity, Agent, Group, StatementRef"
                                           + ("" if sub else " or SubStatement"))


def _result(value: object, field: str) -> None:
    result = _object(value, field)
    for name in ("success", "completion"):
        if name in result and not isinstance(result[name], bool):
            raise _fail(f"{field}.{name}", "must be true or false")
    if "duration" in result and not (isinstance(result["duration"], str) and result["duration"].startswith("P")):
        raise _fail(f"{field}.duration", "must be an ISO 8601 duration (PT1H2M3S)")
    if "score" not in result:
        return
    score = _object(result["score"], f"{field}.score")
    for name in ("scaled", "raw", "min", "max"):
        if name in score and (isinstance(score[name], bool) or not isinstance(score[name], int | float)):
            raise _fail(f"{field}.score.{name}", "must be a number")
    if "scaled" in score and not -1 <= score["scaled"] <= 1:
        raise _fail(f"{field}.score.scaled", "must be between -1 and 1")
    low, high, raw = score.get("min"), score.get("max"), score.get("raw")
    if low is not None and high is not None and low >= high:
        raise _fail(f"{field}.score.min", "must be less than max")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        raise _fail(f"{field}.score.raw", "must lie between min and max")


def _context(value: object, field: str, object_kind: str) -> None:
    context = _object(value, field)
    if "registration" in context and not is_uuid(context["registration"]):
        raise _fail(f"{field}.registration", "must be a UUID")
    if object_kind != "Activity":
        for name in ("revision", "platform"):
            if name in context:
                raise _fail(f"{field}.{name}", "is allowed only when the object is an Activity")
    if "instructor" in context:
        check_agent(context["instructor"], f"{field}.instructor")
    activities = _object(context.get("contextActivities", {}), f"{field}.contextActivities")
    for name, found in activities.items():
        if name not in ("parent", "grouping", "category", "other"):
            raise _fail(f"{field}.contextActivities.{name}", "is not a context activity kind")
        for i, activity in enumerate(found if isinstance(found, list) else [found]):
            _activity(activity, f"{field}.contextActivities.{name}[{i}]")
    if "extensions" in context:
        _object(context["extensions"], f"{field}.extensions")


def check_statement(value: object, field: str = "statement", *, sub: bool = False) -> dict:
    """The statement when it follows the rules; raises `InvalidInput` naming the first broken one."""
    statement = _object(value, field)
    allowed = SUB_STATEMENT if sub else TOP_LEVEL
    for name in statement:
        if name not in allowed:
            raise _fail(f"{field}.{name}", "is not a statement property" + (" of a SubStatement" if sub else ""))
    if "id" in statement and not is_uuid(statement["id"]):
        raise _fail(f"{field}.id", "must be a UUID")
    check_agent(statement.get("actor"), f"{field}.actor")
    verb = _object(statement.get("verb"), f"{field}.verb")
    _iri(verb.get("id"), f"{field}.verb.id", MAX_VERB)
    if "display" in verb:
        _language_map(verb["display"], f"{field}.verb.display")
    _statement_object(statement.get("object"), f"{field}.object", sub=sub)
    object_kind = statement["object"].get("objectType", "Activity")
    if verb["id"] == VOIDED and object_kind != "StatementRef":
        raise _fail(f"{field}.object", "a voiding statement's object must be a StatementRef")
    if "result" in statement:
        _result(statement["result"], f"{field}.result")
    if "context" in statement:
        _context(statement["context"], f"{field}.context", object_kind)
    if "timestamp" in statement:
        parse_timestamp(statement["timestamp"], f"{field}.timestamp")
    if "version" in statement and not (isinstance(statement["version"], str)
                                       and statement["version"].startswith("1.0")):
        raise _fail(f"{field}.version", "must be a 1.0.x version")
    if statement.get("attachments"):
        raise _fail(f"{field}.attachments", "attachments are not supported by this LRS")
    return statement


def parse_timestamp(value: Any, field: str) -> datetime:
    if not isinstance(value, str):
        raise _fail(field, "must be an ISO 8601 timestamp")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _fail(field, "must be an ISO 8601 timestamp") from None
    if parsed.tzinfo is None:
        raise _fail(field, "must name its time zone (Z or an offset)")
    return parsed
