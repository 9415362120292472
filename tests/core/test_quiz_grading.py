"""Quiz grading rules in core: checking a student's answer per question type and scoring it."""

from __future__ import annotations

import pytest

from courseport.core.coursework.quiz_grading import RefusedState, checked_answer, score
from courseport.core.coursework.quiz_questions import parse_answers
from courseport.core.coursework.quiz_submissions import kept_score
from courseport.schema import ContentItem, QuizAttempt


def _question(kind: str, answers: list[dict], distractors: str = "") -> dict:
    parsed, matches = parse_answers(kind, answers, distractors)
    return {"question_type": kind, "answers": parsed, "matches": matches}


def _scored(question: dict, points: float, raw) -> float | None:
    return score(question, points, checked_answer(question, raw))


def test_multiple_choice_and_true_false_score_all_or_nothing():
    q = _question("multiple_choice_question", [{"answer_text": "A", "answer_weight": 100}, {"answer_text": "B"}])
    right, wrong = (a["id"] for a in q["answers"])
    assert (_scored(q, 2, right), _scored(q, 2, str(wrong)), _scored(q, 2, None)) == (2.0, 0.0, 0.0)
    with pytest.raises(RefusedState, match=r"^Unknown answer '99'\.$"):
        checked_answer(q, 99)
    with pytest.raises(RefusedState, match=r"^Parameter must be of type Integer\.$"):
        checked_answer(q, "A")


@pytest.mark.parametrize(("chosen", "expected"), [
    ([0, 1], 4.0), ([0], 2.0), ([0, 2], 0.0), ([0, 1, 2], 2.0), ([2], 0.0), ([], 0.0)])
def test_multiple_answers_share_points_among_right_answers_and_dock_wrong_ones(chosen, expected):
    q = _question("multiple_answers_question", [{"answer_text": "A", "answer_weight": 100},
                                                {"answer_text": "B", "answer_weight": 100},
                                                {"answer_text": "C", "answer_weight": 0}])
    ids = [a["id"] for a in q["answers"]]
    assert _scored(q, 4, [ids[i] for i in chosen]) == expected


def test_multiple_answers_takes_a_list_only():
    q = _question("multiple_answers_question", [{"answer_text": "A", "answer_weight": 100}])
    with pytest.raises(RefusedState, match=r"^Selection must be of type Array\.$"):
        checked_answer(q, 1)


def test_short_answer_matches_any_answer_ignoring_case_and_outer_spaces():
    q = _question("short_answer_question", [{"answer_text": "Paris", "answer_weight": 100},
                                            {"answer_text": "Paris, France", "answer_weight": 100}])
    assert [_scored(q, 1, t) for t in (" paris ", "PARIS, FRANCE", "Pariss", "")] == [1.0, 1.0, 0.0, 0.0]
    with pytest.raises(RefusedState, match=r"^Text is too long\.$"):
        checked_answer(q, "x" * (16 * 1024 + 1))


@pytest.mark.parametrize(("answer", "given", "expected"), [
    ({"numerical_answer_type": "exact_answer", "answer_exact": 10, "answer_error_margin": 0.5}, "10.5", 1.0),
    ({"numerical_answer_type": "exact_answer", "answer_exact": 10, "answer_error_margin": 0.5}, 10.51, 0.0),
    ({"numerical_answer_type": "exact_answer", "answer_exact": 10}, "10", 1.0),
    ({"numerical_answer_type": "range_answer", "answer_range_start": 1, "answer_range_end": 2}, "2", 1.0),
    ({"numerical_answer_type": "range_answer", "answer_range_start": 1, "answer_range_end": 2}, "0.99", 0.0),
    ({"numerical_answer_type": "precision_answer", "answer_approximate": 3.14159, "answer_precision": 3},
     "3.14", 1.0),
    ({"numerical_answer_type": "precision_answer", "answer_approximate": 3.14159, "answer_precision": 3},
     "3.15", 0.0),
])
def test_numerical_exact_range_and_precision(answer, given, expected):
    q = _question("numerical_question", [answer])
    assert _scored(q, 1, given) == expected


