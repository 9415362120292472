"""Registration Service routes: create, exists, progress, list, delete, delete progress and global
data, tags (single and batch) and testRegistrationPostback (CreateRegistrationSchema,
RegistrationSchema, RegistrationListSchema, TagListSchema, BatchTagsSchema, PostBackSchema)."""

from __future__ import annotations

from functools import partial
from typing import Any, cast

import litestar
from litestar import Response

from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.core.packages import registration_postbacks, registration_progress, registrations
from courseport.core.packages.registrations import Learner, NewRegistration, Postback, RegistrationFilters
from courseport.dialects.scorm_cloud.initial_state import read_initial, seed
from courseport.dialects.scorm_cloud.json_types import check_types, listing_state, object_at, string_list
from courseport.dialects.scorm_cloud.protocol import Call, decode_more, delete, encode_more, get, post, put, to_datetime
from courseport.dialects.scorm_cloud.registration_json import POSTBACK_SHAPE, render_registration
from courseport.dialects.scorm_cloud.tags import change_tags, read_tags, tag_batch

READ, WRITE, DELETE = ("read", "read:registration"), ("write", "write:registration"), ("delete", "delete:registration")
# Core words -> SCORM Cloud's names in this service's requests.
NAMES = {
    "course_id": "courseId", "registration_id": "registrationId", "xapi_registration_id": "xapiRegistrationId",
    "learner_id": "learner.id", "learner_email": "learner.email", "learner_first_name": "learner.firstName",
    "learner_last_name": "learner.lastName", "postback_url": "postBack.url", "postback_auth_type": "postBack.authType",
    "postback_level": "postBack.resultsFormat", "registration_tags": "registrationTags",
    "learner_tags": "learnerTags", "course_tags": "courseTags", "version": "courseVersion",
    "datetime_filter": "datetimeFilter", "filter_by": "filterBy", "order_by": "orderBy", "setting_id": "settingId",
    "instance_id": "instanceId", "initial_progress": "initialRegistrationState",
    "initial_progress.global_objectives": "initialRegistrationState.globalObjectives",
    "initial_progress.shared_data": "initialRegistrationState.sharedData",
}
_CREATE = {"courseId": str, "registrationId": str, "xapiRegistrationId": str, "learner": dict, "postBack": dict,
           "learnerTags": list, "courseTags": list, "registrationTags": list, "initialRegistrationState": dict,
           "initialSettings": dict}
_LEARNER = {"id": str, "email": str, "firstName": str, "lastName": str}
_POSTBACK = {"url": str, "authType": str, "userName": str, "password": str, "resultsFormat": str, "legacy": bool}
head = partial(litestar.head, sync_to_thread=True, status_code=200)


def learner_of(body: dict[str, Any], prefix: str = "learner.") -> Learner:
    check_types(body, _LEARNER, prefix)
    return Learner(id=body.get("id") or "", email=body.get("email"), first_name=body.get("firstName"),
                   last_name=body.get("lastName"))


def postback_of(call: Call, body: dict[str, Any], prefix: str = "postBack.") -> Postback | None:
    check_types(body, _POSTBACK, prefix)
    if not body.get("url"):
        return None
    if body.get("legacy"):
        raise InvalidInput(prefix + "legacy", "legacy (XML) postbacks are not supported: send JSON postbacks")
    return Postback(url=body["url"], auth_type=(body.get("authType") or "UNDEFINED").lower(), user=body.get("userName"),
                    password=body.get("password"), level=(body.get("resultsFormat") or "COURSE").lower(),
                    shape=POSTBACK_SHAPE, allow=call.services.settings.outbound_allow)


def _new(call: Call, body: dict[str, Any]) -> NewRegistration:
    check_types(body, _CREATE)
    tags = {name: tuple(string_list(body.get(name), name) or ()) for name in ("registrationTags", "learnerTags",
                                                                            "courseTags")}
    version = call.str("courseVersion")
    if version is not None and not version.lstrip("-").isdigit():
        raise InvalidInput("courseVersion", "courseVersion must be an integer")
    return NewRegistration(
        course_id=body.get("courseId") or "", registration_id=body.get("registrationId") or "",
        learner=learner_of(object_at(body, "learner")), xapi_registration=body.get("xapiRegistrationId"),
        version=int(version) if version is not None else None, postback=postback_of(call, object_at(body, "postBack")),
        registration_tags=tags["registrationTags"], learner_tags=tags["learnerTags"], course_tags=tags["courseTags"],
        settings=tuple(_settings(object_at(body, "initialSettings"))))


def _settings(body: dict[str, Any]) -> list[tuple[str, Any]]:
    """SettingsPostSchema `settings`: {settingId, value} items."""
    items = body.get("settings") or []
    if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("settingId"), str)
                                              for i in items):
        raise InvalidInput("initialSettings.settings", "initialSettings.settings must be a list of {settingId, value}")
    return [(i["settingId"], i.get("value")) for i in items]


@post("/registrations", status_code=204)
def create_registration(call: Call) -> None:
    body = call.json("registration")
    with spelled_as(NAMES):
        new = _new(call, body)
        initial = read_initial(object_at(body, "initialRegistrationState"))
        with call.write(WRITE) as (db, me):
            view = registrations.create_registration(db, me, new)
            if initial is not None:
                seed(db, call.services.blobs, view, initial)


