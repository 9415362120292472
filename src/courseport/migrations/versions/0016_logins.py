"""logins: the ways to sign in as a user within a root account (Canvas's pseudonyms), with hashed passwords

Existing users' login ids and SIS ids become their first login in the first root account.

Revision ID: 0016_logins
Revises: 0015_record_words
Create Date: 2026-12-03 08:20:00
"""
import sqlalchemy as sa
from alembic import op

from courseport.schema.base import UTCDateTime

revision = '0016_logins'
down_revision = '0015_record_words'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('logins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('home_account_id', sa.Integer(), nullable=True),
    sa.Column('unique_id', sa.String(length=255), nullable=False),
    sa.Column('sis_user_id', sa.String(length=255), nullable=True),
    sa.Column('integration_id', sa.String(length=255), nullable=True),
    sa.Column('password_hash', sa.Text(), nullable=True),
    sa.Column('authentication_provider_id', sa.Integer(), nullable=True),
    sa.Column('declared_user_type', sa.String(length=32), nullable=True),
    sa.Column('workflow_state', sa.String(length=32), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('last_login_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_logins_account_id_accounts')),
    sa.ForeignKeyConstraint(['home_account_id'], ['accounts.id'], name=op.f('fk_logins_home_account_id_accounts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_logins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_logins'))
    )
    with op.batch_alter_table('logins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_logins_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_logins_sis_user_id'), ['sis_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_logins_unique_id'), ['unique_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_logins_user_id'), ['user_id'], unique=False)
    op.execute(
        "INSERT INTO logins (user_id, account_id, unique_id, sis_user_id, integration_id, workflow_state, created_at) "
        "SELECT u.id, r.id, coalesce(u.login_id, u.sis_user_id), u.sis_user_id, u.integration_id, 'active', "
        "u.created_at FROM users u JOIN (SELECT min(id) AS id FROM accounts WHERE parent_account_id IS NULL) r "
        "ON r.id IS NOT NULL WHERE coalesce(u.login_id, u.sis_user_id) IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('logins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_logins_user_id'))
        batch_op.drop_index(batch_op.f('ix_logins_unique_id'))
        batch_op.drop_index(batch_op.f('ix_logins_sis_user_id'))
        batch_op.drop_index(batch_op.f('ix_logins_account_id'))
    op.drop_table('logins')