def test_numerical_takes_decimals_only():
    q = _question("numerical_question", [{"answer_exact": 1}])
    for bad in ("ten", "nan", "inf", [1]):
        with pytest.raises(RefusedState, match=r"^Parameter must be a valid decimal\.$"):
            checked_answer(q, bad)


def test_matching_scores_the_share_of_right_pairs():
    q = _question("matching_question", [{"answer_match_left": "DE", "answer_match_right": "Berlin"},
                                        {"answer_match_left": "FR", "answer_match_right": "Paris"},
                                        {"answer_match_left": "IT", "answer_match_right": "Rome"}], "Madrid")
    de, fr, it = q["answers"]
    madrid = q["matches"][-1]["match_id"]
    pairs = [{"answer_id": de["id"], "match_id": de["match_id"]}, {"answer_id": fr["id"], "match_id": madrid},
             {"answer_id": it["id"], "match_id": it["match_id"]}]
    assert _scored(q, 3, pairs) == 2.0
    with pytest.raises(RefusedState, match=r"^Unknown match '999'\.$"):
        checked_answer(q, [{"answer_id": de["id"], "match_id": 999}])
    with pytest.raises(RefusedState, match=r"^Missing parameter 'match_id'\.$"):
        checked_answer(q, [{"answer_id": de["id"]}])
    with pytest.raises(RefusedState, match=r"^Answer must be of type Array\.$"):
        checked_answer(q, {"answer_id": de["id"]})


def test_blanks_score_the_share_of_right_blanks():
    fill = _question("fill_in_multiple_blanks_question", [
        {"answer_text": "red", "blank_id": "c1", "answer_weight": 100},
        {"answer_text": "green", "blank_id": "c2", "answer_weight": 100}])
    assert _scored(fill, 2, {"c1": " Red", "c2": "blue"}) == 1.0
    with pytest.raises(RefusedState, match=r"^Unknown variable 'c9'\.$"):
        checked_answer(fill, {"c9": "x"})
    drop = _question("multiple_dropdowns_question", [
        {"answer_text": "red", "blank_id": "c1", "answer_weight": 100},
        {"answer_text": "blue", "blank_id": "c1", "answer_weight": 0},
        {"answer_text": "big", "blank_id": "size", "answer_weight": 100}])
    red, blue, big = (a["id"] for a in drop["answers"])
    assert _scored(drop, 4, {"c1": str(red), "size": big}) == 4.0
    assert _scored(drop, 4, {"c1": blue}) == 0.0
    with pytest.raises(RefusedState, match=rf"^Unknown answer '{big}'\.$"):
        checked_answer(drop, {"c1": big})


def test_essay_file_upload_and_formulas_wait_for_a_person_text_only_scores_nothing():
    assert score({"question_type": "essay_question"}, 5, "text") is None
    assert score({"question_type": "file_upload_question"}, 5, [1]) is None
    assert score({"question_type": "calculated_question"}, 5, 1.0) is None
    assert score({"question_type": "text_only_question"}, 0, None) == 0.0
    assert checked_answer({"question_type": "essay_question"}, "<p>ok</p><script>x()</script>") == "<p>ok</p>"


@pytest.mark.parametrize(("policy", "expected"), [
    ("keep_highest", 7.0), ("keep_latest", 5.0), ("keep_average", 4.67), (None, 7.0)])
def test_kept_score_follows_the_scoring_policy_over_finished_attempts(policy, expected):
    quiz = ContentItem(type="quiz", data={"scoring_policy": policy})
    attempts = [QuizAttempt(attempt=n, workflow_state=state, score=points) for n, state, points in (
        (1, "complete", 2.0), (2, "pending_review", 7.0), (3, "complete", 5.0), (4, "untaken", None))]
    assert kept_score(quiz, attempts) == expected
    assert kept_score(quiz, attempts[3:]) is None
