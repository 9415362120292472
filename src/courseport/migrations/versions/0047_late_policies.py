"""late policies: a course's late and missing deductions, and a submission's late status and entered grade
(Canvas's Late Policy API and the late/missing fields of submissions)

Revision ID: 0047_late_policies
Revises: 0045_grading_standards
Create Date: 2026-12-06 11:30:00
"""
import sqlalchemy as sa
from alembic import op

from courseport.schema.base import UTCDateTime

revision = '0047_late_policies'
down_revision = '0046_rubric_assessments'
branch_labels = None
depends_on = None

def _submission_columns() -> list[sa.Column]:
    return [
        sa.Column('entered_score', sa.Float(), nullable=True),
        sa.Column('entered_grade', sa.String(length=64), nullable=True),
        sa.Column('points_deducted', sa.Float(), nullable=True),
        sa.Column('late_policy_status', sa.String(length=16), nullable=True),
        sa.Column('seconds_late_override', sa.Integer(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        'late_policies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.Integer(), nullable=False),
        sa.Column('missing_submission_deduction_enabled', sa.Boolean(), nullable=False),
        sa.Column('missing_submission_deduction', sa.Float(), nullable=False),
        sa.Column('late_submission_deduction_enabled', sa.Boolean(), nullable=False),
        sa.Column('late_submission_deduction', sa.Float(), nullable=False),
        sa.Column('late_submission_interval', sa.String(length=16), nullable=False),
        sa.Column('late_submission_minimum_percent_enabled', sa.Boolean(), nullable=False),
        sa.Column('late_submission_minimum_percent', sa.Float(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_late_policies_course_id_courses'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_late_policies')),
        sa.UniqueConstraint('course_id', name=op.f('uq_late_policies_course_id')),
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        for column in _submission_columns():
            batch_op.add_column(column)
    # grades given before this revision had no policy: what the grader entered is the score
    op.execute("UPDATE submissions SET entered_score = score, entered_grade = grade")


def downgrade() -> None:
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        for column in reversed(_submission_columns()):
            batch_op.drop_column(column.name)
    op.drop_table('late_policies')
