"""xAPI statements about packaged courses: made from SCORM runtime data, stored, listed.

The player's runtime sends the whole data model of a SCO on Initialize, Commit and Terminate.
`runtime_state` reads either standard's elements into one neutral state; `runtime_statements`
turns a state into statements. Each statement's id is derived from what it says (launch, SCO,
session, verb, score), so sending the same state twice stores nothing new and needs no
bookkeeping beyond the statements themselves.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import cast
from urllib.parse import quote

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from courseport.core.packages.scorm_courses import packaged_course, packaged_version
from courseport.schema import Course, PackageVersion, User, XapiStatement

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = ("attempted", "initialized", "experienced", "completed", "passed", "failed", "scored", "terminated")
LESSON_TYPE = "http://adlnet.gov/expapi/activities/lesson"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
_ID_SPACE = uuid.UUID("0b6b4d1e-6f0e-4c43-9d57-2f1f3c5c7a11")
PAGE_SIZE = 100
_TIMESPAN_12 = re.compile(r"^(\d{2,4}):(\d{2}):(\d{2}(?:\.\d{1,2})?)$")


@dataclass(frozen=True)
class RuntimeState:
    """What a SCO reported, the same for SCORM 1.2 and 2004."""

    completed: bool = False
    success: bool | None = None  # None: neither passed nor failed
    score_raw: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    score_scaled: float | None = None
    duration: str | None = None  # ISO 8601, from the session time


@dataclass(frozen=True)
class Activity:
    id: str
    title: str
    type: str = LESSON_TYPE

    def render(self) -> dict:
        return {"objectType": "Activity", "id": self.id,
                "definition": {"name": {"und": self.title}, "type": self.type}}


@dataclass(frozen=True)
class LaunchFacts:
    """Who launched what: fixed for one preview launch and one SCO in it."""

    registration: str  # the launch's UUID
    learner_id: str
    learner_name: str
    course: Activity
    sco: Activity
    culture: str | None = None
    home_page: str = "urn:courseport"


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def timespan_as_duration(value: str | None) -> str | None:
    """SCORM 1.2 CMITimespan (HHHH:MM:SS.SS) as an ISO 8601 duration."""
    match = _TIMESPAN_12.match(value or "")
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    return f"PT{int(hours)}H{int(minutes)}M{float(seconds):g}S"


def runtime_state(standard: str, data: dict[str, str], *, mastery_score: float | None = None,
                  scaled_passing_score: float | None = None) -> RuntimeState:
    """The neutral state of a SCO's data model; the LMS decides success from a passing score when
    the SCO reports a score but no success (SCORM 1.2 mastery score, 2004 scaled passing score)."""
    if standard == "scorm12":
        status = data.get("cmi.core.lesson_status", "")
        raw, low, high = (_number(data.get(f"cmi.core.score.{k}")) for k in ("raw", "min", "max"))
        scaled = _scaled(raw, low, high, default_range=True)
        success = {"passed": True, "failed": False}.get(status)
        if success is None and raw is not None and mastery_score is not None and status in ("completed", "incomplete"):
            success = raw >= mastery_score
        completed = status in ("completed", "passed", "failed")
        duration = timespan_as_duration(data.get("cmi.core.session_time"))
    else:
        raw, low, high = (_number(data.get(f"cmi.score.{k}")) for k in ("raw", "min", "max"))
        scaled = _number(data.get("cmi.score.scaled"))
        scaled = scaled if scaled is not None else _scaled(raw, low, high, default_range=False)
        success = {"passed": True, "failed": False}.get(data.get("cmi.success_status", ""))
        if success is None and scaled is not None and scaled_passing_score is not None:
            success = scaled >= scaled_passing_score
        completed = data.get("cmi.completion_status") == "completed"
        duration = data.get("cmi.session_time") or None
    return RuntimeState(completed=completed, success=success, score_raw=raw, score_min=low, score_max=high,
                        score_scaled=scaled, duration=duration)


def _scaled(raw: float | None, low: float | None, high: float | None, *, default_range: bool) -> float | None:
    if raw is None:
        return None
    if low is not None and high is not None and high > low:
        return round(min(1.0, max(-1.0, (raw - low) / (high - low))), 4)
    if default_range and 0 <= raw <= 100:  # SCORM 1.2 scores run 0..100 unless the SCO says otherwise
        return round(raw / 100, 4)
    return None


def _score(state: RuntimeState) -> dict | None:
    score = {"scaled": state.score_scaled, "raw": state.score_raw, "min": state.score_min, "max": state.score_max}
    score = {k: v for k, v in score.items() if v is not None}
    return score or None


def _result(state: RuntimeState, *, with_duration: bool = False) -> dict:
    result: dict = {}
    if (score := _score(state)) is not None:
        result["score"] = score
    if state.success is not None:
        result["success"] = state.success
    result["completion"] = state.completed
    if with_duration and state.duration:
        result["duration"] = state.duration
    return result


def runtime_statements(facts: LaunchFacts, event: str, session: int, state: RuntimeState,
                       now: datetime) -> list[dict]:
    """The statements one runtime event implies, in order; ids repeat when the facts do."""
    said: list[tuple[str, str, dict | None]] = []  # (verb, identity, result)
    if event == "initialize":
        said += [("attempted", "attempted", None), ("initialized", f"{session}/initialized", None)]
    if state.completed:
        said.append(("completed", "completed", _result(state)))
    if state.success is not None:
        verb = "passed" if state.success else "failed"
        said.append((verb, verb, _result(state)))
    if (score := _score(state)) is not None:
        identity = "scored/" + ",".join(f"{k}={v}" for k, v in sorted(score.items()))
        said.append(("scored", identity, {"score": score}))
    if event == "terminate":
        if not state.completed and state.success is None:
            said.append(("experienced", f"{session}/experienced", _result(state)))
        said.append(("terminated", f"{session}/terminated", _result(state, with_duration=True)))
    return [_statement(facts, verb, identity, result, now + timedelta(microseconds=i))
            for i, (verb, identity, result) in enumerate(said)]


def _statement(facts: LaunchFacts, verb: str, identity: str, result: dict | None, when: datetime) -> dict:
    statement_id = uuid.uuid5(_ID_SPACE, f"{facts.registration}/{facts.sco.id}/{identity}")
    context: dict = {
        "registration": facts.registration,
        "contextActivities": {"parent": [facts.course.render()], "grouping": [facts.course.render()]},
        "platform": "courseport",
    }
    if facts.culture:
        context["language"] = facts.culture
    statement = {
        "id": str(statement_id),
        "actor": {"objectType": "Agent", "name": facts.learner_name,
                  "account": {"homePage": facts.home_page, "name": facts.learner_id}},
        "verb": {"id": ADL + verb, "display": {"en-US": verb}},
        "object": facts.sco.render(),
        "context": context,
        "timestamp": iso_instant(when),
    }
    if result is not None:
        statement["result"] = result
    return statement


def iso_instant(when: datetime) -> str:
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- storing and listing ---------------------------------------------------------------------

def course_activity_id(course: Course, version: PackageVersion) -> str:
    """The course's xAPI activity id: the package's own (cmi5, Tin Can), else one we mint."""
    return (version.manifest or {}).get("xapi_activity_id") or \
        f"urn:courseport:course:{quote(course.scorm_course_id or str(course.id), safe='')}"


def launch_facts(db: Session, version: PackageVersion, sco_id: str, sco_title: str, registration: str,
                 learner_id: str, learner_name: str, culture: str | None) -> LaunchFacts:
    course = cast(Course, db.get(Course, version.course_id))  # non-null foreign key: the course exists
    course_id = course_activity_id(course, version)
    return LaunchFacts(
        registration=registration, learner_id=learner_id, learner_name=learner_name,
        course=Activity(course_id, version.title, COURSE_TYPE),
        sco=Activity(f"{course_id}/{quote(sco_id, safe='')}", sco_title), culture=culture)


def store_statements(db: Session, version: PackageVersion, learner_id: str, made: list[dict],
                     stored: datetime) -> int:
    """Store the statements not stored before (ids say what a statement is); how many were new."""
    if not made:
        return 0
    known = set(db.scalars(select(XapiStatement.id).where(XapiStatement.id.in_([s["id"] for s in made]))))
    fresh = [s for s in made if s["id"] not in known]
    for i, statement in enumerate(fresh):
        db.add(XapiStatement(
            id=statement["id"], course_id=version.course_id, version=version.version, learner_id=learner_id,
            verb=statement["verb"]["id"], object_activity_id=statement["object"]["id"],
            result=statement.get("result"), timestamp=_parse_instant(statement["timestamp"]),
            stored=stored + timedelta(microseconds=i), statement=statement))
    db.flush()
    return len(fresh)


def _parse_instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


@dataclass(frozen=True)
class StatementFilter:
    learner_id: str | None = None
    since: datetime | None = None  # exclusive, on `stored` (the xAPI rule)
    until: datetime | None = None  # inclusive
    after: tuple[str, str] | None = None  # (stored, id) of the last statement already listed


def list_statements(db: Session, actor: User, course_id: str, version: int | None, filters: StatementFilter,
                    limit: int = PAGE_SIZE) -> tuple[list[dict], StatementFilter | None]:
    """One page of a course's (or a version's) statements, oldest first, and the filter that
    lists the next page (None after the last)."""
    course = packaged_course(db, actor, course_id)
    if version is not None:
        packaged_version(db, actor, course_id, version)  # an unknown version is a 404, not an empty list
    stmt = select(XapiStatement).where(XapiStatement.course_id == course.id)
    if version is not None:
        stmt = stmt.where(XapiStatement.version == version)
    if filters.learner_id is not None:
        stmt = stmt.where(XapiStatement.learner_id == filters.learner_id)
    if filters.since is not None:
        stmt = stmt.where(XapiStatement.stored > _aware(filters.since))
    if filters.until is not None:
        stmt = stmt.where(XapiStatement.stored <= _aware(filters.until))
    if filters.after is not None:
        stored, last_id = datetime.fromisoformat(filters.after[0]), filters.after[1]
        stmt = stmt.where(or_(XapiStatement.stored > stored,
                              and_(XapiStatement.stored == stored, XapiStatement.id > last_id)))
    rows = list(db.scalars(stmt.order_by(XapiStatement.stored, XapiStatement.id).limit(limit + 1)))
    page = rows[:limit]
    following = replace(filters, after=(page[-1].stored.isoformat(), page[-1].id)) if len(rows) > limit else None
    return [render_statement(row) for row in page], following


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def render_statement(row: XapiStatement) -> dict:
    """A stored statement with its `stored` instant (rows written before 2026-12 keep SCORM Cloud's
    `objectActivity` key in place of xAPI's `object`; the dialect reads either)."""
    return {**row.statement, "stored": iso_instant(row.stored)}
