"""The xAPI Activities and Agents resources: what the LRS knows of one activity (its definition, as the
statements the scope reads gave it) and of one agent (a Person object with every identifier and name it holds)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from courseport.core.packages.lrs_credentials import LaunchScope, Scope, agent_key
from courseport.core.packages.lrs_statements import visible_rows

LANGUAGE_MAPS = ("name", "description")
IDENTIFIERS = ("mbox", "mbox_sha1sum", "openid", "account")


def activity_object(db: Session, scope: Scope, activity_id: str) -> dict[str, Any]:
    """The Activity with `activity_id` as the launch's statements define it: later definitions win, field
    by field, and the language maps (name, description) keep every language any of them gave. An activity
    no statement defined is still answered, with its id alone (xAPI 1.0.3, Activities resource)."""
    definition: dict[str, Any] = {}
    for row in visible_rows(db, scope):  # oldest first
        for found in _definitions(row.statement, activity_id):
            for key, value in found.items():
                if key in LANGUAGE_MAPS and isinstance(value, dict) and isinstance(definition.get(key), dict):
                    definition[key] = {**definition[key], **value}
                else:
                    definition[key] = value
    activity: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if definition:
        activity["definition"] = definition
    return activity


def _definitions(statement: dict, activity_id: str) -> list[dict]:
    """The definitions a statement gives for the activity: as its object, a sub-statement's object or a
    context activity."""
    candidates: list[Any] = [statement.get("object")]
    target = statement.get("object") or {}
    if isinstance(target, dict) and target.get("objectType") == "SubStatement":
        candidates.append(target.get("object"))
    for kind in ((statement.get("context") or {}).get("contextActivities") or {}).values():
        candidates += kind if isinstance(kind, list) else [kind]
    return [c["definition"] for c in candidates
            if isinstance(c, dict) and c.get("objectType", "Activity") == "Activity" and c.get("id") == activity_id
            and isinstance(c.get("definition"), dict)]


def person_object(scope: Scope, agent: dict[str, Any]) -> dict[str, Any]:
    """The Person the agent is: the launch's learner with the name and account the LRS knows, anyone else
    with what the request gave (an LRS with nothing more to tell still answers a Person)."""
    launched = isinstance(scope, LaunchScope) and agent_key(agent) == scope.agent_key()
    known = scope.actor() if launched and isinstance(scope, LaunchScope) else agent
    person: dict[str, Any] = {"objectType": "Person"}
    if isinstance(known.get("name"), str):
        person["name"] = [known["name"]]
    for field in IDENTIFIERS:
        if field in known:
            person[field] = [known[field]]
    return person
