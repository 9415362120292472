"""user channels: communication channels (a user's email addresses and SMS numbers; every live user's email
becomes their first channel, active) and user preferences (settings and custom colors)

Revision ID: 0044_user_channels
Revises: 0043_peer_reviews
Create Date: 2026-12-06 09:00:00
"""
import sqlalchemy as sa
from alembic import op

from courseport.schema.base import UTCDateTime

revision = '0044_user_channels'
down_revision = '0043_peer_reviews'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'communication_channels',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('path_type', sa.String(length=16), nullable=False),
        sa.Column('address', sa.String(length=255), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('workflow_state', sa.String(length=16), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_communication_channels_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_communication_channels')),
    )
    with op.batch_alter_table('communication_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_communication_channels_user_id'), ['user_id'], unique=False)
    op.create_table(
        'user_preferences',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('value', sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_preferences_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'kind', 'name', name=op.f('pk_user_preferences')),
    )
    # The email users already have is their first channel, as one given at creation from now on is.
    op.execute("INSERT INTO communication_channels (user_id, path_type, address, position, workflow_state, created_at)"
               " SELECT id, 'email', email, 1, 'active', created_at FROM users"
               " WHERE email IS NOT NULL AND email <> '' AND workflow_state <> 'deleted'")


def downgrade() -> None:
    op.drop_table('user_preferences')
    with op.batch_alter_table('communication_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_communication_channels_user_id'))
    op.drop_table('communication_channels')
