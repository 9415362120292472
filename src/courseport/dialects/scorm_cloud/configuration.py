"""Configuration settings at course, version and application level (SettingListSchema)."""

from __future__ import annotations

from typing import Any

from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import package_settings
from courseport.dialects.scorm_cloud.course_json import render_settings
from courseport.dialects.scorm_cloud.fields import scorm_fields
from courseport.dialects.scorm_cloud.protocol import Call, delete, get, post

APP_READ, APP_WRITE = ("read", "read:application"), ("write", "write:application")


def setting_values(call: Call) -> list[tuple[str, Any]]:
    settings = call.json("configurationSettings").get("settings")
    if not isinstance(settings, list) or not all(isinstance(s, dict) for s in settings):
        raise InvalidInput("settings", "settings must be a list of {settingId, value}")
    for s in settings:
        if not isinstance(s.get("settingId"), str):
            raise InvalidInput("settings", "every setting needs a settingId")
    return [(s["settingId"], s.get("value")) for s in settings]


def _get(call: Call, course_id: str | None, version: int | None, scopes: tuple[str, ...]) -> dict:
    with call.read(scopes) as (db, me):
        settings = package_settings.get_configuration(db, me, course_id, version)
    return render_settings(settings, call.bool("includeMetadata"))


def _set(call: Call, course_id: str | None, version: int | None, scopes: tuple[str, ...]) -> None:
    values = setting_values(call)
    with scorm_fields(), call.write(scopes) as (db, me):
        package_settings.set_configuration(db, me, course_id, version, values)


def _delete(call: Call, course_id: str | None, version: int | None, setting_id: str,
            scopes: tuple[str, ...]) -> None:
    with scorm_fields(), call.write(scopes) as (db, me):
        package_settings.delete_setting(db, me, course_id, version, setting_id)


@get("/courses/{course_id:str}/configuration")
def get_course_configuration(call: Call, course_id: str) -> dict:
    return _get(call, course_id, None, ("read", "read:course"))


@post("/courses/{course_id:str}/configuration", status_code=204)
def set_course_configuration(call: Call, course_id: str) -> None:
    _set(call, course_id, None, ("write", "write:course"))


@delete("/courses/{course_id:str}/configuration/{setting_id:str}")
def delete_course_setting(call: Call, course_id: str, setting_id: str) -> None:
    _delete(call, course_id, None, setting_id, ("write", "write:course"))


@get("/courses/{course_id:str}/versions/{version:int}/configuration")
def get_version_configuration(call: Call, course_id: str, version: int) -> dict:
    return _get(call, course_id, version, ("read", "read:course"))


@post("/courses/{course_id:str}/versions/{version:int}/configuration", status_code=204)
def set_version_configuration(call: Call, course_id: str, version: int) -> None:
    _set(call, course_id, version, ("write", "write:course"))


@delete("/courses/{course_id:str}/versions/{version:int}/configuration/{setting_id:str}")
def delete_version_setting(call: Call, course_id: str, version: int, setting_id: str) -> None:
    _delete(call, course_id, version, setting_id, ("write", "write:course"))


@get("/appManagement/configuration")
def get_application_configuration(call: Call) -> dict:
    return _get(call, None, None, APP_READ)


@post("/appManagement/configuration", status_code=204)
def set_application_configuration(call: Call) -> None:
    _set(call, None, None, APP_WRITE)


@delete("/appManagement/configuration/{setting_id:str}")
def delete_application_setting(call: Call, setting_id: str) -> None:
    _delete(call, None, None, setting_id, APP_WRITE)


ROUTES = [get_course_configuration, set_course_configuration, delete_course_setting, get_version_configuration,
          set_version_configuration, delete_version_setting, get_application_configuration,
          set_application_configuration, delete_application_setting]
