"""sequencing state: SCORM 2004 sequencer state per registration attempt (`attempts.sequencing`) and per
preview player session (`preview_sequencing`)

Revision ID: 0025_sequencing_state
Revises: 0024_tenant_sis_ids
Create Date: 2026-12-03 18:10:00
"""
import sqlalchemy as sa
from alembic import op

import courseport.schema.base

revision = '0025_sequencing_state'
down_revision = '0024_tenant_sis_ids'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequencing', sa.JSON(), nullable=True))
    op.create_table('preview_sequencing',
    sa.Column('session', sa.String(length=64), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('updated_at', courseport.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['package_versions.id'],
                            name=op.f('fk_preview_sequencing_version_id_package_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session', name=op.f('pk_preview_sequencing'))
    )
    with op.batch_alter_table('preview_sequencing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_preview_sequencing_version_id'), ['version_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('preview_sequencing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_preview_sequencing_version_id'))
    op.drop_table('preview_sequencing')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('sequencing')
