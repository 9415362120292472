"""blob pins: the blobs a queued or running job holds (its package, the entries it unpacked)

Existing queued and running imports get a pin on their package, so the collector keeps it.

Revision ID: 0011_blob_pins
Revises: 0010_blueprint_lock_kinds
Create Date: 2026-12-02 18:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_blob_pins'
down_revision = '0010_blueprint_lock_kinds'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('blob_pins',
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_blob_pins_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', 'sha256', name=op.f('pk_blob_pins'))
    )
    with op.batch_alter_table('blob_pins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blob_pins_sha256'), ['sha256'], unique=False)
    _pin_packages_of_live_jobs()


def _pin_packages_of_live_jobs() -> None:
    jobs = sa.table('jobs', sa.column('id', sa.Integer()), sa.column('kind', sa.String()),
                    sa.column('state', sa.String()), sa.column('payload', sa.JSON()))
    pins = sa.table('blob_pins', sa.column('job_id', sa.Integer()), sa.column('sha256', sa.String()))
    bind = op.get_bind()
    live = bind.execute(sa.select(jobs.c.id, jobs.c.kind, jobs.c.payload).where(
        jobs.c.state.in_(('queued', 'running')), jobs.c.kind.in_(('package_import', 'course_import'))))
    rows = []
    for job_id, kind, payload in live:
        payload = payload or {}
        sha = (payload.get('source') or {}).get('sha256') if kind == 'package_import' else payload.get('blob_sha256')
        if sha:
            rows.append({'job_id': job_id, 'sha256': sha})
    if rows:
        op.bulk_insert(pins, rows)


def downgrade() -> None:
    with op.batch_alter_table('blob_pins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blob_pins_sha256'))
    op.drop_table('blob_pins')
