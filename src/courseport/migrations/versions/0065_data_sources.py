"""Learn's data sources (`data_sources`): a root account's named integrations, by external id.

Revision ID: 0065_data_sources
Revises: 0064_planner
Create Date: 2026-12-06 21:35:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0065_data_sources'
down_revision = '0064_planner'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'data_sources',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('root_account_id', sa.Integer(), nullable=False),
        sa.Column('external_id', sa.String(length=256), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['root_account_id'], ['accounts.id'], ondelete='CASCADE',
                                name=op.f('fk_data_sources_root_account_id_accounts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_sources')),
        sa.UniqueConstraint('root_account_id', 'external_id',
                            name=op.f('uq_data_sources_root_account_id_external_id')))
    op.create_index(op.f('ix_data_sources_root_account_id'), 'data_sources', ['root_account_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_data_sources_root_account_id'), table_name='data_sources')
    op.drop_table('data_sources')
