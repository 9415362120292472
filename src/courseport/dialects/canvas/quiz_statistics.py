"""Canvas Quiz Statistics API route: a classic quiz's student and item analysis, computed on read."""

from __future__ import annotations

from courseport.core.coursework import quiz_statistics
from courseport.dialects.canvas.protocol import Call, get
from courseport.dialects.canvas.quiz_statistics_json import render_statistics


@get("/courses/{course_id:str}/quizzes/{quiz_id:str}/statistics")
def get_statistics(call: Call, course_id: str, quiz_id: str) -> dict:
    all_versions = bool(call.bool("all_versions", False))
    with call.read() as (db, me):
        stats = quiz_statistics.quiz_statistics(db, me, course_id, quiz_id, all_versions=all_versions)
        return render_statistics(stats, call.origin)


ROUTES = [get_statistics]
