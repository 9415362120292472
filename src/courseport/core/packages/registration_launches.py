"""Registration launch links: the same player as previews, bound to a registration.

A link is signed (purpose "registration-link") with the registration's xAPI registration UUID in
place of a preview's fresh one. Opening it starts a launch of the registration's attempt (a new
instance when the course has a newer version than a launched attempt), and the player's session
carries that UUID, so the runtime's commits reach the attempt (`attempts.record_runtime`) and its
statements carry the registration. The runtime starts from what the SCOs left (`resume_values`).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.kit.errors import NotAllowed, NotFound
from courseport.core.packages import attempts, previews
from courseport.core.packages.launch_vault import Browser
from courseport.core.packages.previews import LaunchRequest, PlayerView
from courseport.core.packages.registrations import get_registration
from courseport.schema import PackageVersion, Registration, User

PURPOSE = "registration-link"


@dataclass(frozen=True)
class RegistrationPlayer:
    view: PlayerView
    resume: dict[str, dict[str, str]]  # SCO id -> data model values the runtime starts from


def learner_name(registration: Registration) -> str:
    """SCORM's learner name: "Last, First" (the learner id when neither is known)."""
    parts = [p for p in (registration.learner_last_name, registration.learner_first_name) if p]
    return ", ".join(parts) or registration.learner_id


def launch_link(db: Session, actor: User, secret: bytes, key: str, request: LaunchRequest,
                now: float | None = None) -> str:
    """The signed token of a launch link for a registration."""
    view = get_registration(db, actor, key)
    request = replace(request, learner_id=view.registration.learner_id, learner_name=learner_name(view.registration))
    checked = previews.read_grant(secret, "link", previews.create_launch_link(secret, view.course, view.version,
                                                                              request, now), now)
    return previews.sign_grant(secret, PURPOSE, replace(checked, registration=view.registration.xapi_registration))


def open_registration_link(db: Session, secret: bytes, token: str, now: float | None = None,
                           browser: Browser | None = None) -> RegistrationPlayer:
    link = previews.read_grant(secret, PURPOSE, token, now)
    registration = db.scalar(select(Registration).where(Registration.xapi_registration == link.registration,
                                                        Registration.course_id == link.course_id))
    if registration is None:
        raise NotFound("registration", "The registration of this launch no longer exists.")
    moment = now or time.time()
    attempt = attempts.start_launch(db, registration, str(uuid.uuid4()), datetime.fromtimestamp(moment, UTC))
    version = db.scalar(select(PackageVersion).where(PackageVersion.course_id == registration.course_id,
                                                     PackageVersion.version == attempt.version))
    if version is None:
        raise NotFound("course", "The course of this launch no longer exists.")
    if version.learning_standard == "AICC":  # xAPI and cmi5 launch through lrs_launches
        raise NotAllowed(f"{version.learning_standard} registrations cannot be launched by this player yet.")
    session = previews.session_of(link, link.registration or "", moment, browser, version.id)
    view = previews.player_view(secret, version, session)
    return RegistrationPlayer(view, attempts.resume_values(attempt, version))
