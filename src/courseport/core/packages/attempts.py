"""Attempts: the domain's one record of a learner's progress through a packaged course.

An attempt is an instance (0, 1, ...) of a registration on one course version. The player's runtime
commits (the whole data model of a SCO) are kept per SCO in `runtime`; completion, success, score and
time are computed from them once, here, and stored on the attempt, so every face reads the same
progress. The data a SCO left (location, suspend data, status, score, `exit`) seeds its next launch:
`resume_values` gives what the runtime starts from, with `entry` "resume" after a suspended exit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.packages import previews, statements
from courseport.schema import Attempt, AttemptLaunch, PackageVersion, Registration
from courseport.schema.base import utcnow

COMPLETIONS = ("unknown", "completed", "incomplete")
SUCCESSES = ("unknown", "passed", "failed")
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_KEPT_12 = ("cmi.core.lesson_location", "cmi.suspend_data", "cmi.core.score.raw", "cmi.core.score.min",
            "cmi.core.score.max", "cmi.comments")
_KEPT_2004 = ("cmi.location", "cmi.suspend_data", "cmi.completion_status", "cmi.success_status",
              "cmi.score.scaled", "cmi.score.raw", "cmi.score.min", "cmi.score.max", "cmi.progress_measure")


@dataclass(frozen=True)
class ScoProgress:
    """One SCO's part of an attempt: its state and the data model it last committed."""

    id: str
    title: str
    state: statements.RuntimeState
    attempted: bool
    suspended: bool
    seconds: float
    data: dict[str, str]


