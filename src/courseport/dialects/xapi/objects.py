"""The Activities and Agents resources: GET (and HEAD) the Activity or Person the LRS knows."""

from __future__ import annotations

import json

from litestar import Response

from courseport.core.packages import lrs_objects
from courseport.dialects.xapi.protocol import Call, answer, get, head, headers_only


def read_activity(call: Call) -> Response:
    activity_id = call.str("activityId", required=True) or ""
    with call.scoped(write=False) as (db, scope):
        return answer(lrs_objects.activity_object(db, scope, activity_id))


def read_person(call: Call) -> Response:
    call.agent(required=True)  # checked: one identifier, well formed
    with call.scoped(write=False) as (_db, scope):
        return answer(lrs_objects.person_object(scope, json.loads(call.str("agent") or "{}")))


@get("/activities")
def get_activity(call: Call) -> Response:
    return read_activity(call)


@head("/activities")
def head_activity(call: Call) -> Response[None]:
    return headers_only(read_activity(call))


@get("/agents")
def get_person(call: Call) -> Response:
    return read_person(call)


@head("/agents")
def head_person(call: Call) -> Response[None]:
    return headers_only(read_person(call))


ROUTES = [get_activity, head_activity, get_person, head_person]
