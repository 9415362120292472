"""SCORM Cloud JSON for registrations (RegistrationSchema with ActivityResultSchema and
RuntimeSchema), launch history (LaunchHistorySchema) and the postback body's shape."""

from __future__ import annotations

from typing import Any

from courseport.core.packages import attempts
from courseport.core.packages.attempts import ScoProgress
from courseport.core.packages.registrations import RegistrationView
from courseport.dialects.scorm_cloud.protocol import iso
from courseport.schema import Attempt, AttemptLaunch

COMPLETION = {"unknown": "UNKNOWN", "completed": "COMPLETED", "incomplete": "INCOMPLETE"}
SUCCESS = {"unknown": "UNKNOWN", "passed": "PASSED", "failed": "FAILED"}
# The postback body (RegistrationSchema at course level): leaves name core progress fields.
POSTBACK_SHAPE = {
    "id": "registration_id", "instance": "instance", "xapiRegistrationId": "xapi_registration",
    "updated": "updated", "registrationCompletion": ["completion", COMPLETION],
    "registrationSuccess": ["success", SUCCESS], "score": {"scaled": "score_percent"},
    "totalSecondsTracked": "seconds_tracked", "firstAccessDate": "first_access", "lastAccessDate": "last_access",
    "completedDate": "completed", "createdDate": "created",
    "course": {"id": "course_id", "title": "course_title", "version": "version"},
    "learner": {"id": "learner_id", "email": "learner_email", "firstName": "learner_first_name",
                "lastName": "learner_last_name"},
    "tags": "tags",
}


def _score(scaled: float | None) -> dict[str, float] | None:
    return {"scaled": round(scaled * 100, 2)} if scaled is not None else None


def _learner(view: RegistrationView) -> dict[str, Any]:
    reg = view.registration
    learner = {"id": reg.learner_id, "email": reg.learner_email, "firstName": reg.learner_first_name,
               "lastName": reg.learner_last_name}
    return {k: v for k, v in learner.items() if v is not None}


def render_registration(view: RegistrationView, *, children: bool = False, runtime: bool = False,
                        details: bool = False) -> dict[str, Any]:
    reg, attempt, course = view.registration, view.attempt, view.course
    body: dict[str, Any] = {
        "id": reg.key, "instance": attempt.instance, "xapiRegistrationId": reg.xapi_registration,
        "updated": iso(reg.updated_at), "registrationCompletion": COMPLETION[attempt.completion],
        "registrationCompletionAmount": 1.0 if attempt.completion == "completed" else 0.0,
        "registrationSuccess": SUCCESS[attempt.success], "score": _score(attempt.score_scaled),
        "totalSecondsTracked": attempt.seconds_tracked, "firstAccessDate": iso(attempt.first_access_at),
        "lastAccessDate": iso(attempt.last_access_at), "completedDate": iso(attempt.completed_at),
        "createdDate": iso(reg.created_at),
        "course": {"id": course.scorm_course_id, "title": view.version.title, "version": attempt.version},
        "learner": _learner(view), "tags": view.tags, "globalObjectives": _globals(attempt),
        "sharedData": [{"id": k, "value": v} for k, v in sorted(attempts.shared_data(attempt).items())],
        "activityDetails": render_activities(view, children=children, runtime=runtime, details=details),
    }
    suspended = next((s.id for s in attempts.sco_progress(attempt, view.version) if s.suspended), None)
    if suspended:
        body["suspendedActivityId"] = suspended
    return {k: v for k, v in body.items() if v is not None}


def _globals(attempt: Attempt) -> list[dict[str, Any]]:
    return [_global(key, values) for key, values in sorted(attempts.global_objectives(attempt).items())]


