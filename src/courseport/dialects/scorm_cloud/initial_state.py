"""CreateRegistrationSchema's `initialRegistrationState` (a RegistrationSchema, as GET /registrations/{id}
answers it) read into core's initial progress: the activity tree's SCOs with their RuntimeSchema (or, for
an activity without one, its results), the shared objectives and the access dates. The registration's own
results are what its activities give; they are read only when no activity is given (a course's one SCO).
What this face's progress GET renders, it reads back: a registration's body moves to another one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from courseport.blobs import BlobStore
from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import attempts, initial_progress
from courseport.core.packages.initial_progress import (
    InitialProgress,
    SeededActivity,
    SeededInteraction,
    SeededObjective,
)
from courseport.core.packages.registrations import RegistrationView
from courseport.dialects.scorm_cloud.json_types import check_types, object_at, string_list
from courseport.dialects.scorm_cloud.protocol import to_datetime

PREFIX = "initialRegistrationState."
_STATE = {"activityDetails": dict, "globalObjectives": list, "sharedData": list, "firstAccessDate": str,
          "lastAccessDate": str, "completedDate": str, "registrationCompletion": str, "registrationSuccess": str,
          "score": dict, "totalSecondsTracked": float}
_ACTIVITY = {"id": str, "children": list, "runtime": dict, "activityCompletion": str, "activitySuccess": str,
             "score": dict, "timeTracked": str}
_RUNTIME = {"completionStatus": str, "runtimeSuccessStatus": str, "scoreScaled": str, "scoreRaw": str,
            "scoreMin": str, "scoreMax": str, "progressMeasure": str, "location": str, "suspendData": str,
            "exit": str, "timeTracked": str, "totalTime": str, "runtimeObjectives": list, "runtimeInteractions": list}
_OBJECTIVE = {"id": str, "scoreScaled": str, "scoreRaw": str, "scoreMin": str, "scoreMax": str,
              "runtimeObjectiveSuccessStatus": str, "runtimeObjectiveCompletionStatus": str,
              "progressMeasure": str, "description": str}
_GLOBAL = {"id": str, "objectiveSuccess": str, "objectiveCompletion": str, "score": dict, "progressMeasure": float}
_INTERACTION = {"id": str, "type": str, "objectives": list, "timestamp": str, "correctResponses": list,
                "weighting": str, "learnerResponse": str, "result": str, "latency": str, "description": str}
# Interaction types as SCORM Cloud spells them -> the data model's.
TYPES = {"TrueFalse": "true-false", "Choice": "choice", "FillIn": "fill-in", "LongFillIn": "long-fill-in",
         "Likert": "likert", "Matching": "matching", "Performance": "performance", "Sequencing": "sequencing",
         "Numeric": "numeric", "Other": "other"}
_ACTIVITY_NAMES = {"id": "id", "seconds": "timeTracked"}
_TRACKED_NAMES = {"tracked_completion": "activityCompletion", "tracked_success": "activitySuccess",
                  "tracked_score_scaled": "score.scaled"}
_RUNTIME_NAMES = {**_ACTIVITY_NAMES, **_TRACKED_NAMES, **{k: f"runtime.{v}" for k, v in {
    "completion": "completionStatus", "success": "runtimeSuccessStatus", "score_scaled": "scoreScaled",
    "score_raw": "scoreRaw", "score_min": "scoreMin", "score_max": "scoreMax", "progress_measure": "progressMeasure",
    "location": "location", "suspend_data": "suspendData", "exit": "exit", "seconds": "timeTracked",
    "objectives": "runtimeObjectives", "interactions": "runtimeInteractions"}.items()}}
_RESULT_NAMES = {**_ACTIVITY_NAMES, **_TRACKED_NAMES, "completion": "activityCompletion",
                 "success": "activitySuccess", "score_scaled": "score.scaled"}
_COURSE_NAMES = {"": "", "completion": "registrationCompletion", "success": "registrationSuccess",
                 "score_scaled": "score.scaled", "seconds": "totalSecondsTracked", "id": "activityDetails"}
_PART_NAMES = {
    "objectives": {"success": "runtimeObjectiveSuccessStatus", "completion": "runtimeObjectiveCompletionStatus",
                   "score_scaled": "scoreScaled", "score_raw": "scoreRaw", "score_min": "scoreMin",
                   "score_max": "scoreMax", "progress_measure": "progressMeasure"},
    "interactions": {"learner_response": "learnerResponse", "correct_responses": "correctResponses"}}
_GLOBAL_NAMES = {"success": "objectiveSuccess", "completion": "objectiveCompletion", "score_scaled": "score.scaled",
                 "progress_measure": "progressMeasure"}
_CORE_FIELD = re.compile(r"^initial_progress\.(activities|global_objectives|shared_data)\[(\d+)\]"
                         r"(?:\.(objectives|interactions)\[(\d+)\])?(?:\.(\w+))?$")
Found = tuple[SeededActivity, tuple[str, dict[str, str]]]
_TIMESPAN = re.compile(r"^(\d+):([0-5]?\d):([0-5]?\d(?:\.\d+)?)$")


def read_initial(body: dict[str, Any]) -> Initial | None:
    """Core's initial progress from the `initialRegistrationState` object (None when it is empty), with
    where in the body each activity was read (for errors core raises about it: `spelled`)."""
    if not body:
        return None
    check_types(body, _STATE, PREFIX)
    details = object_at(body, "activityDetails", PREFIX)
    found = _leaves(details, PREFIX + "activityDetails") if details.get("children") else []
    if not found and (details or _has_results(body)):
        found = [_course_results(body, details)]
    globals_ = [_global(g, f"{PREFIX}globalObjectives[{n}]") for n, g in enumerate(body.get("globalObjectives") or [])]
    progress = InitialProgress(
        activities=tuple(a for a, _ in found), global_objectives=tuple(globals_),
        shared_data=tuple(_shared(e, f"{PREFIX}sharedData[{n}]") for n, e in enumerate(body.get("sharedData") or [])),
        first_access=to_datetime(body.get("firstAccessDate"), PREFIX + "firstAccessDate"),
        last_access=to_datetime(body.get("lastAccessDate"), PREFIX + "lastAccessDate"),
        completed=to_datetime(body.get("completedDate"), PREFIX + "completedDate"))
    return Initial(progress, [where for _, where in found])


@dataclass(frozen=True)
class Initial:
    progress: InitialProgress
    sources: list[tuple[str, dict[str, str]]]  # per activity: its object's name, core field -> wire name

    def spelled(self, error: InvalidInput) -> InvalidInput:
        """A core error about one of the initial activities (`initial_progress.activities[2].exit`) or shared
        objectives, named as the client sent the field."""
        match = _CORE_FIELD.match(error.field or "")
        if match is None:
            return error
        kind, n, part, m, leaf = match.groups()
        if kind == "shared_data":
            wire = f"{PREFIX}sharedData[{n}]"
        elif kind == "global_objectives":
            wire = f"{PREFIX}globalObjectives[{n}]" + (f".{_GLOBAL_NAMES.get(leaf, leaf)}" if leaf else "")
        else:
            where, names = self.sources[int(n)]
            inner = f".{names.get(part, part)}[{m}]" + (f".{_PART_NAMES[part].get(leaf, leaf)}" if leaf else "") \
                if part else (f".{names.get(leaf, leaf)}" if leaf else "")
            wire = where + inner
        return InvalidInput(wire, error.message.replace(error.field or "", wire))


def seed(db: Session, blobs: BlobStore, view: RegistrationView, initial: Initial) -> None:
    """Start a new registration from its initial state; core's errors name the fields as sent."""
    try:
        initial_progress.seed(db, blobs, view, initial.progress)
    except InvalidInput as exc:
        raise initial.spelled(exc) from None


