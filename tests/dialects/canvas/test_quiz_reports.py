"""Canvas Quiz Reports API over raw HTTP: the statistics scenario's quiz reported as CSV by a background job
(student and item analysis), the report's exact body before and after, the current report answered again,
aborting and deleting, refusals with Canvas's whole bodies."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from courseport.schema import File, Job
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND
from tests.dialects.canvas.test_quiz_statistics import _scenario


def _csv(world, body):
    with world.client() as anonymous:  # the file URL carries its verifier
        r = anonymous.get(body["file"]["url"], follow_redirects=True)
    assert r.status_code == 200, r.text
    return list(csv.reader(io.StringIO(r.content.decode())))


def test_a_student_analysis_is_made_by_a_job_and_its_file_is_the_csv(world):
    course, cast, quiz, base, q, u = _scenario(world)
    origin = world.services.settings.base_url
    with world.client(cast["teacher"]) as c:
        r = c.post(f"{base}/reports", data={"quiz_report[report_type]": "student_analysis", "include[]": "progress"})
        assert r.status_code == 200, r.text
        made = r.json()
        report_id = made["id"]
        progress = made.pop("progress")
        assert made == {
            "id": report_id, "quiz_id": quiz["id"], "report_type": "student_analysis",
            "readable_type": "Student Analysis", "includes_all_versions": False, "anonymous": False,
            "generatable": True, "created_at": made["created_at"], "updated_at": made["updated_at"],
            "url": f"{origin}/api/v1/courses/{course.id}/quizzes/{quiz['id']}/reports/{report_id}",
            "progress_url": f"{origin}/api/v1/progress/{report_id}"}
        assert (progress["id"], progress["workflow_state"], progress["tag"]) == (report_id, "queued", "quiz_report")
        again = c.post(f"{base}/reports", data={"quiz_report[report_type]": "student_analysis"}).json()
        assert again["id"] == report_id  # still being made: the same report
        assert world.run_jobs() == 1
        done = c.get(f"{base}/reports/{report_id}", params={"include[]": ["file", "progress"]}).json()
        assert done["progress"]["workflow_state"] == "completed"
        assert done["file"]["display_name"] == "Capitals Student Analysis Report.csv"
        assert done["file"]["content-type"] == "text/csv"
        assert "file" not in c.get(f"{base}/reports/{report_id}").json()  # only when include[] asks
        current = c.post(f"{base}/reports", data={"quiz_report[report_type]": "student_analysis"}).json()
        assert current["id"] == report_id  # no attempt finished since: still current
    rows = _csv(world, done)
    ids = [str(q[k]["id"]) for k in ("mc", "tf", "many", "essay")]
    assert rows[0] == ["name", "id", "sis_id", "submitted", "attempt",
                       f"{ids[0]}: Capital?", "2.0", f"{ids[1]}: Rome is Italy's capital", "1.0",
                       f"{ids[2]}: Coastal capitals", "2.0", f"{ids[3]}: Why?", "3.0",
                       "n correct", "n incorrect", "score"]
    # kept attempts, newest finished first: Dan's second, Cat, Bob, Ann
    assert [(r[0], r[1], r[4], r[-1]) for r in rows[1:]] == [
        ("Dan", str(u["dan"]), "2", "4.0"), ("Cat", str(u["cat"]), "1", "3.0"), ("Bob", str(u["bob"]), "1", "2.0"),
        ("Ann", str(u["ann"]), "1", "8.0")]
    ann = rows[4]
    assert ann[5:13] == ["Paris", "2.0", "True", "1.0", "Lisbon,Athens", "2.0", "because", "3.0"]
    assert ann[13:15] == ["3", "0"]  # the graded essay is neither correct nor incorrect
    with world.tx() as db:
        job = db.get_one(Job, report_id)
        assert (job.kind, job.state, job.context_type, job.context_id) == ("quiz_report", "completed", "Quiz",
                                                                          quiz["id"])
        file = db.get_one(File, job.result["file_id"])
        assert (file.course_id, file.folder_path, file.content_type) == (None, "quiz reports", "text/csv")


def test_an_item_analysis_lists_the_single_answer_questions(world):
    course, cast, quiz, base, q, _ = _scenario(world)
    with world.client(cast["teacher"]) as c:
        made = c.post(f"{base}/reports", json={"quiz_report": {"report_type": "item_analysis",
                                                               "includes_all_versions": True}}).json()
        assert (made["report_type"], made["readable_type"], made["includes_all_versions"]) == (
            "item_analysis", "Item Analysis", True)
        assert world.run_jobs() == 1
        done = c.get(f"{base}/reports/{made['id']}", params={"include[]": "file"}).json()
        stats = c.get(f"{base}/statistics").json()["quiz_statistics"][0]["question_statistics"]
    rows = _csv(world, done)
    assert rows[0][:4] == ["Question Id", "Question Title", "Answered Student Count", "Top Student Count"]
    assert rows[0][-3:] == ["Point Biserial of Correct", "Point Biserial of Distractor 2",
                            "Point Biserial of Distractor 3"]
    assert [r[:2] for r in rows[1:]] == [[str(q["mc"]["id"]), "France"], [str(q["tf"]["id"]), "Rome"]]
    mc = rows[1]
    figures = stats[0]
    assert [int(x) for x in mc[2:9]] == [
        figures["answered_student_count"], figures["top_student_count"], figures["middle_student_count"],
        figures["bottom_student_count"], 2, figures["correct_student_count"], figures["incorrect_student_count"]]
    assert float(mc[14]) == figures["variance"] and mc[17] == ""  # no alpha under 16 questions
    assert float(mc[18]) == pytest.approx(figures["point_biserials"][0]["point_biserial"])
    assert mc[20] == ""  # Nice: nobody chose it
    assert len(rows[2]) == 20  # true/false: one distractor


def test_a_report_is_current_until_an_attempt_finishes_and_the_list_has_the_newest_per_type(world):
    course, cast, quiz, base, q, u = _scenario(world)
    with world.client(cast["teacher"]) as c:
        first = c.post(f"{base}/reports", data={"quiz_report[report_type]": "student_analysis"}).json()
        item = c.post(f"{base}/reports", data={"quiz_report[report_type]": "item_analysis"}).json()
        assert world.run_jobs() == 2
    with world.client(cast["student"]) as c:  # the cast's student takes the quiz: a new finished attempt
        qs = c.post(f"{base}/submissions").json()["quiz_submissions"][0]
        r = c.post(f"{base}/submissions/{qs['id']}/complete",
                   json={"attempt": 1, "validation_token": qs["validation_token"]})
        assert r.status_code == 200, r.text
    with world.client(cast["teacher"]) as c:
        second = c.post(f"{base}/reports", data={"quiz_report[report_type]": "student_analysis"}).json()
        assert second["id"] != first["id"]
        listed = c.get(f"{base}/reports").json()
    assert [r["id"] for r in listed] == [second["id"], item["id"]]


def test_deleting_aborts_a_running_report_or_deletes_a_made_ones_file(world):
    course, cast, quiz, base, _, _ = _scenario(world)
    with world.client(cast["teacher"]) as c:
        queued = c.post(f"{base}/reports", data={"quiz_report[report_type]": "student_analysis"}).json()
        r = c.delete(f"{base}/reports/{queued['id']}")
        assert (r.status_code, r.content) == (204, b"")
        assert world.run_jobs() == 0
        with world.tx() as db:
            assert db.get_one(Job, queued["id"]).state == "cancelled"
        made = c.post(f"{base}/reports", data={"quiz_report[report_type]": "student_analysis"}).json()
        assert made["id"] != queued["id"]  # an aborted report is not current
        assert world.run_jobs() == 1
        with world.tx() as db:
            file_id = db.get_one(Job, made["id"]).result["file_id"]
        assert c.delete(f"{base}/reports/{made['id']}").status_code == 204
        with world.tx() as db:
            assert db.get_one(File, file_id).workflow_state == "deleted"
        after = c.get(f"{base}/reports/{made['id']}", params={"include[]": "file"}).json()
        assert "file" not in after and after["id"] == made["id"]
        r = c.delete(f"{base}/reports/{made['id']}")  # nothing left to abort or delete
        assert r.status_code == 409, r.text
        fresh = c.post(f"{base}/reports", data={"quiz_report[report_type]": "student_analysis"}).json()
        assert fresh["id"] not in (queued["id"], made["id"])


def test_refusals_and_unknown_ids(world):
    course, cast, quiz, base, _, _ = _scenario(world)
    with world.client(cast["teacher"]) as c:
        r = c.post(f"{base}/reports", data={"quiz_report[report_type]": "grades"})
        assert r.status_code == 400, r.text
        assert r.json() == {"errors": [{"message": "quiz_report[report_type] must be one of student_analysis, "
                                                   "item_analysis", "field": "quiz_report[report_type]"}]}
        r = c.post(f"{base}/reports")
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "quiz_report[report_type]"
        made = c.post(f"{base}/reports", data={"quiz_report[report_type]": "item_analysis"}).json()
    for role in ("student", "observer", "designer", "outsider"):
        with world.client(cast[role]) as c:
            for r in (c.post(f"{base}/reports", data={"quiz_report[report_type]": "item_analysis"}),
                      c.get(f"{base}/reports"), c.get(f"{base}/reports/{made['id']}"),
                      c.delete(f"{base}/reports/{made['id']}")):
                assert (r.status_code, r.json()) == (403, FORBIDDEN), role
    other = world.course("Other")
    with world.client(cast["admin"]) as c:
        for path in (f"{base}/reports/99999999", f"{base}/reports/abc",
                     f"/api/v1/courses/{course.id}/quizzes/99999999/reports",
                     f"/api/v1/courses/{other.id}/quizzes/{quiz['id']}/reports/{made['id']}"):
            r = c.get(path)
            assert (r.status_code, r.json()) == (404, NOT_FOUND), path
    with world.tx() as db:  # refused calls queued nothing
        assert db.scalars(select(Job.id).where(Job.kind == "quiz_report")).all() == [made["id"]]
