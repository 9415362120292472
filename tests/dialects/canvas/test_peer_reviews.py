"""Canvas Peer Reviews API and submission read marks over raw HTTP: exact bodies, refusals, stored state."""

from __future__ import annotations

from sqlalchemy import delete, select

from courseport.schema import ContentItem, Course, PeerReview
from courseport.schema.content import Submission
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _class(world, *, peer_reviews: bool = True):
    """tina teaches; ann has submitted the essay, bob and cid are students who have not."""
    course = world.course("Writing")
    people = {}
    for login, etype in (("tina", "TeacherEnrollment"), ("ann", "StudentEnrollment"), ("bob", "StudentEnrollment"),
                         ("cid", "StudentEnrollment")):
        user, token = world.user_with_token(login)
        world.enroll(user, course, etype)
        people[login] = (user, token)
    assignment = world.assignment(course, "Essay", data={"peer_reviews": peer_reviews})
    with world.client(people["ann"][1]) as c:
        r = c.post(_path(course, assignment, "/submissions"), data={
            "submission[submission_type]": "online_text_entry", "submission[body]": "<p>Ann's essay</p>"})
    assert r.status_code == 201, r.text
    return course, assignment, people, r.json()["id"]


def _path(course, assignment, tail: str = "") -> str:
    return f"/api/v1/courses/{course.id}/assignments/{assignment.id}{tail}"


def _reviews_path(course, assignment, submission_id) -> str:
    return _path(course, assignment, f"/submissions/{submission_id}/peer_reviews")


def _reviews(world) -> list[tuple[int, int, int, str]]:
    with world.tx() as db:
        return [(r.submission_id, r.user_id, r.assessor_id, r.workflow_state)
                for r in db.scalars(select(PeerReview).order_by(PeerReview.id))]


def _assign(world, course, assignment, people, submission_id, login: str = "bob") -> dict:
    with world.client(people["tina"][1]) as c:
        r = c.post(_reviews_path(course, assignment, submission_id), data={"user_id": people[login][0].id})
    assert r.status_code == 200, r.text
    return r.json()


def test_teacher_assigns_a_review_once_and_lists_it_with_people(world):
    course, assignment, people, sid = _class(world)
    ann, bob = people["ann"][0], people["bob"][0]
    body = _assign(world, course, assignment, people, sid)
    review_id = body["id"]
    expected = {"assessor_id": bob.id, "asset_id": sid, "asset_type": "Submission", "id": review_id,
                "user_id": ann.id, "workflow_state": "assigned"}
    assert body == expected
    assert _assign(world, course, assignment, people, sid) == expected  # the same review, not a second one
    assert _reviews(world) == [(sid, ann.id, bob.id, "assigned")]
    with world.client(people["tina"][1]) as c:
        listed = c.get(_path(course, assignment, "/peer_reviews"), params={"include[]": "user"})
    assert listed.status_code == 200, listed.text
    base = world.base_url
    assert listed.json() == [{
        **expected,
        "user": {"id": ann.id, "anonymous_id": format(ann.id, "x"), "display_name": ann.short_name,
                 "avatar_image_url": f"{base}/images/messages/avatar-50.png",
                 "html_url": f"{base}/courses/{course.id}/users/{ann.id}", "pronouns": None},
        "assessor": {"id": bob.id, "anonymous_id": format(bob.id, "x"), "display_name": bob.short_name,
                     "avatar_image_url": f"{base}/images/messages/avatar-50.png",
                     "html_url": f"{base}/courses/{course.id}/users/{bob.id}", "pronouns": None}}]
    for login, seen in (("bob", [expected]), ("cid", [])):  # a student sees the reviews they assess
        with world.client(people[login][1]) as c:
            r = c.get(_reviews_path(course, assignment, sid))
        assert (r.status_code, r.json()) == (200, seen)


