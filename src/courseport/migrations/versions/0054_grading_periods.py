"""grading periods: an account's (or a course's own) grading period sets, the terms a set applies to, and the
dated periods of a set.

Revision ID: 0054_grading_periods
Revises: 0053_group_sis_ids
Create Date: 2026-12-06 17:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0054_grading_periods'
down_revision = '0053_group_sis_ids'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'grading_period_sets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=True),
        sa.Column('course_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=255), nullable=False),
        sa.Column('weighted', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('display_totals', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_grading_period_sets_account_id', 'grading_period_sets', ['account_id'])
    op.create_index('ix_grading_period_sets_course_id', 'grading_period_sets', ['course_id'])
    op.create_table(
        'grading_period_set_terms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('set_id', sa.Integer(), nullable=False),
        sa.Column('term_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['set_id'], ['grading_period_sets.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['term_id'], ['terms.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('term_id'),
    )
    op.create_index('ix_grading_period_set_terms_set_id', 'grading_period_set_terms', ['set_id'])
    op.create_table(
        'grading_periods',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('set_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=255), nullable=False),
        sa.Column('start_date', sa.DateTime(), nullable=False),
        sa.Column('end_date', sa.DateTime(), nullable=False),
        sa.Column('close_date', sa.DateTime(), nullable=False),
        sa.Column('weight', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['set_id'], ['grading_period_sets.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_grading_periods_set_id', 'grading_periods', ['set_id'])


def downgrade() -> None:
    op.drop_index('ix_grading_periods_set_id', table_name='grading_periods')
    op.drop_table('grading_periods')
    op.drop_index('ix_grading_period_set_terms_set_id', table_name='grading_period_set_terms')
    op.drop_table('grading_period_set_terms')
    op.drop_index('ix_grading_period_sets_course_id', table_name='grading_period_sets')
    op.drop_index('ix_grading_period_sets_account_id', table_name='grading_period_sets')
    op.drop_table('grading_period_sets')
