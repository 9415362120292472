"""The tracking state of one registration's sequencing session: plain JSON (dicts, lists, str,
float, bool, None), so callers store it as it is. Per activity: attempt count, active and
suspended flags, attempt completion and progress measure, local objectives, the children's
selected and shuffled order; the registration's global (shared) objectives; its shared data buckets
(`shared`: SCORM 2004 4th edition `adl.data`, bucket id -> value, written by `report`); the current and the
suspended activity; a random seed that makes every shuffle repeatable from the state alone.

Objective values: `satisfied` True/False/None (unknown), `measure` float or None, `completion`
"completed"/"incomplete"/None, `progress` float or None. An objective's `view` overlays what its
`mapInfo` reads from the globals (a known global value wins, as the SN book says); `write_globals`
pushes the values its `mapInfo` writes.
"""

from __future__ import annotations

import copy
import random
import secrets
from typing import Any

from courseport.core.packages.sequencing.tree import Activity, ActivityTree, Objective

State = dict[str, Any]
_FIELDS = ("satisfied", "measure", "completion", "progress")


def new_state(tree: ActivityTree) -> State:
    state: State = {"version": 1, "seed": secrets.token_hex(8), "current": None, "suspended": None,
                    "ended": False, "activities": {a.id: _fresh_activity() for a in tree.ordered()},
                    "globals": {}}
    for activity in tree.ordered():
        seq = activity.sequencing
        if activity.children and "once" in (seq.selection_timing, seq.randomization_timing):
            arrange_children(state, activity, 0)
    return state


def _fresh_activity() -> dict[str, Any]:
    return {"attempts": 0, "active": False, "suspended": False, "skipped": False, "exit": None, "prepared": False,
            "completion": None, "progress": None, "objectives": {}, "order": None}


def clone(state: State) -> State:
    return copy.deepcopy(state)


def without_shared(state: State) -> State:
    """The state with its shared objectives and shared data buckets forgotten (a registration's global data
    deleted); what its activities tracked and rolled up stays."""
    work = clone(state)
    work["globals"], work["shared"] = {}, {}
    return work


def record(state: State, activity: Activity) -> dict[str, Any]:
    """The activity's mutable record (created for a state older than the tree's activity)."""
    return state["activities"].setdefault(activity.id, _fresh_activity())


def local_objective(state: State, activity: Activity, objective: Objective) -> dict[str, Any]:
    blank: dict[str, Any] = dict.fromkeys(_FIELDS)
    return record(state, activity)["objectives"].setdefault(objective.id, blank)


def view(state: State, activity: Activity, objective: Objective) -> dict[str, Any]:
    """The objective's values as sequencing sees them: local, with known global reads on top
    (read only: the state is not changed)."""
    entry = state["activities"].get(activity.id) or _fresh_activity()
    seen = dict(entry["objectives"].get(objective.id) or dict.fromkeys(_FIELDS))
    if objective.primary:
        seen["completion"], seen["progress"] = entry["completion"], entry["progress"]
    for info in objective.maps:
        shared = state["globals"].get(info.target) or {}
        for name, wanted in (("satisfied", info.read_satisfied), ("measure", info.read_measure),
                             ("completion", info.read_completion), ("progress", info.read_progress)):
            if wanted and shared.get(name) is not None:
                seen[name] = shared[name]
    return seen


def primary_view(state: State, activity: Activity) -> dict[str, Any]:
    return view(state, activity, activity.sequencing.primary())


def write_globals(state: State, activity: Activity) -> None:
    """Push every objective's writable values of `activity` to the globals its mapInfo names."""
    for objective in activity.sequencing.objectives:
        own = dict(local_objective(state, activity, objective))
        if objective.primary:
            own["completion"] = record(state, activity)["completion"]
            own["progress"] = record(state, activity)["progress"]
        for info in objective.maps:
            shared = state["globals"].setdefault(info.target, dict.fromkeys(_FIELDS))
            for name, wanted in (("satisfied", info.write_satisfied), ("measure", info.write_measure),
                                 ("completion", info.write_completion), ("progress", info.write_progress)):
                if wanted and own[name] is not None:
                    shared[name] = own[name]


def reset_attempt(state: State, activity: Activity) -> None:
    """A new attempt: the attempt's completion, progress and local objectives start unknown."""
    entry = record(state, activity)
    entry.update(completion=None, progress=None, objectives={}, skipped=False, exit=None, suspended=False)


def attempted(state: State, activity: Activity) -> bool:
    return bool(record(state, activity)["attempts"])


def limit_exceeded(state: State, activity: Activity) -> bool:
    limit = activity.sequencing.attempt_limit
    return bool(limit) and record(state, activity)["attempts"] >= (limit or 0)


def arrange_children(state: State, activity: Activity, attempt: int) -> None:
    """Selection and randomization for attempt number `attempt` of a cluster (0: before any), kept in
    the state; the shuffle's seed is the state's seed, the activity and the attempt, so repeatable."""
    seq = activity.sequencing
    first = attempt <= 1 and record(state, activity)["order"] is None
    ids = [kid.id for kid in activity.children]
    rng = random.Random(f"{state['seed']}/{activity.id}/{attempt}")
    select_now = seq.select_count is not None and (seq.selection_timing == "onEachNewAttempt"
                                                   or (seq.selection_timing == "once" and first))
    if select_now and seq.select_count is not None and 0 < seq.select_count < len(ids):
        chosen = set(rng.sample(ids, seq.select_count))
        ids = [i for i in ids if i in chosen]
    elif record(state, activity)["order"] is not None and not select_now:
        ids = list(record(state, activity)["order"])
    shuffle_now = seq.reorder_children and (seq.randomization_timing == "onEachNewAttempt"
                                            or (seq.randomization_timing == "once" and first))
    if shuffle_now:
        rng.shuffle(ids)
    if select_now or shuffle_now:
        record(state, activity)["order"] = ids


def available_children(state: State, activity: Activity) -> list[Activity]:
    """The children in the order this attempt presents them (selected and shuffled, if so defined)."""
    order = record(state, activity)["order"]
    if order is None:
        return list(activity.children)
    by_id = {kid.id: kid for kid in activity.children}
    return [by_id[i] for i in order if i in by_id]