def test_assigning_is_refused_with_nothing_stored(world):
    course, assignment, people, sid = _class(world)
    ann, tina = people["ann"][0], people["tina"][0]
    path = _reviews_path(course, assignment, sid)
    user_error = {"errors": [{"message": "user_id must be a student of the course", "field": "user_id"}]}
    cases = [
        (people["cid"][1], {"user_id": people["bob"][0].id}, 403, FORBIDDEN),
        (people["tina"][1], {"user_id": tina.id}, 400, user_error),
        (people["tina"][1], {"user_id": 999999}, 400, user_error),
        (people["tina"][1], {}, 400, {"errors": [{"message": "user_id is required", "field": "user_id"}]}),
        (people["tina"][1], {"user_id": ann.id}, 400,
         {"errors": [{"message": "user_id cannot review their own submission", "field": "user_id"}]}),
    ]
    for token, data, status, body in cases:
        with world.client(token) as c:
            r = c.post(path, data=data)
        assert (r.status_code, r.json()) == (status, body), data
    with world.client(people["tina"][1]) as c:
        r = c.post(_reviews_path(course, assignment, 999999), data={"user_id": people["bob"][0].id})
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert _reviews(world) == []


def test_peer_reviews_must_be_enabled(world):
    course, assignment, people, sid = _class(world, peer_reviews=False)
    with world.client(people["tina"][1]) as c:
        r = c.post(_reviews_path(course, assignment, sid), data={"user_id": people["bob"][0].id})
    assert (r.status_code, r.json()) == (400, {"errors": [{
        "message": "peer reviews are not enabled for this assignment", "field": "peer_reviews"}]})
    assert _reviews(world) == []


def test_assessor_reads_without_grade_and_completes_by_commenting(world):
    course, assignment, people, sid = _class(world)
    ann, bob = people["ann"][0], people["bob"][0]
    with world.client(people["tina"][1]) as c:
        r = c.put(_path(course, assignment, f"/submissions/{ann.id}"),
                  data={"submission[posted_grade]": "7", "comment[text_comment]": "7/10, see me"})
    assert r.status_code == 200, r.text
    _assign(world, course, assignment, people, sid)
    submission_path = _path(course, assignment, f"/submissions/{ann.id}")
    with world.client(people["bob"][1]) as c:
        read = c.get(submission_path, params={"include[]": "submission_comments"})
        graded = c.put(submission_path, data={"submission[posted_grade]": "10"})
        commented = c.put(submission_path, data={"comment[text_comment]": "Clear thesis."})
    assert read.status_code == 200, read.text
    body = read.json()
    assert (body["body"], body["score"], body["grade"], body["entered_score"], body["submission_comments"]) == (
        "<p>Ann's essay</p>", None, None, None, [])  # the teacher's comment and the grade are not the reviewer's
    assert (graded.status_code, graded.json()) == (403, FORBIDDEN)
    assert commented.status_code == 200, commented.text
    assert ([c["comment"] for c in commented.json()["submission_comments"]], commented.json()["score"]) == (
        ["Clear thesis."], None)
    assert _reviews(world) == [(sid, ann.id, bob.id, "completed")]
    with world.tx() as db:
        row = db.get(Submission, sid)
        assert (row.score, [c["comment"] for c in row.data["comments"]]) == (7.0, ["7/10, see me", "Clear thesis."])
    with world.client(people["tina"][1]) as c:
        listed = c.get(_path(course, assignment, "/peer_reviews"), params={"include[]": "submission_comments"})
    assert [(p["workflow_state"], [s["comment"] for s in p["submission_comments"]]) for p in listed.json()] == [
        ("completed", ["Clear thesis."])]


def test_a_student_not_assigned_cannot_read_or_comment(world):
    course, assignment, people, sid = _class(world)
    ann = people["ann"][0]
    _assign(world, course, assignment, people, sid)
    with world.client(people["cid"][1]) as c:
        read = c.get(_path(course, assignment, f"/submissions/{ann.id}"))
        comment = c.put(_path(course, assignment, f"/submissions/{ann.id}"), data={"comment[text_comment]": "hi"})
    assert (read.status_code, read.json()) == (403, FORBIDDEN)
    assert (comment.status_code, comment.json()) == (403, FORBIDDEN)
    with world.tx() as db:
        assert db.get(Submission, sid).data.get("comments") in (None, [])
    assert [r[3] for r in _reviews(world)] == ["assigned"]


def test_teacher_removes_a_review(world):
    course, assignment, people, sid = _class(world)
    bob = people["bob"][0]
    body = _assign(world, course, assignment, people, sid)
    path = _reviews_path(course, assignment, sid)
    with world.client(people["cid"][1]) as c:
        refused = c.delete(path, params={"user_id": bob.id})
    assert (refused.status_code, refused.json()) == (403, FORBIDDEN)
    assert len(_reviews(world)) == 1
    with world.client(people["tina"][1]) as c:
        removed = c.delete(path, params={"user_id": bob.id})
        again = c.delete(path, params={"user_id": bob.id})
    assert (removed.status_code, removed.json()) == (200, body)
    assert (again.status_code, again.json()) == (404, NOT_FOUND)
    assert _reviews(world) == []


