"""Canvas Feature Flags API routes for courses, accounts and users: the features a context lists with the flag
that applies to each (paged), the names of those enabled, and one feature's flag shown, set (`state`) or
removed. A feature the context does not list is not found (a 400 naming `feature` when setting it)."""

from __future__ import annotations

from collections.abc import Callable

from litestar import Response
from sqlalchemy.orm import Session

from courseport.core.courses import feature_flags
from courseport.core.courses.feature_flags import Context
from courseport.core.kit.paging import window_of
from courseport.dialects.canvas.feature_json import render_feature, render_flag
from courseport.dialects.canvas.protocol import Call, delete, get, put
from courseport.schema import User

ContextOf = Callable[..., Context]


def _course(db: Session, me: User, course_id: str, *, write: bool = False) -> Context:
    return feature_flags.course_context(db, me, course_id, write=write)


def _account(db: Session, me: User, account_id: str, *, write: bool = False) -> Context:
    return feature_flags.account_context(db, me, account_id)


def _user(db: Session, me: User, user_id: str, *, write: bool = False) -> Context:
    return feature_flags.user_context(db, me, user_id)


@get("/courses/{course_id:str}/features")
def list_course_features(call: Call, course_id: str) -> Response:
    return _list(call, _course, course_id)


@get("/accounts/{account_id:str}/features")
def list_account_features(call: Call, account_id: str) -> Response:
    return _list(call, _account, account_id)


@get("/users/{user_id:str}/features")
def list_user_features(call: Call, user_id: str) -> Response:
    return _list(call, _user, user_id)


@get("/courses/{course_id:str}/features/enabled")
def course_enabled_features(call: Call, course_id: str) -> list[str]:
    return _enabled(call, _course, course_id)


@get("/accounts/{account_id:str}/features/enabled")
def account_enabled_features(call: Call, account_id: str) -> list[str]:
    return _enabled(call, _account, account_id)


@get("/users/{user_id:str}/features/enabled")
def user_enabled_features(call: Call, user_id: str) -> list[str]:
    return _enabled(call, _user, user_id)


@get("/courses/{course_id:str}/features/flags/{feature:str}")
def get_course_flag(call: Call, course_id: str, feature: str) -> dict:
    return _show(call, _course, course_id, feature)


@get("/accounts/{account_id:str}/features/flags/{feature:str}")
def get_account_flag(call: Call, account_id: str, feature: str) -> dict:
    return _show(call, _account, account_id, feature)


@get("/users/{user_id:str}/features/flags/{feature:str}")
def get_user_flag(call: Call, user_id: str, feature: str) -> dict:
    return _show(call, _user, user_id, feature)


@put("/courses/{course_id:str}/features/flags/{feature:str}")
def set_course_flag(call: Call, course_id: str, feature: str) -> dict:
    return _set(call, _course, course_id, feature)


@put("/accounts/{account_id:str}/features/flags/{feature:str}")
def set_account_flag(call: Call, account_id: str, feature: str) -> dict:
    return _set(call, _account, account_id, feature)


@put("/users/{user_id:str}/features/flags/{feature:str}")
def set_user_flag(call: Call, user_id: str, feature: str) -> dict:
    return _set(call, _user, user_id, feature)


@delete("/courses/{course_id:str}/features/flags/{feature:str}")
def delete_course_flag(call: Call, course_id: str, feature: str) -> dict:
    return _delete(call, _course, course_id, feature)


@delete("/accounts/{account_id:str}/features/flags/{feature:str}")
def delete_account_flag(call: Call, account_id: str, feature: str) -> dict:
    return _delete(call, _account, account_id, feature)


@delete("/users/{user_id:str}/features/flags/{feature:str}")
def delete_user_flag(call: Call, user_id: str, feature: str) -> dict:
    return _delete(call, _user, user_id, feature)


def _list(call: Call, context_of: ContextOf, owner_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        listed = feature_flags.flags(db, context_of(db, me, owner_id))
    page = window_of(listed, window)
    return call.paged([render_feature(feature, flag) for feature, flag in page.items], window, page)


def _enabled(call: Call, context_of: ContextOf, owner_id: str) -> list[str]:
    with call.read() as (db, me):
        return feature_flags.enabled_features(db, context_of(db, me, owner_id))


def _show(call: Call, context_of: ContextOf, owner_id: str, feature: str) -> dict:
    with call.read() as (db, me):
        return render_flag(feature_flags.flag(db, context_of(db, me, owner_id), feature))


def _set(call: Call, context_of: ContextOf, owner_id: str, feature: str) -> dict:
    state = call.str("state")
    with call.write() as (db, me):
        return render_flag(feature_flags.set_flag(db, context_of(db, me, owner_id, write=True), feature, state))


def _delete(call: Call, context_of: ContextOf, owner_id: str, feature: str) -> dict:
    with call.write() as (db, me):
        return render_flag(feature_flags.delete_flag(db, context_of(db, me, owner_id, write=True), feature))


ROUTES = [list_course_features, list_account_features, list_user_features, course_enabled_features,
          account_enabled_features, user_enabled_features, get_course_flag, get_account_flag, get_user_flag,
          set_course_flag, set_account_flag, set_user_flag, delete_course_flag, delete_account_flag,
          delete_user_flag]
