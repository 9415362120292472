"""quiz submissions: a student's attempts at a classic quiz (Canvas's Quiz Submissions API)

Revision ID: 0037_quiz_submissions
Revises: 0036_role_overrides
Create Date: 2026-12-06 08:10:00
"""
import sqlalchemy as sa
from alembic import op

import courseport.schema.base

revision = '0037_quiz_submissions'
down_revision = '0036_role_overrides'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('quiz_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('preview', sa.Boolean(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('created_at', courseport.schema.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_quiz_submissions_course_id_courses'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['quiz_id'], ['content_items.id'],
                            name=op.f('fk_quiz_submissions_quiz_id_content_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quiz_submissions_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_submissions')),
    sa.UniqueConstraint('quiz_id', 'user_id', 'preview', name=op.f('uq_quiz_submissions_quiz_id_user_id_preview'))
    )
    with op.batch_alter_table('quiz_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_submissions_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quiz_submissions_user_id'), ['user_id'], unique=False)
    op.create_table('quiz_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('workflow_state', sa.String(length=32), nullable=False),
    sa.Column('validation_token', sa.String(length=64), nullable=False),
    sa.Column('started_at', courseport.schema.base.UTCDateTime(), nullable=False),
    sa.Column('end_at', courseport.schema.base.UTCDateTime(), nullable=True),
    sa.Column('finished_at', courseport.schema.base.UTCDateTime(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('fudge_points', sa.Float(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['quiz_submissions.id'],
                            name=op.f('fk_quiz_attempts_submission_id_quiz_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempts')),
    sa.UniqueConstraint('submission_id', 'attempt', name=op.f('uq_quiz_attempts_submission_id_attempt'))
    )


def downgrade() -> None:
    op.drop_table('quiz_attempts')
    with op.batch_alter_table('quiz_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_submissions_user_id'))
        batch_op.drop_index(batch_op.f('ix_quiz_submissions_course_id'))
    op.drop_table('quiz_submissions')
