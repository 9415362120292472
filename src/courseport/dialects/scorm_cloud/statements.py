"""xAPI statements of a course or a version (XapiStatementResult), paged by `more` tokens that
carry the filters and the position."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.orm import Session

from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import statements
from courseport.core.packages.attempts import end_of_millisecond
from courseport.core.packages.statements import StatementFilter
from courseport.dialects.scorm_cloud.protocol import READ, Call, decode_more, encode_more, get, to_datetime
from courseport.schema import User

_TICK = timedelta(microseconds=1)


def statement_filter(call: Call) -> StatementFilter:
    """The filter asked for. `since` and `until` are both inclusive at the precision `stored` is shown
    (milliseconds): core's `since` is exclusive and `stored` holds microseconds, so both are widened."""
    token = call.str("more")
    if token is None:
        since, until = call.datetime("since"), call.datetime("until")
        return StatementFilter(learner_id=call.str("learnerId"), since=since and since - _TICK,
                               until=until and end_of_millisecond(until) - _TICK)
    state = decode_more(token)
    after = state.get("after")
    if not (isinstance(after, list) and len(after) == 2 and all(isinstance(a, str) for a in after)):
        raise InvalidInput("more", "more is not a token this service issued")
    return StatementFilter(learner_id=state.get("learnerId"), since=to_datetime(state.get("since"), "more"),
                           until=to_datetime(state.get("until"), "more"), after=(after[0], after[1]))


Lister = Callable[[Session, User, StatementFilter], tuple[list[dict], StatementFilter | None]]


def _page(call: Call, course_id: str, version: int | None) -> dict:
    return statement_page(call, lambda db, me, filters: statements.list_statements(db, me, course_id, version,
                                                                                    filters))


def statement_page(call: Call, lister: Lister, scopes: tuple[str, ...] = READ) -> dict:
    """One XapiStatementResult page of what `lister` lists, with the `more` token of the next."""
    filters = statement_filter(call)
    with call.read(scopes) as (db, me):
        found, following = lister(db, me, filters)
    body: dict = {"statements": [as_scorm_cloud(s) for s in found]}
    if following is not None:
        body["more"] = encode_more({
            "learnerId": following.learner_id, "after": list(following.after or ()),
            "since": following.since.isoformat() if following.since else None,
            "until": following.until.isoformat() if following.until else None})
    return body


def as_scorm_cloud(statement: dict) -> dict:
    """SCORM Cloud names a statement's object `objectActivity` (XapiStatement), in xAPI's key order."""
    if "object" not in statement:  # stored before core spoke xAPI's own name
        return statement
    return {("objectActivity" if k == "object" else k): v for k, v in statement.items()}


@get("/courses/{course_id:str}/xAPIStatements")
def get_course_statements(call: Call, course_id: str) -> dict:
    return _page(call, course_id, None)


@get("/courses/{course_id:str}/versions/{version:int}/xAPIStatements")
def get_course_version_statements(call: Call, course_id: str, version: int) -> dict:
    return _page(call, course_id, version)


ROUTES = [get_course_statements, get_course_version_statements]
