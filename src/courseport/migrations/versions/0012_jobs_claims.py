"""job claims: who holds a job, in a row of its own that progress reports never write (the fence)

Revision ID: 0011_jobs_claims
Revises: 0010_blueprint_lock_kinds
Create Date: 2026-12-02 18:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_jobs_claims'
down_revision = '0011_blob_pins'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_claims',
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.String(length=128), nullable=True),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_claims_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', name=op.f('pk_job_claims'))
    )
    # Jobs running during the upgrade keep their holder, so their fence still passes.
    op.execute("INSERT INTO job_claims (job_id, worker_id, attempt) "
               "SELECT id, worker_id, attempts FROM jobs WHERE state = 'running'")


def downgrade() -> None:
    op.drop_table('job_claims')
