"""Canvas activity stream and summary over raw HTTP: exact bodies derived from content made in the test."""

from __future__ import annotations

from datetime import timedelta

import pytest

from courseport.core.content import content
from courseport.dialects.canvas.protocol import iso
from courseport.schema import DiscussionEntry, Submission, User
from courseport.schema.base import utcnow


@pytest.fixture
def course_cast(world):
    course = world.course("Stream 101")
    return course, world.cast(course)


def user_of(world, token: str) -> User:
    with world.client(token) as c:
        me = c.get("/api/v1/users/self").json()
    with world.tx() as db:
        return db.get(User, me["id"])


def topic(world, course, kind: str, title: str, *, author=None, state: str = "active", at=None, **data):
    with world.tx() as db:
        item = content.create_item(db, course.id, kind, {
            "title": title, "body": f"<p>{title}</p>", "workflow_state": state, "data": data,
            "created_at": at or utcnow(), "updated_at": at or utcnow()}, user_id=author.id if author else None)
        return item


def submission(world, assignment, user, *, at, **fields) -> Submission:
    values = {"workflow_state": "submitted", "submission_type": "online_text_entry", "body": "mine",
              "submitted_at": at, "attempt": 1, "updated_at": at, **fields}
    with world.tx() as db:
        row = Submission(item_id=assignment.id, course_id=assignment.course_id, user_id=user.id, **values)
        db.add(row)
        db.flush()
        return row


def topic_json(world, item, kind: str, *, read: bool, entries=(), has_posted=None) -> dict:
    path, key = ("announcements", "announcement_id") if kind == "Announcement" else (
        "discussion_topics", "discussion_topic_id")
    return {
        "created_at": iso(item.created_at), "updated_at": iso(item.updated_at), "id": item.id * 2,
        "title": item.title, "message": item.body, "type": kind, "read_state": read, "context_type": "Course",
        "course_id": item.course_id, key: item.id,
        "html_url": f"{world.base_url}/courses/{item.course_id}/{path}/{item.id}",
        "total_root_discussion_entries": len(entries), "require_initial_post": False,
        "user_has_posted": has_posted, "root_discussion_entries": list(entries),
    }


def test_student_stream_newest_first_with_own_submissions(world, course_cast):
    course, cast = course_cast
    now = utcnow()
    student, teacher = user_of(world, cast["student"]), user_of(world, cast["teacher"])
    news = topic(world, course, "announcement", "Welcome", author=teacher, at=now - timedelta(hours=3))
    talk = topic(world, course, "discussion_topic", "Introduce yourself", author=teacher,
                 at=now - timedelta(hours=2))
    topic(world, course, "discussion_topic", "Draft", state="unpublished")
    topic(world, course, "announcement", "Gone", state="deleted")
    with world.tx() as db:
        db.add(DiscussionEntry(course_id=course.id, topic_id=talk.id, user_id=student.id, message="Hi all",
                               created_at=now - timedelta(minutes=90)))
    essay = world.assignment(course, "Essay", due_at=now + timedelta(days=1))
    mine = submission(world, essay, student, at=now - timedelta(hours=1))
    other, _ = world.user_with_token("other")
    world.enroll(other, course)
    submission(world, essay, other, at=now - timedelta(minutes=30))
    with world.client(cast["student"]) as c:
        r = c.get(f"/api/v1/courses/{course.id}/activity_stream")
        everywhere = c.get("/api/v1/users/self/activity_stream")
        summary = c.get(f"/api/v1/courses/{course.id}/activity_stream/summary")
        user_summary = c.get("/api/v1/users/self/activity_stream/summary")
    assert r.status_code == 200, r.text
    html = f"{world.base_url}/courses/{course.id}/assignments/{essay.id}/submissions/{student.id}"
    assert r.json() == [
        {
            "created_at": iso(mine.submitted_at), "updated_at": iso(mine.updated_at), "id": mine.id * 2 + 1,
            "title": "Essay", "message": None, "type": "Submission", "read_state": True, "context_type": "Course",
            "course_id": course.id, "submission_id": mine.id, "assignment_id": essay.id, "user_id": student.id,
            "score": None, "grade": None, "excused": False, "attempt": 1, "submission_type": "online_text_entry",
            "body": "mine", "url": None, "submitted_at": iso(mine.submitted_at), "graded_at": None,
            "grader_id": None, "workflow_state": "submitted", "late": False, "posted_at": None, "html_url": html,
            "preview_url": f"{html}?preview=1", "submission_comments": [],
            "assignment": {"id": essay.id, "name": "Essay", "title": "Essay", "points_possible": 10.0,
                           "due_at": iso(essay.due_at), "course_id": course.id,
                           "html_url": f"{world.base_url}/courses/{course.id}/assignments/{essay.id}"},
            "course": {"id": course.id, "name": "Stream 101", "course_code": course.course_code},
            "user": {"id": student.id, "anonymous_id": format(student.id, "x"), "display_name": student.short_name,
                     "avatar_image_url": f"{world.base_url}/images/messages/avatar-50.png",
                     "html_url": f"{world.base_url}/courses/{course.id}/users/{student.id}", "pronouns": None},
        },
        topic_json(world, talk, "DiscussionTopic", read=False, has_posted=True, entries=[
            {"user": {"user_id": student.id, "user_name": student.short_name}, "message": "Hi all"}]),
        topic_json(world, news, "Announcement", read=False),
    ]
    assert everywhere.json() == r.json()
    expected_summary = [
        {"type": "Announcement", "unread_count": 1, "count": 1, "notification_category": None},
        {"type": "DiscussionTopic", "unread_count": 1, "count": 1, "notification_category": None},
        {"type": "Submission", "unread_count": 0, "count": 1, "notification_category": None},
    ]
    assert summary.json() == expected_summary
    assert user_summary.json() == expected_summary


