"""Canvas Submissions API routes: submit, upload a file for a submission, list, show, grade/comment, mark
read/unread, and submissions across students."""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.coursework import gradeable_students, rubric_assessments, submissions
from courseport.core.coursework.submissions import GradeChange, SubmissionEntry, SubmissionsQuery
from courseport.dialects.canvas.course_json import render_user_display
from courseport.dialects.canvas.files import upload_answer
from courseport.dialects.canvas.protocol import Call, delete, get, post, put
from courseport.dialects.canvas.rubric_params import assessment_spelled, criterion_scores
from courseport.dialects.canvas.submission_json import SubmissionRenderer

_ASSIGNMENT = "/courses/{course_id:str}/assignments/{assignment_id:str}/submissions"


def _renderer(call: Call, *extra: str) -> SubmissionRenderer:
    return SubmissionRenderer(call.origin, call.services.secret, {*call.list("include[]"), *extra})


def _assessed(render: SubmissionRenderer, db: Any, views: list[Any]) -> SubmissionRenderer:
    """The renderer with the views' rubric assessments when include[] asks for them."""
    if render.includes & {"rubric_assessment", "full_rubric_assessment"}:
        render.assessments = rubric_assessments.for_submissions(
            db, [(v.assignment.id, v.submission.user_id) for v in views])
    return render


@post(_ASSIGNMENT, status_code=201)
def submit_assignment(call: Call, course_id: str, assignment_id: str) -> dict:
    entry = SubmissionEntry(
        submission_type=call.str("submission[submission_type]"), body=call.str("submission[body]"),
        url=call.str("submission[url]"), file_ids=tuple(call.list("submission[file_ids][]")),
        media_comment_id=call.str("submission[media_comment_id]"),
        annotatable_attachment_id=call.str("submission[annotatable_attachment_id]"),
        comment=call.str("comment[text_comment]"))
    with call.write() as (db, me):
        view = submissions.submit(db, me, course_id, assignment_id, entry)
    return _renderer(call, "submission_comments").submission(view)


@post(_ASSIGNMENT + "/{user_id:str}/files", status_code=200)
def start_submission_upload(call: Call, course_id: str, assignment_id: str, user_id: str) -> dict:
    """Step one of a student's file upload for a submission; step two is the shared file upload URL."""
    with call.read() as (db, me):
        ticket = submissions.start_submission_upload(
            db, me, course_id, assignment_id, user_id, name=call.str("name"), size=call.int("size"),
            content_type=call.str("content_type"), max_upload_bytes=call.services.settings.max_upload_bytes)
    return upload_answer(call, ticket)


@get(_ASSIGNMENT)
def list_assignment_submissions(call: Call, course_id: str, assignment_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = submissions.assignment_submissions(db, me, course_id, assignment_id, window)
        render = _assessed(_renderer(call), db, page.items)
    return call.paged([render.submission(v) for v in page.items], window, page)


@get(_ASSIGNMENT + "/{user_id:str}")
def get_submission(call: Call, course_id: str, assignment_id: str, user_id: str) -> dict:
    with call.read() as (db, me):
        view = submissions.user_submission(db, me, course_id, assignment_id, user_id)
        return _assessed(_renderer(call), db, [view]).submission(view)


@put(_ASSIGNMENT + "/{user_id:str}")
def grade_submission(call: Call, course_id: str, assignment_id: str, user_id: str) -> dict:
    change = GradeChange(posted_grade=call.str("submission[posted_grade]"), excuse=call.bool("submission[excuse]"),
                         comment=call.str("comment[text_comment]"),
                         late_policy_status=call.str("submission[late_policy_status]"),
                         seconds_late_override=call.int("submission[seconds_late_override]"))
    scores = criterion_scores(call)
    with call.write() as (db, me), assessment_spelled(call):
        if scores:  # rubric scores first: a posted_grade sent with them is the grade that stays
            rubric_assessments.assess_submission(db, me, course_id, assignment_id, user_id, scores)
        view = submissions.grade(db, me, course_id, assignment_id, user_id, change)
        return _assessed(_renderer(call, "submission_comments"), db, [view]).submission(view)


@put(_ASSIGNMENT + "/{user_id:str}/read", status_code=204)
def mark_submission_read(call: Call, course_id: str, assignment_id: str, user_id: str) -> None:
    with call.write() as (db, me):
        submissions.mark_read(db, me, course_id, assignment_id, user_id, read=True)


@delete(_ASSIGNMENT + "/{user_id:str}/read", status_code=204)
def mark_submission_unread(call: Call, course_id: str, assignment_id: str, user_id: str) -> None:
    with call.write() as (db, me):
        submissions.mark_read(db, me, course_id, assignment_id, user_id, read=False)


def _students_submissions(call: Call, course_id: str, section_id: str | None = None) -> Response:
    window = call.window()
    query = SubmissionsQuery(student_ids=tuple(call.list("student_ids[]")),
                             assignment_ids=tuple(call.list("assignment_ids[]")),
                             workflow_state=call.str("workflow_state") or None)
    render = _renderer(call)
    with call.read() as (db, me):
        course: str | int = course_id
        if section_id is not None:  # the section's course, its students only
            course, query = submissions.in_section(db, me, section_id, query)
        if call.bool("grouped", False):
            grouped = submissions.grouped_student_submissions(db, me, course, query, window)
            return call.paged([render.grouped(g) for g in grouped.items], window, grouped)
        page = submissions.student_submissions(db, me, course, query, window)
        render = _assessed(render, db, page.items)
        return call.paged([render.submission(v) for v in page.items], window, page)


@get("/courses/{course_id:str}/students/submissions")
def list_students_submissions(call: Call, course_id: str) -> Response:
    return _students_submissions(call, course_id)


@get("/sections/{section_id:str}/students/submissions")
def list_section_students_submissions(call: Call, section_id: str) -> Response:
    return _students_submissions(call, "", section_id)


@get("/courses/{course_id:str}/assignments/{assignment_id:str}/gradeable_students")
def list_gradeable_students(call: Call, course_id: str, assignment_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        course, page = gradeable_students.gradeable_students(db, me, course_id, assignment_id, window)
    return call.paged([_user_display(u, call.origin, course.id) for u in page.items], window, page)


def _user_display(user: Any, origin: str, course_id: int) -> dict:
    shown = render_user_display(user, origin, course_id)
    return {k: shown[k] for k in ("id", "display_name", "avatar_image_url", "html_url", "pronouns")}


ROUTES = [submit_assignment, start_submission_upload, list_assignment_submissions, get_submission, grade_submission,
          list_students_submissions, mark_submission_read, mark_submission_unread,
          list_section_students_submissions, list_gradeable_students]