def _global(key: str, values: dict[str, Any], primary: bool = False) -> dict[str, Any]:
    """An ObjectiveSchema for a shared objective, or an activity's: its status and measure as the sequencer
    tracks them."""
    satisfied = values.get("satisfied")
    body = {"id": key, "primary": primary, "score": _score(values.get("measure")),
            "objectiveSuccess": "UNKNOWN" if satisfied is None else "PASSED" if satisfied else "FAILED",
            "objectiveCompletion": COMPLETION.get(values.get("completion") or "unknown", "UNKNOWN"),
            "progressMeasure": values.get("progress")}
    return {k: v for k, v in body.items() if v is not None}


def render_activities(view: RegistrationView, *, children: bool, runtime: bool,
                      details: bool = False) -> dict[str, Any]:
    """The course's activity tree with each SCO's results (children only when asked)."""
    scos = {s.id: s for s in attempts.sco_progress(view.attempt, view.version)}
    root = (view.version.manifest or {}).get("root_activity") or {}
    rendered = _activity(root, scos, runtime, details)
    attempt = view.attempt
    _sequenced(rendered, attempts.activity_results(attempt) or {})
    if details:  # a sequenced attempt stored before objectives were kept shows none until its next commit
        sequenced = attempts.activity_objectives(attempt)
        _objectives(rendered, {} if sequenced is None and attempt.sequencing else sequenced, scos)
    rendered.update(activityCompletion=COMPLETION[attempt.completion], activitySuccess=SUCCESS[attempt.success],
                    timeTracked=attempts.timespan_12(attempt.seconds_tracked))
    if attempt.score_scaled is not None:
        rendered["score"] = _score(attempt.score_scaled)
    if not children:
        rendered.pop("children", None)
    return rendered


def _activity(node: dict[str, Any], scos: dict[str, ScoProgress], runtime: bool, details: bool) -> dict[str, Any]:
    identifier = node.get("item_identifier") or node.get("external_identifier") or node.get("href") or ""
    kids = [_activity(k, scos, runtime, details) for k in node.get("children") or []]
    sco = scos.get(identifier) if node.get("href") else None
    leaves = [s for s in scos.values() if _under(node, s.id)] if sco is None else [sco]
    completed = bool(leaves) and all(s.state.completed for s in leaves)
    body: dict[str, Any] = {
        "id": identifier, "title": node.get("title") or identifier,
        "attempts": 1 if any(s.attempted for s in leaves) else 0,
        "activityCompletion": "COMPLETED" if completed else "INCOMPLETE" if any(s.attempted for s in leaves)
        else "UNKNOWN",
        "activitySuccess": _success(leaves), "timeTracked": attempts.timespan_12(sum(s.seconds for s in leaves)),
        "suspended": any(s.suspended for s in leaves), "children": kids,
    }
    if sco is not None and sco.state.score_scaled is not None:
        body["score"] = _score(sco.state.score_scaled)
    if sco is not None and runtime:
        body["runtime"] = render_runtime(sco, details)
    return body


def _sequenced(body: dict[str, Any], results: dict[str, dict[str, Any]]) -> None:
    """SCORM 2004: each activity's status is the sequencer's rollup (`attempts.activity_results`)."""
    found = results.get(body["id"])
    if found is not None:
        body["activityCompletion"], body["activitySuccess"] = COMPLETION[found["completion"]], SUCCESS[found["success"]]
        if found["score_scaled"] is not None:
            body["score"] = _score(found["score_scaled"])
    for kid in body.get("children") or []:
        _sequenced(kid, results)


def _objectives(body: dict[str, Any], sequenced: dict[str, list[dict[str, Any]]] | None,
                scos: dict[str, ScoProgress]) -> None:
    """ActivityResultSchema `objectives`: a sequenced activity's as the sequencer tracks them (primary
    first); without sequencing (SCORM 1.2), a SCO's own `cmi.objectives`."""
    if sequenced is not None:
        body["objectives"] = [_global(o["id"], o, o["primary"]) for o in sequenced.get(body["id"], [])]
    elif body["id"] in scos:
        data = scos[body["id"]].data
        body["objectives"] = [_cmi_objective(data, n) for n in _indices(data, "cmi.objectives")]
    for kid in body.get("children") or []:
        _objectives(kid, sequenced, scos)


