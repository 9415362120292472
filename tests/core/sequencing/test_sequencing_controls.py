"""Control modes, rules and limits the golf samples do not exercise, on small built manifests:
forwardOnly, choiceExit, constrainChoice, preventActivation, stopForwardTraversal, exit action
rules, post-condition continue/previous/retryAll, attempt limits and selection."""

from __future__ import annotations

from courseport.core.packages import sequencing as seq
from tests.core.sequencing.built import CONTENT_SETS_STATUS, FLOW, cluster, course, sco, sequencing
from tests.core.sequencing.golf import failed, passed, step

ALWAYS = '<imsss:ruleConditions><imsss:ruleCondition condition="always"/></imsss:ruleConditions>'


def rules(kind: str, action: str, conditions: str = ALWAYS) -> str:
    return (f"<imsss:sequencingRules><imsss:{kind}>{conditions}<imsss:ruleAction action=\"{action}\"/>"
            f"</imsss:{kind}></imsss:sequencingRules>")


def test_forward_only_refuses_previous_and_choosing_backwards():
    tree = course(sco("a") + sco("b"), sequencing('<imsss:controlMode flow="true" forwardOnly="true"/>'))
    state = step(tree, step(tree, seq.new_state(tree), "start").state, "continue").state
    assert seq.navigate(tree, state, "previous").refused == "'Course' only allows moving forward"
    assert seq.navigate(tree, state, "choice", "a").refused == "'Course' only allows moving forward"
    assert seq.availability(tree, state)["previous"] is False
    assert seq.availability(tree, state)["choice"] == {"a": False, "b": True}


def test_choice_exit_false_keeps_the_learner_inside_the_cluster():
    inner = cluster("m", sco("a") + sco("b"), sequencing('<imsss:controlMode flow="true" choiceExit="false"/>'))
    tree = course(inner + sco("c"), sequencing(FLOW))
    state = step(tree, seq.new_state(tree), "start").state
    assert seq.navigate(tree, state, "choice", "c").refused == "'m' must be finished before leaving it"
    assert step(tree, state, "choice", "b").deliver == "b"
    assert step(tree, step(tree, state, "continue").state, "continue").deliver == "c"


def test_constrain_choice_allows_only_the_next_or_previous_activity():
    constrained = sequencing(FLOW, '<adlseq:constrainedChoiceConsiderations constrainChoice="true"/>')
    tree = course(cluster("m", sco("a") + sco("b") + sco("c"), constrained), sequencing(FLOW))
    state = step(tree, step(tree, seq.new_state(tree), "start").state, "continue").state
    assert seq.availability(tree, state)["choice"] == {"m": True, "a": True, "b": True, "c": True}
    state = step(tree, seq.new_state(tree), "start").state
    assert seq.navigate(tree, state, "choice", "c").refused == \
        "'m' only allows choosing the next or the previous activity"
    assert step(tree, state, "choice", "b").deliver == "b"


def test_prevent_activation_refuses_starting_a_cluster_by_choice():
    guarded = sequencing(FLOW, '<adlseq:constrainedChoiceConsiderations preventActivation="true"/>')
    tree = course(sco("a") + cluster("m", sco("b") + sco("c"), guarded), sequencing(FLOW))
    state = step(tree, seq.new_state(tree), "start").state
    assert seq.navigate(tree, state, "choice", "c").refused == "'m' cannot be started by choice"
    inside = step(tree, state, "continue")
    assert inside.deliver == "b" and step(tree, inside.state, "choice", "c").deliver == "c"


def test_stop_forward_traversal_stops_choosing_past_the_activity():
    tree = course(sco("a") + sco("b", sequencing(rules("preConditionRule", "stopForwardTraversal"))) + sco("c"),
                  sequencing(FLOW))
    state = step(tree, seq.new_state(tree), "start").state
    assert seq.navigate(tree, state, "choice", "c").refused == "'b' stops moving forward past it"
    assert step(tree, state, "choice", "b").deliver == "b"


def test_skip_and_disabled_pre_condition_rules_in_flow():
    tree = course(sco("a") + sco("b", sequencing(rules("preConditionRule", "skip"))) + sco("c"), sequencing(FLOW))
    state = step(tree, seq.new_state(tree), "start").state
    assert step(tree, state, "continue").deliver == "c"
    assert step(tree, step(tree, state, "continue").state, "previous").deliver == "a"
    tree = course(sco("a") + sco("b", sequencing(rules("preConditionRule", "disabled"))) + sco("c"),
                  sequencing(FLOW))
    state = step(tree, seq.new_state(tree), "start").state
    refused = seq.navigate(tree, state, "continue").refused
    assert refused == "'b' is not available yet (disabled by its sequencing rules)"


