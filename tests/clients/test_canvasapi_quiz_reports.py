"""canvasapi 3.6.0, unmodified, against the live server: a teacher asks for a quiz's reports, waits for the
job, reads the CSV through the report's file, lists the reports and removes one (Quiz.create_report,
get_quiz_report, get_all_quiz_reports, QuizReport.abort_or_delete)."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import Forbidden

from courseport.schema import File, Job
from tests.dialects.canvas.test_quiz_statistics import _scenario


def test_a_teacher_makes_reads_lists_and_removes_quiz_reports(world):
    course, cast, quiz_json, _, _, _ = _scenario(world)
    quiz = world.canvas(cast["teacher"]).get_course(course.id).get_quiz(quiz_json["id"])
    report = quiz.create_report("student_analysis", include=["progress"])
    assert (report.quiz_id, report.report_type, report.progress["workflow_state"]) == (
        quiz.id, "student_analysis", "queued")
    assert quiz.create_report("student_analysis").id == report.id
    items = quiz.create_report("item_analysis")
    assert world.run_jobs() == 2
    done = quiz.get_quiz_report(report.id, include=["file"])
    with world.client() as anonymous:
        body = anonymous.get(done.file["url"], follow_redirects=True).text
    assert body.splitlines()[0].startswith("name,id,sis_id,submitted,attempt,")
    assert len(body.splitlines()) == 5  # four students' kept attempts
    assert sorted(r.id for r in quiz.get_all_quiz_reports()) == sorted([report.id, items.id])
    assert done.abort_or_delete() is True
    with world.tx() as db:
        file = db.get_one(File, db.get_one(Job, report.id).result["file_id"])
        assert file.workflow_state == "deleted"
    assert not hasattr(quiz.get_quiz_report(report.id, include=["file"]), "file")


def test_students_may_not_ask_for_reports(world):
    course, cast, quiz_json, _, _, _ = _scenario(world)
    quiz = world.canvas(cast["student"]).get_course(course.id).get_quiz(quiz_json["id"])
    with pytest.raises(Forbidden):
        quiz.create_report("item_analysis")
    with world.tx() as db:
        assert db.query(Job).filter_by(kind="quiz_report").count() == 0
