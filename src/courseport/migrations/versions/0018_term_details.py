"""term details: a description, whether students may reach the term's courses, and a number of days
of use (Learn's Term object carries all three; Canvas's reads none of them)

Revision ID: 0018_term_details
Revises: 0017_enrollment_uuids
Create Date: 2026-12-03 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_term_details'
down_revision = '0017_enrollment_uuids'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('available', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('days_of_use', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('terms', schema=None) as batch_op:
        batch_op.drop_column('days_of_use')
        batch_op.drop_column('available')
        batch_op.drop_column('description')