def test_an_exit_action_rule_ends_the_cluster_and_its_post_condition_continues():
    inner = cluster("m", sco("a") + sco("b"),
                    sequencing(FLOW, rules("exitConditionRule", "exit",
                                           '<imsss:ruleConditions><imsss:ruleCondition condition="satisfied"/>'
                                           "</imsss:ruleConditions>")))
    tree = course(inner + sco("c"), sequencing(FLOW))
    state = step(tree, seq.new_state(tree), "start").state
    state = seq.report(tree, state, "a", passed())
    outcome = step(tree, state, "exit")  # b's status is unknown, so m is not satisfied yet and stays under way
    assert outcome.deliver is None and outcome.state["activities"]["m"]["active"] is True
    tree = course(cluster("m", sco("a"), sequencing(FLOW, rules("exitConditionRule", "exit"))) + sco("c"),
                  sequencing(FLOW))
    state = step(tree, seq.new_state(tree), "start").state
    outcome = step(tree, state, "exit")
    assert outcome.state["activities"]["m"]["active"] is False and outcome.state["current"] == "m"
    assert step(tree, outcome.state, "continue").deliver == "c"


def test_post_condition_continue_previous_and_retry_all():
    tree = course(sco("a") + sco("b", sequencing(rules("postConditionRule", "previous"))) + sco("c"),
                  sequencing(FLOW))
    state = step(tree, step(tree, seq.new_state(tree), "start").state, "continue").state
    assert step(tree, state, "exit").deliver == "a"
    tree = course(sco("a", sequencing(rules("postConditionRule", "continue"))) + sco("b"), sequencing(FLOW))
    assert step(tree, step(tree, seq.new_state(tree), "start").state, "exit").deliver == "b"
    failing = ('<imsss:ruleConditions><imsss:ruleCondition operator="not" condition="satisfied"/>'
               "</imsss:ruleConditions>")
    last = sequencing(CONTENT_SETS_STATUS, rules("postConditionRule", "exitParent"))
    tree = course(sco("a", sequencing(CONTENT_SETS_STATUS)) + sco("b", last),
                  sequencing(FLOW, rules("postConditionRule", "retryAll", failing)))
    state = step(tree, seq.new_state(tree), "start").state
    state = step(tree, seq.report(tree, state, "a", passed()), "continue").state
    again = step(tree, seq.report(tree, state, "b", failed()), "continue")
    assert again.deliver == "a" and again.state["activities"]["o"]["attempts"] == 2
    done = step(tree, seq.report(tree, again.state, "a", passed()), "continue")
    done = step(tree, seq.report(tree, done.state, "b", passed()), "continue")
    assert done.ended is True and done.state["activities"]["o"]["attempts"] == 2
    assert seq.rolled_up(tree, done.state).success == "passed"


def test_attempt_limit_disables_an_activity_once_used_up():
    tree = course(sco("a", sequencing('<imsss:limitConditions attemptLimit="1"/>')) + sco("b"), sequencing(FLOW))
    state = step(tree, step(tree, seq.new_state(tree), "start").state, "continue").state
    assert seq.navigate(tree, state, "choice", "a").refused == "'a' is not available (disabled by its sequencing rules)"
    assert seq.availability(tree, state)["choice"]["a"] is False
    assert seq.navigate(tree, state, "previous").refused is not None


def test_select_count_picks_that_many_children_once_and_keeps_them():
    pick = sequencing(FLOW, '<imsss:randomizationControls selectCount="2" selectionTiming="once" '
                            'reorderChildren="true" randomizationTiming="once"/>')
    tree = course(cluster("pool", "".join(sco(f"q{n}") for n in range(1, 6)), pick), sequencing(FLOW))
    state = seq.new_state(tree)
    chosen = state["activities"]["pool"]["order"]
    assert len(chosen) == 2 and set(chosen) < {"q1", "q2", "q3", "q4", "q5"}
    offered = seq.availability(tree, state)
    assert sorted(offered["hidden"]) == sorted({"q1", "q2", "q3", "q4", "q5"} - set(chosen))
    assert [k for k, v in offered["choice"].items() if v and k.startswith("q")] == sorted(chosen, key=lambda q: q)
    first = step(tree, state, "start")
    assert first.deliver == chosen[0]
    second = step(tree, first.state, "continue")
    assert second.deliver == chosen[1] and step(tree, second.state, "continue").ended is True
    assert seq.navigate(tree, state, "choice", next(q for q in offered["hidden"])).refused.endswith(
        "is not part of this attempt")
    assert {tuple(seq.new_state(tree)["activities"]["pool"]["order"]) for _ in range(30)} != {tuple(chosen)}


def test_an_item_that_launches_nothing_is_passed_by_flow_and_refused_by_choice():
    empty = '<item identifier="e"><title>Empty</title></item>'
    tree = course(sco("a") + empty + cluster("m", empty.replace('"e"', '"f"'), sequencing(FLOW)) + sco("c"),
                  sequencing(FLOW))
    state = step(tree, seq.new_state(tree), "start").state
    assert step(tree, state, "continue").deliver == "c"
    assert seq.navigate(tree, state, "choice", "e").refused == "'Empty' has nothing to launch"
    assert seq.navigate(tree, state, "jump", "e").refused == "'Empty' has nothing to launch"
    assert seq.availability(tree, state)["choice"]["e"] is False
