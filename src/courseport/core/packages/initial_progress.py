"""A registration's initial progress, as an integration moving learners from another system gives it
when it creates the registration: each SCO's run-time values as if the SCO had committed them, time
already spent, shared objectives and access dates. Everything after is what any commit gives: the
attempt's completion, success and score are computed from the SCOs' data (SCORM 2004: by the sequencer,
which hears each SCO's data as an attempt made before), and each SCO's next launch resumes from it.

Values come in one vocabulary for both SCORM editions (the 2004 data model's words); `cmi_values`
writes them in the course's own data model (SCORM 1.2's `cmi.core.lesson_status`, say), and refuses,
naming the field, what that data model cannot hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from courseport.blobs import BlobStore
from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import attempts, launch_navigation, previews, sequencing
from courseport.core.packages.registrations import RegistrationView
from courseport.schema.base import utcnow

COMPLETIONS = ("completed", "incomplete", "not attempted", "browsed", "unknown")
SUCCESSES = ("passed", "failed", "unknown")
EXITS = {"scorm12": ("", "time-out", "suspend", "logout"),
         "scorm2004": ("", "timeout", "suspend", "logout", "normal")}
# The data models' longest location and suspend data (SCORM 1.2's CMIString255 and 4096; 2004's SPMs).
LIMITS = {"scorm12": {"location": 255, "suspend_data": 4096}, "scorm2004": {"location": 1000, "suspend_data": 64000}}
FIELD = "initial_progress"  # the core word for the whole, as errors name it (dialects spell it their way)


@dataclass(frozen=True)
class SeededObjective:
    id: str
    success: str | None = None
    completion: str | None = None
    score_scaled: float | None = None
    score_raw: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    progress_measure: float | None = None
    description: str | None = None


@dataclass(frozen=True)
class SeededInteraction:
    id: str
    type: str | None = None  # the data model's words: true-false, choice, fill-in, long-fill-in, ...
    objectives: tuple[str, ...] = ()
    timestamp: str | None = None
    correct_responses: tuple[str, ...] = ()
    weighting: str | None = None
    learner_response: str | None = None
    result: str | None = None  # correct, incorrect, unanticipated, neutral or a number
    latency: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class SeededActivity:
    """One SCO's values; `id` "" means the course's only SCO (results given for the whole course)."""

    id: str
    completion: str | None = None
    success: str | None = None
    score_scaled: float | None = None
    score_raw: float | None = None
    score_min: float | None = None
    score_max: float | None = None
    progress_measure: float | None = None
    location: str | None = None
    suspend_data: str | None = None
    exit: str | None = None
    seconds: float = 0.0
    objectives: tuple[SeededObjective, ...] = ()
    interactions: tuple[SeededInteraction, ...] = ()
    # What the LMS tracked of the activity, where it differs from what the SCO set (SCORM 2004: an attempt the
    # sequencer ended satisfied, an asset delivered): the sequencer hears these over the SCO's values.
    tracked_completion: str | None = None
    tracked_success: str | None = None
    tracked_score_scaled: float | None = None


@dataclass(frozen=True)
class InitialProgress:
    activities: tuple[SeededActivity, ...] = ()
    global_objectives: tuple[SeededObjective, ...] = ()
    shared_data: tuple[tuple[str, str], ...] = ()  # SCORM 2004 4th edition data buckets: (id, value)
    first_access: datetime | None = None
    last_access: datetime | None = None
    completed: datetime | None = None


def seed(db: Session, blobs: BlobStore, view: RegistrationView, initial: InitialProgress,
         now: datetime | None = None) -> None:
    """Start `view`'s attempt (a new registration's) from `initial`."""
    attempt, version, now = view.attempt, view.version, now or utcnow()
    standard = previews.runtime_standard(version.learning_standard)
    if standard not in EXITS:
        raise InvalidInput(FIELD, f"{FIELD}: a {version.learning_standard} course keeps no SCO run-time data to start"
                                  " from")
    assets = attempts.asset_ids(version)  # they never report: only whether one was delivered carries over
    scos = [s.id for s in previews.launchable_scos(version) if s.id not in assets]
    data, delivered = _per_sco(standard, scos, assets, initial.activities)
    attempt.runtime = {sco: {"data": cmi, "seconds": {"initial": seconds}} for sco, (cmi, seconds, _) in data.items()}
    if standard == "scorm2004":
        _sequence(db, blobs, view, data, delivered, initial)
    elif initial.global_objectives or initial.shared_data:
        which = "global_objectives" if initial.global_objectives else "shared_data"
        raise InvalidInput(f"{FIELD}.{which}", f"{FIELD}.{which}: a SCORM 1.2 course has no shared objectives or data")
    if data:
        attempt.first_access_at = initial.first_access or now
        attempt.last_access_at = initial.last_access or attempt.first_access_at
    attempts.apply_progress(attempt, version, initial.completed or now)
    if attempt.completion != "completed":
        attempt.completed_at = None


def _sequence(db: Session, blobs: BlobStore, view: RegistrationView, data: dict[str, tuple[dict, float, dict]],
              delivered: list[str], initial: InitialProgress) -> None:
    """SCORM 2004: the sequencer's state from the shared objectives and data, then each SCO's data heard as
    an attempt made before, and each asset delivered done (as the player counts it); kept on the attempt with
    its rollup."""
    tree = launch_navigation.tree_of(db, blobs, view.version)
    state = sequencing.new_state(tree)
    for objective in initial.global_objectives:
        state = sequencing.set_global(state, objective.id, _global_values(objective))
    for n, (bucket, value) in enumerate(initial.shared_data):
        if not bucket or len(value) > sequencing.MAX_SHARED_DATA:
            raise InvalidInput(f"{FIELD}.shared_data[{n}]", f"{FIELD}.shared_data[{n}] needs an id and at most "
                                                           f"{sequencing.MAX_SHARED_DATA} characters")
        state = sequencing.set_shared(state, bucket, value)
    for sco, (_, _, heard) in data.items():
        state = sequencing.report_past_attempt(tree, state, sco, heard)
    for asset in delivered:
        state = sequencing.report_past_attempt(tree, state, asset, {"cmi.completion_status": "completed"})
    launch_navigation.keep_in_attempt(view.attempt, tree, state)


def _per_sco(standard: str, scos: list[str], assets: set[str],
             seeded: tuple[SeededActivity, ...]) -> tuple[dict[str, tuple[dict, float, dict]], list[str]]:
    """Each SCO's data model values, time and what the sequencer hears of it, and the assets given as
    completed (delivered)."""
    found: dict[str, tuple[dict, float, dict]] = {}
    delivered: list[str] = []
    for n, activity in enumerate(seeded):
        name = f"{FIELD}.activities[{n}]"
        sco = activity.id
        if sco in assets:
            if "completed" in (activity.completion, activity.tracked_completion) and sco not in delivered:
                delivered.append(sco)
            continue
        if not sco and len(scos) != 1:
            raise InvalidInput(name, f"{name}: a course of {len(scos)} SCOs takes its initial results per activity")
        sco = sco or scos[0]
        if sco not in scos:
            raise InvalidInput(f"{name}.id", f"{name}.id: '{sco}' is not a SCO of this course (its SCOs: "
                                            f"{', '.join(scos)})")
        if sco in found:
            raise InvalidInput(f"{name}.id", f"{name}.id: '{sco}' is given twice")
        if not (math.isfinite(activity.seconds) and activity.seconds >= 0):
            raise InvalidInput(f"{name}.seconds", f"{name}.seconds must be a duration of 0 or more")
        cmi = cmi_values(standard, activity, name)
        found[sco] = (cmi, activity.seconds, _heard(cmi, activity, name))
    return found, delivered


def _heard(cmi: dict[str, str], activity: SeededActivity, name: str) -> dict[str, str]:
    """The SCO's values with what the LMS tracked of its activity over them (the sequencer's input)."""
    _one_of(activity.tracked_completion, COMPLETIONS, f"{name}.tracked_completion")
    _one_of(activity.tracked_success, SUCCESSES, f"{name}.tracked_success")
    _range(activity.tracked_score_scaled, -1.0, 1.0, f"{name}.tracked_score_scaled")
    heard = dict(cmi)
    if activity.tracked_completion in ("completed", "incomplete"):
        heard["cmi.completion_status"] = activity.tracked_completion
    if activity.tracked_success in ("passed", "failed"):
        heard["cmi.success_status"] = activity.tracked_success
    if activity.tracked_score_scaled is not None:
        heard["cmi.score.scaled"] = _decimal(activity.tracked_score_scaled)
    return heard


def _global_values(objective: SeededObjective) -> dict[str, object]:
    satisfied = {"passed": True, "failed": False}.get(objective.success or "")
    completion = objective.completion if objective.completion in ("completed", "incomplete") else None
    return {"satisfied": satisfied, "measure": objective.score_scaled, "completion": completion,
            "progress": objective.progress_measure}


def cmi_values(standard: str, activity: SeededActivity, name: str) -> dict[str, str]:
    """The activity's values as its SCO would have committed them in `standard`'s data model."""
    _check_activity(standard, activity, name)
    values = _scorm12(activity) if standard == "scorm12" else _scorm2004(activity)
    if len(values) > previews.MAX_RUNTIME_VALUES:  # what a runtime commit may hold (previews.runtime_body)
        raise InvalidInput(name, f"{name} holds more than {previews.MAX_RUNTIME_VALUES} data model values")
    return values


def _scorm2004(a: SeededActivity) -> dict[str, str]:
    completion = "incomplete" if a.completion == "browsed" else a.completion
    values: dict[str, object] = {"cmi.completion_status": completion, "cmi.success_status": a.success,
              "cmi.score.scaled": a.score_scaled, "cmi.score.raw": a.score_raw, "cmi.score.min": a.score_min,
              "cmi.score.max": a.score_max, "cmi.progress_measure": a.progress_measure, "cmi.location": a.location,
              "cmi.suspend_data": a.suspend_data, "cmi.exit": a.exit}
    for n, o in enumerate(a.objectives):
        at = f"cmi.objectives.{n}"
        values.update({f"{at}.id": o.id, f"{at}.success_status": o.success,
                       f"{at}.completion_status": "incomplete" if o.completion == "browsed" else o.completion,
                       f"{at}.score.scaled": o.score_scaled, f"{at}.score.raw": o.score_raw,
                       f"{at}.score.min": o.score_min, f"{at}.score.max": o.score_max,
                       f"{at}.progress_measure": o.progress_measure, f"{at}.description": o.description})
    for n, i in enumerate(a.interactions):
        values.update(_interaction(f"cmi.interactions.{n}", i, one=False))
    return _strings(values)


def _scorm12(a: SeededActivity) -> dict[str, str]:
    raw, low, high = a.score_raw, a.score_min, a.score_max
    if raw is None and a.score_scaled is not None:  # 1.2 keeps no scaled score: as a percentage
        raw, low, high = round(a.score_scaled * 100, 4), 0.0 if low is None else low, 100.0 if high is None else high
    values: dict[str, object] = {"cmi.core.lesson_status": _status_12(a.success, a.completion) or "incomplete",
              "cmi.core.score.raw": raw, "cmi.core.score.min": low, "cmi.core.score.max": high,
              "cmi.core.lesson_location": a.location, "cmi.suspend_data": a.suspend_data, "cmi.core.exit": a.exit}
    for n, o in enumerate(a.objectives):
        at = f"cmi.objectives.{n}"
        values.update({f"{at}.id": o.id, f"{at}.status": _status_12(o.success, o.completion),
                       f"{at}.score.raw": o.score_raw, f"{at}.score.min": o.score_min,
                       f"{at}.score.max": o.score_max})
    for n, i in enumerate(a.interactions):
        values.update(_interaction(f"cmi.interactions.{n}", i, one=True))
    return _strings(values)


def _status_12(success: str | None, completion: str | None) -> str | None:
    """SCORM 1.2's one status: passed or failed if known, else the completion (not "unknown")."""
    if success in ("passed", "failed"):
        return success
    return completion if completion in ("completed", "incomplete", "browsed", "not attempted") else None


