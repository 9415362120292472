"""Canvas effective due dates: each assigned student's due date per assignment, overrides honoured."""

from __future__ import annotations

from courseport.core.content import due_dates
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.ids import is_id
from courseport.dialects.canvas.assignment_json import render_due_dates
from courseport.dialects.canvas.protocol import Call, get


@get("/courses/{course_id:str}/effective_due_dates")
def effective_due_dates(call: Call, course_id: str) -> dict:
    asked = call.list("assignment_ids[]")
    bad = [a for a in asked if not is_id(a)]
    if bad:
        raise InvalidInput("assignment_ids[]", f"assignment_ids[] must be assignment ids, got {', '.join(bad)}")
    with call.read() as (db, me):
        dates = due_dates.course_due_dates(db, me, course_id, [int(a) for a in asked] if asked else None)
    return render_due_dates(dates)


ROUTES = [effective_due_dates]
