"""tenant logins: a login id is unique per root account (core/identity/logins.py checks it), no longer
across the store, so two tenants (root accounts) may each hold a login `admin`; a SCORM Cloud courseId
likewise is unique per root account

Revision ID: 0023_tenant_logins
Revises: 0018_term_details
Create Date: 2026-12-03 13:40:00
"""
from alembic import op

revision = '0023_tenant_logins'
down_revision = '0022_controls'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_login_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_users_login_id'), ['login_id'], unique=False)
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_courses_scorm_course_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_courses_root_account_id_scorm_course_id'),
                                          ['root_account_id', 'scorm_course_id'])


def downgrade() -> None:
    # Fails, as it must, while two root accounts hold the same login id or SCORM Cloud courseId.
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_courses_root_account_id_scorm_course_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_courses_scorm_course_id'), ['scorm_course_id'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_login_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_users_login_id'), ['login_id'])
