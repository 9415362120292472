"""Stand-in controls (issue 18): job timing rules and per-job timings, fault injection rules, the request log.

They live in the database so that every server and worker process of an installation agrees on them.
A tenant is a root account id (root account 1 is the default tenant).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class JobTimingRule(Base):
    """How jobs of one kind behave in one tenant: immediate, manual, polls, delay or fail."""

    __tablename__ = "job_timing_rules"
    __table_args__ = (UniqueConstraint("tenant_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16))
    polls: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobTiming(Base):
    """The rule a job was queued under (copied: changing the rule later leaves queued jobs as they were),
    and how far it has come: status reads counted, still held (manual) or not."""

    __tablename__ = "job_timings"
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))
    polls: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str | None] = mapped_column(Text)
    reads: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[bool] = mapped_column(Boolean, default=False)


class FaultRule(Base):
    """A fault injected into matching requests: latency, a status, a rate limit or a dropped connection;
    with a probability, and at most `remaining` times when that is set."""

    __tablename__ = "fault_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(Integer)  # None: every tenant
    face: Mapped[str | None] = mapped_column(String(32))  # None: every face
    method: Mapped[str | None] = mapped_column(String(16))  # None: every method
    path: Mapped[str] = mapped_column(String(1024), default="*")  # a glob over the request path
    action: Mapped[str] = mapped_column(String(16))  # latency status rate_limit drop
    status: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str | None] = mapped_column(Text)
    probability: Mapped[float] = mapped_column(Float, default=1.0)
    remaining: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RequestLogBatch(Base):
    """Records of the request log written together (web/controls/request_store.py): one row per tenant per
    writer flush, its records msgpack-encoded (secrets masked, bodies cut short). A busy server writes, and
    later deletes, a row per flush rather than per request. Record n of the blob has the id
    `id * request_store.SPAN + first + n`; `first` grows when a trim cuts the oldest records off the batch."""

    __tablename__ = "request_log_batches"
    __table_args__ = (Index("ix_request_log_batches_tenant_id_id", "tenant_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)  # records in `records`
    first: Mapped[int] = mapped_column(Integer, default=0)
    records: Mapped[bytes] = mapped_column(LargeBinary)


class Snapshot(Base):
    """A named copy of the store (web/controls/snapshot_store.py): a SQLite file, or a PostgreSQL schema."""

    __tablename__ = "snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    schema_revision: Mapped[str] = mapped_column(String(64))  # restored only onto the same schema
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SnapshotBlob(Base):
    """A blob a snapshot refers to: the blob collector keeps it while the snapshot exists."""

    __tablename__ = "snapshot_blobs"
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
