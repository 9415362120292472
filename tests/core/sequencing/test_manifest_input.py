"""Malformed and hostile manifests are refused with InvalidInput naming what is wrong; the rest of
the interface refuses bad requests the same way and never mutates what it is given."""

from __future__ import annotations

import copy

import pytest

from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import sequencing as seq
from tests.core.sequencing.built import FLOW, HEAD, course, manifest, sco, sequencing

BAD = [
    (b"not xml at all <", "imsmanifest.xml is not well-formed XML"),
    (b'<!DOCTYPE m [<!ENTITY a "aaaa">]><manifest/>', "imsmanifest.xml declares XML entities"),
    (b'<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><manifest>&x;</manifest>',
     "imsmanifest.xml declares XML entities"),
    (b"<organizations/>", "imsmanifest.xml's root element is <organizations>, not <manifest>"),
    (HEAD.encode() + b"</manifest>", "imsmanifest.xml has no <organization>"),
    (manifest('<item identifier="a" identifierref="missing"><title>A</title></item>'),
     "imsmanifest.xml: item 'a' refers to resource 'missing', which the manifest does not define"),
    (manifest(sco("a") + sco("a")), "imsmanifest.xml uses the identifier 'a' twice"),
    (manifest('<item><title>A</title></item>'), "imsmanifest.xml has an <item> without an identifier"),
    (manifest('<item identifier="a"><title>A</title></item>'), "imsmanifest.xml has no item that launches content"),
    (manifest(sco("a", '<imsss:sequencing IDRef="nope"/>')),
     "imsmanifest.xml: item 'a' refers to shared sequencing 'nope', which <sequencingCollection> does not define"),
    (manifest(sco("a", sequencing('<imsss:controlMode flow="maybe"/>'))),
     "imsmanifest.xml: item 'a' <controlMode> has flow='maybe', which is not true or false"),
    (manifest(sco("a", sequencing('<imsss:limitConditions attemptLimit="-1"/>'))),
     "imsmanifest.xml: item 'a' <limitConditions> has attemptLimit='-1', which is not a whole number"),
    (manifest(sco("a", sequencing('<imsss:rollupRules objectiveMeasureWeight="NaN"/>'))),
     "imsmanifest.xml: item 'a' <rollupRules> has objectiveMeasureWeight='NaN', which is not a finite number"),
    (manifest(sco("a", sequencing('<imsss:objectives><imsss:primaryObjective satisfiedByMeasure="true">'
                                  '<imsss:minNormalizedMeasure>2</imsss:minNormalizedMeasure>'
                                  '</imsss:primaryObjective></imsss:objectives>'))),
     "imsmanifest.xml: item 'a' <minNormalizedMeasure> is 2, outside -1 to 1"),
    (manifest(sco("a", sequencing('<imsss:objectives><imsss:primaryObjective><imsss:mapInfo/>'
                                  '</imsss:primaryObjective></imsss:objectives>'))),
     "imsmanifest.xml: item 'a' has a <mapInfo> without a targetObjectiveID"),
    (manifest(sco("a", sequencing('<imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>'
                                  '<imsss:ruleCondition condition="always"/></imsss:ruleConditions>'
                                  '</imsss:preConditionRule></imsss:sequencingRules>'))),
     "imsmanifest.xml: item 'a' has a <preConditionRule> without a ruleAction"),
    (b"<manifest>" + b"<x>" * 150 + b"</x>" * 150 + b"</manifest>",
     "imsmanifest.xml nests its elements more than 100 levels deep"),
]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_a_malformed_or_hostile_manifest_is_refused_naming_the_fault(data, message):
    with pytest.raises(InvalidInput) as refused:
        seq.parse_tree(data)
    assert refused.value.message.startswith(message)
    assert refused.value.field == "manifest"


def test_an_organization_that_is_not_there_is_refused():
    with pytest.raises(InvalidInput) as refused:
        seq.parse_tree(manifest(sco("a")), organization="other")
    assert (refused.value.field, refused.value.message) == ("organization",
                                                            "organization 'other' is not in imsmanifest.xml")
    assert seq.parse_tree(manifest(sco("a")), organization="o").root.id == "o"


def test_the_tree_holds_items_resources_and_parameters():
    tree = course(sco("a") + '<item identifier="b" identifierref="r" parameters="x=1"><title>B</title></item>',
                  sequencing(FLOW))
    assert [(a.id, a.title, a.resource_href, a.is_leaf) for a in tree.leaves()] == [
        ("a", "a", "a.html", True), ("b", "B", "a.html?x=1", True)]
    assert tree.root.is_leaf is False and tree.root.resource_href is None and tree.find("b").title == "B"
    assert tree.root.sequencing.flow is True and tree.find("a").sequencing.flow is False


