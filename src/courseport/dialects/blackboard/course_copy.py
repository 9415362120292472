"""Learn course copy: `POST .../courses/{courseId}/copy` with a targetCourse and the `copy` options.

Every `copy` flag names core components (core/copy/components.py) through COPY_FLAGS, Learn's one
table of them; `discussions` takes None|ForumsAndStarterPosts|ForumsOnly and `settings` is a group
of flags that selects the course settings when any of them is true. No `copy` object means an exact
copy (everything).
"""

from __future__ import annotations

from typing import Any

from litestar import Response

from courseport.core.copy import components, record_copies
from courseport.core.kit.errors import InvalidInput, spelled_as
from courseport.dialects.blackboard import entitlements as entitled
from courseport.dialects.blackboard.course_fields import NAMES, record_ref
from courseport.dialects.blackboard.protocol import PREFIX, Call, learn_id, on_versions, post

# Learn's copy flags and the core components each takes.
COPY_FLAGS: dict[str, tuple[str, ...]] = {
    "adaptiveReleaseRules": ("release_rules",), "announcements": ("announcements",),
    "assessments": ("quizzes", "questions", "question_banks", "surveys"), "blogs": ("blogs",),
    "calendar": ("calendar_events",), "contacts": ("contacts",), "contentAlignments": ("outcomes",),
    "contentAreas": ("content_areas", "modules", "pages", "links", "files"), "discussions": ("discussions",),
    "glossary": ("glossary",), "gradebook": ("assignment_groups", "assignments"), "groupSettings": ("group_sets",),
    "journals": ("journals",), "retentionRules": ("retention_rules",), "rubrics": ("rubrics",),
    "settings": ("settings",), "tasks": ("tasks",), "wikis": ("wikis",),
}
DISCUSSION_CHOICES = ("None", "ForumsAndStarterPosts", "ForumsOnly")
SETTINGS_FLAGS = ("availability", "bannerImage", "duration", "enrollmentOptions", "guestAccess", "languagePack",
                  "navigationSettings", "observerAccess")


def flag(value: Any, name: str) -> bool:
    """A copy flag: JSON true/false or the strings "true"/"false" the seed sends."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise InvalidInput(name, f"{name} must be true or false, got {value!r}")


def copy_components(options: Any) -> list[str] | None:
    """The component names the `copy` object turns on; None (no object) copies everything."""
    if options is None:
        return None
    if not isinstance(options, dict):
        raise InvalidInput("copy", "copy must be an object of copy options")
    names = []
    for name, value in options.items():
        if name == "discussions":
            if value not in DISCUSSION_CHOICES:
                raise InvalidInput("copy.discussions",
                                   f"copy.discussions must be one of {', '.join(DISCUSSION_CHOICES)}")
            on = value != "None"
        elif name == "settings":
            on = any([flag(v, f"copy.settings.{k}") for k, v in _settings_flags(value).items()])
        elif name in COPY_FLAGS:
            on = flag(value, f"copy.{name}")
        else:
            raise InvalidInput(f"copy.{name}", f"copy.{name} is not a copy option")
        if on:
            names.append(name)
    return names


def _settings_flags(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput("copy.settings", "copy.settings must be an object of settings flags")
    for name in value:
        if name not in SETTINGS_FLAGS:
            raise InvalidInput(f"copy.settings.{name}", f"copy.settings.{name} is not a settings copy option")
    return value


def target_course(body: Any) -> tuple[tuple[str, str | int] | None, str | None]:
    """(existing target ref, new courseId) from targetCourse: one of `id` and `courseId`."""
    target = body.get("targetCourse") if isinstance(body, dict) else None
    if not isinstance(target, dict):
        raise InvalidInput("targetCourse", "targetCourse is required")
    new_id, existing = target.get("courseId"), target.get("id")
    if new_id is not None and (not isinstance(new_id, str) or not new_id.strip()):
        raise InvalidInput("targetCourse.courseId", "targetCourse.courseId must be a non-empty string")
    if existing is not None and not isinstance(existing, str):
        raise InvalidInput("targetCourse.id", "targetCourse.id must be a string")
    return (record_ref(existing) if existing is not None else None), new_id


def copy_course(call: Call, course_id: str) -> Response:
    existing, new_id = target_course(call.body)
    chosen = copy_components(call.body.get("copy"))
    selection = components.selection(None if chosen is None else components.named(COPY_FLAGS, chosen, "copy"))
    with call.write(*entitled.COURSE_COPY) as (db, me), spelled_as(NAMES):
        job = record_copies.queue_record_copy(db, me, record_ref(course_id), existing, new_id, selection)
    call.services.jobs.notify()
    source = learn_id(job.payload["source_course_id"])
    return Response({}, status_code=202,
                    headers={"Location": f"{PREFIX}/v1/courses/{source}/tasks/{learn_id(job.id)}"})


ROUTES = on_versions(post, "/courses/{course_id:str}/copy", copy_course, ("v1", "v2"), status_code=202)
