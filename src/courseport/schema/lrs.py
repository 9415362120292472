"""The xAPI endpoint's own records beside the statements (`xapi_statements`, schema/packages.py).

- `lrs_documents`: documents of the State, Activity Profile and Agent Profile resources (`kind`:
  state, activity_profile, agent_profile), kept per course (a launch's credentials name one), keyed
  by `key`: a hash of (course, kind, activity id, agent, registration, document id). `agent` is the
  agent's identifier (ifi) as text, `registration` "" when none; `etag` is the SHA-1 of the content.
- `lrs_fetches`: cmi5 fetch URLs already answered (a fetch URL gives its token once).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class LrsDocument(Base):
    __tablename__ = "lrs_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
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
