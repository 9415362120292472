"""d2l group fields: how members come to a category's groups (D2L's enrollment style, auto-enrollment,
self sign-up end, group prefix and the rest), kept as one JSON value of neutral names

Revision ID: 0048_d2l_group_fields
Revises: 0045_grading_standards
Create Date: 2026-12-06 11:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0048_d2l_group_fields'
down_revision = '0047_late_policies'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('group_categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('placement', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('group_categories', schema=None) as batch_op:
        batch_op.drop_column('placement')
