"""observer pairing codes: the codes a student hands an observer to link with (`observer_pairing_codes`).

Revision ID: 0057_observer_pairing_codes
Revises: 0056_external_tools_flags
Create Date: 2026-12-06 18:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0057_observer_pairing_codes'
down_revision = '0056_external_tools_flags'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'observer_pairing_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('workflow_state', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_observer_pairing_codes_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_observer_pairing_codes')),
        sa.UniqueConstraint('code', name=op.f('uq_observer_pairing_codes_code')))
    op.create_index(op.f('ix_observer_pairing_codes_user_id'), 'observer_pairing_codes', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_observer_pairing_codes_user_id'), table_name='observer_pairing_codes')
    op.drop_table('observer_pairing_codes')
