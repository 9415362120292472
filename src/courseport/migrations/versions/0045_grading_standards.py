"""grading standards: letter-grade schemes of a course or an account (Canvas's Grading Standards API)

Revision ID: 0045_grading_standards
Revises: 0044_user_channels
Create Date: 2026-12-06 09:30:00
"""
import sqlalchemy as sa
from alembic import op

from courseport.schema.base import UTCDateTime

revision = '0045_grading_standards'
down_revision = '0044_user_channels'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'grading_standards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=True),
        sa.Column('account_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=255), nullable=False),
        sa.Column('entries', sa.JSON(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_grading_standards_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_grading_standards_course_id_courses'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_standards')),
    )
    with op.batch_alter_table('grading_standards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grading_standards_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grading_standards_course_id'), ['course_id'], unique=False)


def downgrade() -> None:
    op.drop_table('grading_standards')
