"""stand-in controls: job timing rules and per-job timings, fault injection rules, the request log, snapshots and the blobs they keep (issue 18)

Revision ID: 0022_controls
Revises: 0018_term_details
Create Date: 2026-12-03 13:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0022_controls'
down_revision = '0021_registrations'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_timing_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('polls', sa.Integer(), nullable=True),
    sa.Column('seconds', sa.Float(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_timing_rules')),
    sa.UniqueConstraint('tenant_id', 'kind', name=op.f('uq_job_timing_rules_tenant_id_kind'))
    )
    op.create_table('job_timings',
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('polls', sa.Integer(), nullable=True),
    sa.Column('seconds', sa.Float(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('reads', sa.Integer(), nullable=False),
    sa.Column('held', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_timings_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', name=op.f('pk_job_timings'))
    )
    op.create_table('fault_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=True),
    sa.Column('face', sa.String(length=32), nullable=True),
    sa.Column('method', sa.String(length=16), nullable=True),
    sa.Column('path', sa.String(length=1024), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('seconds', sa.Float(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('remaining', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fault_rules'))
    )
    op.create_table('request_records',
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
    op.create_table('snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('schema_revision', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_snapshots')),
    sa.UniqueConstraint('name', name=op.f('uq_snapshots_name'))
    )
    op.create_table('snapshot_blobs',
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_snapshot_blobs_snapshot_id_snapshots'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('snapshot_id', 'sha256', name=op.f('pk_snapshot_blobs'))
    )
    op.create_index(op.f('ix_snapshot_blobs_sha256'), 'snapshot_blobs', ['sha256'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_snapshot_blobs_sha256'), table_name='snapshot_blobs')
    op.drop_table('snapshot_blobs')
    op.drop_table('snapshots')
    op.drop_index('ix_request_records_tenant_id_id', table_name='request_records')
    op.drop_table('request_records')
    op.drop_table('fault_rules')
    op.drop_table('job_timings')
    op.drop_table('job_timing_rules')
