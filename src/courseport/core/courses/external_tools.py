"""External tools: LTI 1.1 tool configurations an account or a course keeps (name, launch URL or domain, the
consumer key and shared secret the launch is signed with, what it tells the tool about the user, custom fields,
and where it is placed). A course's members read its tools, its content managers keep them; an account's admins
read and keep the account's. A course (or account) also sees the tools of the accounts above it when asked
(`include_parents`) and may show one by id, but changes only its own. The tool's URL is never fetched here, so
it is only checked to be an absolute http(s) URL. Configuration by URL or XML is not supported: refused clearly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.identity import accounts
from courseport.core.kit.changes import UNSET, Unset, given
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.outbound import check_url
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import ExternalTool, User

PRIVACY_LEVELS = ("anonymous", "name_only", "email_only", "public")
PLACEMENTS = ("account_navigation", "assignment_menu", "assignment_selection", "course_home_sub_navigation",
              "course_navigation", "course_settings_sub_navigation", "discussion_topic_menu", "editor_button",
              "file_menu", "global_navigation", "homework_submission", "link_selection", "migration_selection",
              "module_menu", "quiz_menu", "resource_selection", "tool_configuration", "user_navigation",
              "wiki_page_menu")
_BOOL_SETTINGS = ("enabled",)
_INT_SETTINGS = ("selection_width", "selection_height")
_URL_SETTINGS = ("url", "icon_url")
_MAX_ENTRIES = 50
_MAX_KEY, _MAX_VALUE = 64, 2048
_DOMAIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-:")


@dataclass(frozen=True)
class ToolChanges:
    name: str | None | Unset = UNSET
    description: str | None | Unset = UNSET
    url: str | None | Unset = UNSET
    domain: str | None | Unset = UNSET
    consumer_key: str | None | Unset = UNSET
    shared_secret: str | None | Unset = UNSET
    privacy_level: str | None | Unset = UNSET
    icon_url: str | None | Unset = UNSET
    not_selectable: bool | None | Unset = UNSET
    custom_fields: dict | None | Unset = UNSET
    placements: dict | None | Unset = UNSET


@dataclass(frozen=True)
class ToolQuery:
    search_term: str | None = None
    selectable: bool | None = None
    include_parents: bool = False


@dataclass(frozen=True)
class Scope:
    """Whose tools: a course's or an account's own, and the accounts above it (nearest first)."""

    course_id: int | None
    account_id: int | None
    parent_account_ids: list[int]


def course_scope(db: Session, actor: User, course_ref: str, *, write: bool = False) -> Scope:
    course, _ = readable_course(db, actor, course_ref, "manage_content" if write else "read")
    return Scope(course.id, None, accounts.ancestor_ids(db, course.account_id))


def account_scope(db: Session, actor: User, account_ref: str) -> Scope:
    account = accounts.readable_account(db, actor.id, account_ref)
    return Scope(None, account.id, accounts.ancestor_ids(db, account.id)[1:])


def _own(scope: Scope) -> Any:
    if scope.course_id is not None:
        return ExternalTool.course_id == scope.course_id
    return ExternalTool.account_id == scope.account_id


def _visible(scope: Scope) -> Any:
    return or_(_own(scope), ExternalTool.account_id.in_(scope.parent_account_ids))


def list_tools(db: Session, scope: Scope, query: ToolQuery, window: Window) -> Slice[ExternalTool]:
    """The scope's own tools (and its parents' with `include_parents`), by id."""
    stmt: Select = select(ExternalTool).where(_visible(scope) if query.include_parents else _own(scope))
    if query.search_term is not None:
        term = query.search_term.strip().lower()
        if len(term) < 2:
            raise InvalidInput("search_term", "search_term of 2 or more characters is required")
        stmt = stmt.where(func.lower(ExternalTool.name).contains(term, autoescape=True))
    if query.selectable:
        stmt = stmt.where(ExternalTool.not_selectable.is_(False))
    return fetch_window(db, stmt.order_by(ExternalTool.id), window)


def get_tool(db: Session, scope: Scope, tool_id: int) -> ExternalTool:
    """One of the scope's own tools or one of an account above it."""
    return _find(db, _visible(scope), tool_id)


def _find(db: Session, condition: Any, tool_id: int) -> ExternalTool:
    tool = db.scalar(select(ExternalTool).where(ExternalTool.id == tool_id, condition))
    if tool is None:
        raise NotFound("external tool")
    return tool


def create_tool(db: Session, scope: Scope, changes: ToolChanges) -> ExternalTool:
    tool = ExternalTool(course_id=scope.course_id, account_id=scope.account_id, name="", consumer_key="",
                        shared_secret="", privacy_level="anonymous", custom_fields={}, placements={})
    _apply(tool, changes)
    db.add(tool)
    db.flush()
    return tool


def update_tool(db: Session, scope: Scope, tool_id: int, changes: ToolChanges) -> ExternalTool:
    tool = _find(db, _own(scope), tool_id)
    _apply(tool, changes)
    db.flush()
    return tool


