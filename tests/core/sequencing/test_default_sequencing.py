"""SCORM 2004 packages without sequencing (or with a control mode only) get the SN defaults: every
SCO choosable, continue and previous flowing through them, content that sets no status completed
and satisfied when its attempt ends."""

from __future__ import annotations

import pytest

from courseport.core.packages import sequencing as seq
from tests.core.sequencing.golf import completed, failed, passed, step, tree

MINIMUM = "RuntimeMinimumCalls_SCORM20043rdEdition.zip"
BASIC = "RuntimeBasicCalls_SCORM20043rdEdition.zip"


def test_every_sco_is_choosable_and_continue_flows_through_them_in_order():
    course = tree(MINIMUM)
    outcome = step(course, seq.new_state(course), "start")
    offered = seq.availability(course, outcome.state)
    assert all(offered["choice"].values()) and len(offered["choice"]) == 22 and offered["hidden"] == []
    assert offered["continue"] is True and offered["previous"] is False
    delivered = []
    while outcome.deliver is not None:
        delivered.append(outcome.deliver)
        outcome = step(course, outcome.state, "continue")
    assert delivered == [leaf.id for leaf in course.leaves()] and len(delivered) == 18
    assert outcome.ended is True
    assert seq.rolled_up(course, outcome.state) == seq.Rollup("completed", "passed", None)


def test_previous_crosses_clusters_and_choice_of_a_cluster_delivers_its_first_sco():
    course = tree(MINIMUM)
    state = step(course, seq.new_state(course), "choice", "etiquette_course_item").state
    assert step(course, state, "previous").deliver == "playing_quiz_item"
    assert step(course, state, "choice", "handicapping_item").deliver == "handicapping_overview_item"
    assert seq.navigate(course, seq.new_state(course), "previous").refused == \
        "the course has not started: there is no current activity"


def test_a_sco_that_reports_incomplete_keeps_the_course_incomplete():
    course = tree(MINIMUM)
    state = step(course, seq.new_state(course), "start").state
    state = seq.report(course, state, "playing_playing_item", {"cmi.completion_status": "incomplete"})
    state = step(course, state, "continue").state
    status = seq.activity_status(course, state)
    assert status["playing_playing_item"].completion == "incomplete"
    assert status["playing_item"].completion == "incomplete"
    assert seq.rolled_up(course, state).completion == "incomplete"


def test_a_single_sco_course_rolls_up_what_the_sco_reports():
    course = tree(BASIC)
    assert [leaf.resource_href for leaf in course.leaves()] == ["shared/launchpage.html"]
    outcome = step(course, seq.new_state(course), "start")
    assert outcome.deliver == "item_1"
    assert seq.rolled_up(course, outcome.state) == seq.Rollup("incomplete", "unknown", None)
    state = seq.report(course, outcome.state, "item_1", passed(0.75))
    assert seq.rolled_up(course, state) == seq.Rollup("completed", "passed", 0.75)
    end = step(course, state, "exitAll")
    assert end.ended is True and end.state["current"] is None
    assert seq.rolled_up(course, end.state) == seq.Rollup("completed", "passed", 0.75)


def test_suspend_all_then_resume_all_returns_to_the_same_attempt():
    course = tree(MINIMUM)
    state = step(course, seq.new_state(course), "choice", "etiquette_play_item").state
    state = seq.report(course, state, "etiquette_play_item", {"cmi.completion_status": "incomplete",
                                                              "cmi.exit": "suspend"})
    suspended = step(course, state, "suspendAll")
    assert suspended.ended is True and seq.availability(course, suspended.state)["suspended"] == "etiquette_play_item"
    resumed = step(course, suspended.state, "resumeAll")
    assert resumed.deliver == "etiquette_play_item"
    assert resumed.state["activities"]["etiquette_play_item"]["attempts"] == 1
    assert seq.availability(course, resumed.state)["suspended"] is None
    assert step(course, suspended.state, "start").deliver == "etiquette_play_item"  # start resumes
    state = seq.report(course, resumed.state, "etiquette_play_item", completed())
    assert seq.activity_status(course, state)["etiquette_play_item"].completion == "completed"
    after = step(course, state, "continue")
    assert after.deliver == "etiquette_quiz_item"
    assert after.state["activities"]["etiquette_play_item"]["suspended"] is False


def test_exit_ends_the_attempt_and_waits_for_the_learner():
    course = tree(MINIMUM)
    state = step(course, seq.new_state(course), "start").state
    exited = step(course, state, "exit")
    assert exited.deliver is None and exited.ended is False
    assert exited.state["activities"]["playing_playing_item"]["active"] is False
    assert seq.activity_status(course, exited.state)["playing_playing_item"].completion == "completed"
    assert seq.navigate(course, exited.state, "exit").refused == "there is no activity under way to exit"
    assert step(course, exited.state, "continue").deliver == "playing_par_item"
    abandoned = step(course, state, "abandon")
    assert seq.activity_status(course, abandoned.state)["playing_playing_item"].completion == "incomplete"


def test_a_start_after_the_course_ended_is_a_new_attempt_as_the_sn_book_says():
    course = tree(BASIC)
    state = step(course, seq.new_state(course), "start").state
    ended = step(course, seq.report(course, state, "item_1", passed(0.75)), "continue")
    assert ended.ended is True
    again = step(course, ended.state, "start")
    assert again.deliver == "item_1" and again.state["activities"]["item_1"]["attempts"] == 2
    assert seq.rolled_up(course, again.state) == seq.Rollup("incomplete", "unknown", None)
    state = seq.report(course, again.state, "item_1", failed(0.25))
    assert seq.rolled_up(course, state) == seq.Rollup("completed", "failed", 0.25)


@pytest.mark.parametrize("name", ["ContentPackagingSingleSCO_SCORM20042ndEdition.zip", BASIC,
                                  "RunTimeAdvancedCalls_SCORM20043rdEdition.zip", MINIMUM])
def test_each_2004_sample_without_sequencing_rules_plays_through(name):
    course = tree(name)
    outcome = step(course, seq.new_state(course), "start")
    assert outcome.deliver == course.leaves()[0].id and course.find(outcome.deliver).resource_href
    while outcome.deliver is not None:
        outcome = step(course, seq.report(course, outcome.state, outcome.deliver, passed(0.9)), "continue")
    assert outcome.ended is True
    assert seq.rolled_up(course, outcome.state) == seq.Rollup("completed", "passed", 0.9)


def test_advanced_calls_passes_by_its_score_against_the_passing_score_0_8():
    course = tree("RunTimeAdvancedCalls_SCORM20043rdEdition.zip")
    assert course.find("item_1").sequencing.primary().min_measure == 0.8
    state = step(course, seq.new_state(course), "start").state
    assert seq.rolled_up(course, seq.report(course, state, "item_1", passed(0.5))).success == "failed"
    assert seq.rolled_up(course, seq.report(course, state, "item_1", failed(0.8))).success == "passed"
