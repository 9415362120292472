"""Whether a choice (or jump) request may target an activity (SN book SB.2.9, simplified where the
book's detail does not change what real content sees): the target exists in this attempt's
selection; no activity on its path is hidden from choice (by a rule: `isvisible="false"` only keeps
an item out of the table of contents) or disabled; each one's parent allows
choice; the current activity's ancestors that the choice would leave allow it (`choiceExit`); a
`forwardOnly` common ancestor refuses a target behind the current activity; `preventActivation`
refuses starting a cluster's attempt by choice; `constrainChoice` limits the target to the
activities a single continue or previous would reach.
"""

from __future__ import annotations

from courseport.core.packages.sequencing.flow import flow
from courseport.core.packages.sequencing.rules import disabled, pre_rule
from courseport.core.packages.sequencing.state import State, available_children, clone, record
from courseport.core.packages.sequencing.tree import Activity, ActivityTree


def selected(tree: ActivityTree, state: State, activity: Activity) -> bool:
    """Part of this attempt's selection: every ancestor presents it among its children."""
    return all(node in available_children(state, parent) for node in tree.ancestors(activity)
               if (parent := tree.parent(node)) is not None)


def _unavailable(tree: ActivityTree, state: State, target: Activity) -> str | None:
    if not selected(tree, state, target):
        return f"'{target.title}' is not part of this attempt"
    if target.is_leaf and target.resource_href is None:
        return f"'{target.title}' has nothing to launch"
    return None


def jump_refusal(tree: ActivityTree, state: State, target: Activity) -> str | None:
    refusal = _unavailable(tree, state, target)
    if refusal:
        return refusal
    for node in reversed(tree.ancestors(target)):
        if disabled(state, node):
            return f"'{node.title}' is not available (disabled by its sequencing rules)"
    return None


def choice_refusal(tree: ActivityTree, state: State, target: Activity, now: Activity | None) -> str | None:
    """Why choosing `target` is refused, or None when it may be chosen."""
    refusal = _unavailable(tree, state, target)
    if refusal:
        return refusal
    path = list(reversed(tree.ancestors(target)))
    for node in path:
        parent = tree.parent(node)
        if parent is not None and not parent.sequencing.choice:
            return f"'{parent.title}' does not allow choosing its activities"
        if pre_rule(state, node, "hiddenFromChoice") and node is not tree.root:
            return f"'{node.title}' is hidden from choice"
        if disabled(state, node):
            return f"'{node.title}' is not available (disabled by its sequencing rules)"
    return _from_current(tree, state, target, now) if now is not None else None


def _from_current(tree: ActivityTree, state: State, target: Activity, now: Activity) -> str | None:
    common = next(a for a in tree.ancestors(now) if a in tree.ancestors(target))
    for node in tree.ancestors(now):
        if node is common:
            break
        if record(state, node)["active"] and not node.sequencing.choice_exit:
            return f"'{node.title}' must be finished before leaving it"
    if tree.position(target) < tree.position(now) and common.sequencing.forward_only:
        return f"'{common.title}' only allows moving forward"
    for node in tree.ancestors(target)[1:]:
        if node is common:
            break
        if node.sequencing.prevent_activation and not record(state, node)["active"]:
            return f"'{node.title}' cannot be started by choice"
    return _constrained(tree, state, target, now)


def _constrained(tree: ActivityTree, state: State, target: Activity, now: Activity) -> str | None:
    """ADL's constrainChoice and the stopForwardTraversal rule on the way forward to the target."""
    start, stop = tree.position(now), tree.position(target)
    for node in tree.stoppers():
        if start < tree.position(node) <= stop and node not in tree.ancestors(target) \
                and pre_rule(state, node, "stopForwardTraversal"):
            return f"'{node.title}' stops moving forward past it"
    for node in tree.ancestors(now)[1:]:
        if node.sequencing.constrain_choice and record(state, node)["active"]:
            leaves = [leaf for forward in (True, False)
                      if isinstance(leaf := flow(tree, clone(state), now, forward, False), Activity)]
            reachable = {a.id for leaf in [now, *leaves] for a in tree.ancestors(leaf)}
            if target.id not in reachable:
                return f"'{node.title}' only allows choosing the next or the previous activity"
    return None
