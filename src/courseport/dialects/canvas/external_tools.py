"""Canvas External Tools API routes (LTI 1.1 tool configurations) on courses and accounts: list (paged;
`search_term`, `selectable`, `include_parents`), show, create, update and delete. Tools are given field by
field (`name`, `privacy_level`, `consumer_key`, `shared_secret`, `url` or `domain`, `custom_fields[...]`, a hash
per placement such as `course_navigation[...]`); `config_type` by_url / by_xml and LTI 1.3 `client_id` are
refused with a 400 naming the parameter."""

from __future__ import annotations

from collections.abc import Callable

from litestar import Response
from sqlalchemy.orm import Session

from courseport.core.courses import external_tools
from courseport.core.courses.external_tools import PLACEMENTS, Scope, ToolChanges, ToolQuery
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.external_tool_json import render_tool
from courseport.dialects.canvas.protocol import Call, delete, get, post, put
from courseport.schema import User

ScopeOf = Callable[..., Scope]
_TEXT = ("name", "description", "url", "domain", "consumer_key", "shared_secret", "privacy_level", "icon_url")


def _course(db: Session, me: User, course_id: str, *, write: bool = False) -> Scope:
    return external_tools.course_scope(db, me, course_id, write=write)


def _account(db: Session, me: User, account_id: str, *, write: bool = False) -> Scope:
    return external_tools.account_scope(db, me, account_id)


@get("/courses/{course_id:str}/external_tools")
def list_course_tools(call: Call, course_id: str) -> Response:
    return _list(call, _course, course_id)


@get("/accounts/{account_id:str}/external_tools")
def list_account_tools(call: Call, account_id: str) -> Response:
    return _list(call, _account, account_id)


@get("/courses/{course_id:str}/external_tools/{external_tool_id:int}")
def get_course_tool(call: Call, course_id: str, external_tool_id: int) -> dict:
    with call.read() as (db, me):
        return render_tool(external_tools.get_tool(db, _course(db, me, course_id), external_tool_id))


@get("/accounts/{account_id:str}/external_tools/{external_tool_id:int}")
def get_account_tool(call: Call, account_id: str, external_tool_id: int) -> dict:
    with call.read() as (db, me):
        return render_tool(external_tools.get_tool(db, _account(db, me, account_id), external_tool_id))


@post("/courses/{course_id:str}/external_tools", status_code=200)
def create_course_tool(call: Call, course_id: str) -> dict:
    return _create(call, _course, course_id)


@post("/accounts/{account_id:str}/external_tools", status_code=200)
def create_account_tool(call: Call, account_id: str) -> dict:
    return _create(call, _account, account_id)


@put("/courses/{course_id:str}/external_tools/{external_tool_id:int}")
def update_course_tool(call: Call, course_id: str, external_tool_id: int) -> dict:
    return _update(call, _course, course_id, external_tool_id)


@put("/accounts/{account_id:str}/external_tools/{external_tool_id:int}")
def update_account_tool(call: Call, account_id: str, external_tool_id: int) -> dict:
    return _update(call, _account, account_id, external_tool_id)


@delete("/courses/{course_id:str}/external_tools/{external_tool_id:int}")
def delete_course_tool(call: Call, course_id: str, external_tool_id: int) -> dict:
    return _delete(call, _course, course_id, external_tool_id)


@delete("/accounts/{account_id:str}/external_tools/{external_tool_id:int}")
def delete_account_tool(call: Call, account_id: str, external_tool_id: int) -> dict:
    return _delete(call, _account, account_id, external_tool_id)


def _list(call: Call, scope_of: ScopeOf, owner_id: str) -> Response:
    window = call.window()
    query = ToolQuery(call.str("search_term"), call.bool("selectable"), bool(call.bool("include_parents", False)))
    with call.read() as (db, me):
        page = external_tools.list_tools(db, scope_of(db, me, owner_id), query, window)
        return call.paged([render_tool(tool) for tool in page.items], window, page)


def _create(call: Call, scope_of: ScopeOf, owner_id: str) -> dict:
    changes = _changes(call)
    with call.write() as (db, me):
        return render_tool(external_tools.create_tool(db, scope_of(db, me, owner_id, write=True), changes))


def _update(call: Call, scope_of: ScopeOf, owner_id: str, tool_id: int) -> dict:
    changes = _changes(call)
    with call.write() as (db, me):
        return render_tool(external_tools.update_tool(db, scope_of(db, me, owner_id, write=True), tool_id, changes))


def _delete(call: Call, scope_of: ScopeOf, owner_id: str, tool_id: int) -> dict:
    with call.write() as (db, me):
        tool = external_tools.delete_tool(db, scope_of(db, me, owner_id, write=True), tool_id)
        return render_tool(tool, deleted=True)


def _changes(call: Call) -> ToolChanges:
    if call.str("config_type") not in (None, "", "manual"):
        raise InvalidInput("config_type", "config_type by_url and by_xml are not supported: give the tool's "
                                          "fields (name, privacy_level, consumer_key, shared_secret, url or domain)")
    if call.has("client_id"):
        raise InvalidInput("client_id", "LTI 1.3 tools (client_id) are not supported: give an LTI 1.1 tool's fields")
    fields: dict = {key: call.str(key) for key in _TEXT if call.has(key)}
    if call.has("not_selectable"):
        fields["not_selectable"] = call.bool("not_selectable")
    if call.has("custom_fields"):
        fields["custom_fields"] = call.raw("custom_fields")
    placements = {name: call.raw(name) for name in PLACEMENTS if call.has(name)}
    if placements:
        fields["placements"] = placements
    return ToolChanges(**fields)


ROUTES = [list_course_tools, list_account_tools, get_course_tool, get_account_tool, create_course_tool,
          create_account_tool, update_course_tool, update_account_tool, delete_course_tool, delete_account_tool]
