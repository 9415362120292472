"""The sequencing golf samples played through the engine as SCORM Cloud plays them: each SCO's
committed data reported, then the learner's navigation."""

from __future__ import annotations

import copy

from courseport.core.packages import sequencing as seq
from tests.core.sequencing.golf import completed, failed, passed, step, tree

FORCED = "SequencingForcedSequential_SCORM20043rdEdition.zip"
POST_TEST = "SequencingPostTestRollup4thEd_SCORM20044thEdition.zip"
REMEDIATION = "SequencingSimpleRemediation_SCORM20043rdEdition.zip"
RANDOM = "SequencingRandomTest_SCORM20043rdEdition.zip"
SCOS = ["playing_item", "etuqiette_item", "handicapping_item", "havingfun_item"]


def test_forced_sequential_delivers_in_order_and_disables_what_is_ahead():
    course = tree(FORCED)
    start = step(course, seq.new_state(course), "start")
    assert start.deliver == "playing_item"
    before = copy.deepcopy(start.state)
    refused = seq.navigate(course, start.state, "choice", "handicapping_item")
    assert refused.refused == "'Handicapping' is not available (disabled by its sequencing rules)"
    assert refused.deliver is None and refused.state == before and start.state == before
    offered = seq.availability(course, start.state)
    seq.rolled_up(course, start.state), seq.activity_status(course, start.state)
    assert start.state == before  # reading changes nothing
    assert offered["choice"]["handicapping_item"] is False and offered["choice"]["playing_item"] is True
    assert offered["continue"] is False and offered["current"] == "playing_item"
    assert seq.navigate(course, start.state, "continue").refused is not None  # playing is not passed yet

    state = seq.report(course, start.state, "playing_item", passed())
    assert seq.availability(course, state)["choice"]["etuqiette_item"] is True
    assert step(course, state, "continue").deliver == "etuqiette_item"


def test_forced_sequential_rolls_up_completed_and_passed_when_every_sco_is_satisfied():
    course = tree(FORCED)
    outcome = step(course, seq.new_state(course), "start")
    for sco in [*SCOS, "assessment_item"]:
        assert outcome.deliver == sco
        assert seq.rolled_up(course, outcome.state).success == "unknown"
        outcome = step(course, seq.report(course, outcome.state, sco, passed(0.9)), "continue")
    assert outcome.ended is True and outcome.deliver is None
    assert seq.rolled_up(course, outcome.state) == seq.Rollup("completed", "passed", None)  # weights are 0
    status = seq.activity_status(course, outcome.state)
    assert status["assessment_item"] == seq.Rollup("completed", "passed", 0.9)


def test_forced_sequential_lets_the_learner_go_back_but_not_skip_ahead():
    course = tree(FORCED)
    state = step(course, seq.new_state(course), "start").state
    state = step(course, seq.report(course, state, "playing_item", passed()), "continue").state
    assert step(course, state, "previous").deliver == "playing_item"
    assert step(course, state, "choice", "playing_item").deliver == "playing_item"
    assert seq.navigate(course, state, "choice", "havingfun_item").refused is not None


def test_post_test_decides_the_course_and_the_content_does_not_count():
    course = tree(POST_TEST)
    outcome = step(course, seq.new_state(course), "start")
    assert "assessment_item" in seq.availability(course, outcome.state)["hidden"]
    for sco in SCOS:
        assert outcome.deliver == sco
        state = seq.report(course, outcome.state, sco, completed())
        assert seq.rolled_up(course, state).completion == "incomplete"
        outcome = step(course, state, "continue")
    assert outcome.deliver == "assessment_item"
    assert outcome.state["activities"]["golf_sample_default_org"]["progress"] == round(1.5 / 1.6, 6)  # weights
    state = seq.report(course, outcome.state, "assessment_item", failed(0.4))
    assert seq.rolled_up(course, state) == seq.Rollup("completed", "failed", 0.4)
    retake = step(course, state, "choice", "assessment_item")
    assert retake.deliver == "assessment_item"
    assert retake.state["activities"]["assessment_item"]["attempts"] == 2
    state = seq.report(course, retake.state, "assessment_item", passed(0.85))
    assert seq.rolled_up(course, state) == seq.Rollup("completed", "passed", 0.85)


def test_post_test_is_hidden_from_choice_until_the_content_is_completed_but_jump_reaches_it():
    course = tree(POST_TEST)
    state = step(course, seq.new_state(course), "start").state
    assert seq.navigate(course, state, "choice", "assessment_item").refused == "'Quiz' is hidden from choice"
    assert step(course, state, "jump", "assessment_item").deliver == "assessment_item"
    state = seq.report(course, state, "playing_item", {"cmi.completion_status": "incomplete"})
    assert seq.availability(course, state)["choice"]["etuqiette_item"] is False
    state = seq.report(course, state, "playing_item", completed())
    assert seq.availability(course, state)["choice"]["etuqiette_item"] is True


def _play(course: seq.ActivityTree, outcome: seq.Outcome,
          results: dict[str, list[dict[str, str]]]) -> tuple[list[str], dict]:
    delivered = []
    while outcome.deliver is not None:
        delivered.append(outcome.deliver)
        queue = results.get(outcome.deliver, [])
        cmi = queue.pop(0) if queue else completed()
        outcome = step(course, seq.report(course, outcome.state, outcome.deliver, cmi), "continue")
        assert len(delivered) < 40
    assert outcome.ended is True
    return delivered, outcome.state


