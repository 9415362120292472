"""copy: look files up by (course_id, lineage_id), as copies match and remap them

Revision ID: 0007_copy
Revises: 0006_d2l
Create Date: 2026-11-24 17:10:00
"""
from alembic import op

revision = '0007_copy'
down_revision = '0006_d2l'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_files_course_lineage', 'files', ['course_id', 'lineage_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_files_course_lineage', table_name='files')
