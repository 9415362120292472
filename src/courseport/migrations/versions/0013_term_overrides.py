"""term overrides: an enrollment term's dates for one enrollment type (Canvas's enrollment dates overrides)

Revision ID: 0013_term_overrides
Revises: 0012_jobs_claims
Create Date: 2026-12-03 08:00:00
"""
import sqlalchemy as sa
from alembic import op

from courseport.schema.base import UTCDateTime

revision = '0013_term_overrides'
down_revision = '0012_jobs_claims'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('term_overrides',
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_type', sa.String(length=32), nullable=False),
    sa.Column('start_at', UTCDateTime(), nullable=True),
    sa.Column('end_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_term_overrides_term_id_terms'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('term_id', 'enrollment_type', name=op.f('pk_term_overrides'))
    )


def downgrade() -> None:
    op.drop_table('term_overrides')