def test_simple_remediation_sends_a_failed_test_back_to_its_material():
    course = tree(REMEDIATION)
    results = {"test_1": [passed(0.9)], "test_2": [failed(0.2), passed(0.7)], "test_3": [passed(1.0)],
               "test_4": [passed(0.8), passed(0.8)]}
    delivered, final = _play(course, step(course, seq.new_state(course), "start"), results)
    assert delivered == [*SCOS, "test_1", "test_2", "test_3", "test_4",
                         "etuqiette_item", "test_2", "test_4"]  # satisfied material and tests skipped
    assert seq.rolled_up(course, final) == seq.Rollup("completed", "passed", 0.85)


def test_simple_remediation_passed_tests_complete_the_course_at_once():
    course = tree(REMEDIATION)
    results = {f"test_{n}": [passed(1.0)] for n in range(1, 5)}
    delivered, final = _play(course, step(course, seq.new_state(course), "start"), results)
    assert delivered == [*SCOS, "test_1", "test_2", "test_3", "test_4"]
    assert seq.rolled_up(course, final) == seq.Rollup("completed", "passed", 1.0)
    offered = seq.availability(course, step(course, seq.new_state(course), "start").state)
    assert not any(offered["choice"].values())  # flow only


def _to_post_test(course: seq.ActivityTree, state: dict) -> seq.Outcome:
    outcome = step(course, state, "start")
    for sco in SCOS:
        assert outcome.deliver == sco
        outcome = step(course, seq.report(course, outcome.state, sco, completed()), "continue")
    return outcome


def test_random_test_shuffles_the_tests_on_each_attempt_and_keeps_the_order_in_the_state():
    course = tree(RANDOM)
    outcome = _to_post_test(course, seq.new_state(course))
    order = outcome.state["activities"]["posttest_item"]["order"]
    assert sorted(order) == ["test_1", "test_2", "test_3", "test_4"] and outcome.deliver == order[0]
    assert seq.availability(course, outcome.state)["current"] == order[0]
    assert step(course, outcome.state, "continue").state["activities"]["posttest_item"]["order"] == \
        step(course, outcome.state, "continue").state["activities"]["posttest_item"]["order"]
    firsts = {_to_post_test(course, seq.new_state(course)).deliver for _ in range(40)}
    assert len(firsts) > 1  # the order is random across registrations


def test_random_test_gives_a_second_attempt_after_a_failure_then_ends_failed():
    course = tree(RANDOM)
    outcome = _to_post_test(course, seq.new_state(course))
    first_order = outcome.state["activities"]["posttest_item"]["order"]
    retry = step(course, seq.report(course, outcome.state, outcome.deliver, failed(0.3)), "continue")
    assert retry.state["activities"]["posttest_item"]["attempts"] == 2
    assert retry.deliver == retry.state["activities"]["posttest_item"]["order"][0]
    assert seq.rolled_up(course, retry.state).completion == "incomplete"
    assert sorted(first_order) == sorted(retry.state["activities"]["posttest_item"]["order"])
    end = step(course, seq.report(course, retry.state, retry.deliver, failed(0.5)), "continue")
    assert end.ended is True and end.deliver is None
    assert seq.rolled_up(course, end.state) == seq.Rollup("completed", "failed", 0.5)


def test_random_test_reshuffles_for_the_second_attempt():
    course = tree(RANDOM)
    changed = 0
    for _ in range(10):
        outcome = _to_post_test(course, seq.new_state(course))
        retry = step(course, seq.report(course, outcome.state, outcome.deliver, failed(0.3)), "continue")
        changed += outcome.state["activities"]["posttest_item"]["order"] != \
            retry.state["activities"]["posttest_item"]["order"]
    assert changed > 0


def test_random_test_passed_at_once_completes_and_passes_the_course():
    course = tree(RANDOM)
    outcome = _to_post_test(course, seq.new_state(course))
    assert seq.availability(course, outcome.state)["hidden"] == ["content_wrapper", "test_1", "test_2", "test_3",
                                                                  "test_4"]
    end = step(course, seq.report(course, outcome.state, outcome.deliver, passed(0.95)), "continue")
    assert end.ended is True
    assert seq.rolled_up(course, end.state) == seq.Rollup("completed", "passed", 0.95)


def test_random_test_tree_holds_hidden_tests_their_parameters_and_hidden_controls():
    course = tree(RANDOM)
    test = course.find("test_2")
    assert (test.resource_href, test.hidden_from_choice_static, test.hide_lms_ui) == (
        "shared/launchpage.html?content=assessment2", True, ("suspendAll",))
    assert course.find("posttest_item").sequencing.attempt_limit == 2
    assert [a.id for a in course.root.children] == ["content_wrapper", "posttest_item"]


def test_random_test_post_test_is_disabled_until_the_content_is_completed():
    course = tree(RANDOM)
    state = step(course, seq.new_state(course), "start").state
    assert seq.navigate(course, state, "choice", "posttest_item").refused == \
        "'Post Test' is not available (disabled by its sequencing rules)"
    assert seq.availability(course, state)["choice"]["playing_item"] is True
