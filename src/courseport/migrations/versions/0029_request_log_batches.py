"""request log batches: the request log keeps a row per tenant per writer flush (its records msgpack-encoded)
instead of a row per request. A busy server inserted, and soon after deleted, a row per request: on SQLite
~16 µs of the server's CPU a record, on PostgreSQL a COPY row and a dead tuple each. The records already kept
move into batches (ids change: record n of batch b is b * 10000 + n); on PostgreSQL built with lz4 the
batches are compressed with it, as 0028 had the records' bodies.

Revision ID: 0029_request_log_batches
Revises: 0028_request_log_lz4
Create Date: 2026-12-05 22:20:00
"""
from datetime import UTC, datetime, timedelta

import msgspec
import sqlalchemy as sa
from alembic import op

revision = '0029_request_log_batches'
down_revision = '0028_request_log_lz4'
branch_labels = None
depends_on = None

BATCH = 1000  # records a batch holds at most (request_store.BATCH_LIMIT)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_RECORD = ("request_id", "at", "method", "path", "query", "face", "status", "duration_ms", "user_id",
           "request_headers", "response_headers", "request_body", "response_body")


def _microseconds(at) -> int:  # noqa: ANN001 - a datetime, naive UTC as stored, or SQLite's text of one
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return (at.replace(tzinfo=UTC) - _EPOCH) // timedelta(microseconds=1)


def _json(value):  # noqa: ANN001, ANN202 - SQLite hands JSON columns over as text
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else value or {}


def upgrade() -> None:
    batches = op.create_table('request_log_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('first', sa.Integer(), nullable=False),
    sa.Column('records', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_log_batches'))
    )
    op.create_index('ix_request_log_batches_tenant_id_id', 'request_log_batches', ['tenant_id', 'id'], unique=False)
    bind = op.get_bind()
    rows = bind.execute(sa.text(f"SELECT tenant_id, {', '.join(_RECORD)} FROM request_records ORDER BY tenant_id, id"))
    by_tenant: dict[int, list[list]] = {}
    for row in rows.mappings():
        record = [row[name] for name in _RECORD]
        record[1] = _microseconds(record[1])
        record[9], record[10] = _json(record[9]), _json(record[10])
        by_tenant.setdefault(row["tenant_id"], []).append(record)
    for tenant_id, records in by_tenant.items():
        for n in range(0, len(records), BATCH):
            chunk = records[n:n + BATCH]
            op.bulk_insert(batches, [{"tenant_id": tenant_id, "count": len(chunk), "first": 0,
                                      "records": msgspec.msgpack.encode(chunk)}])
    op.drop_index('ix_request_records_tenant_id_id', table_name='request_records')
    op.drop_table('request_records')
    if bind.dialect.name == "postgresql":
        offered = bind.scalar(sa.text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"))
        if "lz4" in (offered or []):
            op.execute("ALTER TABLE request_log_batches ALTER COLUMN records SET COMPRESSION lz4")


def downgrade() -> None:
    """Back to a row per record, the records kept in batches included."""
    records = op.create_table('request_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.String(length=128), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('query', sa.Text(), nullable=True),
    sa.Column('face', sa.String(length=32), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.Float(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('request_headers', sa.JSON(), nullable=False),
    sa.Column('response_headers', sa.JSON(), nullable=False),
    sa.Column('request_body', sa.Text(), nullable=True),
    sa.Column('response_body', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_request_records'))
    )
    op.create_index('ix_request_records_tenant_id_id', 'request_records', ['tenant_id', 'id'], unique=False)
    rows = []
    for tenant_id, blob in op.get_bind().execute(sa.text(
            "SELECT tenant_id, records FROM request_log_batches ORDER BY id")):
        for record in msgspec.msgpack.decode(blob):
            row = dict(zip(_RECORD, record, strict=True))
            row["at"] = (_EPOCH + timedelta(microseconds=row["at"])).replace(tzinfo=None)
            rows.append({"tenant_id": tenant_id, **row})
    if rows:
        op.bulk_insert(records, rows)
    op.drop_index('ix_request_log_batches_tenant_id_id', table_name='request_log_batches')
    op.drop_table('request_log_batches')
