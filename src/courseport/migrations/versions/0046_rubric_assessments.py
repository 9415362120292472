"""rubric assessments: one assessor's scoring of a student's submission against a rubric association

Rubrics and their associations stay content items (types "rubric" and "rubric_association") so copies and
blueprint syncs carry them; assessments are student data and get their own table.

Revision ID: 0046_rubric_assessments
Revises: 0045_grading_standards
Create Date: 2026-12-06 11:40:00
"""
import sqlalchemy as sa
from alembic import op

from courseport.schema.base import UTCDateTime

revision = '0046_rubric_assessments'
down_revision = '0045_grading_standards'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'rubric_assessments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=False),
        sa.Column('association_id', sa.Integer(), nullable=False),
        sa.Column('rubric_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('assessor_id', sa.Integer(), nullable=True),
        sa.Column('submission_id', sa.Integer(), nullable=True),
        sa.Column('assessment_type', sa.String(length=32), nullable=False),
        sa.Column('score', sa.Float(), nullable=True),
        sa.Column('attempt', sa.Integer(), nullable=True),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['assessor_id'], ['users.id'], name=op.f('fk_rubric_assessments_assessor_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['association_id'], ['content_items.id'],
                                name=op.f('fk_rubric_assessments_association_id_content_items'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_rubric_assessments_course_id_courses'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['rubric_id'], ['content_items.id'],
                                name=op.f('fk_rubric_assessments_rubric_id_content_items'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_rubric_assessments_submission_id_submissions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_rubric_assessments_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_assessments')),
    )
    with op.batch_alter_table('rubric_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rubric_assessments_association_id'), ['association_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rubric_assessments_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rubric_assessments_rubric_id'), ['rubric_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rubric_assessments_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_table('rubric_assessments')
