"""Registration postbacks: when an attempt's progress changes, its registration's progress is posted
to the registration's postback URL, as a job (`job_callbacks` delivers it through the SSRF guard,
with retries). The body is the dialect's `shape` with each leaf filled from `progress_fields`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from sqlalchemy.orm import Session

from courseport.core.jobs import job_callbacks, jobs
from courseport.core.kit import outbound
from courseport.core.kit.errors import InvalidInput
from courseport.core.packages.registrations import Postback, RegistrationView, check_postback, view_of
from courseport.core.packages.scorm_courses import require_app_admin
from courseport.core.packages.statements import iso_instant
from courseport.schema import Attempt, Registration, User

TEST_DEADLINE_SECONDS = 5.0


def progress_fields(view: RegistrationView) -> dict[str, Any]:
    """A registration's progress in core words: what a postback shape's leaves may name."""
    reg, attempt = view.registration, view.attempt
    stamp = (lambda d: iso_instant(d) if d is not None else None)  # noqa: E731
    return {
        "registration_id": reg.key, "instance": attempt.instance, "xapi_registration": reg.xapi_registration,
        "course_id": view.course.scorm_course_id, "course_title": view.course.name, "version": attempt.version,
        "learner_id": reg.learner_id, "learner_email": reg.learner_email,
        "learner_first_name": reg.learner_first_name, "learner_last_name": reg.learner_last_name,
        "completion": attempt.completion, "success": attempt.success,
        "score_percent": round(attempt.score_scaled * 100, 2) if attempt.score_scaled is not None else None,
        "seconds_tracked": attempt.seconds_tracked, "first_access": stamp(attempt.first_access_at),
        "last_access": stamp(attempt.last_access_at), "completed": stamp(attempt.completed_at),
        "created": stamp(reg.created_at), "updated": stamp(reg.updated_at), "tags": view.tags,
    }


def fill(shape: Any, fields: dict[str, Any]) -> Any:
    """`shape` with each leaf filled: a string names a field; [name, {value: wire value}] maps it too."""
    if isinstance(shape, dict):
        filled = {k: fill(v, fields) for k, v in shape.items()}
        return {k: v for k, v in filled.items() if v is not None and v != {}}
    if isinstance(shape, list) and len(shape) == 2 and isinstance(shape[1], dict):
        value = fields.get(shape[0])
        return shape[1].get(value, value)
    return fields.get(shape) if isinstance(shape, str) else None


def _with_credentials(spec: dict[str, Any]) -> str:
    """HTTP basic credentials ride in the URL, where the outbound client reads them."""
    url = spec["url"]
    if spec.get("auth_type") != "httpbasic" or not spec.get("user"):
        return url
    parts = urlsplit(url)
    userinfo = f"{quote(spec['user'], safe='')}:{quote(spec.get('password') or '', safe='')}@"
    return urlunsplit(parts._replace(netloc=userinfo + parts.netloc.rpartition("@")[2]))


def queue_postback(db: Session, registration: Registration, attempt: Attempt) -> None:
    """Queue the delivery of a registration's progress (nothing without a postback URL)."""
    spec = registration.postback
    if not spec:
        return
    body = fill(spec.get("shape") or {}, progress_fields(view_of(db, registration, attempt.instance)))
    payload = {"job_id": None, "url": _with_credentials(spec), "body": body, "allow": spec.get("allow") or []}
    jobs.enqueue(db, job_callbacks.KIND, payload, context_type="Registration", context_id=registration.id,
                 max_attempts=2)


def test_postback(db: Session, actor: User, postback: Postback, body: dict[str, Any]) -> int:
    """Post a sample body now (SCORM Cloud's testRegistrationPostback); the receiver's status."""
    check_postback(postback)
    require_app_admin(db, actor)
    spec = {"url": postback.url, "auth_type": postback.auth_type, "user": postback.user, "password": postback.password}
    policy = outbound.OutboundPolicy(allow=postback.allow, timeout=TEST_DEADLINE_SECONDS)
    try:
        status = outbound.post_json(_with_credentials(spec), body, policy, field="postback_url")
    except outbound.OutboundFailed as exc:
        raise InvalidInput("postback_url", f"postback_url could not be reached: {exc.message}") from None
    if not 200 <= status < 300:
        raise InvalidInput("postback_url", f"postback_url answered {status}")
    return status
