"""The xAPI endpoint's own records beside the statements (`xapi_statements`, schema/packages.py).

- `lrs_documents`: documents of the State, Activity Profile and Agent Profile resources (`kind`:
  state, activity_profile, agent_profile), kept per course (a launch's credentials name one) or, for
  an application's xAPI credentials, per tenant (`course_id` NULL, `tenant_id` set), keyed by `key`: a
  hash of (course or tenant, kind, activity id, agent, registration, document id). `agent` is the
  agent's identifier (ifi) as text, `registration` "" when none; `etag` is the SHA-1 of the content.
- `lrs_fetches`: cmi5 fetch URLs already answered (a fetch URL gives its token once).
- `xapi_credentials`: an application's xAPI credentials (SCORM Cloud's), HTTP Basic id:secret for
  activity providers outside a launch, per tenant (root account). The secret is kept as issued: SCORM
  Cloud shows it back on every read, so it cannot be hashed. `permissions` default, user, root, readonly,
  writeonly; `auth` basic (the only kind served).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class LrsDocument(Base):
    __tablename__ = "lrs_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    activity_id: Mapped[str] = mapped_column(String(1024), default="")
    agent: Mapped[str] = mapped_column(String(1024), default="")
    registration: Mapped[str] = mapped_column(String(64), default="")
    document_id: Mapped[str] = mapped_column(String(1024))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(255))
    etag: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class LrsFetch(Base):
    __tablename__ = "lrs_fetches"
    launch_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)


class XapiCredential(Base):
    __tablename__ = "xapi_credentials"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # minted; the Basic user name
    tenant_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    info: Mapped[str | None] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(255))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    auth: Mapped[str] = mapped_column(String(16), default="basic")
    permissions: Mapped[str] = mapped_column(String(16), default="default")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
