"""quiz extensions: a student's extra attempts, extra minutes and manual unlock, kept on their quiz submission

Revision ID: 0040_quiz_extensions
Revises: 0039_group_signup_sheets
Create Date: 2026-12-06 08:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0040_quiz_extensions'
down_revision = '0039_group_signup_sheets'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('quiz_submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra_attempts', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('extra_time', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('manually_unlocked', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('quiz_submissions', schema=None) as batch_op:
        batch_op.drop_column('manually_unlocked')
        batch_op.drop_column('extra_time')
        batch_op.drop_column('extra_attempts')