def end_of_millisecond(when: datetime) -> datetime:
    """The instant just after the millisecond `when` falls in: `until` is inclusive at the precision shown."""
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return when.replace(microsecond=when.microsecond // 1000 * 1000) + timedelta(milliseconds=1)


def attempt_of(db: Session, registration: Registration, instance: int | None = None) -> Attempt:
    """An instance of a registration (the newest when None)."""
    stmt = select(Attempt).where(Attempt.registration_id == registration.id)
    if instance is not None:
        found = db.scalar(stmt.where(Attempt.instance == instance))
        if found is None:
            raise NotFound("instance", f"Registration '{registration.key}' has no instance {instance}")
        return found
    return db.scalars(stmt.order_by(Attempt.instance.desc()).limit(1)).one()


def instances_of(db: Session, registration: Registration) -> list[Attempt]:
    return list(db.scalars(select(Attempt).where(Attempt.registration_id == registration.id)
                           .order_by(Attempt.instance)))


def new_instance(db: Session, registration: Registration, version: int | None = None) -> Attempt:
    """A fresh instance on `version` (the course's newest when None)."""
    if version is None:
        version = db.scalar(select(PackageVersion.version).where(PackageVersion.course_id == registration.course_id)
                            .order_by(PackageVersion.version.desc()).limit(1))
    if version is None:
        raise NotFound("course", f"The course of registration '{registration.key}' no longer exists")
    attempt = Attempt(registration_id=registration.id, instance=attempt_of(db, registration).instance + 1,
                      version=version, runtime={})
    db.add(attempt)
    registration.updated_at = utcnow()
    db.flush()
    return attempt


def delete_instance(db: Session, registration: Registration, instance: int) -> None:
    attempt = attempt_of(db, registration, instance)
    if attempt.instance == attempt_of(db, registration).instance:
        raise InvalidInput("instance_id", f"instance_id {instance} is the newest instance of registration "
                                          f"'{registration.key}' and cannot be deleted")
    db.delete(attempt)
    db.flush()


def reset(attempt: Attempt) -> None:
    """Forget an attempt's progress (SCORM Cloud's delete progress); its launches stay."""
    attempt.runtime, attempt.completion, attempt.success, attempt.score_scaled = {}, "unknown", "unknown", None
    attempt.sequencing = None
    attempt.seconds_tracked = 0.0
    attempt.first_access_at = attempt.last_access_at = attempt.completed_at = None


def launches_of(db: Session, registration: Registration,
                instance: int | None = None) -> list[tuple[int, AttemptLaunch]]:
    stmt = (select(Attempt.instance, AttemptLaunch).join(Attempt, Attempt.id == AttemptLaunch.attempt_id)
            .where(Attempt.registration_id == registration.id))
    if instance is not None:
        stmt = stmt.where(Attempt.instance == attempt_of(db, registration, instance).instance)
    return list(db.execute(stmt.order_by(AttemptLaunch.launched_at, AttemptLaunch.id)).tuples())


def start_launch(db: Session, registration: Registration, launch_key: str, now: datetime) -> Attempt:
    """The attempt a launch plays (a new instance when the course has a newer version than a launched
    attempt, as SCORM Cloud does), with the launch recorded."""
    attempt = attempt_of(db, registration)
    newest = db.scalar(select(PackageVersion.version).where(PackageVersion.course_id == registration.course_id)
                       .order_by(PackageVersion.version.desc()).limit(1))
    if newest is not None and newest != attempt.version and attempt.first_access_at is not None:
        attempt = new_instance(db, registration, newest)
    attempt.first_access_at = attempt.first_access_at or now
    attempt.last_access_at = now
    db.add(AttemptLaunch(attempt_id=attempt.id, key=launch_key, launched_at=now, completion=attempt.completion,
                         success=attempt.success, score_scaled=attempt.score_scaled))
    registration.updated_at = now
    db.flush()
    return attempt


# --- runtime data in, progress out ------------------------------------------------------------

def duration_seconds(value: str | None) -> float:
    return parsed_duration(value) or 0.0


def parsed_duration(value: str | None) -> float | None:
    """Seconds of an ISO 8601 duration (PT1M30S), None when `value` is not one."""
    match = _DURATION.match(value or "")
    if not match or value in ("P", "PT") or (value or "").endswith("T"):
        return None
    years, months, days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return ((years * 365 + months * 30 + days) * 24 + hours) * 3600 + minutes * 60 + seconds


def record_runtime(db: Session, secret: bytes, session_token: str, body: object,
                   now: datetime | None = None) -> Attempt | None:
    """Keep one runtime commit in the registration attempt the session plays (None: a preview, or
    an untracked launch); returns the attempt when its progress changed."""
    session = previews.read_grant(secret, "session", session_token, now.timestamp() if now else None)
    event, sco_id, number, data = previews.runtime_body(body)
    version = db.get(PackageVersion, session.version_id)
    found = session_attempt(db, session, version) if version is not None else None
    if found is None or version is None:
        return None
    registration, attempt = found
    now = now or utcnow()
    launch = db.scalars(select(AttemptLaunch).where(AttemptLaunch.attempt_id == attempt.id)
                        .order_by(AttemptLaunch.id.desc()).limit(1)).first()
    entry = dict((attempt.runtime or {}).get(sco_id) or {})
    seconds = dict(entry.get("seconds") or {})
    state = _state(version, sco_id, data)
    seconds[f"{launch.key if launch else '-'}/{number}"] = duration_seconds(state.duration)
    attempt.runtime = {**(attempt.runtime or {}), sco_id: {"data": data, "seconds": seconds}}
    before = (attempt.completion, attempt.success, attempt.score_scaled)
    apply_progress(attempt, version, now)
    attempt.last_access_at = now
    if launch is not None:
        _log(launch, event, sco_id, attempt, now)
    registration.updated_at = now
    db.flush()
    return attempt if before != (attempt.completion, attempt.success, attempt.score_scaled) else None


def session_attempt(db: Session, session: previews.LaunchGrant,
                    version: PackageVersion) -> tuple[Registration, Attempt] | None:
    """The registration attempt a tracked player session plays (locked for the write), or None:
    a preview, an untracked launch."""
    registration = db.scalar(select(Registration).where(Registration.xapi_registration == (session.registration or ""),
                                                        Registration.course_id == session.course_id))
    if registration is None or not session.tracking:
        return None
    attempt = db.scalar(select(Attempt).where(Attempt.registration_id == registration.id,
                                              Attempt.version == version.version)
                        .order_by(Attempt.instance.desc()).limit(1).with_for_update())
    return (registration, attempt) if attempt is not None else None


def _log(launch: AttemptLaunch, event: str, sco_id: str, attempt: Attempt, now: datetime) -> None:
    launch.last_runtime_at = now
    launch.completion, launch.success, launch.score_scaled = attempt.completion, attempt.success, attempt.score_scaled
    launch.seconds_tracked = attempt.seconds_tracked
    launch.log = (launch.log or "") + f"{statements.iso_instant(now)} {event} {sco_id}\n"
    if event == "terminate":
        launch.exited_at = now


def _state(version: PackageVersion, sco_id: str, data: dict[str, str]) -> statements.RuntimeState:
    standard = previews.runtime_standard(version.learning_standard)
    sco = next((s for s in previews.launchable_scos(version) if s.id == sco_id), None)
    if sco is None:
        raise InvalidInput("sco", f"the course has no SCO '{sco_id}'")
    passing = float(sco.scaled_passing_score) if sco.scaled_passing_score else None
    mastery = passing * 100 if passing is not None and standard == "scorm12" else None
    return statements.runtime_state(standard, data, scaled_passing_score=passing, mastery_score=mastery)


def sco_progress(attempt: Attempt, version: PackageVersion) -> list[ScoProgress]:
    found = []
    for sco in previews.launchable_scos(version):
        entry = (attempt.runtime or {}).get(sco.id) or {}
        data = entry.get("data") or {}
        exit_value = data.get("cmi.core.exit", data.get("cmi.exit", ""))
        found.append(ScoProgress(sco.id, sco.title, _state(version, sco.id, data), bool(entry),
                                 exit_value == "suspend", sum((entry.get("seconds") or {}).values()), data))
    return found


def asset_ids(version: PackageVersion) -> set[str]:
    return _assets((version.manifest or {}).get("root_activity") or {})


def _assets(node: dict) -> set[str]:
    """Identifiers of the version's assets: launchable, but they never report, so no rollup waits on them."""
    found = {node.get("item_identifier") or node.get("external_identifier") or node.get("href") or ""} \
        if node.get("activity_type") == "ASSET" else set()
    for kid in node.get("children") or []:
        found |= _assets(kid)
    return found


def apply_progress(attempt: Attempt, version: PackageVersion, now: datetime) -> None:
    """Completion, success, score and time of the attempt: SCORM 2004's from the sequencer's rollup
    (kept in `sequencing` by launch_navigation), others' from their SCOs' data (assets left out)."""
    assets = _assets((version.manifest or {}).get("root_activity") or {})
    every = sco_progress(attempt, version)
    attempt.seconds_tracked = sum(s.seconds for s in every)
    rollup = (attempt.sequencing or {}).get("rollup")
    if rollup:
        attempt.completion, attempt.success = rollup["completion"], rollup["success"]
        attempt.score_scaled = round(rollup["score_scaled"], 4) if rollup["score_scaled"] is not None else None
    else:
        _flat_progress(attempt, [s for s in every if s.id not in assets])
    if attempt.completion == "completed" and attempt.completed_at is None:
        attempt.completed_at = now


def activity_results(attempt: Attempt) -> dict[str, dict[str, Any]] | None:
    """Each activity's sequenced status ({"completion", "success", "score_scaled"}), or None when
    the attempt is not sequenced (its activities' results come from their SCOs' data)."""
    return (attempt.sequencing or {}).get("activities")


def activity_objectives(attempt: Attempt) -> dict[str, list[dict[str, Any]]] | None:
    """Each sequenced activity's objectives, primary first ({"id", "primary", "satisfied", "measure",
    "completion", "progress"}), or None when the attempt is not sequenced (its SCOs' own
    `cmi.objectives` are what there is)."""
    return (attempt.sequencing or {}).get("objectives")


def shared_data(attempt: Attempt) -> dict[str, str]:
    """The attempt's shared data buckets (SCORM 2004 4th edition `adl.data`) by id, as its SCOs wrote them."""
    return ((attempt.sequencing or {}).get("state") or {}).get("shared") or {}


def global_objectives(attempt: Attempt) -> dict[str, dict[str, Any]]:
    """The registration's shared (global) objectives as the sequencer keeps them, by objective id:
    {"satisfied": bool | None, "measure", "completion", "progress"} (empty when not sequenced)."""
    return ((attempt.sequencing or {}).get("state") or {}).get("globals") or {}


def _flat_progress(attempt: Attempt, scos: list[ScoProgress]) -> None:
    """Without sequencing: complete when every SCO is, passed when every attempted SCO passed."""
    tried = [s for s in scos if s.attempted]
    if scos and all(s.state.completed for s in scos):
        attempt.completion = "completed"
    else:
        attempt.completion = "incomplete" if tried else "unknown"
    verdicts = [s.state.success for s in scos if s.state.success is not None]
    attempt.success = ("failed" if False in verdicts else
                       "passed" if verdicts and len(verdicts) == len([s for s in scos if s.attempted]) else "unknown")
    scores = [s.state.score_scaled for s in scos if s.state.score_scaled is not None]
    attempt.score_scaled = round(sum(scores) / len(scores), 4) if scores else None


def resume_values(attempt: Attempt, version: PackageVersion) -> dict[str, dict[str, str]]:
    """What each SCO's runtime starts from on the next launch: kept elements, status, total time, entry."""
    standard = previews.runtime_standard(version.learning_standard)
    found: dict[str, dict[str, str]] = {}
    for sco in sco_progress(attempt, version):
        if not sco.attempted:
            continue
        data, kept = sco.data, _KEPT_12 if standard == "scorm12" else _KEPT_2004
        values = {k: data[k] for k in kept if data.get(k) not in (None, "")}
        if standard == "scorm12":
            status = data.get("cmi.core.lesson_status", "")
            if status and status != "not attempted":
                values["cmi.core.lesson_status"] = status
            values["cmi.core.entry"] = "resume" if sco.suspended else ""
            values["cmi.core.total_time"] = timespan_12(sco.seconds)
        else:
            values["cmi.entry"] = "resume" if sco.suspended else ""
            values["cmi.total_time"] = f"PT{sco.seconds:.2f}S"
        found[sco.id] = values
    return found


def timespan_12(seconds: float) -> str:
    """Seconds as SCORM 1.2's CMITimespan (HHHH:MM:SS.SS), also how SCORM Cloud shows time tracked."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{int(hours):04d}:{int(minutes):02d}:{secs:05.2f}"
