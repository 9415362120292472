"""Sequencing rule conditions (SN book UP.2): pre-condition (skip, disabled, hiddenFromChoice,
stopForwardTraversal), exit and post-condition rules, and the rollup rule conditions, evaluated
three-valued as the SN book does: a condition on an unknown status is unknown, `not unknown` is
unknown, and a rule fires only when its combination is True. Time limits are not tracked:
timeLimitExceeded and outsideAvailableTimeRange are never true.
"""

from __future__ import annotations

from collections.abc import Iterable

from courseport.core.packages.sequencing.state import State, attempted, limit_exceeded, record, view
from courseport.core.packages.sequencing.tree import Activity, Condition, Objective, Rule

Truth = bool | None


def objective_named(activity: Activity, name: str | None) -> Objective:
    """The referenced objective, or the primary one when the condition names none (or an unknown one)."""
    seq = activity.sequencing
    if name:
        found = next((o for o in seq.objectives if o.id == name), None)
        if found is not None:
            return found
    return seq.primary()


def condition_value(state: State, activity: Activity, condition: Condition) -> Truth:
    seen = view(state, activity, objective_named(activity, condition.objective))
    satisfied, measure, completion = seen["satisfied"], seen["measure"], seen["completion"]
    name = condition.condition.lower()  # keys in lower case: IMS SS spells them in lowerCamelCase
    values: dict[str, Truth] = {
        "always": True,
        "satisfied": satisfied,
        "objectivestatusknown": satisfied is not None,
        "objectivemeasureknown": measure is not None,
        "objectivemeasuregreaterthan": None if measure is None else measure > condition.threshold,
        "objectivemeasurelessthan": None if measure is None else measure < condition.threshold,
        "completed": None if completion is None else completion == "completed",
        "activityprogressknown": completion is not None,
        "attempted": attempted(state, activity),
        "attemptlimitexceeded": limit_exceeded(state, activity),
        "timelimitexceeded": False,
        "outsideavailabletimerange": False,
    }
    value = values.get(name)
    if value is None or not condition.negate:
        return value
    return not value


def combine(values: Iterable[Truth], combination: str) -> Truth:
    found = list(values)
    if combination == "any":
        return True if True in found else (None if None in found else False)
    return False if False in found else (None if None in found else True)


def fires(state: State, activity: Activity, rule: Rule) -> bool:
    return combine((condition_value(state, activity, c) for c in rule.conditions), rule.combination) is True


def first_action(state: State, activity: Activity, rules: Iterable[Rule], actions: set[str]) -> str | None:
    """The action of the first rule among `rules` with one of `actions` that fires, if any."""
    for rule in rules:
        if rule.action in actions and fires(state, activity, rule):
            return rule.action
    return None


def pre_rule(state: State, activity: Activity, action: str) -> bool:
    return first_action(state, activity, activity.sequencing.pre_rules, {action}) is not None


def disabled(state: State, activity: Activity) -> bool:
    """SN's Check Activity Process: disabled by a rule, or its attempt limit used up (not while active)."""
    if pre_rule(state, activity, "disabled"):
        return True
    entry = record(state, activity)
    return limit_exceeded(state, activity) and not (entry["active"] or entry["suspended"])


def hidden_from_choice(state: State, activity: Activity) -> bool:
    return not activity.visible or pre_rule(state, activity, "hiddenFromChoice")
