"""Rollup and objectives on small built manifests: explicit rollup rules and child sets, rollup
considerations, measure weights, satisfaction by measure, completion by progress measure, and
objectives a SCO reports through cmi.objectives shared through global objectives."""

from __future__ import annotations

from courseport.core.packages import sequencing as seq
from tests.core.sequencing.built import CONTENT_SETS_STATUS, FLOW, cluster, course, sco, sequencing
from tests.core.sequencing.golf import completed, failed, passed, step


def rollup(rule: str, *attributes: str) -> str:
    return f"<imsss:rollupRules {' '.join(attributes)}>{rule}</imsss:rollupRules>"


def rollup_rule(child_set: str, condition: str, action: str, extra: str = "") -> str:
    return (f'<imsss:rollupRule childActivitySet="{child_set}" {extra}><imsss:rollupConditions>'
            f'<imsss:rollupCondition condition="{condition}"/></imsss:rollupConditions>'
            f'<imsss:rollupAction action="{action}"/></imsss:rollupRule>')


def three(root: str, *kids: str) -> seq.ActivityTree:
    own = kids or ("", "", "")
    return course("".join(sco(n, sequencing(CONTENT_SETS_STATUS, k)) for n, k in zip("abc", own, strict=True)),
                  sequencing(FLOW, root))


def reported(tree: seq.ActivityTree, results: dict[str, dict[str, str]]) -> dict:
    state = step(tree, seq.new_state(tree), "start").state
    for name, cmi in results.items():
        state = seq.report(tree, state, name, cmi)
    return state


def test_default_rules_need_every_child_satisfied_and_fail_once_every_status_is_known():
    tree = three("")
    assert seq.rolled_up(tree, reported(tree, {"a": passed(), "b": passed()})).success == "unknown"
    assert seq.rolled_up(tree, reported(tree, {"a": passed(), "b": failed(), "c": passed()})).success == "failed"
    assert seq.rolled_up(tree, reported(tree, {"a": passed(), "b": passed(), "c": passed()})) == \
        seq.Rollup("completed", "passed", None)


def test_at_least_count_and_percent_rules():
    tree = three(rollup(rollup_rule("atLeastCount", "satisfied", "satisfied", 'minimumCount="2"')))
    assert seq.rolled_up(tree, reported(tree, {"a": passed()})).success == "unknown"
    assert seq.rolled_up(tree, reported(tree, {"a": passed(), "c": passed()})).success == "passed"
    tree = three(rollup(rollup_rule("atLeastPercent", "completed", "completed", 'minimumPercent="0.5"')))
    assert seq.rolled_up(tree, reported(tree, {"a": completed()})).completion == "incomplete"
    assert seq.rolled_up(tree, reported(tree, {"a": completed(), "b": completed()})).completion == "completed"


def test_a_none_rule_and_a_not_satisfied_rule_with_any():
    rules = rollup_rule("none", "satisfied", "notSatisfied") + rollup_rule("any", "satisfied", "satisfied")
    tree = three(rollup(rules))
    assert seq.rolled_up(tree, reported(tree, {"a": failed(), "b": failed(), "c": failed()})).success == "failed"
    assert seq.rolled_up(tree, reported(tree, {"a": failed(), "b": passed()})).success == "passed"


def test_children_that_do_not_roll_up_and_rollup_considerations():
    quiet = rollup("", 'rollupObjectiveSatisfied="false"', 'rollupProgressCompletion="false"')
    tree = three("", quiet, quiet, "")
    assert seq.rolled_up(tree, reported(tree, {"a": failed(), "c": passed()})) == \
        seq.Rollup("completed", "passed", None)
    attempted = '<adlseq:rollupConsiderations requiredForSatisfied="ifAttempted" requiredForCompleted="ifAttempted"/>'
    tree = three("", "", attempted, attempted)
    assert seq.rolled_up(tree, reported(tree, {"a": passed()})) == seq.Rollup("completed", "passed", None)


def test_measure_is_the_weighted_average_and_satisfies_by_measure():
    by_measure = ('<imsss:objectives><imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">'
                  "<imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure></imsss:primaryObjective>"
                  "</imsss:objectives>")
    tree = three(by_measure, rollup("", 'objectiveMeasureWeight="3"'), rollup("", 'objectiveMeasureWeight="1"'),
                 rollup("", 'objectiveMeasureWeight="0"'))
    state = reported(tree, {"a": {"cmi.score.scaled": "0.8"}, "b": {"cmi.score.scaled": "0.2"},
                            "c": {"cmi.score.scaled": "-1"}})
    assert seq.rolled_up(tree, state) == seq.Rollup("incomplete", "passed", 0.65)
    state = seq.report(tree, state, "a", {"cmi.score.scaled": "0.5"})
    assert seq.rolled_up(tree, state).success == "failed" and seq.rolled_up(tree, state).score_scaled == 0.425