def _has_results(body: dict[str, Any]) -> bool:
    return any(body.get(k) not in (None, "UNKNOWN") for k in ("registrationCompletion", "registrationSuccess",
                                                               "score", "totalSecondsTracked"))


def _course_results(body: dict[str, Any], root: dict[str, Any]) -> Found:
    """The whole course's results, for its one SCO: the root activity's if given, else the registration's."""
    if root:
        check_types(root, _ACTIVITY, PREFIX + "activityDetails.")
        return _from_results("", root, PREFIX + "activityDetails")
    return SeededActivity(
        id="", completion=_word(body.get("registrationCompletion")),
        success=_word(body.get("registrationSuccess")),
        score_scaled=_percent(object_at(body, "score", PREFIX), PREFIX + "score.scaled"),
        seconds=float(body.get("totalSecondsTracked") or 0)), (PREFIX.rstrip("."), _COURSE_NAMES)


def _leaves(node: dict[str, Any], name: str) -> list[Found]:
    """Every activity of the tree without children that has a runtime or results, depth first."""
    check_types(node, _ACTIVITY, name + ".")
    kids = node.get("children") or []
    if kids:
        found: list[Found] = []
        for n, kid in enumerate(kids):
            if not isinstance(kid, dict):
                raise InvalidInput(f"{name}.children[{n}]", f"{name}.children[{n}] must be an object")
            found += _leaves(kid, f"{name}.children[{n}]")
        return found
    if not node.get("id"):
        raise InvalidInput(f"{name}.id", f"{name}.id is required")
    if node.get("runtime"):
        return [_from_runtime(node["id"], node, node["runtime"], name)]
    if node.get("activityCompletion") not in (None, "UNKNOWN") or node.get("activitySuccess") not in (None, "UNKNOWN"):
        return [_from_results(node["id"], node, name)]
    return []