def test_read_marks_and_read_status(world):
    course, assignment, people, _ = _class(world)
    ann = people["ann"][0]
    read_path = _path(course, assignment, f"/submissions/{ann.id}/read")

    def status() -> str:
        with world.client(people["ann"][1]) as c:
            r = c.get(_path(course, assignment, "/submissions/self"), params={"include[]": "read_status"})
        return r.json()["read_status"]

    assert status() == "read"  # nothing new since submitting
    with world.client(people["tina"][1]) as c:
        c.put(_path(course, assignment, f"/submissions/{ann.id}"), data={"submission[posted_grade]": "9"})
        teacher_sees = c.get(_path(course, assignment, f"/submissions/{ann.id}"), params={"include[]": "read_status"})
    assert teacher_sees.json()["read_status"] == "read"  # read state is the student's alone
    assert status() == "unread"
    with world.client(people["ann"][1]) as c:
        marked = c.put(read_path)
    assert (marked.status_code, marked.content) == (204, b"")
    assert status() == "read"
    with world.client(people["ann"][1]) as c:
        c.put(_path(course, assignment, f"/submissions/{ann.id}"), data={"comment[text_comment]": "thanks"})
    assert status() == "read"  # their own comment changes nothing
    with world.client(people["tina"][1]) as c:
        c.put(_path(course, assignment, f"/submissions/{ann.id}"), data={"comment[text_comment]": "welcome"})
    assert status() == "unread"
    with world.client(people["ann"][1]) as c:
        c.put(read_path)
        unmarked = c.delete(read_path)
    assert (unmarked.status_code, unmarked.content) == (204, b"")
    assert status() == "unread"
    with world.tx() as db:
        assert db.scalar(select(Submission).where(Submission.user_id == ann.id)).data["read_mark"]["state"] == "unread"
    with world.client(people["ann"][1]) as c:
        c.put(read_path)
    assert status() == "read"
    with world.client(people["tina"][1]) as c:
        c.put(_path(course, assignment, f"/submissions/{ann.id}"), data={"submission[posted_grade]": "10"})
    assert status() == "unread"  # a new grade, even within the second of the mark
    with world.tx() as db:
        assert "read_mark" not in db.scalar(select(Submission).where(Submission.user_id == ann.id)).data


def test_only_the_student_marks_read(world):
    course, assignment, people, _ = _class(world)
    ann, bob = people["ann"][0], people["bob"][0]
    for token in (people["tina"][1], people["bob"][1]):
        with world.client(token) as c:
            r = c.put(_path(course, assignment, f"/submissions/{ann.id}/read"))
        assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.tx() as db:
        assert "read_mark" not in db.scalar(select(Submission).where(Submission.user_id == ann.id)).data
        assert db.scalar(select(Submission).where(Submission.user_id == bob.id)) is None


def test_a_course_copy_carries_no_reviews_or_read_marks_and_they_go_with_their_course(world):
    course, assignment, people, sid = _class(world)
    ann = people["ann"][0]
    _assign(world, course, assignment, people, sid)
    with world.client(people["ann"][1]) as c:
        assert c.put(_path(course, assignment, f"/submissions/{ann.id}/read")).status_code == 204
    target = world.course("Writing, next term")
    world.enroll(people["tina"][0], target, "TeacherEnrollment")
    with world.client(people["tina"][1]) as c:
        r = c.post(f"/api/v1/courses/{target.id}/content_migrations", data={
            "migration_type": "course_copy_importer", "settings[source_course_id]": course.id})
    assert r.status_code == 200, r.text
    world.run_jobs()
    with world.tx() as db:
        copied = db.scalars(select(ContentItem).where(ContentItem.course_id == target.id,
                                                      ContentItem.type == "assignment")).all()
        assert [(a.title, a.data["peer_reviews"]) for a in copied] == [("Essay", True)]
        assert db.scalars(select(Submission).where(Submission.course_id == target.id)).all() == []
        assert db.scalars(select(PeerReview).where(PeerReview.course_id == target.id)).all() == []
    assert len(_reviews(world)) == 1
    with world.tx() as db:
        db.execute(delete(Course).where(Course.id == course.id))
    assert _reviews(world) == []  # the reviews go with their course, by foreign key
