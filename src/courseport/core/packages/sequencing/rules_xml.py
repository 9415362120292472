"""Reads the children of one `<imsss:sequencing>` (own and shared, already merged) into a
`Sequencing`: control mode, sequencing rules, limit conditions, rollup rules and considerations,
objectives with their `mapInfo` (IMS SS and ADL's 4th edition `adlseq:objectives`), selection and
randomization, delivery controls and ADL's `constrainedChoiceConsiderations`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any
from xml.etree.ElementTree import Element

from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.safe_xml import attr, child, children, local
from courseport.core.packages.sequencing.tree import Condition, MapInfo, Objective, RollupRule, Rule, Sequencing

_FIELD = "manifest"
_RULE_KINDS = (("preConditionRule", "pre_rules"), ("exitConditionRule", "exit_rules"),
               ("postConditionRule", "post_rules"))


def read_sequencing(base: Sequencing, parts: Iterable[Element], threshold: Element | None,
                    owner: str) -> Sequencing:
    read = _Read(owner)
    values: dict[str, Any] = {}
    parts = list(parts)

    def part(name: str, adl: bool = False) -> Element | None:  # IMS SS names are lowerCamelCase: no dict keys
        return next((p for p in parts if local(p.tag) == name and ("adlnet" in p.tag) == adl), None)

    control = part("controlMode")
    values.update(read.flags(control, choice="choice", choice_exit="choiceExit", flow="flow",
                             forward_only="forwardOnly",
                             use_current_attempt_objective_info="useCurrentAttemptObjectiveInfo",
                             use_current_attempt_progress_info="useCurrentAttemptProgressInfo"))
    rules = part("sequencingRules")
    for tag, name in _RULE_KINDS:
        values[name] = tuple(read.rule(r) for r in children(rules, tag))
    limits = part("limitConditions")
    if limits is not None and attr(limits, "attemptLimit") is not None:
        values["attempt_limit"] = read.integer(limits, "attemptLimit")
    values.update(read.rollup(part("rollupRules")))
    considerations = part("rollupConsiderations", True)
    values.update(read.flags(considerations, measure_satisfaction_if_active="measureSatisfactionIfActive"))
    values.update(read.words(considerations, required_for_satisfied="requiredForSatisfied",
                             required_for_not_satisfied="requiredForNotSatisfied",
                             required_for_completed="requiredForCompleted",
                             required_for_incomplete="requiredForIncomplete"))
    values["objectives"] = read.objectives(part("objectives"), _adl_objectives(parts))
    values.update(read.selection(part("randomizationControls")))
    values.update(read.flags(part("deliveryControls"), tracked="tracked",
                             completion_set_by_content="completionSetByContent",
                             objective_set_by_content="objectiveSetByContent"))
    values.update(read.flags(part("constrainedChoiceConsiderations", True), constrain_choice="constrainChoice",
                             prevent_activation="preventActivation"))
    values.update(read.threshold(threshold))
    return replace(base, **values)


def _adl_objectives(parts: Iterable[Element]) -> dict[str, Element]:
    """ADL's 4th edition `adlseq:objectives`: extra mapInfo (completion, progress) by objective id."""
    holders = [p for p in parts if local(p.tag) == "objectives" and "adlnet" in p.tag]
    return {attr(o, "objectiveID") or "": o for h in holders for o in children(h, "objective")}


