"""Canvas Submissions API over raw HTTP: submit, grade, read; exact bodies, errors, rights, state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from courseport.schema import File
from courseport.schema.content import Submission
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _class(world):
    """A course with a teacher, two students (ann, bob), an observer of ann, and tokens for each."""
    course = world.course("Biology 101")
    people = {}
    for login, etype, extra in (("tina", "TeacherEnrollment", {}), ("ann", "StudentEnrollment", {}),
                                ("bob", "StudentEnrollment", {})):
        user, token = world.user_with_token(login)
        world.enroll(user, course, etype, **extra)
        people[login] = (user, token)
    olga, olga_token = world.user_with_token("olga")
    world.enroll(olga, course, "ObserverEnrollment", associated_user_id=people["ann"][0].id)
    people["olga"] = (olga, olga_token)
    return course, people


def _path(course, assignment, tail: str = "") -> str:
    return f"/api/v1/courses/{course.id}/assignments/{assignment.id}/submissions{tail}"


def _row(world, assignment, user) -> Submission | None:
    with world.tx() as db:
        return db.scalar(select(Submission).where(Submission.item_id == assignment.id, Submission.user_id == user.id))


def _unsubmitted(world, course, assignment, user_id: int, **overrides) -> dict:
    body = {
        "id": None, "user_id": user_id, "url": None, "score": None, "grade": None, "excused": False, "attempt": None,
        "submission_type": None, "submitted_at": None, "body": None, "assignment_id": assignment.id,
        "graded_at": None, "grade_matches_current_submission": True, "grader_id": None,
        "workflow_state": "unsubmitted", "late_policy_status": None, "points_deducted": None, "late": False,
        "missing": False, "seconds_late": 0, "entered_grade": None, "entered_score": None, "posted_at": None,
        "cached_due_date": None, "extra_attempts": None,
        "preview_url": f"{world.base_url}/courses/{course.id}/assignments/{assignment.id}/submissions/{user_id}"
                       "?preview=1&version=0",
    }
    body.update(overrides)
    return body


def test_student_submits_text_and_gets_exact_body(world):
    course, people = _class(world)
    (ann, ann_token), (tina, _) = people["ann"], people["tina"]
    assignment = world.assignment(course, "Essay")
    with world.client(ann_token) as c:
        r = c.post(_path(course, assignment), data={
            "submission[submission_type]": "online_text_entry",
            "submission[body]": "<p>My essay</p><script>alert(1)</script>", "comment[text_comment]": "Here it is"})
    assert r.status_code == 201, r.text
    body = r.json()
    row = _row(world, assignment, ann)
    comment = body.pop("submission_comments")
    assert body == _unsubmitted(
        world, course, assignment, ann.id, id=row.id, attempt=1, submission_type="online_text_entry",
        submitted_at=body["submitted_at"], body="<p>My essay</p>", workflow_state="submitted",
        preview_url=f"{world.base_url}/courses/{course.id}/assignments/{assignment.id}/submissions/{ann.id}"
                    "?preview=1&version=0")
    assert comment == [{
        "id": 1, "author_id": ann.id, "author_name": ann.short_name, "comment": "Here it is",
        "created_at": body["submitted_at"], "edited_at": None, "attempt": 1, "media_comment": None,
        "author": {"id": ann.id, "anonymous_id": format(ann.id, "x"), "display_name": ann.short_name,
                   "avatar_image_url": f"{world.base_url}/images/messages/avatar-50.png",
                   "html_url": f"{world.base_url}/courses/{course.id}/users/{ann.id}", "pronouns": None}}]
    assert (row.workflow_state, row.attempt, row.body, row.late) == ("submitted", 1, "<p>My essay</p>", False)
    del tina


def test_resubmitting_counts_attempts_and_late_follows_the_due_date(world):
    course, people = _class(world)
    ann, token = people["ann"]
    due = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    assignment = world.assignment(course, data={"submission_types": ["online_url", "online_text_entry"]}, due_at=due)
    with world.client(token) as c:
        first = c.post(_path(course, assignment), data={"submission[submission_type]": "online_url",
                                                        "submission[url]": "example.com/work"})
        second = c.post(_path(course, assignment), data={"submission[submission_type]": "online_text_entry",
                                                         "submission[body]": "again"})
    assert first.status_code == second.status_code == 201
    assert (first.json()["url"], first.json()["attempt"], first.json()["late"]) == ("http://example.com/work", 1, True)
    assert first.json()["seconds_late"] >= 3600
    assert (second.json()["attempt"], second.json()["url"], second.json()["body"]) == (2, None, "again")
    assert second.json()["id"] == first.json()["id"]
    assert _row(world, assignment, ann).attempt == 2


@pytest.mark.parametrize("data, field, message", [
    ({"submission[submission_type]": "online_url", "submission[url]": "http://x.test"}, "submission[submission_type]",
     "Invalid submission[submission_type] given"),
    ({"submission[submission_type]": "bogus"}, "submission[submission_type]",
     "Invalid submission[submission_type] given"),
    ({}, "submission[submission_type]", "Invalid submission[submission_type] given"),
    ({"submission[submission_type]": "online_text_entry", "submission[body]": "  "}, "submission[body]",
     "Invalid parameters for submission_type online_text_entry. Required: submission[body]"),
])
def test_submission_input_errors_name_the_parameter(world, data, field, message):
    course, people = _class(world)
    ann, token = people["ann"]
    assignment = world.assignment(course)
    with world.client(token) as c:
        r = c.post(_path(course, assignment), data=data)
    assert r.status_code == 400
    assert r.json() == {"errors": [{"message": message, "field": field}]}
    assert _row(world, assignment, ann) is None


def test_upload_submission_takes_files_of_the_course_only(world, tmp_path):
    course, people = _class(world)
    (ann, token), (_, teacher_token) = people["ann"], people["tina"]
    assignment = world.assignment(course, data={"submission_types": ["online_upload"], "allowed_extensions": ["txt"]})
    path = tmp_path / "essay.txt"
    path.write_bytes(b"words")
    ok, uploaded = world.canvas(teacher_token).get_course(course.id).upload(str(path))
    assert ok
    with world.client(token) as c:
        bad = c.post(_path(course, assignment), data={"submission[submission_type]": "online_upload",
                                                      "submission[file_ids][]": ["999999"]})
        good = c.post(_path(course, assignment), data={"submission[submission_type]": "online_upload",
                                                       "submission[file_ids][]": [str(uploaded["id"])]})
    assert bad.status_code == 400
    assert bad.json() == {"errors": [{"message": "No valid file ids given", "field": "submission[file_ids]"}]}
    assert good.status_code == 201, good.text
    assert [(a["id"], a["display_name"]) for a in good.json()["attachments"]] == [(uploaded["id"], "essay.txt")]
    assert _row(world, assignment, ann).data["file_ids"] == [uploaded["id"]]


@pytest.mark.parametrize("dates", [
    {"lock_at": datetime.now(UTC) - timedelta(days=1)},
    {"unlock_at": datetime.now(UTC) + timedelta(days=1)},
])
def test_locked_assignment_refuses_submissions(world, dates):
    course, people = _class(world)
    ann, token = people["ann"]
    assignment = world.assignment(course, **dates)
    with world.client(token) as c:
        r = c.post(_path(course, assignment), data={"submission[submission_type]": "online_text_entry",
                                                    "submission[body]": "late"})
    assert r.status_code == 403
    assert r.json() == {"status": "unauthorized",
                        "errors": [{"message": "You can't submit an assignment when it is locked"}]}
    assert _row(world, assignment, ann) is None


def test_only_enrolled_students_submit_and_unpublished_assignments_are_hidden(world):
    course, people = _class(world)
    published, hidden = world.assignment(course), world.assignment(course, state="unpublished")
    data = {"submission[submission_type]": "online_text_entry", "submission[body]": "x"}
    for who in ("tina", "olga"):
        with world.client(people[who][1]) as c:
            r = c.post(_path(course, published), data=data)
        assert (who, r.status_code, r.json()) == (who, 403, FORBIDDEN)
    with world.client(world.admin_token) as c:
        assert c.post(_path(course, published), data=data).status_code == 403
    with world.client(people["ann"][1]) as c:
        r = c.post(_path(course, hidden), data=data)
        missing = c.post(f"/api/v1/courses/{course.id}/assignments/999999/submissions", data=data)
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert missing.status_code == 404


def _submit(world, course, assignment, token, body="work"):
    with world.client(token) as c:
        r = c.post(_path(course, assignment), data={"submission[submission_type]": "online_text_entry",
                                                    "submission[body]": body})
    assert r.status_code == 201, r.text
    return r.json()


def test_teacher_grades_in_points_with_comment(world):
    course, people = _class(world)
    (ann, ann_token), (tina, tina_token) = people["ann"], people["tina"]
    assignment = world.assignment(course, points=10)
    submitted = _submit(world, course, assignment, ann_token)
    with world.client(tina_token) as c:
        r = c.put(_path(course, assignment, f"/{ann.id}"),
                  data={"submission[posted_grade]": "8", "comment[text_comment]": "Good"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["submission_comments"][0]["comment"] == "Good"
    assert body["submission_comments"][0]["author_id"] == tina.id
    del body["submission_comments"]
    assert body == _unsubmitted(
        world, course, assignment, ann.id, id=submitted["id"], attempt=1, submission_type="online_text_entry",
        submitted_at=submitted["submitted_at"], body="work", workflow_state="graded", score=8.0, grade="8",
        entered_score=8.0, entered_grade="8", grader_id=tina.id, graded_at=body["graded_at"],
        posted_at=body["graded_at"])
    row = _row(world, assignment, ann)
    assert (row.score, row.grade, row.grader_id, row.workflow_state) == (8.0, "8", tina.id, "graded")


@pytest.mark.parametrize("grading_type, points, posted, score, grade", [
    ("points", 10, "85%", 8.5, "8.5"),
    ("points", 10, "12", 12.0, "12"),
    ("percent", 20, "15", 15.0, "75%"),
    ("letter_grade", 10, "B", 8.6, "B"),
    ("letter_grade", 10, "95%", 9.5, "A"),
    ("pass_fail", 5, "complete", 5.0, "complete"),
    ("pass_fail", 5, "incomplete", 0.0, "incomplete"),
])
def test_posted_grade_follows_the_grading_type(world, grading_type, points, posted, score, grade):
    course, people = _class(world)
    ann, tina_token = people["ann"][0], people["tina"][1]
    assignment = world.assignment(course, points=points, data={"grading_type": grading_type})
    with world.client(tina_token) as c:
        r = c.put(_path(course, assignment, f"/{ann.id}"), data={"submission[posted_grade]": posted})
    assert r.status_code == 200, r.text
    assert (r.json()["score"], r.json()["grade"], r.json()["workflow_state"]) == (score, grade, "graded")
    # grading a student who never submitted makes their row
    assert _row(world, assignment, ann).submitted_at is None


@pytest.mark.parametrize("grading_type, posted", [("points", "A"), ("pass_fail", "3"), ("letter_grade", "Q")])
def test_invalid_posted_grade_is_400(world, grading_type, posted):
    course, people = _class(world)
    ann, tina_token = people["ann"][0], people["tina"][1]
    assignment = world.assignment(course, points=5, data={"grading_type": grading_type})
    with world.client(tina_token) as c:
        r = c.put(_path(course, assignment, f"/{ann.id}"), data={"submission[posted_grade]": posted})
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "submission[posted_grade]"
    assert _row(world, assignment, ann) is None


def test_excuse_and_clear_grade(world):
    course, people = _class(world)
    (ann, ann_token), tina_token = people["ann"], people["tina"][1]
    assignment = world.assignment(course)
    _submit(world, course, assignment, ann_token)
    with world.client(tina_token) as c:
        excused = c.put(_path(course, assignment, f"/{ann.id}"), data={"submission[excuse]": "true"})
        cleared = c.put(_path(course, assignment, f"/{ann.id}"),
                        data={"submission[excuse]": "false", "submission[posted_grade]": ""})
    assert (excused.json()["excused"], excused.json()["workflow_state"], excused.json()["score"]) == (
        True, "graded", None)
    assert (cleared.json()["excused"], cleared.json()["workflow_state"], cleared.json()["grader_id"]) == (
        False, "submitted", None)


def test_students_and_observers_cannot_grade(world):
    course, people = _class(world)
    bob = people["bob"][0]
    assignment = world.assignment(course)
    for who in ("ann", "olga"):
        with world.client(people[who][1]) as c:
            r = c.put(_path(course, assignment, f"/{bob.id}"), data={"submission[posted_grade]": "10"})
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    assert _row(world, assignment, bob) is None


def test_student_comments_on_own_submission_without_grading(world):
    course, people = _class(world)
    ann, token = people["ann"]
    assignment = world.assignment(course)
    with world.client(token) as c:
        r = c.put(_path(course, assignment, "/self"), data={"comment[text_comment]": "question"})
    assert r.status_code == 200
    assert [c["comment"] for c in r.json()["submission_comments"]] == ["question"]
    assert r.json()["workflow_state"] == "unsubmitted"


def test_teacher_lists_every_student_including_those_who_did_not_submit(world):
    course, people = _class(world)
    (ann, ann_token), bob = people["ann"], people["bob"][0]
    assignment = world.assignment(course)
    submitted = _submit(world, course, assignment, ann_token)
    with world.client(people["tina"][1]) as c:
        r = c.get(_path(course, assignment))
    assert r.status_code == 200
    assert [(s["user_id"], s["workflow_state"], s["id"]) for s in r.json()] == [
        (ann.id, "submitted", submitted["id"]), (bob.id, "unsubmitted", None)]
    assert r.json()[1] == _unsubmitted(world, course, assignment, bob.id)
    assert 'rel="current"' in r.headers["Link"]


def test_students_read_only_their_own_submission_and_observers_their_observees(world):
    course, people = _class(world)
    (ann, ann_token), (bob, bob_token), olga_token = people["ann"], people["bob"], people["olga"][1]
    assignment = world.assignment(course)
    _submit(world, course, assignment, ann_token)
    with world.client(ann_token) as c:
        assert (c.get(_path(course, assignment)).status_code, c.get(_path(course, assignment)).json()) == (
            403, FORBIDDEN)
        own = c.get(_path(course, assignment, "/self"))
        other = c.get(_path(course, assignment, f"/{bob.id}"))
    with world.client(olga_token) as c:
        observed = c.get(_path(course, assignment, f"/{ann.id}"))
        not_observed = c.get(_path(course, assignment, f"/{bob.id}"))
    assert (own.status_code, own.json()["user_id"], own.json()["body"]) == (200, ann.id, "work")
    assert (other.status_code, other.json()) == (403, FORBIDDEN)
    assert (observed.status_code, observed.json()["user_id"]) == (200, ann.id)
    assert not_observed.status_code == 403
    with world.client(bob_token) as c:
        unsubmitted = c.get(_path(course, assignment, "/self"))
    assert unsubmitted.json() == _unsubmitted(world, course, assignment, bob.id)


def test_unposted_grades_stay_hidden_from_the_student(world):
    course = world.course("Manual", post_manually=True)
    ann, ann_token = world.user_with_token("ann")
    tina, tina_token = world.user_with_token("tina")
    world.enroll(ann, course)
    world.enroll(tina, course, "TeacherEnrollment")
    assignment = world.assignment(course)
    with world.client(tina_token) as c:
        graded = c.put(_path(course, assignment, f"/{ann.id}"), data={"submission[posted_grade]": "7"})
    with world.client(ann_token) as c:
        seen = c.get(_path(course, assignment, "/self"))
    assert (graded.json()["score"], graded.json()["posted_at"]) == (7.0, None)
    assert (seen.json()["score"], seen.json()["grade"], seen.json()["entered_score"]) == (None, None, None)
    assert seen.json()["workflow_state"] == "graded"


def test_submissions_for_students_filters_and_groups(world):
    course, people = _class(world)
    (ann, ann_token), (bob, _), tina_token = people["ann"], people["bob"], people["tina"][1]
    one, two = world.assignment(course, "One"), world.assignment(course, "Two")
    world.assignment(course, "Draft", state="unpublished")
    _submit(world, course, one, ann_token)
    url = f"/api/v1/courses/{course.id}/students/submissions"
    with world.client(ann_token) as c:
        mine = c.get(url)
        others = c.get(url, params={"student_ids[]": [str(bob.id)]})
    assert [(s["assignment_id"], s["user_id"], s["workflow_state"]) for s in mine.json()] == [
        (one.id, ann.id, "submitted"), (two.id, ann.id, "unsubmitted")]
    assert (others.status_code, others.json()) == (403, FORBIDDEN)
    with world.client(tina_token) as c:
        everyone = c.get(url, params={"student_ids[]": "all", "workflow_state": "unsubmitted"})
        grouped = c.get(url, params={"student_ids[]": "all", "grouped": "true", "assignment_ids[]": [str(one.id)]})
        bad_ids = c.get(url, params={"student_ids[]": "all", "assignment_ids[]": ["999999"]})
        bad_state = c.get(url, params={"student_ids[]": "all", "workflow_state": "nope"})
    assert [(s["assignment_id"], s["user_id"]) for s in everyone.json()] == [
        (one.id, bob.id), (two.id, ann.id), (two.id, bob.id)]
    section = grouped.json()[0]["section_id"]
    assert [(g["user_id"], g["section_id"], [(s["assignment_id"], s["workflow_state"]) for s in g["submissions"]])
            for g in grouped.json()] == [(ann.id, section, [(one.id, "submitted")]),
                                         (bob.id, section, [(one.id, "unsubmitted")])]
    assert (bad_ids.status_code, bad_ids.json()["errors"][0]["message"]) == (403, "invalid assignment ids requested")
    assert (bad_state.status_code, bad_state.json()["errors"][0]["field"]) == (400, "workflow_state")


def test_student_override_dates_decide_lock_and_lateness(world):
    from courseport.schema.content import AssignmentOverride, OverrideStudent

    course, people = _class(world)
    (ann, ann_token), (bob, bob_token) = people["ann"], people["bob"]
    now = datetime.now(UTC).replace(microsecond=0)
    assignment = world.assignment(course, due_at=now - timedelta(days=2), lock_at=now - timedelta(days=1))
    with world.tx() as db:
        override = AssignmentOverride(item_id=assignment.id, title="Ann extension", due_at=now + timedelta(days=1),
                                      lock_at=now + timedelta(days=2), due_at_set=True, lock_at_set=True)
        db.add(override)
        db.flush()
        db.add(OverrideStudent(override_id=override.id, user_id=ann.id))
    ann_submission = _submit(world, course, assignment, ann_token)
    assert (ann_submission["late"], ann_submission["cached_due_date"]) == (False, _iso(now + timedelta(days=1)))
    with world.client(bob_token) as c:
        r = c.post(_path(course, assignment), data={"submission[submission_type]": "online_text_entry",
                                                    "submission[body]": "x"})
    assert r.status_code == 403
    assert _row(world, assignment, bob) is None


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_submission_upload_starts_only_for_the_student_themself_on_an_assignment_taking_files(world):
    course, people = _class(world)
    (ann, ann_token), (bob, _), (_, tina_token) = people["ann"], people["bob"], people["tina"]
    uploads = world.assignment(course, "Essay", data={"submission_types": ["online_upload"]})
    text_only = world.assignment(course, "Note")
    locked = world.assignment(course, "Closed", data={"submission_types": ["online_upload"]},
                              lock_at=datetime.now(UTC) - timedelta(days=1))
    with world.client(ann_token) as c:
        started = c.post(_path(course, uploads, "/self/files"), data={"name": "essay.txt", "size": "12"})
        by_id = c.post(_path(course, uploads, f"/{ann.id}/files"), data={"name": "essay.txt"})
        for_bob = c.post(_path(course, uploads, f"/{bob.id}/files"), data={"name": "essay.txt"})
        no_files = c.post(_path(course, text_only, "/self/files"), data={"name": "essay.txt"})
        closed = c.post(_path(course, locked, "/self/files"), data={"name": "essay.txt"})
        no_name = c.post(_path(course, uploads, "/self/files"), data={})
        too_big = c.post(_path(course, uploads, "/self/files"), data={"name": "a.txt", "size": str(2**62)})
    with world.client(tina_token) as c:
        teacher = c.post(_path(course, uploads, "/self/files"), data={"name": "essay.txt"})
    assert started.status_code == 200
    body = started.json()
    assert set(body) == {"upload_url", "upload_params", "file_param"} and body["file_param"] == "file"
    assert body["upload_params"] == {"filename": "essay.txt", "content_type": "text/plain"}
    assert body["upload_url"].startswith(f"{world.base_url}/api/v1/file_uploads/")
    assert by_id.status_code == 200
    assert [(r.status_code, r.json()) for r in (for_bob, teacher)] == [(403, FORBIDDEN)] * 2
    assert no_files.status_code == 400 and "online_upload" in no_files.text
    assert closed.status_code == 403 and "locked" in closed.text
    assert no_name.status_code == 400 and "name" in no_name.text
    assert too_big.status_code == 400 and "size" in too_big.text
    with world.client() as anonymous:  # step two stores the file as the student's own, in no course folder
        stored = anonymous.post(body["upload_url"], data=body["upload_params"],
                                files={"file": ("essay.txt", b"hello world\n", "text/plain")})
    assert stored.status_code == 201 and stored.json()["folder_id"] is None
    with world.tx() as db:
        row = db.get(File, stored.json()["id"])
        assert (row.course_id, row.user_id, row.folder_path, row.size) == (None, ann.id, "submissions", 12)
