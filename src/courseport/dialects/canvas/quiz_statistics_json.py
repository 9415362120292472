"""Canvas JSON for quiz statistics (QuizStatistics, with its QuizStatisticsQuestionStatistics per question and
QuizStatisticsSubmissionStatistics), from the neutral figures of core/coursework/quiz_statistics.py."""

from __future__ import annotations

import hashlib
from typing import Any

from courseport.core.coursework.quiz_statistics import AnswerFigures, AnswerSet, QuestionFigures, QuizStatistics
from courseport.dialects.canvas.protocol import iso

# Canvas's ids and texts of the students who gave no answer, and of those whose answer matched none.
NO_ANSWER_ID, NO_ANSWER_TEXT = "none", "No Answer"
OTHER_ID, OTHER_TEXT = "other", "Other"
_FOR_A_PERSON = frozenset({"essay_question", "file_upload_question", "calculated_question"})
# The counts each other question type shows, as Canvas's statistics appendix lists them.
_COUNTS = {"multiple_answers_question": ("correct", "partially_correct"), "short_answer_question": ("correct",),
           "numerical_question": ("full_credit", "correct", "incorrect"),
           "fill_in_multiple_blanks_question": ("answered", "correct", "partially_correct", "incorrect"),
           "multiple_dropdowns_question": ("answered", "correct", "partially_correct", "incorrect"),
           "matching_question": ("answered", "correct", "partially_correct", "incorrect")}


def render_statistics(stats: QuizStatistics, origin: str) -> dict[str, Any]:
    quiz = stats.quiz
    base = f"{origin}/courses/{quiz.course_id}/quizzes/{quiz.id}"
    api = f"{origin}/api/v1/courses/{quiz.course_id}/quizzes/{quiz.id}"
    graded = quiz.ref_id is not None and quiz.workflow_state == "published"
    return {"quiz_statistics": [{
        "id": quiz.id, "quiz_id": quiz.id, "url": f"{api}/statistics", "html_url": f"{base}/statistics",
        "multiple_attempts_exist": stats.multiple_attempts_exist, "generated_at": iso(stats.generated_at),
        "includes_all_versions": stats.includes_all_versions, "includes_sis_ids": False,
        "points_possible": quiz.points or 0.0, "anonymous_survey": stats.anonymous,
        "speed_grader_url": (f"{origin}/courses/{quiz.course_id}/gradebook/speed_grader?assignment_id={quiz.ref_id}"
                             if graded else None),
        "quiz_submissions_zip_url": f"{base}/submissions?zip=1",
        "question_statistics": [_question(q, stats) for q in stats.questions],
        "submission_statistics": _submissions(stats), "links": {"quiz": api},
    }]}


def _submissions(stats: QuizStatistics) -> dict[str, Any]:
    s = stats.submissions
    return {"scores": {str(k): v for k, v in s.by_percentile.items()}, "score_average": s.score_average,
            "score_high": s.score_high, "score_low": s.score_low, "score_stdev": s.score_stdev,
            "correct_count_average": s.correct_count_average, "incorrect_count_average": s.incorrect_count_average,
            "duration_average": s.duration_average, "unique_count": s.unique_count}


def _question(figures: QuestionFigures, stats: QuizStatistics) -> dict[str, Any]:
    question = figures.question
    body: dict[str, Any] = {"id": str(question.id), "question_type": figures.kind,
                            "question_text": question.body or "", "position": question.position,
                            "responses": figures.responses}
    if figures.kind in _FOR_A_PERSON:
        body.update(graded=figures.graded, full_credit=figures.full_credit,
                    point_distribution=[{"score": s, "count": n} for s, n in figures.point_distribution])
    counts = {"answered": figures.answered, "correct": figures.correct, "full_credit": figures.full_credit,
              "partially_correct": figures.partially_correct, "incorrect": figures.incorrect}
    body.update({name: counts[name] for name in _COUNTS.get(figures.kind, ())})
    if figures.answers is not None:
        body["answers"] = [_answer(a, stats) for a in figures.answers]
    if figures.answer_sets is not None:
        body["answer_sets"] = [_answer_set(s, figures.kind, stats) for s in figures.answer_sets]
    if figures.item is not None:
        body.update(_item(figures))
    return body


def _answer_set(answer_set: AnswerSet, kind: str, stats: QuizStatistics) -> dict[str, Any]:
    """A blank's set is named by the MD5 of its name, as Canvas names it; a matching set by its answer id."""
    key = answer_set.key if kind == "matching_question" else hashlib.md5(answer_set.key.encode()).hexdigest()
    return {"id": key, "text": answer_set.text, "answers": [_answer(a, stats) for a in answer_set.answers]}


def _answer(figures: AnswerFigures, stats: QuizStatistics) -> dict[str, Any]:
    if figures.answer_id is not None:
        answer_id, text = str(figures.answer_id), figures.text
    else:
        answer_id, text = (OTHER_ID, OTHER_TEXT) if figures.unmatched else (NO_ANSWER_ID, NO_ANSWER_TEXT)
    body: dict[str, Any] = {"id": answer_id, "text": text, "correct": figures.correct,
                            "responses": len(figures.user_ids)}
    if not stats.anonymous:
        body.update(user_ids=figures.user_ids, user_names=[stats.names.get(u) for u in figures.user_ids])
    if figures.numeric is not None:
        body.update(_numeric(figures.numeric))
    return body


def _numeric(answer: dict[str, Any]) -> dict[str, Any]:
    """A numerical answer as Canvas shows it: its text ("15.00", "[3.00..54.12]", "1.5 (with precision: 2)"),
    `value` its bounds (exact plus or minus the margin; a range's ends; approximate plus or minus precision),
    `margin` (0 but for exact answers) and `is_range`."""
    kind = answer.get("numerical_answer_type")
    number = {k: float(answer.get(k) or 0) for k in ("exact", "margin", "start", "end", "approximate", "precision")}
    if kind == "range_answer":
        text, value = f"[{number['start']:.2f}..{number['end']:.2f}]", [number["start"], number["end"]]
    elif kind == "precision_answer":
        precision = number["precision"]
        text = f"{_plain(number['approximate'])} (with precision: {_plain(precision)})"
        value = [number["approximate"] - precision, number["approximate"] + precision]
    else:
        text, value = f"{number['exact']:.2f}", [number["exact"] - number["margin"], number["exact"] + number["margin"]]
    return {"text": text, "value": value, "margin": number["margin"], "is_range": kind == "range_answer"}


def _plain(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _item(figures: QuestionFigures) -> dict[str, Any]:
    item = figures.item
    assert item is not None
    return {
        "answered_student_count": item.answered, "top_student_count": item.top,
        "middle_student_count": item.middle, "bottom_student_count": item.bottom,
        "correct_student_count": item.correct, "incorrect_student_count": item.incorrect,
        "correct_student_ratio": item.correct_ratio, "incorrect_student_ratio": item.incorrect_ratio,
        "correct_top_student_count": item.correct_top, "correct_middle_student_count": item.correct_middle,
        "correct_bottom_student_count": item.correct_bottom, "variance": item.variance, "stdev": item.stdev,
        "difficulty_index": item.difficulty_index, "alpha": item.alpha,
        "point_biserials": [{"answer_id": b.answer_id, "point_biserial": b.value, "correct": b.correct,
                             "distractor": not b.correct} for b in item.biserials],
    }
