"""The Statements resource and /about: parse -> one core call -> the xAPI shape."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlencode

from litestar import Response, route

from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import lrs_launches, lrs_statements
from courseport.core.packages.lrs_statements import StatementQuery
from courseport.core.packages.statements import iso_instant
from courseport.dialects.xapi.protocol import (
    PREFIX,
    PREFLIGHT,
    VERSION,
    Call,
    answer,
    get,
    head,
    headers_only,
    post,
    put,
)

FORMATS = ("exact", "ids", "canonical")
SINGLE = ("statementId", "voidedStatementId")


@get("/about")
def about(call: Call) -> Response:
    return answer({"version": [VERSION, "1.0.0"], "extensions": {}})


@route(["/about", "/statements", "/activities/state", "/activities/profile", "/agents/profile", "/activities",
        "/agents"],
       http_method=["OPTIONS"], sync_to_thread=False)
def preflight() -> Response:
    """CORS preflight of content that calls from another origin."""
    return answer(None, 204, PREFLIGHT)


@put("/statements")
def put_statement(call: Call) -> Response:
    statement_id = call.str("statementId", required=True)
    with call.scoped(write=True) as (db, scope):
        lrs_launches.accept_statements(db, call.services.secret, scope, [call.json_body()], statement_id)
    return answer(None, 204)


@post("/statements")
def post_statements(call: Call) -> Response:
    body = call.json_body()
    posted = body if isinstance(body, list) else [body]
    with call.scoped(write=True) as (db, scope):
        ids = lrs_launches.accept_statements(db, call.services.secret, scope, posted, None)
    return answer(ids)


@get("/statements")
def get_statements(call: Call) -> Response:
    return statements_answer(call)


@head("/statements")
def head_statements(call: Call) -> Response[None]:
    return headers_only(statements_answer(call))


def statements_answer(call: Call) -> Response:
    form = call.str("format") or "exact"
    if form not in FORMATS:
        raise InvalidInput("format", f"format must be one of {', '.join(FORMATS)}")
    with call.scoped(write=False) as (db, scope):
        if (single := next((name for name in SINGLE if name in call.query), None)) is not None:
            _only(call, single)
            found = lrs_statements.get_statement(db, scope, call.str(single, required=True) or "",
                                                 voided=single == "voidedStatementId")
            stored = datetime.fromisoformat(found["stored"].replace("Z", "+00:00"))
            return answer(_shaped(found, form), headers={"Last-Modified": format_datetime(stored, usegmt=True)})
        page, after = lrs_statements.query_statements(db, scope, _query(call))
    more = f"{PREFIX}/statements?{urlencode({**call.query, 'more': after})}" if after else ""
    return answer({"statements": [_shaped(s, form) for s in page], "more": more},
                  headers={"X-Experience-API-Consistent-Through": iso_instant(datetime.now(UTC))})


def _only(call: Call, single: str) -> None:
    """statementId / voidedStatementId take no filters (format and attachments aside)."""
    extra = sorted(set(call.query) - {single, "format", "attachments"})
    if extra:
        raise InvalidInput(extra[0], f"{extra[0]} cannot be combined with {single}")


def _query(call: Call) -> StatementQuery:
    return StatementQuery(
        agent=call.agent(), verb=call.str("verb"), activity=call.str("activity"),
        registration=call.str("registration"), related_activities=call.bool("related_activities"),
        related_agents=call.bool("related_agents"), since=call.datetime("since"), until=call.datetime("until"),
        limit=call.int("limit"), ascending=call.bool("ascending"), after=call.str("more"))


def _shaped(statement: dict, form: str) -> dict:
    return lrs_statements.ids_form(statement) if form == "ids" else statement
