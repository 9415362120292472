"""Registrations of learners on packaged courses and their attempts (the SCORM Cloud face's
Registration Service; any face may read an attempt's progress).

- `registrations`: one learner on one packaged course. `key` is the caller's registration id,
  `xapi_registration` the UUID statements carry as `context.registration`. The learner is held by
  the caller's learner id and names (a SCORM Cloud learner is not a courseport user). `postback`
  holds where progress is posted: {"url", "auth_type", "user", "password", "level", "allow",
  "shape"}; `shape` is the dialect's body with leaves naming progress fields.
- `attempts`: one instance (0, 1, ...) of a registration, on one course version. It is the domain's
  record of an attempt: completion, success, score, time and dates, computed from `runtime` (the
  data model each SCO last committed, {sco id: {element: value}}).
- `attempt_launches`: each launch of an attempt (launch history).
- `registration_tags`, `learner_tags`: tags; learner tags are per learner id.
- `attempts.sequencing`: for SCORM 2004 versions, the sequencer's state of the attempt (activity
  tree tracking, current and suspended activity) and the per-activity rollup it last produced
  ({"state", "rollup", "activities"}; core/packages/navigation.py); NULL until first navigated.
- `preview_sequencing`: the same state for a preview's player session (keyed by the session's
  registration UUID), which has no attempt; kept for the session's life.
- `registration_settings`: explicit setting values at registration level (`instance` NULL) or at
  one instance's level, layered above the course's (core/packages/registration_settings.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class Registration(Base):
    __tablename__ = "registrations"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    xapi_registration: Mapped[str] = mapped_column(String(64), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    learner_id: Mapped[str] = mapped_column(String(255), index=True)
    learner_email: Mapped[str | None] = mapped_column(String(255))
    learner_first_name: Mapped[str | None] = mapped_column(String(255))
    learner_last_name: Mapped[str | None] = mapped_column(String(255))
    postback: Mapped[dict | None] = mapped_column(JSON)
    global_data: Mapped[dict | None] = mapped_column(JSON)  # shared across instances (global objectives)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (UniqueConstraint("registration_id", "instance"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    instance: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    completion: Mapped[str] = mapped_column(String(16), default="unknown")  # unknown, completed, incomplete
    success: Mapped[str] = mapped_column(String(16), default="unknown")  # unknown, passed, failed
    score_scaled: Mapped[float | None] = mapped_column(Float)
    seconds_tracked: Mapped[float] = mapped_column(Float, default=0.0)
    runtime: Mapped[dict] = mapped_column(JSON, default=dict)
    sequencing: Mapped[dict | None] = mapped_column(JSON)
    first_access_at: Mapped[datetime | None]
    last_access_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AttemptLaunch(Base):
    __tablename__ = "attempt_launches"
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # the launch's UUID
    launched_at: Mapped[datetime] = mapped_column(default=utcnow)
    exited_at: Mapped[datetime | None]
    last_runtime_at: Mapped[datetime | None]
    completion: Mapped[str] = mapped_column(String(16), default="unknown")
    success: Mapped[str] = mapped_column(String(16), default="unknown")
    score_scaled: Mapped[float | None] = mapped_column(Float)
    seconds_tracked: Mapped[float] = mapped_column(Float, default=0.0)
    log: Mapped[str] = mapped_column(Text, default="")


class PreviewSequencing(Base):
    __tablename__ = "preview_sequencing"
    session: Mapped[str] = mapped_column(String(64), primary_key=True)  # the session's registration UUID
    version_id: Mapped[int] = mapped_column(ForeignKey("package_versions.id", ondelete="CASCADE"), index=True)
    state: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LaunchVaultVisit(Base):
    """The last request of a launch whose Content Vault has a sliding expiry (core/packages/launch_vault.py)."""

    __tablename__ = "launch_vault_visits"
    key: Mapped[str] = mapped_column(String(36), primary_key=True)  # the session's vault binding
    last_seen: Mapped[datetime] = mapped_column(index=True)


class RegistrationTag(Base):
    __tablename__ = "registration_tags"
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    tag: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)


class LearnerTag(Base):
    __tablename__ = "learner_tags"
    learner_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    tag: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)


class RegistrationSetting(Base):
    __tablename__ = "registration_settings"
    __table_args__ = (UniqueConstraint("registration_id", "instance", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    instance: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(128))
    value: Mapped[str] = mapped_column(Text)
