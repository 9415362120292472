"""Canvas Outcomes API routes: one outcome by id (show, update). Readers of its course, or of a course linking
it, read it; only managers of its own course update it."""

from __future__ import annotations

from courseport.core.coursework import outcomes
from courseport.dialects.canvas.outcome_json import render_outcome
from courseport.dialects.canvas.outcome_params import outcome_changes
from courseport.dialects.canvas.protocol import Call, get, put

OUTCOME = "/outcomes/{outcome_id:str}"


@get(OUTCOME)
def get_outcome(call: Call, outcome_id: str) -> dict:
    with call.read() as (db, me):
        return render_outcome(*outcomes.readable_outcome(db, me, outcome_id))


@put(OUTCOME)
def update_outcome(call: Call, outcome_id: str) -> dict:
    changes = outcome_changes(call)
    with call.write() as (db, me):
        return render_outcome(outcomes.update_outcome(db, outcomes.editable_outcome(db, me, outcome_id), changes), True)


ROUTES = [get_outcome, update_outcome]
