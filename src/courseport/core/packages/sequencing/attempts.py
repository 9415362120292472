"""Attempts on activities (SN book DB.2, UP.4): starting a new attempt (or resuming a suspended
one) on every activity from the root to the delivered leaf, preparing a cluster's new attempt
before flow enters it (its children's selection and order), and
ending attempts: the delivery controls' automatic completion and satisfaction, suspension on
`cmi.exit = suspend`, then rollup.
"""

from __future__ import annotations

from courseport.core.packages.sequencing.rollup import rollup_after_change
from courseport.core.packages.sequencing.state import (
    State,
    arrange_children,
    clone,
    local_objective,
    record,
    reset_attempt,
    write_globals,
)
from courseport.core.packages.sequencing.tree import Activity, ActivityTree


def prepare_attempt(tree: ActivityTree, state: State, cluster: Activity) -> None:
    """Ready a cluster's next attempt before flow looks at its children (not when it is under way).

    Only the cluster's own attempt data starts afresh: each descendant keeps its tracking until it
    is attempted again (a relaunch of an ended course keeps what was achieved). The SN book's
    useCurrentAttemptObjectiveInfo/ProgressInfo filtering of older child attempts is not applied."""
    entry = record(state, cluster)
    if entry["active"] or entry["suspended"] or entry["prepared"]:
        return
    reset_attempt(state, cluster)
    arrange_children(state, cluster, entry["attempts"] + 1)
    entry["prepared"] = True


def begin_attempt(tree: ActivityTree, state: State, activity: Activity) -> None:
    entry = record(state, activity)
    if entry["active"]:
        return
    entry["active"] = True
    if entry["suspended"]:
        entry.update(suspended=False, exit=None)  # the resumed attempt ends as the SCO says this time
        return
    if not entry["prepared"]:
        reset_attempt(state, activity)
        if activity.children:
            arrange_children(state, activity, entry["attempts"] + 1)
    entry["prepared"] = False
    entry["attempts"] += 1


def deliver(tree: ActivityTree, state: State, target: Activity) -> None:
    """Make `target` the current activity: end attempts off its path, begin those on it."""
    path = list(reversed(tree.ancestors(target)))
    for activity in reversed(tree.ordered()):
        if record(state, activity)["active"] and activity not in path:
            end_attempt(tree, state, activity)
    for activity in path:
        begin_attempt(tree, state, activity)
    state["current"] = target.id
    if state["suspended"] is not None:
        state["suspended"] = None
    state["ended"] = False


def end_attempt(tree: ActivityTree, state: State, activity: Activity) -> None:
    """End the activity's attempt: automatic status where content does not set it, then rollup."""
    entry = record(state, activity)
    seq = activity.sequencing
    shared = clone(state["globals"])
    if activity.is_leaf:
        if entry["exit"] == "suspend":
            entry["suspended"] = True
        elif seq.tracked and entry["attempts"]:
            if not seq.completion_set_by_content and entry["completion"] is None:
                entry["completion"] = "completed"
            primary = local_objective(state, activity, seq.primary())
            if not seq.objective_set_by_content and primary["satisfied"] is None:
                primary["satisfied"] = True
    else:
        entry["suspended"] = any(record(state, kid)["suspended"] for kid in activity.children)
    entry["active"] = False
    write_globals(state, activity)
    rollup_after_change(tree, state, activity, shared)


def end_descendants(tree: ActivityTree, state: State, activity: Activity) -> None:
    """End every active attempt below `activity`, deepest first."""
    below = [a for a in tree.ordered() if a is not activity and activity in tree.ancestors(a)]
    for node in reversed(below):
        if record(state, node)["active"]:
            end_attempt(tree, state, node)