def _from_results(activity_id: str, node: dict[str, Any], name: str) -> Found:
    prefix, tracked = name + ".", _tracked(node, name + ".")
    return SeededActivity(id=activity_id, completion=tracked["tracked_completion"],
                          success=tracked["tracked_success"], score_scaled=tracked["tracked_score_scaled"],
                          seconds=_seconds(node.get("timeTracked"), prefix + "timeTracked"), **tracked), (
        name, _RESULT_NAMES)


def _tracked(node: dict[str, Any], prefix: str) -> dict[str, Any]:
    """ActivityResultSchema's own results (what the LMS tracked): activityCompletion, activitySuccess, score."""
    return {"tracked_completion": _word(node.get("activityCompletion")),
            "tracked_success": _word(node.get("activitySuccess")),
            "tracked_score_scaled": _percent(object_at(node, "score", prefix), prefix + "score.scaled")}


def _from_runtime(activity_id: str, node: dict[str, Any], runtime: dict[str, Any], name: str) -> Found:
    prefix = name + ".runtime."
    check_types(runtime, _RUNTIME, prefix)
    status = (runtime.get("completionStatus") or "").lower() or None
    success = _word(runtime.get("runtimeSuccessStatus"))
    if status in ("passed", "failed"):  # SCORM 1.2's one status, as this face renders it
        status, success = "completed", success if success not in (None, "unknown") else status
    seconds = runtime.get("timeTracked") or node.get("timeTracked")
    return SeededActivity(
        id=activity_id, completion=status, success=success, **_tracked(node, name + "."),
        score_scaled=_number(runtime.get("scoreScaled"), prefix + "scoreScaled"),
        score_raw=_number(runtime.get("scoreRaw"), prefix + "scoreRaw"),
        score_min=_number(runtime.get("scoreMin"), prefix + "scoreMin"),
        score_max=_number(runtime.get("scoreMax"), prefix + "scoreMax"),
        progress_measure=_number(runtime.get("progressMeasure"), prefix + "progressMeasure"),
        location=runtime.get("location"), suspend_data=runtime.get("suspendData"), exit=runtime.get("exit"),
        seconds=_seconds(seconds, prefix + "timeTracked") if seconds else _seconds(runtime.get("totalTime"),
                                                                                  prefix + "totalTime"),
        objectives=tuple(_objective(o, f"{prefix}runtimeObjectives[{n}]")
                         for n, o in enumerate(runtime.get("runtimeObjectives") or [])),
        interactions=tuple(_interaction(i, f"{prefix}runtimeInteractions[{n}]")
                           for n, i in enumerate(runtime.get("runtimeInteractions") or []))), (name, _RUNTIME_NAMES)