def test_bad_requests_are_refused_with_invalid_input_and_nothing_is_mutated():
    tree = course(sco("a") + sco("b"), sequencing(FLOW))
    state = seq.new_state(tree)
    before = copy.deepcopy(state)
    for request, target, field in (("fly", None, "request"), ("choice", None, "target"),
                                   ("choice", "zz", "target"), ("jump", "", "target")):
        with pytest.raises(InvalidInput) as refused:
            seq.navigate(tree, state, request, target)
        assert refused.value.field == field
    with pytest.raises(InvalidInput) as refused:
        seq.report(tree, state, "zz", {})
    assert refused.value.message == "activity 'zz' is not in this course"
    with pytest.raises(InvalidInput):
        seq.report(tree, state, "o", {})
    started = seq.navigate(tree, state, "start")
    assert started.deliver == "a" and state == before
    reported = seq.report(tree, started.state, "a", {"cmi.completion_status": "completed"})
    assert started.state["activities"]["a"]["completion"] is None
    assert reported["activities"]["a"]["completion"] == "completed"


def test_values_a_sco_could_not_have_set_are_ignored():
    tree = course(sco("a"), sequencing(FLOW))
    state = seq.navigate(tree, seq.new_state(tree), "start").state
    for cmi in ({"cmi.score.scaled": "7"}, {"cmi.score.scaled": "nan"}, {"cmi.score.scaled": "x"},
                {"cmi.success_status": "great"}, {"cmi.completion_status": "done"},
                {"cmi.progress_measure": "-3"}):
        assert seq.rolled_up(tree, seq.report(tree, state, "a", cmi)) == seq.Rollup("incomplete", "unknown", None)


def test_values_of_other_types_are_read_as_the_strings_a_sco_sets():
    tree = course(sco("a"), sequencing(FLOW))
    state = seq.navigate(tree, seq.new_state(tree), "start").state
    odd = {"cmi.score.scaled": 0.5, "cmi.success_status": "passed", "cmi.completion_status": None,
           "cmi.objectives.0.id": 7, "cmi.exit": ""}
    assert seq.rolled_up(tree, seq.report(tree, state, "a", odd)) == seq.Rollup("incomplete", "passed", 0.5)
    with pytest.raises(InvalidInput) as refused:
        seq.report(tree, state, "a", ["cmi.exit"])  # type: ignore[arg-type]
    assert refused.value.field == "cmi"


def test_requests_out_of_turn_are_refused_with_a_sentence_and_the_state_kept():
    tree = course(sco("a") + sco("b"), sequencing(FLOW))
    state = seq.new_state(tree)
    for request in ("continue", "previous", "exit", "exitAll", "suspendAll", "abandon", "abandonAll", "resumeAll"):
        outcome = seq.navigate(tree, state, request)
        assert outcome.refused and outcome.deliver is None and outcome.state == state
    started = seq.navigate(tree, state, "start").state
    assert seq.navigate(tree, started, "start").refused == "the course has already started"
    assert seq.navigate(tree, started, "previous").refused == "'a' is the first activity: there is no previous one"


def test_shared_sequencing_is_inherited_element_by_element_the_item_s_own_winning():
    collection = ('<imsss:sequencingCollection><imsss:sequencing ID="common">'
                  '<imsss:controlMode choice="false" flow="true"/>'
                  '<imsss:limitConditions attemptLimit="3"/>'
                  '<adlseq:objectives><adlseq:objective objectiveID="p"><adlseq:mapInfo targetObjectiveID="g"/>'
                  "</adlseq:objective></adlseq:objectives>"
                  "</imsss:sequencing></imsss:sequencingCollection>")
    own = ('<imsss:sequencing IDRef="common"><imsss:limitConditions attemptLimit="1"/>'
           '<imsss:objectives><imsss:primaryObjective objectiveID="p"/></imsss:objectives></imsss:sequencing>')
    tree = course(sco("a", own) + sco("b", '<imsss:sequencing IDRef="common"/>'), sequencing(FLOW), collection)
    a, b = tree.find("a").sequencing, tree.find("b").sequencing
    assert (a.attempt_limit, a.choice, a.flow, b.attempt_limit) == (1, False, True, 3)
    assert a.primary().id == "p" and [m.target for m in a.primary().maps] == ["g"]
    assert a.primary().maps[0].read_completion is True and a.primary().maps[0].read_satisfied is False
