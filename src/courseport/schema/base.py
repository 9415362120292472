"""Declarative base, the constraint naming convention and portable column types."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC: the same on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        return value.replace(tzinfo=UTC)

    def result_processor(self, dialect, coltype):  # noqa: ANN001, ANN201
        if dialect.name == "sqlite":
            return _utc_from_sqlite_text  # one C parse instead of SQLAlchemy's regex, then the zone
        if dialect.name == "postgresql":
            return _utc_from_naive  # the driver's naive datetime, given the zone without a keyword call
        return super().result_processor(dialect, coltype)


def _utc_from_sqlite_text(value: str | None) -> datetime | None:
    if value is None:
        return None
    if len(value) > 10:  # a date and time: parsed with its zone, as datetime.replace costs several parses
        try:
            return datetime.fromisoformat(value + "+00:00")
        except ValueError:
            pass  # written with a zone of its own
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _utc_from_naive(value: datetime | None) -> datetime | None:
    """process_result_value without TypeDecorator's wrapping, and without `replace`: `value.replace(tzinfo=UTC)`
    costs ~4 times `datetime.combine` (it parses its keywords), and a page of 100 courses makes hundreds."""
    if value is None:
        return None
    if value.tzinfo is not None:  # a column with a zone of its own
        return value.astimezone(UTC)
    return _combine(value, value.time(), UTC)


_combine = datetime.combine


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict: JSON, list: JSON}
