"""Canvas Peer Reviews API routes: list an assignment's or a submission's reviews, assign and remove one."""

from __future__ import annotations

from courseport.core.coursework import peer_reviews
from courseport.dialects.canvas.peer_review_json import render_peer_review
from courseport.dialects.canvas.protocol import Call, delete, get, post

_ASSIGNMENT = "/courses/{course_id:str}/assignments/{assignment_id:str}"
_SUBMISSION = _ASSIGNMENT + "/submissions/{submission_id:str}/peer_reviews"


@get(_ASSIGNMENT + "/peer_reviews")
def list_assignment_peer_reviews(call: Call, course_id: str, assignment_id: str) -> list[dict]:
    with call.read() as (db, me):
        found = peer_reviews.list_reviews(db, me, course_id, assignment_id)
    includes = set(call.list("include[]"))
    return [render_peer_review(v, call.origin, includes) for v in found]


@get(_SUBMISSION)
def list_submission_peer_reviews(call: Call, course_id: str, assignment_id: str, submission_id: str) -> list[dict]:
    with call.read() as (db, me):
        found = peer_reviews.list_reviews(db, me, course_id, assignment_id, submission_id)
    includes = set(call.list("include[]"))
    return [render_peer_review(v, call.origin, includes) for v in found]


@post(_SUBMISSION, status_code=200)
def create_peer_review(call: Call, course_id: str, assignment_id: str, submission_id: str) -> dict:
    with call.write() as (db, me):
        view = peer_reviews.assign_review(db, me, course_id, assignment_id, submission_id, call.str("user_id"))
    return render_peer_review(view, call.origin, set())


@delete(_SUBMISSION)
def delete_peer_review(call: Call, course_id: str, assignment_id: str, submission_id: str) -> dict:
    with call.write() as (db, me):
        view = peer_reviews.remove_review(db, me, course_id, assignment_id, submission_id, call.str("user_id"))
    return render_peer_review(view, call.origin, set())


ROUTES = [list_assignment_peer_reviews, list_submission_peer_reviews, create_peer_review, delete_peer_review]
