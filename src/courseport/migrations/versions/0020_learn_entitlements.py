"""learn entitlements: the entitlements a Learn REST application holds (NULL: every one, so the
applications registered before keep working as they did)

Revision ID: 0020_learn_entitlements
Revises: 0018_term_details
Create Date: 2026-12-03 13:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0020_learn_entitlements'
down_revision = '0019_org_units'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('oauth_clients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entitlements', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('oauth_clients', schema=None) as batch_op:
        batch_op.drop_column('entitlements')