class _Read:
    """Typed attribute readers that name the element at fault when a value is malformed."""

    def __init__(self, owner: str):
        self.owner = owner

    def fail(self, el: Element, name: str, value: str, kind: str) -> InvalidInput:
        return InvalidInput(_FIELD, f"imsmanifest.xml: {self.owner} <{local(el.tag)}> has {name}='{value}', "
                                    f"which is not {kind}")

    def flags(self, el: Element | None, **names: str) -> dict[str, bool]:
        found = {}
        for key, name in names.items():
            raw = attr(el, name)
            if raw is not None and el is not None:
                if raw.lower() not in ("true", "false"):
                    raise self.fail(el, name, raw, "true or false")
                found[key] = raw.lower() == "true"
        return found

    def words(self, el: Element | None, **names: str) -> dict[str, str]:
        return {key: raw for key, name in names.items() if (raw := attr(el, name)) is not None}

    def number(self, el: Element, name: str, default: float) -> float:
        raw = attr(el, name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise self.fail(el, name, raw, "a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise self.fail(el, name, raw, "a finite number")
        return value

    def integer(self, el: Element, name: str, default: int = 0) -> int:
        raw = attr(el, name)
        if raw is None:
            return default
        if not raw.isdigit() or len(raw) > 9:
            raise self.fail(el, name, raw, "a whole number")
        return int(raw)

    def conditions(self, holder: Element | None, tag: str) -> tuple[Condition, ...]:
        return tuple(Condition(condition=attr(c, "condition") or "always",
                               objective=attr(c, "referencedObjective"),
                               negate=(attr(c, "operator") or "noOp") == "not",
                               threshold=self.number(c, "measureThreshold", 0.0))
                     for c in children(holder, tag))

    def rule(self, el: Element) -> Rule:
        holder = child(el, "ruleConditions")
        action = attr(child(el, "ruleAction"), "action")
        if not action:
            raise InvalidInput(_FIELD, f"imsmanifest.xml: {self.owner} has a <{local(el.tag)}> without a ruleAction")
        return Rule(conditions=self.conditions(holder, "ruleCondition"),
                    combination=attr(holder, "conditionCombination") or "all", action=action)

    def rollup(self, el: Element | None) -> dict[str, Any]:
        if el is None:
            return {}
        values: dict[str, Any] = dict(self.flags(el, rollup_satisfied="rollupObjectiveSatisfied",
                                                 rollup_completion="rollupProgressCompletion"))
        values["measure_weight"] = self.number(el, "objectiveMeasureWeight", 1.0)
        values["rollup_rules"] = tuple(self.rollup_rule(r) for r in children(el, "rollupRule"))
        return values

    def rollup_rule(self, el: Element) -> RollupRule:
        holder = child(el, "rollupConditions")
        return RollupRule(child_set=attr(el, "childActivitySet") or "all",
                          minimum_count=self.integer(el, "minimumCount"),
                          minimum_percent=self.number(el, "minimumPercent", 0.0),
                          conditions=self.conditions(holder, "rollupCondition"),
                          combination=attr(holder, "conditionCombination") or "any",
                          action=attr(child(el, "rollupAction"), "action") or "satisfied")

    def objectives(self, el: Element | None, adl: dict[str, Element]) -> tuple[Objective, ...]:
        found = []
        for tag, primary in (("primaryObjective", True), ("objective", False)):
            for o in children(el, tag):
                found.append(self.objective(o, primary, adl))
        return tuple(found)

    def objective(self, el: Element, primary: bool, adl: dict[str, Element]) -> Objective:
        objective_id = attr(el, "objectiveID") or ""
        if not objective_id and not primary:
            raise InvalidInput(_FIELD, f"imsmanifest.xml: {self.owner} has an <objective> without an objectiveID")
        minimum = child(el, "minNormalizedMeasure")
        maps = [self.map_info(m) for m in children(el, "mapInfo")]
        maps += [self.map_info(m) for m in children(adl.get(objective_id) if objective_id else None, "mapInfo")]
        measure = 1.0
        if minimum is not None and (minimum.text or "").strip():
            measure = self.number_text(minimum)
        return Objective(id=objective_id, primary=primary,
                         satisfied_by_measure=self.flags(el, by="satisfiedByMeasure").get("by", False),
                         min_measure=measure, maps=tuple(maps))

    def number_text(self, el: Element) -> float:
        raw = (el.text or "").strip()
        try:
            value = float(raw)
        except ValueError:
            raise InvalidInput(_FIELD, f"imsmanifest.xml: {self.owner} <{local(el.tag)}> is '{raw}', "
                                       "which is not a number") from None
        if not -1.0 <= value <= 1.0:
            raise InvalidInput(_FIELD, f"imsmanifest.xml: {self.owner} <{local(el.tag)}> is {raw}, "
                                       "outside -1 to 1")
        return value

    def map_info(self, el: Element) -> MapInfo:
        target = attr(el, "targetObjectiveID")
        if not target:
            raise InvalidInput(_FIELD, f"imsmanifest.xml: {self.owner} has a <mapInfo> without a targetObjectiveID")
        flags: dict[str, Any] = self.flags(
            el, read_satisfied="readSatisfiedStatus", read_measure="readNormalizedMeasure",
                           write_satisfied="writeSatisfiedStatus", write_measure="writeNormalizedMeasure",
                           read_completion="readCompletionStatus", write_completion="writeCompletionStatus",
                           read_progress="readProgressMeasure", write_progress="writeProgressMeasure")
        if "adlnet" in el.tag:  # ADL's mapInfo carries completion and progress only
            flags.setdefault("read_satisfied", False)
            flags.setdefault("read_measure", False)
            flags.setdefault("read_completion", True)
            flags.setdefault("read_progress", True)
        return replace(MapInfo(target=target), **flags)

    def selection(self, el: Element | None) -> dict[str, Any]:
        if el is None:
            return {}
        values: dict[str, Any] = dict(self.flags(el, reorder_children="reorderChildren"))
        if attr(el, "selectCount") is not None:
            values["select_count"] = self.integer(el, "selectCount")
        values.update(self.words(el, selection_timing="selectionTiming", randomization_timing="randomizationTiming"))
        return values

    def threshold(self, el: Element | None) -> dict[str, Any]:
        if el is None:
            return {}
        values: dict[str, Any] = dict(self.flags(el, completed_by_measure="completedByMeasure"))
        values["min_progress_measure"] = self.number(el, "minProgressMeasure", 1.0)
        values["progress_weight"] = self.number(el, "progressWeight", 1.0)
        if (el.text or "").strip():  # 3rd edition: the threshold is the element's text, compared by the LMS
            values.update(completed_by_measure=True, min_progress_measure=self.number_text(el))
        return values
