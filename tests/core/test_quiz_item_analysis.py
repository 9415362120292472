"""Item analysis of single-answer quiz questions (core/coursework/quiz_item_analysis.py): buckets with ties,
point biserials, and Cronbach's alpha only over more than 15 questions."""

from __future__ import annotations

import math

from courseport.core.coursework.quiz_item_analysis import analyse, variance

QUESTION = {"question_type": "multiple_choice_question",
            "answers": [{"id": 1, "weight": 0}, {"id": 2, "weight": 100}, {"id": 3, "weight": 0}]}


def _one(scores, chosen):
    """Figures of one 1-point question answered as `chosen` (student -> answer id, None for a blank)."""
    return analyse(scores, [(7, QUESTION, 1.0, u, a) for u, a in chosen.items()])[7]


def test_students_tied_at_a_floor_join_the_higher_bucket():
    everyone = {1: 2, 2: 2, 3: 3, 4: 4}
    figures = _one(everyone, {u: 2 for u in everyone})
    assert (figures.top, figures.middle, figures.bottom) == (1, 3, 0)
    everyone = {1: 1, 2: 5, 3: 5, 4: 5}
    figures = _one(everyone, {u: 2 for u in everyone})
    assert (figures.top, figures.middle, figures.bottom) == (3, 0, 1)


def test_blanks_are_no_respondents_and_the_right_answer_is_the_heaviest():
    figures = _one({1: 4.0, 2: 1.0, 3: 0.0}, {1: 2, 2: 1, 3: None})
    assert (figures.answered, figures.correct, figures.incorrect, figures.correct_ratio) == (2, 1, 1, 0.5)
    assert [(b.answer_id, b.correct) for b in figures.biserials] == [(2, True), (1, False), (3, False)]
    # respondents 4 and 1: sd 1.5, p 0.5 -> (4 - 1) / 1.5 * 0.5
    assert [b.value for b in figures.biserials] == [1.0, -1.0, None]
    assert (figures.variance, figures.stdev, figures.difficulty_index, figures.alpha) == (0.25, 0.5, 0.5, None)


def test_no_spread_gives_no_point_biserial_and_nobody_no_ratio():
    assert [b.value for b in _one({1: 2.0, 2: 2.0}, {1: 2, 2: 1}).biserials] == [None, None, None]
    figures = _one({1: 2.0}, {1: None})
    assert (figures.answered, figures.correct_ratio, figures.incorrect_ratio) == (0, 0.0, 0.0)


def test_alpha_is_given_over_more_than_fifteen_questions():
    scores = {1: 16.0, 2: 8.0, 3: 0.0}
    # student 1 gets every question right, student 2 the even ones, student 3 none
    answers = {1: lambda n: 2, 2: lambda n: 2 if n % 2 == 0 else 1, 3: lambda n: 1}

    def shown(count):
        return [(n, QUESTION, 1.0, u, pick(n)) for n in range(count) for u, pick in answers.items()]

    assert {f.alpha for f in analyse(scores, shown(15)).values()} == {None}
    sixteen = analyse(scores, shown(16))
    item_variances = sum(variance([1.0, 1.0 if n % 2 == 0 else 0.0, 0.0]) for n in range(16))
    expected = 16 / 15 * (1 - item_variances / variance(list(scores.values())))
    assert {f.alpha for f in sixteen.values()} == {expected}
    assert math.isclose(expected, 16 / 15 * (1 - (8 * 2 / 9 + 8 * 2 / 9) / (128 / 3)))
