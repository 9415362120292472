"""section descriptions: a section's description (sanitised HTML), which D2L's SectionData carries; it
was checked and dropped

Revision ID: 0031_section_descriptions
Revises: 0030_launch_vault_visits
Create Date: 2026-12-06 03:05:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0031_section_descriptions'
down_revision = '0030_launch_vault_visits'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.drop_column('description')