@head("/registrations/{registration_id:str}")
def get_registration(call: Call, registration_id: str) -> None:
    with call.read(READ) as (db, me):
        registrations.find_registration(db, me, registration_id)


@get("/registrations/{registration_id:str}")
def get_registration_progress(call: Call, registration_id: str) -> dict:
    with call.read(READ) as (db, me):
        view = registrations.get_registration(db, me, registration_id)
        return render_registration(view, children=call.bool("includeChildResults"),
                                   runtime=call.bool("includeRuntime"),
                                   details=call.bool("includeInteractionsAndObjectives"))


def _listing(call: Call) -> dict[str, Any]:
    if call.str("more"):
        return listing_state(decode_more(cast(str, call.str("more"))))
    call.datetime("since"), call.datetime("until")  # refuse a bad date now, not on the next page
    return {"filters": {"course_id": call.str("courseId"), "learner_id": call.str("learnerId"),
                        "since": call.str("since"), "until": call.str("until"), "tags": call.csv("tags"),
                        "datetime_filter": call.str("datetimeFilter") or "updated", "filter": call.str("filter"),
                        "filter_by": call.str("filterBy") or "registration_id",
                        "order_by": call.str("orderBy") or "creation_date_asc"},
            "offset": 0, "children": call.bool("includeChildResults"), "runtime": call.bool("includeRuntime"),
            "details": call.bool("includeInteractionsAndObjectives"), "total": call.bool("includeTotalCount")}


def _filters(state: dict[str, Any]) -> RegistrationFilters:
    f = dict(state.get("filters") or {})
    return RegistrationFilters(
        course_id=f.get("course_id"), learner_id=f.get("learner_id"), since=to_datetime(f.get("since"), "since"),
        until=to_datetime(f.get("until"), "until"), datetime_filter=f.get("datetime_filter", "updated"),
        tags=tuple(f.get("tags") or ()), filter=f.get("filter"), filter_by=f.get("filter_by", "registration_id"),
        order_by=f.get("order_by", "creation_date_asc"))


@get("/registrations")
def get_registrations(call: Call) -> Response:
    state = _listing(call)
    offset = int(state.get("offset") or 0)
    with spelled_as(NAMES), call.read(READ) as (db, me):
        page = registrations.list_registrations(db, me, _filters(state), offset, count=bool(state.get("total")))
        body: dict[str, Any] = {"registrations": [
            render_registration(v, children=bool(state.get("children")), runtime=bool(state.get("runtime")),
                                details=bool(state.get("details")))
            for v in page.items]}
    if page.has_more:
        body["more"] = encode_more({**state, "offset": offset + len(page.items), "total": False})
    return Response(body, headers={"X-Total-Count": str(page.total)} if page.total is not None else {})


@delete("/registrations/{registration_id:str}")
def delete_registration(call: Call, registration_id: str) -> None:
    with call.session(DELETE, write=True) as (db, me):
        registrations.delete_registration(db, me, registration_id)


@delete("/registrations/{registration_id:str}/progress")
def delete_registration_progress(call: Call, registration_id: str) -> None:
    with call.session(DELETE, write=True) as (db, me):
        registration_progress.reset_progress(db, me, registration_id)


@delete("/registrations/{registration_id:str}/globalData")
def delete_registration_global_data(call: Call, registration_id: str) -> None:
    with call.session(DELETE, write=True) as (db, me):
        registration_progress.delete_global_data(db, call.services.blobs, me, registration_id)


@get("/registrations/{registration_id:str}/tags")
def get_registration_tags(call: Call, registration_id: str) -> dict:
    return read_tags(call, READ, registrations.get_tags, registration_id)


@put("/registrations/{registration_id:str}/tags")
def put_registration_tags(call: Call, registration_id: str) -> None:
    change_tags(call, WRITE, registrations.set_tags, registration_id)


@delete("/registrations/{registration_id:str}/tags")
def delete_registration_tags(call: Call, registration_id: str) -> None:
    change_tags(call, WRITE, registrations.remove_tags, registration_id)


@put("/registrations/tags")
def put_registration_tags_batch(call: Call) -> None:
    tag_batch(call, WRITE, registrations.tag_registrations)


@post("/registrations/postBackTest", status_code=204)
def test_registration_postback(call: Call) -> None:
    with spelled_as({**NAMES, "postback_url": "url", "postback_auth_type": "authType",
                     "postback_level": "resultsFormat"}):
        postback = postback_of(call, call.json("postBack"), "")
        if postback is None:
            raise InvalidInput("postback_url", "postback_url is required")
        sample = {"id": "test-registration", "registrationCompletion": "COMPLETED", "registrationSuccess": "PASSED",
                  "score": {"scaled": 100.0}, "totalSecondsTracked": 0}
        with call.read(READ) as (db, me):
            registration_postbacks.test_postback(db, me, postback, sample)


ROUTES = [create_registration, get_registration, get_registration_progress, get_registrations, delete_registration,
          delete_registration_progress, delete_registration_global_data, get_registration_tags, put_registration_tags,
          delete_registration_tags, put_registration_tags_batch, test_registration_postback]
