"""Flow traversal (SN book SB.2.1-SB.2.3): from an activity, forward or backward through the
children each cluster presents this attempt, honouring the parent's `flow` and `forwardOnly`
controls, skipping activities whose `skip` pre-condition rule fires, stopping at a disabled one
and entering clusters until a leaf is found. Returns the leaf, END (walked out of the tree) or a
sentence saying why nothing can be delivered.
"""

from __future__ import annotations

from courseport.core.packages.sequencing.attempts import prepare_attempt
from courseport.core.packages.sequencing.rules import disabled, pre_rule
from courseport.core.packages.sequencing.state import State, available_children, record
from courseport.core.packages.sequencing.tree import Activity, ActivityTree

END = "end"
MAX_STEPS = 20_000  # traversal steps: bounds a pathological tree, far above any real course


def sibling(tree: ActivityTree, state: State, activity: Activity, forward: bool) -> Activity | str:
    """The activity after (before) `activity` in flow order without entering it, END, or a reason."""
    node = activity
    while (parent := tree.parent(node)) is not None:
        kids = available_children(state, parent)
        if node in kids:
            index = kids.index(node) + (1 if forward else -1)
            if 0 <= index < len(kids):
                return kids[index]
        node = parent
    return END if forward else f"'{activity.title}' is the first activity: there is no previous one"


def flow(tree: ActivityTree, state: State, start: Activity, forward: bool, enter: bool) -> Activity | str:
    """The leaf that flow reaches from `start`: into `start` when `enter`, else past it."""
    if enter:
        prepare_attempt(tree, state, start)
    node: Activity | str = _enter(state, start, forward) if enter else sibling(tree, state, start, forward)
    for _ in range(MAX_STEPS):
        if isinstance(node, str):
            return node
        refusal = _flow_allowed(tree, node, forward)
        if refusal:
            return refusal
        if node.is_leaf and node.resource_href is None:  # an item with neither content nor children
            node = sibling(tree, state, node, forward)
            continue
        if pre_rule(state, node, "skip"):
            record(state, node)["skipped"] = True
            node = sibling(tree, state, node, forward)
            continue
        if disabled(state, node):
            return f"'{node.title}' is not available yet (disabled by its sequencing rules)"
        if node.is_leaf:
            return node
        prepare_attempt(tree, state, node)
        entered = _enter(state, node, forward)
        node = entered if isinstance(entered, Activity) else sibling(tree, state, node, forward)  # empty: past it
    return f"the flow from '{start.title}' does not end"


def _enter(state: State, cluster: Activity, forward: bool) -> Activity | str:
    kids = available_children(state, cluster)
    if not kids:
        return f"'{cluster.title}' has no activity to deliver"
    return kids[0] if forward or cluster.sequencing.forward_only else kids[-1]


def _flow_allowed(tree: ActivityTree, node: Activity, forward: bool) -> str | None:
    parent = tree.parent(node)
    if parent is None:
        return None
    if not parent.sequencing.flow:
        return f"'{parent.title}' does not allow flow navigation (continue, previous)"
    if not forward and parent.sequencing.forward_only:
        return f"'{parent.title}' only allows moving forward"
    return None
