"""tenant SIS ids: a course's, section's, account's, term's and user's SIS id is unique per root account
(tenant), no longer across the store, so two tenants may each hold SIS id `CS101`; core checks the
per-tenant uniqueness (sections and users, which hold no root account column, only there)

Revision ID: 0024_tenant_sis_ids
Revises: 0023_tenant_logins
Create Date: 2026-12-03 14:50:00
"""
from alembic import op

revision = '0024_tenant_sis_ids'
down_revision = '0023_tenant_logins'
branch_labels = None
depends_on = None

_PER_ROOT = (('accounts', 'sis_account_id'), ('terms', 'sis_term_id'), ('courses', 'sis_course_id'))
_INDEXED = (('sections', 'sis_section_id'), ('users', 'sis_user_id'))


def upgrade() -> None:
    for table, column in _PER_ROOT:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_{column}'), type_='unique')
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_root_account_id_{column}'),
                                              ['root_account_id', column])
    for table, column in _INDEXED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_{column}'), type_='unique')
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def downgrade() -> None:
    # Fails, as it must, while two root accounts hold the same SIS id.
    for table, column in reversed(_INDEXED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_{column}'), [column])
    for table, column in reversed(_PER_ROOT):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_root_account_id_{column}'), type_='unique')
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_{column}'), [column])