def _interaction(at: str, i: SeededInteraction, *, one: bool) -> dict[str, object]:
    result = "wrong" if one and i.result == "incorrect" else i.result
    values: dict[str, object] = {
        f"{at}.id": i.id, f"{at}.type": i.type, f"{at}.weighting": i.weighting, f"{at}.result": result,
        f"{at}.latency": i.latency, f"{at}.time" if one else f"{at}.timestamp": i.timestamp,
        f"{at}.student_response" if one else f"{at}.learner_response": i.learner_response}
    if not one:
        values[f"{at}.description"] = i.description
    values.update({f"{at}.objectives.{m}.id": o for m, o in enumerate(i.objectives)})
    values.update({f"{at}.correct_responses.{m}.pattern": p for m, p in enumerate(i.correct_responses)})
    return values


def _strings(values: dict[str, object]) -> dict[str, str]:
    """The data model holds strings; numbers as a SCO writes them (85, not 85.0); unset values left out."""
    return {k: _decimal(v) if isinstance(v, float) else str(v) for k, v in values.items() if v is not None}


def _decimal(value: float) -> str:
    return f"{value:.7f}".rstrip("0").rstrip(".") or "0"  # the data model's real(10,7), never 1e-05


def _check_activity(standard: str, activity: SeededActivity, name: str) -> None:
    _one_of(activity.completion, COMPLETIONS, f"{name}.completion")
    _one_of(activity.success, SUCCESSES, f"{name}.success")
    _one_of(activity.exit, EXITS[standard], f"{name}.exit")
    for field, limit in LIMITS[standard].items():
        value = getattr(activity, field)
        if value is not None and len(value) > limit:
            raise InvalidInput(f"{name}.{field}", f"{name}.{field} holds at most {limit} characters in this course's"
                                                  " data model")
    _range(activity.score_scaled, -1.0, 1.0, f"{name}.score_scaled")
    _range(activity.progress_measure, 0.0, 1.0, f"{name}.progress_measure")
    for n, objective in enumerate(activity.objectives):
        at = f"{name}.objectives[{n}]"
        if not objective.id:
            raise InvalidInput(f"{at}.id", f"{at}.id: an objective needs an id")
        _one_of(objective.completion, COMPLETIONS, f"{at}.completion")
        _one_of(objective.success, SUCCESSES, f"{at}.success")
        _range(objective.score_scaled, -1.0, 1.0, f"{at}.score_scaled")
        _range(objective.progress_measure, 0.0, 1.0, f"{at}.progress_measure")
    for n, interaction in enumerate(activity.interactions):
        if not interaction.id:
            at = f"{name}.interactions[{n}]"
            raise InvalidInput(f"{at}.id", f"{at}.id: an interaction needs an id")


def _one_of(value: str | None, allowed: tuple[str, ...], name: str) -> None:
    if value is not None and value not in allowed:
        raise InvalidInput(name, f"{name} must be one of {', '.join(repr(a) for a in allowed)}, got {value!r}")


def _range(value: float | None, low: float, high: float, name: str) -> None:
    if value is not None and not (math.isfinite(value) and low <= value <= high):
        raise InvalidInput(name, f"{name} must be from {low:g} to {high:g}, got {value:g}")
