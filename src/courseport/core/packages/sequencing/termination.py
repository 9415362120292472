"""Termination requests (SN book TB.2.3): exit (end the current attempt, exit action rules of its
ancestors, post-condition rules with exitParent/exitAll and the sequencing request they raise),
exitAll, suspendAll, abandon and abandonAll. Each returns the sequencing request to run next:
"retry", "retryAll", "continue", "previous", END_SESSION or None (wait for the learner).
"""

from __future__ import annotations

from courseport.core.packages.sequencing.attempts import end_attempt, end_descendants
from courseport.core.packages.sequencing.rules import first_action
from courseport.core.packages.sequencing.state import State, record
from courseport.core.packages.sequencing.tree import Activity, ActivityTree

END_SESSION = "end_session"
_POST_ACTIONS = {"exitParent", "exitAll", "retry", "retryAll", "continue", "previous"}
MAX_EXITS = 1_000


def current(tree: ActivityTree, state: State) -> Activity | None:
    found = state.get("current")
    return tree.find(found) if isinstance(found, str) and tree.has(found) else None


def exit_current(tree: ActivityTree, state: State, activity: Activity) -> str | None:
    """Exit `activity` (the current one), then what its rules ask for."""
    if record(state, activity)["active"]:
        end_attempt(tree, state, activity)
    node = _exit_rules(tree, state, activity)
    for _ in range(MAX_EXITS):
        action = None if record(state, node)["suspended"] else \
            first_action(state, node, node.sequencing.post_rules, _POST_ACTIONS)
        parent = tree.parent(node)
        if action == "exitParent" and parent is not None:
            node = parent
            _end_cluster(tree, state, node)
            continue
        if action == "exitAll":
            return exit_all(tree, state)
        state["current"] = node.id
        if parent is None and action not in ("retry", "retryAll"):
            return exit_all(tree, state)
        return action
    return None


def _exit_rules(tree: ActivityTree, state: State, activity: Activity) -> Activity:
    """The highest ancestor whose exit rule fires, its attempt ended; else the activity itself."""
    for ancestor in reversed(tree.ancestors(activity)[1:]):
        if first_action(state, ancestor, ancestor.sequencing.exit_rules, {"exit"}):
            _end_cluster(tree, state, ancestor)
            return ancestor
    return activity


def _end_cluster(tree: ActivityTree, state: State, cluster: Activity) -> None:
    end_descendants(tree, state, cluster)
    if record(state, cluster)["active"]:
        end_attempt(tree, state, cluster)


def exit_all(tree: ActivityTree, state: State) -> str:
    """End every attempt under way, the root's last, and the sequencing session with them."""
    _end_cluster(tree, state, tree.root)
    state["current"] = None
    state["ended"] = True
    return END_SESSION


def suspend_all(tree: ActivityTree, state: State, activity: Activity) -> str:
    """Suspend the current activity and its ancestors; the session ends, resumeAll returns here."""
    for node in tree.ancestors(activity):
        entry = record(state, node)
        entry.update(suspended=True, active=False)
    state["suspended"] = activity.id
    state["current"] = None
    state["ended"] = True
    return END_SESSION


def abandon(tree: ActivityTree, state: State, activity: Activity, everything: bool) -> str | None:
    """Abandon the current attempt (or every one under way): no automatic status, no rollup."""
    for node in tree.ancestors(activity) if everything else [activity]:
        record(state, node)["active"] = False
    if everything:
        state["current"] = None
        state["ended"] = True
        return END_SESSION
    return None