def test_teacher_sees_submissions_received_and_grades_read_by_grader(world, course_cast):
    course, cast = course_cast
    now = utcnow()
    student, teacher = user_of(world, cast["student"]), user_of(world, cast["teacher"])
    lab = world.assignment(course, "Lab")
    graded = submission(world, lab, student, at=now - timedelta(hours=1), workflow_state="graded", score=8.0,
                        grade="8", grader_id=teacher.id, graded_at=now)
    hidden = world.assignment(course, "Hidden", state="unpublished")
    submission(world, hidden, student, at=now)
    topic(world, course, "announcement", "Mine", author=teacher, at=now - timedelta(days=1))
    with world.client(cast["teacher"]) as c:
        stream = c.get(f"/api/v1/courses/{course.id}/activity_stream").json()
        summary = c.get(f"/api/v1/courses/{course.id}/activity_stream/summary").json()
    assert [(s["type"], s["read_state"], s.get("score")) for s in stream] == [
        ("Submission", True, 8.0), ("Announcement", True, None)]
    assert stream[0]["submission_id"] == graded.id
    assert summary == [
        {"type": "Announcement", "unread_count": 0, "count": 1, "notification_category": None},
        {"type": "Submission", "unread_count": 0, "count": 1, "notification_category": None},
    ]
    with world.client(cast["student"]) as c:
        mine = c.get(f"/api/v1/courses/{course.id}/activity_stream").json()
    # Graded by someone else: unread for the student, and the grade stays hidden until it is posted.
    assert [(s["type"], s["read_state"], s.get("score"), s.get("grade")) for s in mine] == [
        ("Submission", False, None, None), ("Announcement", False, None, None)]


def test_other_students_submissions_and_other_courses_stay_out(world, course_cast):
    course, cast = course_cast
    now = utcnow()
    other, other_token = world.user_with_token("other")
    world.enroll(other, course)
    a = world.assignment(course, "Essay")
    submission(world, a, user_of(world, cast["student"]), at=now)
    elsewhere = world.course("Elsewhere")
    topic(world, elsewhere, "announcement", "Not yours")
    with world.client(other_token) as c:
        assert c.get(f"/api/v1/courses/{course.id}/activity_stream").json() == []
        assert c.get("/api/v1/users/self/activity_stream/summary").json() == []
        r = c.get(f"/api/v1/courses/{elsewhere.id}/activity_stream/summary")
    assert (r.status_code, r.json()) == (403, {"status": "unauthorized", "errors": [
        {"message": "user not authorized to perform that action"}]})


def test_stream_pages_and_unpublished_course_hidden_from_students(world, course_cast):
    course, cast = course_cast
    now = utcnow()
    made = [topic(world, course, "announcement", f"N{i}", at=now - timedelta(minutes=i)) for i in range(3)]
    with world.client(cast["observer"]) as c:
        first = c.get(f"/api/v1/courses/{course.id}/activity_stream", params={"per_page": 2})
        second = c.get(f"/api/v1/courses/{course.id}/activity_stream", params={"per_page": 2, "page": 2})
    assert [s["announcement_id"] for s in first.json() + second.json()] == [m.id for m in made]
    assert 'rel="next"' in first.headers["Link"]
    draft = world.course("Draft course", offer=False)
    student, token = world.user_with_token("late")
    world.enroll(student, draft)
    topic(world, draft, "announcement", "Early")
    with world.client(token) as c:
        assert c.get("/api/v1/users/self/activity_stream").json() == []
        assert c.get(f"/api/v1/courses/{draft.id}/activity_stream").status_code == 403


def test_canvasapi_reads_the_summary(world, course_cast):
    course, cast = course_cast
    topic(world, course, "announcement", "Hello")
    summary = world.canvas(cast["student"]).get_activity_stream_summary()
    assert summary == [{"type": "Announcement", "unread_count": 1, "count": 1, "notification_category": None}]