def _cmi_objective(d: dict[str, str], n: int) -> dict[str, Any]:
    """A SCORM 1.2 SCO's objective as an ObjectiveSchema (its one `status` read as success or completion)."""
    at, status = f"cmi.objectives.{n}", d.get(f"cmi.objectives.{n}.status", "")
    body = {"id": d.get(f"{at}.id"), "primary": False, "scoreRaw": _float(d.get(f"{at}.score.raw")),
            "scoreMin": _float(d.get(f"{at}.score.min")), "scoreMax": _float(d.get(f"{at}.score.max")),
            "objectiveSuccess": {"passed": "PASSED", "failed": "FAILED"}.get(status, "UNKNOWN"),
            "objectiveCompletion": _OBJECTIVE_RESULT.get(status, "UNKNOWN")}
    return {k: v for k, v in body.items() if v is not None}


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None  # type: ignore[arg-type]
    except ValueError:
        return None  # the SCO's data model refused it; kept only as the SCO sent it


def _under(node: dict[str, Any], sco_id: str) -> bool:
    if node.get("href") and (node.get("item_identifier") or node.get("external_identifier")) == sco_id:
        return True
    return any(_under(kid, sco_id) for kid in node.get("children") or [])


def _success(leaves: list[ScoProgress]) -> str:
    verdicts = [s.state.success for s in leaves if s.state.success is not None]
    if False in verdicts:
        return "FAILED"
    return "PASSED" if verdicts and len(verdicts) == len([s for s in leaves if s.attempted]) else "UNKNOWN"


def render_runtime(sco: ScoProgress, details: bool = False) -> dict[str, Any]:
    """RuntimeSchema from the data model a SCO last committed (SCORM 1.2 names read as 2004's)."""
    d = sco.data
    one = "cmi.core.lesson_status" in d or "cmi.core.student_id" in d
    status = d.get("cmi.core.lesson_status") if one else d.get("cmi.completion_status")
    body: dict[str, Any] = {
        "completionStatus": status, "credit": d.get("cmi.core.credit" if one else "cmi.credit"),
        "entry": d.get("cmi.core.entry" if one else "cmi.entry"), "exit": d.get("cmi.core.exit" if one else "cmi.exit"),
        "location": d.get("cmi.core.lesson_location" if one else "cmi.location"),
        "mode": d.get("cmi.core.lesson_mode" if one else "cmi.mode"), "progressMeasure": d.get("cmi.progress_measure"),
        "scoreScaled": None if sco.state.score_scaled is None else f"{sco.state.score_scaled:g}",
        "scoreRaw": d.get("cmi.core.score.raw" if one else "cmi.score.raw"),
        "scoreMin": d.get("cmi.core.score.min" if one else "cmi.score.min"),
        "scoreMax": d.get("cmi.core.score.max" if one else "cmi.score.max"),
        "totalTime": d.get("cmi.core.total_time" if one else "cmi.total_time"),
        "timeTracked": attempts.timespan_12(sco.seconds),
        "runtimeSuccessStatus": {True: "PASSED", False: "FAILED", None: "UNKNOWN"}[sco.state.success],
        "suspendData": d.get("cmi.suspend_data"),
    }
    if details:
        body["runtimeInteractions"] = [_interaction(d, n, one) for n in _indices(d, "cmi.interactions")]
        body["runtimeObjectives"] = [_objective(d, n, one) for n in _indices(d, "cmi.objectives")]
    return {k: v for k, v in body.items() if v not in (None, "")}


_TYPES = {"true-false": "TrueFalse", "choice": "Choice", "fill-in": "FillIn", "long-fill-in": "LongFillIn",
          "likert": "Likert", "matching": "Matching", "performance": "Performance", "sequencing": "Sequencing",
          "sequence": "Sequencing", "numeric": "Numeric", "other": "Other"}