def delete_tool(db: Session, scope: Scope, tool_id: int) -> ExternalTool:
    """Remove one of the scope's own tools; the removed row is returned for its last rendering."""
    tool = _find(db, _own(scope), tool_id)
    db.delete(tool)
    db.flush()
    return tool


def _apply(tool: ExternalTool, changes: ToolChanges) -> None:
    fields = given(changes)
    for key in ("name", "consumer_key", "shared_secret"):
        if key in fields:
            setattr(tool, key, (fields[key] or "").strip())
    for key in ("description", "url", "domain", "icon_url"):
        if key in fields:
            setattr(tool, key, (fields[key] or "").strip() or None)
    if fields.get("privacy_level") is not None:
        if fields["privacy_level"] not in PRIVACY_LEVELS:
            raise InvalidInput("privacy_level", f"privacy_level must be one of {', '.join(PRIVACY_LEVELS)}")
        tool.privacy_level = fields["privacy_level"]
    if "not_selectable" in fields:
        tool.not_selectable = bool(fields["not_selectable"])
    if "custom_fields" in fields:
        tool.custom_fields = _custom_fields(fields["custom_fields"] or {})
    if fields.get("placements"):
        tool.placements = {**tool.placements, **{name: _placement(name, settings)
                                                  for name, settings in fields["placements"].items()}}
    _check(tool)


def _check(tool: ExternalTool) -> None:
    for key in ("name", "consumer_key", "shared_secret"):
        if not getattr(tool, key):
            raise InvalidInput(key, f"{key} is required")
    if tool.url is None and tool.domain is None:
        raise InvalidInput("url", "url or domain is required")
    if tool.url is not None:
        check_url(tool.url, "url")
    if tool.icon_url is not None:
        check_url(tool.icon_url, "icon_url")
    if tool.domain is not None:
        tool.domain = tool.domain.lower()
        if not set(tool.domain) <= _DOMAIN_CHARS or ("." not in tool.domain.strip(".") and tool.domain != "localhost"):
            raise InvalidInput("domain", "domain must be a host name such as example.com")


def _custom_fields(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or len(value) > _MAX_ENTRIES:
        raise InvalidInput("custom_fields", f"custom_fields must be a hash of at most {_MAX_ENTRIES} names")
    fields: dict[str, str] = {}
    for key, text in value.items():
        name = f"custom_fields[{key}]"
        if not key or len(str(key)) > _MAX_KEY or isinstance(text, (dict, list)) or len(str(text)) > _MAX_VALUE:
            raise InvalidInput(name, f"{name} must be a short name with a text value of at most {_MAX_VALUE}")
        fields[str(key)] = "" if text is None else str(text)
    return fields


def _placement(name: str, settings: Any) -> dict[str, Any]:
    if name not in PLACEMENTS:
        raise InvalidInput(name, f"{name} is not a known placement")
    if not isinstance(settings, dict) or len(settings) > _MAX_ENTRIES:
        raise InvalidInput(name, f"{name} must be a hash of placement settings")
    out: dict[str, Any] = {}
    for key, value in settings.items():
        field = f"{name}[{key}]"
        if not key or len(str(key)) > _MAX_KEY or isinstance(value, (dict, list)) or len(str(value)) > _MAX_VALUE:
            raise InvalidInput(field, f"{field} must be a short name with a text value")
        out[str(key)] = _setting(str(key), value, field)
    return out


def _setting(key: str, value: Any, field: str) -> Any:
    text = "" if value is None else str(value).strip()
    if key in _BOOL_SETTINGS:
        if text.lower() not in ("true", "false", "1", "0"):
            raise InvalidInput(field, f"{field} must be true or false")
        return text.lower() in ("true", "1")
    if key in _INT_SETTINGS:
        if not text.isdigit() or len(text) > 6:
            raise InvalidInput(field, f"{field} must be a whole number of pixels")
        return int(text)
    if key in _URL_SETTINGS and text:
        check_url(text, field)
    return text


_CARRIED = ("description", "url", "domain", "shared_secret", "privacy_level", "icon_url", "not_selectable",
            "custom_fields", "placements")


def carry_tools(db: Session, source_id: int, target_id: int) -> None:
    """A course copy's settings carry the source course's own tools onto the target: a target tool of the same
    name and consumer key takes the source's configuration, any other is added."""
    existing = {(t.name, t.consumer_key): t for t in db.scalars(select(ExternalTool).where(
        ExternalTool.course_id == target_id))}
    for tool in db.scalars(select(ExternalTool).where(ExternalTool.course_id == source_id).order_by(ExternalTool.id)):
        target = existing.get((tool.name, tool.consumer_key))
        if target is None:
            target = ExternalTool(course_id=target_id, name=tool.name, consumer_key=tool.consumer_key)
            db.add(target)
        for key in _CARRIED:
            setattr(target, key, getattr(tool, key))
    db.flush()
