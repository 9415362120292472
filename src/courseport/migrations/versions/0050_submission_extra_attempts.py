"""submission extra attempts: a grader's extra attempts for one student on one assignment, kept on the student's
submission row (Canvas's Assignment Extensions API; counted with the assignment's allowed_attempts)

Revision ID: 0050_submission_extra_attempts
Revises: 0049_gradebook_columns
Create Date: 2026-12-06 14:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0050_submission_extra_attempts'
down_revision = '0049_gradebook_columns'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra_attempts', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('extra_attempts')