# A SCORM 1.2 objective's status as ObjectiveSchema's objectiveCompletion (UNKNOWN, COMPLETED, INCOMPLETE only).
_OBJECTIVE_RESULT = {"completed": "COMPLETED", "passed": "COMPLETED", "failed": "COMPLETED", "incomplete": "INCOMPLETE",
                     "browsed": "INCOMPLETE"}
_OBJECTIVE_COMPLETION = {"completed": "COMPLETED", "passed": "COMPLETED", "failed": "COMPLETED",
                         "incomplete": "INCOMPLETE", "browsed": "BROWSED", "not attempted": "NOT_ATTEMPTED"}


def _indices(d: dict[str, str], array: str) -> list[int]:
    """The indices of a data model array the SCO set (`cmi.interactions.0.id`, ...), in order."""
    prefix = array + "."
    return sorted({int(k[len(prefix):].split(".", 1)[0]) for k in d
                   if k.startswith(prefix) and k[len(prefix):].split(".", 1)[0].isdigit()})


def _list(d: dict[str, str], prefix: str, leaf: str) -> list[str]:
    return [d[f"{prefix}.{n}.{leaf}"] for n in _indices(d, prefix) if f"{prefix}.{n}.{leaf}" in d]


def _interaction(d: dict[str, str], n: int, one: bool) -> dict[str, Any]:
    at = f"cmi.interactions.{n}"
    result = d.get(f"{at}.result")
    body = {
        "id": d.get(f"{at}.id"), "type": _TYPES.get(d.get(f"{at}.type", "")),
        "objectives": _list(d, f"{at}.objectives", "id"),
        "timestamp": d.get(f"{at}.time" if one else f"{at}.timestamp"),
        "correctResponses": _list(d, f"{at}.correct_responses", "pattern"), "weighting": d.get(f"{at}.weighting"),
        "learnerResponse": d.get(f"{at}.student_response" if one else f"{at}.learner_response"),
        "result": "incorrect" if result == "wrong" else result, "latency": d.get(f"{at}.latency"),
        "description": d.get(f"{at}.description"),
    }
    return {k: v for k, v in body.items() if v not in (None, "")}


def _objective(d: dict[str, str], n: int, one: bool) -> dict[str, Any]:
    at = f"cmi.objectives.{n}"
    status = d.get(f"{at}.status", "") if one else ""
    success = status if one else d.get(f"{at}.success_status", "")
    completion = status if one else d.get(f"{at}.completion_status", "")
    body = {
        "id": d.get(f"{at}.id"), "scoreScaled": d.get(f"{at}.score.scaled"), "scoreMin": d.get(f"{at}.score.min"),
        "scoreMax": d.get(f"{at}.score.max"), "scoreRaw": d.get(f"{at}.score.raw"),
        "runtimeObjectiveSuccessStatus": {"passed": "PASSED", "failed": "FAILED"}.get(success, "UNKNOWN"),
        "runtimeObjectiveCompletionStatus": _OBJECTIVE_COMPLETION.get(completion, "UNKNOWN"),
        "progressMeasure": d.get(f"{at}.progress_measure"), "description": d.get(f"{at}.description"),
    }
    return {k: v for k, v in body.items() if v not in (None, "")}


def render_launch(instance: int, launch: AttemptLaunch, *, log: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": launch.key, "instance": instance, "score": _score(launch.score_scaled),
        "completionStatus": COMPLETION[launch.completion], "successStatus": SUCCESS[launch.success],
        "totalSecondsTracked": launch.seconds_tracked, "launchTime": iso(launch.launched_at),
        "exitTime": iso(launch.exited_at), "lastRuntimeUpdate": iso(launch.last_runtime_at),
        "launchHistoryId": launch.key,
    }
    if log:
        body["historyLog"] = launch.log
    return {k: v for k, v in body.items() if v is not None}
