"""Course copy job routes (le 1.5+): queue a copy into an offering, read the job's status. The target
and source are org unit ids of course offerings (core/courses/org_units.py).

Components are Valence's COURSECOMPONENT_T names, translated into core's components
(core/copy/components.py) by COMPONENTS, the one D2L table of them; null copies everything. When the
request names a CallbackUrl, a CopyJobComplete block is posted there once the copy ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from litestar import Response
from sqlalchemy.orm import Session

from courseport.core.copy import components, offering_copies
from courseport.core.courses import course_offerings
from courseport.core.jobs.job_callbacks import Callback
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.outbound import OutboundPolicy, check_url
from courseport.dialects.d2l.job_json import COPY_STATES, copy_status, render_copy_complete
from courseport.dialects.d2l.protocol import (
    D2LID,
    OPTIONAL_STRING,
    OPTIONAL_STRINGS,
    Call,
    block_fields,
    get_writing,
    post,
    route_id,
)
from courseport.schema import Job

BASE = "/api/le/{version:str}/import/{org_unit_id:str}/copy"
SINCE = {"since": "1.5"}
# Valence's copy components (COURSECOMPONENT_T) and the core components each takes.
COMPONENTS: dict[str, tuple[str, ...]] = {
    "AttendanceRegisters": ("attendance_registers",), "Classlists": (), "Checklists": ("checklists",),
    "Competencies": ("competencies", "outcomes"), "Content": ("modules", "pages"), "CourseFiles": ("files",),
    "Discussions": ("discussions",), "DisplaySettings": ("settings",), "Dropbox": ("assignments",), "Faq": ("faqs",),
    "Forms": ("forms",), "Glossary": ("glossary",), "Grades": ("assignment_groups", "assignments"),
    "GradesSettings": ("settings",), "Groups": ("group_sets",), "Homepages": ("homepages",),
    "IntelligentAgents": ("intelligent_agents",), "Links": ("links",), "LtiLink": ("external_tools",),
    "LtiTP": ("external_tools",), "Navbars": ("navbars",), "News": ("announcements",),
    "QuestionLibrary": ("question_banks", "questions"), "Quizzes": ("quizzes", "questions"),
    "ReleaseConditions": ("release_rules",), "Rubrics": ("rubrics",), "Schedule": ("calendar_events",),
    "SelfAssessments": ("self_assessments",), "Surveys": ("surveys",), "ToolNames": ("tool_names",),
    "Widgets": ("widgets",),
}
SPEC = {"SourceOrgUnitId": (D2LID, True), "Components": (OPTIONAL_STRINGS, False),
        "CallbackUrl": (OPTIONAL_STRING, False)}


def _callback(call: Call, url: str, source_ou: int, target_ou: int):  # noqa: ANN202
    def build(job: Job) -> Callback:
        return Callback(url, render_copy_complete(job, source_ou, target_ou), "Status", COPY_STATES,
                        call.services.settings.outbound_allow)
    return build


def _selection(names: list[str] | None) -> frozenset[str]:
    """What the Components list takes whole (null: everything)."""
    if names is not None and not names:
        raise InvalidInput("Components", "Components must name at least one component, or be null for all.")
    return components.selection(None if names is None else components.named(COMPONENTS, names, "Components"))


@contextmanager
def _source_as_input() -> Iterator[None]:
    """Valence answers a source that does not exist as a bad SourceOrgUnitId (400), not a 404."""
    try:
        yield
    except NotFound as exc:
        if exc.what != "source course":
            raise
        raise InvalidInput("SourceOrgUnitId", "Source org unit not found.") from None


def _source_course(db: Session, source_ou: int) -> int:
    """The course behind SourceOrgUnitId; an org unit that is no offering is a bad SourceOrgUnitId."""
    try:
        return course_offerings.offering_course_id(db, source_ou)
    except NotFound:
        raise InvalidInput("SourceOrgUnitId", "Source org unit not found.") from None


@post(BASE, opt=SINCE, status_code=202)
def create_copy_job(call: Call, version: str, org_unit_id: str) -> Response:
    target_ou = route_id(org_unit_id, "target org unit")
    f = block_fields(call.block(), SPEC)
    policy = OutboundPolicy(allow=call.services.settings.outbound_allow)
    url = check_url(f["CallbackUrl"], "CallbackUrl", policy) if f["CallbackUrl"] else None
    callback = _callback(call, url, f["SourceOrgUnitId"], target_ou) if url else None
    selection = _selection(f["Components"])
    with _source_as_input(), call.write() as (db, me):
        target = course_offerings.offering_course_id(db, target_ou)
        job = offering_copies.queue_offering_copy(db, me, target, _source_course(db, f["SourceOrgUnitId"]),
                                                  selection, callback)
        token = str(job.id)
    call.services.jobs.notify()
    return Response({"JobToken": token}, status_code=202)


@get_writing(BASE + "/{job_token:str}", opt=SINCE)
def get_copy_job(call: Call, version: str, org_unit_id: str, job_token: str) -> dict:
    target_ou = route_id(org_unit_id, "target org unit")
    with call.read() as (db, me):
        target = course_offerings.offering_course_id(db, target_ou)
        return {"Status": copy_status(offering_copies.copy_job(db, me, target, job_token))}


ROUTES = [create_copy_job, get_copy_job]