def _objective(body: Any, name: str) -> SeededObjective:
    body = _object(body, name)
    check_types(body, _OBJECTIVE, name + ".")
    return SeededObjective(
        id=body.get("id") or "", success=_word(body.get("runtimeObjectiveSuccessStatus")),
        completion=_word(body.get("runtimeObjectiveCompletionStatus")),
        score_scaled=_number(body.get("scoreScaled"), name + ".scoreScaled"),
        score_raw=_number(body.get("scoreRaw"), name + ".scoreRaw"),
        score_min=_number(body.get("scoreMin"), name + ".scoreMin"),
        score_max=_number(body.get("scoreMax"), name + ".scoreMax"),
        progress_measure=_number(body.get("progressMeasure"), name + ".progressMeasure"),
        description=body.get("description"))


def _global(body: Any, name: str) -> SeededObjective:
    body = _object(body, name)
    check_types(body, _GLOBAL, name + ".")
    progress = body.get("progressMeasure")
    return SeededObjective(id=body.get("id") or "", success=_word(body.get("objectiveSuccess")),
                           completion=_word(body.get("objectiveCompletion")),
                           score_scaled=_percent(object_at(body, "score", name + "."), name + ".score.scaled"),
                           progress_measure=None if progress is None else float(progress))


def _shared(body: Any, name: str) -> tuple[str, str]:
    """SharedDataEntrySchema: a bucket's `id` and `value`."""
    body = check_types(_object(body, name), {"id": str, "value": str}, name + ".")
    return body.get("id") or "", body.get("value") or ""


def _interaction(body: Any, name: str) -> SeededInteraction:
    body = _object(body, name)
    check_types(body, _INTERACTION, name + ".")
    kind = body.get("type")
    if kind is not None and kind not in TYPES:
        raise InvalidInput(name + ".type", f"{name}.type must be one of {', '.join(TYPES)}, got {kind!r}")
    return SeededInteraction(
        id=body.get("id") or "", type=TYPES.get(kind or ""),
        objectives=tuple(string_list(body.get("objectives"), name + ".objectives") or ()),
        timestamp=body.get("timestamp"),
        correct_responses=tuple(string_list(body.get("correctResponses"), name + ".correctResponses") or ()),
        weighting=body.get("weighting"), learner_response=body.get("learnerResponse"), result=body.get("result"),
        latency=body.get("latency"), description=body.get("description"))


def _object(body: Any, name: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise InvalidInput(name, f"{name} must be an object")
    return body


def _word(value: str | None) -> str | None:
    """A status as SCORM Cloud spells it (COMPLETED, NOT_ATTEMPTED) in the data model's words."""
    return None if value is None else value.lower().replace("_", " ")


def _number(value: str | None, name: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except ValueError:
        raise InvalidInput(name, f"{name} must be a number, got {value!r}") from None


def _percent(score: dict[str, Any], name: str) -> float | None:
    """ScoreSchema's `scaled` is a percentage (0-100); the data model's scaled score is -1 to 1."""
    scaled = score.get("scaled")
    if scaled is None:
        return None
    if isinstance(scaled, bool) or not isinstance(scaled, (int, float)):
        raise InvalidInput(name, f"{name} must be a number")
    return scaled / 100


def _seconds(value: str | None, name: str) -> float:
    """A time tracked as this face renders it (HHHH:MM:SS.SS) or an ISO 8601 duration (PT1M30S)."""
    if not value:
        return 0.0
    match = _TIMESPAN.match(value)
    if match:
        return int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3])
    seconds = attempts.parsed_duration(value)
    if seconds is not None:
        return seconds
    raise InvalidInput(name, f"{name} must be a time span (HHHH:MM:SS.SS or PT1M30S), got {value!r}")
