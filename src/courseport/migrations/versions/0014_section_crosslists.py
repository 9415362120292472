"""section cross-lists: a cross-listed section remembers its own course (Canvas's nonxlist_course_id)

Revision ID: 0014_section_crosslists
Revises: 0013_term_overrides
Create Date: 2026-12-03 08:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_section_crosslists'
down_revision = '0013_term_overrides'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nonxlist_course_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_sections_nonxlist_course_id_courses'), 'courses',
                                    ['nonxlist_course_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sections_nonxlist_course_id_courses'), type_='foreignkey')
        batch_op.drop_column('nonxlist_course_id')
