"""The late policy's arithmetic (core/coursework/late_deductions.py), on unsaved rows: intervals started count
whole, the floor holds, scores already below it are kept, nothing goes below zero, pass/fail and pointless
assignments lose nothing, and the missing score."""

from __future__ import annotations

import pytest

from courseport.core.coursework.late_deductions import deducted, missing_score
from courseport.schema import LatePolicy
from courseport.schema.content import ContentItem


def _policy(**fields) -> LatePolicy:
    base = {"missing_submission_deduction_enabled": False, "missing_submission_deduction": 0.0,
            "late_submission_deduction_enabled": True, "late_submission_deduction": 10.0,
            "late_submission_interval": "hour", "late_submission_minimum_percent_enabled": False,
            "late_submission_minimum_percent": 0.0}
    return LatePolicy(**{**base, **fields})


def _assignment(points: float | None = 10.0, grading_type: str = "points") -> ContentItem:
    return ContentItem(points=points, data={"grading_type": grading_type})


@pytest.mark.parametrize("policy, score, seconds, expected", [
    ({}, 10.0, 1, 1.0),  # one second late: a whole hour started
    ({}, 10.0, 3600, 1.0),
    ({}, 10.0, 3601, 2.0),
    ({"late_submission_interval": "day"}, 10.0, 86400 * 2 + 5, 3.0),
    ({}, 10.0, 3600 * 30, 10.0),  # never below zero
    ({}, 3.0, 3600 * 5, 3.0),
    ({"late_submission_minimum_percent_enabled": True, "late_submission_minimum_percent": 60.0}, 10.0, 3600 * 9, 4.0),
    ({"late_submission_minimum_percent_enabled": True, "late_submission_minimum_percent": 60.0}, 5.0, 3600, 0.0),
    ({"late_submission_deduction_enabled": False}, 10.0, 3600 * 3, 0.0),
    ({"late_submission_deduction": 12.5}, 8.0, 3600 * 2, 2.5),
    ({}, 10.0, 0, 0.0),
])
def test_points_deducted(policy, score, seconds, expected):
    assert deducted(_policy(**policy), _assignment(), score, seconds) == expected


def test_pass_fail_and_pointless_assignments_lose_nothing():
    assert deducted(_policy(), _assignment(grading_type="pass_fail"), 10.0, 3600 * 3) == 0.0
    assert deducted(_policy(), _assignment(points=0.0), 4.0, 3600 * 3) == 0.0
    assert deducted(_policy(), _assignment(points=None), 4.0, 3600 * 3) == 0.0


def test_missing_score():
    assert missing_score(_policy(missing_submission_deduction=25.0), _assignment(points=8.0)) == 6.0
    assert missing_score(_policy(missing_submission_deduction=100.0), _assignment()) == 0.0
    assert missing_score(_policy(missing_submission_deduction=30.0), _assignment(grading_type="pass_fail")) == 0.0
    assert missing_score(_policy(missing_submission_deduction=0.0), _assignment(grading_type="pass_fail")) == 10.0