def test_a_sco_satisfied_by_measure_ignores_its_own_success_status():
    by_measure = ('<imsss:objectives><imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">'
                  "<imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure></imsss:primaryObjective>"
                  "</imsss:objectives>")
    tree = course(sco("a", sequencing(CONTENT_SETS_STATUS, by_measure)), sequencing(FLOW))
    state = reported(tree, {"a": passed()})
    assert seq.activity_status(tree, state)["a"] == seq.Rollup("completed", "unknown", None)
    state = seq.report(tree, state, "a", passed(0.5))
    assert seq.activity_status(tree, state)["a"] == seq.Rollup("completed", "failed", 0.5)
    state = seq.report(tree, state, "a", failed(0.7))
    assert seq.activity_status(tree, state)["a"] == seq.Rollup("completed", "passed", 0.7)


def test_completion_by_progress_measure_against_the_threshold():
    threshold = '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8"/>'
    tree = course(f'<item identifier="a" identifierref="r"><title>A</title>{threshold}'
                  f"{sequencing(CONTENT_SETS_STATUS)}</item>", sequencing(FLOW))
    state = reported(tree, {"a": {"cmi.progress_measure": "0.5", "cmi.completion_status": "completed"}})
    assert seq.rolled_up(tree, state).completion == "incomplete"
    state = seq.report(tree, state, "a", {"cmi.progress_measure": "0.9"})
    assert seq.rolled_up(tree, state).completion == "completed"
    third_edition = course('<item identifier="a" identifierref="r"><title>A</title>'
                           "<adlcp:completionThreshold>0.6</adlcp:completionThreshold></item>", sequencing(FLOW))
    assert third_edition.find("a").sequencing.min_progress_measure == 0.6
    state = reported(third_edition, {"a": {"cmi.progress_measure": "0.6", "cmi.completion_status": "incomplete"}})
    assert seq.rolled_up(third_edition, state).completion == "completed"


def test_a_reported_objective_is_shared_through_a_global_objective():
    writes = ('<imsss:objectives><imsss:primaryObjective objectiveID="p"/><imsss:objective objectiveID="skill">'
              '<imsss:mapInfo targetObjectiveID="g.skill" writeSatisfiedStatus="true" writeNormalizedMeasure="true"/>'
              "</imsss:objective></imsss:objectives>")
    reads = ('<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>'
             '<imsss:ruleCondition referencedObjective="skill" operator="not" condition="satisfied"/>'
             '</imsss:ruleConditions><imsss:ruleAction action="disabled"/></imsss:preConditionRule>'
             '</imsss:sequencingRules><imsss:objectives><imsss:primaryObjective objectiveID="p"/>'
             '<imsss:objective objectiveID="skill"><imsss:mapInfo targetObjectiveID="g.skill"/></imsss:objective>'
             "</imsss:objectives>")
    tree = course(sco("a", sequencing(CONTENT_SETS_STATUS, writes)) + sco("b", sequencing(CONTENT_SETS_STATUS, reads)),
                  sequencing(FLOW))
    state = step(tree, seq.new_state(tree), "start").state
    objective = {"cmi.objectives.0.id": "other", "cmi.objectives.0.success_status": "passed",
                 "cmi.objectives.1.id": "skill", "cmi.objectives.1.success_status": "failed",
                 "cmi.objectives.1.score.scaled": "0.3"}
    state = seq.report(tree, state, "a", objective)
    assert state["globals"]["g.skill"]["satisfied"] is False and state["globals"]["g.skill"]["measure"] == 0.3
    refused = seq.navigate(tree, state, "continue").refused
    assert refused == "'b' is not available yet (disabled by its sequencing rules)"
    state = seq.report(tree, state, "a", {"cmi.objectives.0.id": "skill", "cmi.objectives.0.success_status": "passed"})
    assert step(tree, state, "continue").deliver == "b"
    assert seq.rolled_up(tree, state).success == "unknown"  # the primary objectives say nothing yet


def test_a_global_written_in_one_branch_rolls_up_in_another():
    writes = ('<imsss:objectives><imsss:primaryObjective objectiveID="p">'
              '<imsss:mapInfo targetObjectiveID="g" writeSatisfiedStatus="true"/></imsss:primaryObjective>'
              "</imsss:objectives>")
    reads = ('<imsss:objectives><imsss:primaryObjective objectiveID="p">'
             '<imsss:mapInfo targetObjectiveID="g"/></imsss:primaryObjective></imsss:objectives>')
    tree = course(cluster("x", sco("a", sequencing(CONTENT_SETS_STATUS, reads)), sequencing(FLOW))
                  + cluster("y", sco("b", sequencing(CONTENT_SETS_STATUS, writes)), sequencing(FLOW)),
                  sequencing(FLOW))
    state = step(tree, seq.new_state(tree), "choice", "b").state
    state = seq.report(tree, state, "b", passed())
    status = seq.activity_status(tree, state)
    assert (status["a"].success, status["x"].success, status["o"].success) == ("passed", "passed", "passed")
