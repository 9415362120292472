"""account notifications and notification preferences: global announcements of an account (`account_notifications`),
the roles each is shown to and who closed it; a channel's changed notification frequencies (`notification_policies`).

Revision ID: 0058_account_notifications
Revises: 0057_observer_pairing_codes
Create Date: 2026-12-06 18:15:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0058_account_notifications'
down_revision = '0057_observer_pairing_codes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'account_notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('icon', sa.String(length=16), nullable=False),
        sa.Column('start_at', sa.DateTime(), nullable=False),
        sa.Column('end_at', sa.DateTime(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ondelete='CASCADE',
                                name=op.f('fk_account_notifications_account_id_accounts')),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_account_notifications_author_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_notifications')))
    op.create_index(op.f('ix_account_notifications_account_id'), 'account_notifications', ['account_id'])
    op.create_table(
        'notification_roles',
        sa.Column('notification_id', sa.Integer(), nullable=False),
        sa.Column('role_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['notification_id'], ['account_notifications.id'], ondelete='CASCADE',
                                name=op.f('fk_notification_roles_notification_id_account_notifications')),
        sa.ForeignKeyConstraint(['role_id'], ['roles.id'], ondelete='CASCADE',
                                name=op.f('fk_notification_roles_role_id_roles')),
        sa.PrimaryKeyConstraint('notification_id', 'role_id', name=op.f('pk_notification_roles')))
    op.create_table(
        'notification_closures',
        sa.Column('notification_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['notification_id'], ['account_notifications.id'], ondelete='CASCADE',
                                name=op.f('fk_notification_closures_notification_id_account_notifications')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_notification_closures_user_id_users')),
        sa.PrimaryKeyConstraint('notification_id', 'user_id', name=op.f('pk_notification_closures')))
    op.create_table(
        'notification_policies',
        sa.Column('channel_id', sa.Integer(), nullable=False),
        sa.Column('notification', sa.String(length=64), nullable=False),
        sa.Column('frequency', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['channel_id'], ['communication_channels.id'], ondelete='CASCADE',
                                name=op.f('fk_notification_policies_channel_id_communication_channels')),
        sa.PrimaryKeyConstraint('channel_id', 'notification', name=op.f('pk_notification_policies')))


def downgrade() -> None:
    op.drop_table('notification_policies')
    op.drop_table('notification_closures')
    op.drop_table('notification_roles')
    op.drop_index(op.f('ix_account_notifications_account_id'), table_name='account_notifications')
    op.drop_table('account_notifications')
