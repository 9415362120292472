"""What a SCO reports (its SCORM 2004 run-time data model, as committed) applied to its activity's
tracking (SN book 4.2, RTE book's mapping): completion from `cmi.completion_status` (or
`cmi.progress_measure` against the completion threshold when the manifest completes by measure),
the primary objective from `cmi.success_status` and `cmi.score.scaled` (against the primary
objective's minNormalizedMeasure when satisfiedByMeasure), other objectives by
`cmi.objectives.N.id`, `cmi.exit`; then the global objective writes and rollup (of the whole tree
when a global objective changed, since any branch may read it).
Values a SCO could not legally have set (a score outside -1..1, an unknown status) are ignored.
"""

from __future__ import annotations

import math
from typing import Any

from courseport.core.kit.errors import InvalidInput
from courseport.core.packages.sequencing.rollup import rollup_after_change
from courseport.core.packages.sequencing.state import State, clone, local_objective, record, write_globals
from courseport.core.packages.sequencing.tree import Activity, ActivityTree, Objective

_COMPLETION = {"completed": "completed", "incomplete": "incomplete", "not attempted": "incomplete"}
_SUCCESS = {"passed": True, "failed": False}
MAX_OBJECTIVES = 1_000
MAX_SHARED_DATA = 64_000  # adl.data.n.store's smallest permitted maximum (CAM, 4th edition)


def report(tree: ActivityTree, state: State, activity_id: str, cmi: dict[str, str]) -> State:
    if not tree.has(activity_id):
        raise InvalidInput("activity", f"activity '{activity_id}' is not in this course")
    activity = tree.find(activity_id)
    if not activity.is_leaf:
        raise InvalidInput("activity", f"activity '{activity_id}' is a cluster: only a SCO reports data")
    if not isinstance(cmi, dict):
        raise InvalidInput("cmi", "the SCO's data is a mapping of data model names to values")
    cmi = {str(name): str(value) for name, value in cmi.items() if value is not None}  # as the SCO set them
    work = clone(state)
    _completion(work, activity, cmi)
    primary = activity.sequencing.primary()
    _objective(local_objective(work, activity, primary), primary, cmi, "cmi.")
    _other_objectives(work, activity, cmi)
    _shared_data(work, activity, cmi)
    exit_value = cmi.get("cmi.exit")
    if exit_value is not None:
        record(work, activity)["exit"] = exit_value.strip() or None
    shared = clone(work["globals"])
    write_globals(work, activity)
    rollup_after_change(tree, work, activity, shared)
    return work


def _shared_data(state: State, activity: Activity, cmi: dict[str, str]) -> None:
    """What the SCO stored in the shared data buckets it may write (`adl.data.n.store`)."""
    for index, bucket in enumerate(activity.data_maps):
        value = cmi.get(f"adl.data.{index}.store")
        if bucket.write and value is not None and len(value) <= MAX_SHARED_DATA:
            state.setdefault("shared", {})[bucket.target] = value


def report_past_attempt(tree: ActivityTree, state: State, activity_id: str, cmi: dict[str, str]) -> State:
    """A SCO's attempt made before this state began (a registration's progress carried over from another
    system): the activity and its clusters count one attempt, none left active, and its data is reported."""
    if not tree.has(activity_id):
        raise InvalidInput("activity", f"activity '{activity_id}' is not in this course")
    work = clone(state)
    activity = tree.find(activity_id)
    for attempted in tree.ancestors(activity):  # the activity, then its clusters
        entry = record(work, attempted)
        entry["attempts"] = max(1, entry["attempts"])
    return report(tree, work, activity_id, cmi)


def set_shared(state: State, bucket: str, value: str) -> State:
    """A shared data bucket's value, as carried over."""
    work = clone(state)
    work.setdefault("shared", {})[bucket] = value
    return work


def set_global(state: State, objective_id: str, values: dict[str, Any]) -> State:
    """A shared (global) objective's values, as carried over: `satisfied`, `measure`, `completion`, `progress`."""
    work = clone(state)
    work["globals"][objective_id] = {name: values.get(name) for name in ("satisfied", "measure", "completion",
                                                                        "progress")}
    return work


def _number(raw: object, low: float = -1.0, high: float = 1.0) -> float | None:
    try:
        value = float(str(raw))
    except ValueError:
        return None
    return value if math.isfinite(value) and low <= value <= high else None


def _completion(state: State, activity: Activity, cmi: dict[str, str]) -> None:
    entry = record(state, activity)
    seq = activity.sequencing
    progress = _number(cmi.get("cmi.progress_measure"), 0.0, 1.0) if "cmi.progress_measure" in cmi else None
    if progress is not None:
        entry["progress"] = progress
    status = _COMPLETION.get(str(cmi.get("cmi.completion_status", "")).strip())
    if seq.completed_by_measure and progress is not None:
        status = "completed" if progress >= seq.min_progress_measure else "incomplete"
    if status is not None:
        entry["completion"] = status


def _objective(local: dict[str, Any], objective: Objective, cmi: dict[str, str], prefix: str) -> None:
    """One objective's success and score from `prefix`success_status and `prefix`score.scaled."""
    raw_score = cmi.get(prefix + "score.scaled")
    measure = _number(raw_score) if raw_score not in (None, "") else None
    if measure is not None:
        local["measure"] = measure
    success = cmi.get(prefix + "success_status")
    if success is not None and success.strip() in _SUCCESS:
        local["satisfied"] = _SUCCESS[success.strip()]
    elif success is not None and success.strip() == "unknown":
        local["satisfied"] = None
    if objective.satisfied_by_measure:  # the score decides, as the RTE book's scaled_passing_score does
        known = local["measure"]
        local["satisfied"] = None if known is None else known >= objective.min_measure
    if prefix != "cmi.":
        status = _COMPLETION.get(str(cmi.get(prefix + "completion_status", "")).strip())
        if status is not None:
            local["completion"] = status
        progress = _number(cmi.get(prefix + "progress_measure"), 0.0, 1.0)
        if progress is not None:
            local["progress"] = progress


def _other_objectives(state: State, activity: Activity, cmi: dict[str, str]) -> None:
    by_id = {o.id: o for o in activity.sequencing.objectives if o.id and not o.primary}
    for index in range(MAX_OBJECTIVES):
        prefix = f"cmi.objectives.{index}."
        objective_id = cmi.get(prefix + "id")
        if objective_id is None:
            break
        objective = by_id.get(objective_id.strip())
        if objective is not None:
            _objective(local_objective(state, activity, objective), objective, cmi, prefix)
