"""launch vault visits: the last request of a launch whose Content Vault (SCORM Cloud's `launchAuth` of
type "vault") has a sliding expiry

Revision ID: 0030_launch_vault_visits
Revises: 0029_request_log_batches
Create Date: 2026-12-06 02:40:00
"""
import sqlalchemy as sa
from alembic import op

import courseport.schema.base

revision = '0030_launch_vault_visits'
down_revision = '0029_request_log_batches'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('launch_vault_visits',
    sa.Column('key', sa.String(length=36), nullable=False),
    sa.Column('last_seen', courseport.schema.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_launch_vault_visits'))
    )
    with op.batch_alter_table('launch_vault_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_launch_vault_visits_last_seen'), ['last_seen'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('launch_vault_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_launch_vault_visits_last_seen'))
    op.drop_table('launch_vault_visits')
