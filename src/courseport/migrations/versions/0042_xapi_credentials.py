"""xapi credentials: an application's HTTP Basic credentials for its LRS, and statements outside a launch
(xapi_statements.course_id and version nullable, tenant_id for the statements a credential wrote; lrs_documents
likewise: course_id nullable, tenant_id for a credential's documents)

Revision ID: 0042_xapi_credentials
Revises: 0041_role_override_permission
Create Date: 2026-12-06 08:45:00
"""
import sqlalchemy as sa
from alembic import op

from courseport.schema.base import UTCDateTime

revision = '0042_xapi_credentials'
down_revision = '0041_role_override_permission'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'xapi_credentials',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('info', sa.Text(), nullable=True),
        sa.Column('secret', sa.String(length=255), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('auth', sa.String(length=16), nullable=False),
        sa.Column('permissions', sa.String(length=16), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['tenant_id'], ['accounts.id'], name=op.f('fk_xapi_credentials_tenant_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_xapi_credentials')),
    )
    with op.batch_alter_table('xapi_credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_xapi_credentials_tenant_id'), ['tenant_id'], unique=False)
    with op.batch_alter_table('xapi_statements', schema=None) as batch_op:
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('version', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('tenant_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_xapi_statements_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_xapi_statements_tenant_id_accounts'), 'accounts', ['tenant_id'],
                                    ['id'], ondelete='CASCADE')
    with op.batch_alter_table('lrs_documents', schema=None) as batch_op:
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('tenant_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_lrs_documents_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_lrs_documents_tenant_id_accounts'), 'accounts', ['tenant_id'],
                                    ['id'], ondelete='CASCADE')


def downgrade() -> None:
    op.execute("DELETE FROM xapi_statements WHERE course_id IS NULL")  # statements outside a launch cannot stay
    op.execute("DELETE FROM lrs_documents WHERE course_id IS NULL")
    with op.batch_alter_table('lrs_documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lrs_documents_tenant_id_accounts'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_lrs_documents_tenant_id'))
        batch_op.drop_column('tenant_id')
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('xapi_statements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_xapi_statements_tenant_id_accounts'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_xapi_statements_tenant_id'))
        batch_op.drop_column('tenant_id')
        batch_op.alter_column('version', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('xapi_credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_xapi_credentials_tenant_id'))
    op.drop_table('xapi_credentials')
