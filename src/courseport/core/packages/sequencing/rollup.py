"""Rollup (SN book RB.1): from an activity up to the root, each cluster's measure (weighted
average of its children's), its primary objective's satisfaction (by measure, by its rollup rules,
or by the default rules) and its attempt completion (by its rules or the defaults), then the
cluster's global objective writes. A child contributes only when tracked, when it rolls that status
up (`rollupObjectiveSatisfied`/`rollupProgressCompletion`) and when ADL's rollup considerations
(`requiredFor...`: always, ifAttempted, ifNotSkipped, ifNotSuspended) say so.

Default rules (when an activity defines none for an action pair): satisfied if all contributing
children are satisfied, not satisfied if all have a known status; completed if all are completed,
incomplete if all have a known completion. The "not" rule applies first so the positive one wins.
"""

from __future__ import annotations

from typing import Any

from courseport.core.packages.sequencing.rules import Truth, combine, condition_value
from courseport.core.packages.sequencing.state import (
    State,
    available_children,
    local_objective,
    primary_view,
    record,
    write_globals,
)
from courseport.core.packages.sequencing.tree import Activity, ActivityTree, Condition, RollupRule

_DEFAULT_SATISFACTION = (
    RollupRule(child_set="all", conditions=(Condition("objectiveStatusKnown"),), action="notSatisfied"),
    RollupRule(child_set="all", conditions=(Condition("satisfied"),), action="satisfied"),
)
_DEFAULT_COMPLETION = (
    RollupRule(child_set="all", conditions=(Condition("activityProgressKnown"),), action="incomplete"),
    RollupRule(child_set="all", conditions=(Condition("completed"),), action="completed"),
)


def rollup_from(tree: ActivityTree, state: State, activity: Activity) -> None:
    """Roll up every ancestor of `activity` (and the activity itself when it is a cluster)."""
    for node in tree.ancestors(activity):
        if node.children:
            rollup_cluster(state, node)
        write_globals(state, node)


def rollup_after_change(tree: ActivityTree, state: State, activity: Activity, shared: dict[str, Any]) -> None:
    """Roll up after `activity` changed: its ancestors, or the whole tree when the globals moved
    from `shared` (their copy from before the change)."""
    rollup_from(tree, state, activity)
    if state["globals"] != shared:
        rollup_everything(tree, state)


def rollup_everything(tree: ActivityTree, state: State) -> None:
    """Roll up every cluster, deepest first: a global objective one branch wrote may change what
    activities in another branch read."""
    for node in reversed(tree.ordered()):
        if node.children:
            rollup_cluster(state, node)
            write_globals(state, node)


def rollup_cluster(state: State, cluster: Activity) -> None:
    kids = [k for k in available_children(state, cluster) if k.sequencing.tracked]
    primary = cluster.sequencing.primary()
    local = local_objective(state, cluster, primary)
    local["measure"] = _measure(state, kids)
    if primary.satisfied_by_measure:
        _satisfy_by_measure(state, cluster, local)
    else:
        satisfied = _by_rules(state, kids, _rules(cluster, ("satisfied", "notSatisfied"), _DEFAULT_SATISFACTION),
                              "satisfaction")
        if satisfied is not None:
            local["satisfied"] = satisfied
    completed = _by_rules(state, kids, _rules(cluster, ("completed", "incomplete"), _DEFAULT_COMPLETION),
                          "completion")
    if completed is not None:
        record(state, cluster)["completion"] = "completed" if completed else "incomplete"
    record(state, cluster)["progress"] = _progress(state, kids)


def _measure(state: State, kids: list[Activity]) -> float | None:
    total = weights = 0.0
    known = False
    for kid in kids:
        weight = kid.sequencing.measure_weight
        if weight > 0:
            weights += weight
            measure = primary_view(state, kid)["measure"]
            if measure is not None:
                known = True
                total += measure * weight
    return round(total / weights, 7) if known and weights > 0 else None  # 7 places: SCORM's real(10,7)


def _progress(state: State, kids: list[Activity]) -> float | None:
    """ADL's progress measure rollup: every tracked child's progress weighted by its `progressWeight`
    (a completed child counts as 1), whether or not it rolls its completion up: the progress bar."""
    total = weights = 0.0
    known = False
    for kid in kids:
        weight = kid.sequencing.progress_weight
        seen = primary_view(state, kid)
        progress = 1.0 if seen["completion"] == "completed" else seen["progress"]
        if weight > 0:
            weights += weight
            if progress is not None:
                known = True
                total += progress * weight
    return round(total / weights, 6) if known and weights > 0 else None


def _satisfy_by_measure(state: State, cluster: Activity, local: dict[str, object]) -> None:
    measure = local["measure"]
    if measure is None:
        return
    if record(state, cluster)["active"] and not cluster.sequencing.measure_satisfaction_if_active:
        return
    local["satisfied"] = isinstance(measure, float) and measure >= cluster.sequencing.primary().min_measure


def _rules(cluster: Activity, pair: tuple[str, str], defaults: tuple[RollupRule, ...]) -> tuple[RollupRule, ...]:
    own = tuple(r for r in cluster.sequencing.rollup_rules if r.action in pair)
    if not own:
        return defaults
    negative = tuple(r for r in own if r.action == pair[1])
    return negative + tuple(r for r in own if r.action == pair[0])


def _by_rules(state: State, kids: list[Activity], rules: tuple[RollupRule, ...], kind: str) -> bool | None:
    """True/False from the last rule that fires (negative rules first), None when none fires."""
    found: bool | None = None
    for rule in rules:
        positive = rule.action in ("satisfied", "completed")
        counted = [k for k in kids if _contributes(state, k, kind, positive)]
        results = [combine((condition_value(state, k, c) for c in rule.conditions), rule.combination)
                   for k in counted]
        if _child_set_holds(rule, results):
            found = positive
    return found


def _contributes(state: State, kid: Activity, kind: str, positive: bool) -> bool:
    seq = kid.sequencing
    if kind == "satisfaction":
        if not seq.rollup_satisfied:
            return False
        required = seq.required_for_satisfied if positive else seq.required_for_not_satisfied
    else:
        if not seq.rollup_completion:
            return False
        required = seq.required_for_completed if positive else seq.required_for_incomplete
    entry = record(state, kid)
    if required == "ifAttempted":
        return bool(entry["attempts"])
    if required == "ifNotSkipped":
        return not entry["skipped"]
    if required == "ifNotSuspended":
        return not entry["suspended"] or not entry["attempts"]
    return True


def _child_set_holds(rule: RollupRule, results: list[Truth]) -> bool:
    if not results:
        return False
    hits = sum(1 for r in results if r is True)
    if rule.child_set == "all":
        return hits == len(results)
    if rule.child_set == "any":
        return hits > 0
    if rule.child_set == "none":
        return all(r is False for r in results)
    if rule.child_set == "atLeastCount":
        return hits >= rule.minimum_count
    if rule.child_set == "atLeastPercent":
        return hits >= rule.minimum_percent * len(results)  # minimumPercent is a fraction, 0 to 1
    return False

