"""Registration instances, launch history, launch links and configuration at registration and
instance level (RegistrationListSchema, LaunchHistoryListSchema, LaunchLinkSchema, SettingListSchema)."""

from __future__ import annotations

from courseport.core.kit.errors import spelled_as
from courseport.core.packages import registration_launches, registration_progress, registration_settings, registrations
from courseport.dialects.scorm_cloud.configuration import setting_values
from courseport.dialects.scorm_cloud.course_json import render_settings
from courseport.dialects.scorm_cloud.fields import scorm_fields
from courseport.dialects.scorm_cloud.previews import launch_request
from courseport.dialects.scorm_cloud.protocol import Call, delete, get, post
from courseport.dialects.scorm_cloud.registration_json import render_launch, render_registration
from courseport.dialects.scorm_cloud.registrations import DELETE, NAMES, READ, WRITE
from courseport.dialects.scorm_cloud.statements import statement_page


@post("/registrations/{registration_id:str}/instances", status_code=204)
def create_new_registration_instance(call: Call, registration_id: str) -> None:
    with call.write(WRITE) as (db, me):
        registration_progress.create_instance(db, me, registration_id)


@get("/registrations/{registration_id:str}/instances")
def get_registration_instances(call: Call, registration_id: str) -> dict:
    since, until = call.datetime("since"), call.datetime("until")
    with call.read(READ) as (db, me):
        views = registration_progress.instances(db, me, registration_id)
        return {"registrations": [
            render_registration(v, children=call.bool("includeChildResults"), runtime=call.bool("includeRuntime"),
                                details=call.bool("includeInteractionsAndObjectives"))
            for v in views if (since is None or v.attempt.updated_at >= since)
            and (until is None or v.attempt.updated_at <= until)]}


@get("/registrations/{registration_id:str}/instances/{instance_id:int}")
def get_registration_instance_progress(call: Call, registration_id: str, instance_id: int) -> dict:
    with spelled_as(NAMES), call.read(READ) as (db, me):
        view = registrations.get_registration(db, me, registration_id, instance_id)
        return render_registration(view, children=call.bool("includeChildResults"),
                                   runtime=call.bool("includeRuntime"),
                                   details=call.bool("includeInteractionsAndObjectives"))


@delete("/registrations/{registration_id:str}/instances/{instance_id:int}")
def delete_registration_instance(call: Call, registration_id: str, instance_id: int) -> None:
    with spelled_as(NAMES), call.session(DELETE, write=True) as (db, me):
        registration_progress.delete_instance(db, me, registration_id, instance_id)


def _history(call: Call, registration_id: str, instance: int | None) -> dict:
    with call.read(READ) as (db, me):
        found = registration_progress.launch_history(db, me, registration_id, instance)
        return {"launchHistory": [render_launch(i, launch, log=call.bool("includeHistoryLog")) for i, launch in found]}


@get("/registrations/{registration_id:str}/launchHistory")
def get_registration_launch_history(call: Call, registration_id: str) -> dict:
    return _history(call, registration_id, None)


@get("/registrations/{registration_id:str}/instances/{instance_id:int}/launchHistory")
def get_registration_instance_launch_history(call: Call, registration_id: str, instance_id: int) -> dict:
    return _history(call, registration_id, instance_id)


@post("/registrations/{registration_id:str}/launchLink")
def build_registration_launch_link(call: Call, registration_id: str) -> dict:
    with scorm_fields():
        request = launch_request(call.json("launchLinkRequest"))
        with call.read(READ) as (db, me):
            token = registration_launches.launch_link(db, me, call.services.secret, registration_id, request)
    return {"launchLink": f"{call.origin}/launch/{token}"}


@get("/registrations/{registration_id:str}/xAPIStatements")
def get_registration_statements(call: Call, registration_id: str) -> dict:
    return statement_page(call, lambda db, me, filters: registration_progress.registration_statements(
        db, me, registration_id, None, filters), READ)


@get("/registrations/{registration_id:str}/instances/{instance_id:int}/xAPIStatements")
def get_registration_instance_statements(call: Call, registration_id: str, instance_id: int) -> dict:
    return statement_page(call, lambda db, me, filters: registration_progress.registration_statements(
        db, me, registration_id, instance_id, filters), READ)


def _get_settings(call: Call, registration_id: str, instance: int | None) -> dict:
    with spelled_as(NAMES), call.read(READ) as (db, me):
        settings = registration_settings.get_configuration(db, me, registration_id, instance)
    return render_settings(settings, call.bool("includeMetadata"))


def _set_settings(call: Call, registration_id: str, instance: int | None) -> None:
    values = setting_values(call)
    with spelled_as({**NAMES, "setting_id": "settings"}), call.write(WRITE) as (db, me):
        registration_settings.set_configuration(db, me, registration_id, instance, values)


def _delete_setting(call: Call, registration_id: str, instance: int | None, setting_id: str) -> None:
    with spelled_as(NAMES), call.write(WRITE) as (db, me):
        registration_settings.delete_setting(db, me, registration_id, instance, setting_id)


@get("/registrations/{registration_id:str}/configuration")
def get_registration_configuration(call: Call, registration_id: str) -> dict:
    return _get_settings(call, registration_id, None)


@post("/registrations/{registration_id:str}/configuration", status_code=204)
def set_registration_configuration(call: Call, registration_id: str) -> None:
    _set_settings(call, registration_id, None)


@delete("/registrations/{registration_id:str}/configuration/{setting_id:str}")
def delete_registration_configuration_setting(call: Call, registration_id: str, setting_id: str) -> None:
    _delete_setting(call, registration_id, None, setting_id)


@get("/registrations/{registration_id:str}/instances/{instance_id:int}/configuration")
def get_registration_instance_configuration(call: Call, registration_id: str, instance_id: int) -> dict:
    return _get_settings(call, registration_id, instance_id)


@post("/registrations/{registration_id:str}/instances/{instance_id:int}/configuration", status_code=204)
def set_registration_instance_configuration(call: Call, registration_id: str, instance_id: int) -> None:
    _set_settings(call, registration_id, instance_id)


@delete("/registrations/{registration_id:str}/instances/{instance_id:int}/configuration/{setting_id:str}")
def delete_registration_instance_configuration_setting(call: Call, registration_id: str, instance_id: int,
                                                        setting_id: str) -> None:
    _delete_setting(call, registration_id, instance_id, setting_id)


ROUTES = [create_new_registration_instance, get_registration_instances, get_registration_instance_progress,
          delete_registration_instance, get_registration_launch_history, get_registration_instance_launch_history,
          build_registration_launch_link, get_registration_configuration, set_registration_configuration,
          delete_registration_configuration_setting, get_registration_instance_configuration,
          set_registration_instance_configuration, delete_registration_instance_configuration_setting,
          get_registration_statements, get_registration_instance_statements]
