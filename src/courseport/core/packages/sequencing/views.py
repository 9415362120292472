"""Read-outs of the state for the player and the registration: what the navigation buttons and the
table of contents offer (and `adl.nav.request_valid.*` answers), the root's rolled-up status for
the registration's progress, and every activity's status for its activity details.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from courseport.core.packages.sequencing.choice import choice_refusal, selected
from courseport.core.packages.sequencing.navigation import navigate
from courseport.core.packages.sequencing.rules import hidden_from_choice
from courseport.core.packages.sequencing.state import State, clone, primary_view, record, view
from courseport.core.packages.sequencing.termination import current
from courseport.core.packages.sequencing.tree import Activity, ActivityTree


@dataclass(frozen=True)
class Rollup:
    completion: str  # completed | incomplete | unknown
    success: str  # passed | failed | unknown
    score_scaled: float | None


def availability(tree: ActivityTree, state: State) -> dict[str, Any]:
    now = current(tree, state)
    work = clone(state)
    started = now is not None
    return {
        "continue": started and navigate(tree, work, "continue").refused is None,
        "previous": started and navigate(tree, work, "previous").refused is None,
        "choice": {a.id: choice_refusal(tree, work, a, now) is None
                   for a in tree.ordered() if a is not tree.root},
        "hidden": [a.id for a in tree.ordered()
                   if a is not tree.root and (hidden_from_choice(work, a) or not selected(tree, work, a))],
        "current": now.id if now is not None else None,
        "suspended": state.get("suspended"),
    }


def status_of(state: State, activity: Activity) -> Rollup:
    seen = primary_view(state, activity)
    completion = seen["completion"] or ("incomplete" if record(state, activity)["attempts"] else "unknown")
    success = {True: "passed", False: "failed"}.get(seen["satisfied"], "unknown")
    measure = seen["measure"]
    return Rollup(completion=completion, success=success,
                  score_scaled=float(measure) if measure is not None else None)


def rolled_up(tree: ActivityTree, state: State) -> Rollup:
    return status_of(state, tree.root)


def activity_status(tree: ActivityTree, state: State) -> dict[str, Rollup]:
    return {activity.id: status_of(state, activity) for activity in tree.ordered()}


def activity_objectives(tree: ActivityTree, state: State) -> dict[str, list[dict[str, Any]]]:
    """Each activity's objectives as sequencing sees them, its primary first: `id` (an unnamed primary
    objective takes its activity's id), `primary`, `satisfied`, `measure`, `completion`, `progress`."""
    found: dict[str, list[dict[str, Any]]] = {}
    for activity in tree.ordered():
        seq = activity.sequencing
        objectives = (seq.primary(), *(o for o in seq.objectives if not o.primary))
        found[activity.id] = [{"id": o.id or activity.id, "primary": o.primary, **view(state, activity, o)}
                              for o in objectives]
    return found


def shared_buckets(tree: ActivityTree, state: State, activity_id: str) -> list[dict[str, Any]]:
    """The shared data buckets a SCO sees as `adl.data.n`, in its manifest's order: `id`, `read`, `write`
    and `store` (the bucket's value; None when never written or when the SCO may not read it)."""
    shared = state.get("shared") or {}
    return [{"id": m.target, "read": m.read, "write": m.write, "store": shared.get(m.target) if m.read else None}
            for m in tree.find(activity_id).data_maps]
