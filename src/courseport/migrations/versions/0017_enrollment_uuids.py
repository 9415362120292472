"""enrollment uuids: Canvas's Enrollment object carries one (include[]=uuid)

Revision ID: 0017_enrollment_uuids
Revises: 0016_logins
Create Date: 2026-12-03 08:30:00
"""
import uuid

import sqlalchemy as sa
from alembic import op

revision = '0017_enrollment_uuids'
down_revision = '0016_logins'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uuid', sa.String(length=64), nullable=True))
    enrollments = sa.table('enrollments', sa.column('id', sa.Integer), sa.column('uuid', sa.String))
    bind = op.get_bind()
    for (enrollment_id,) in bind.execute(sa.select(enrollments.c.id)).all():
        bind.execute(enrollments.update().where(enrollments.c.id == enrollment_id).values(uuid=uuid.uuid4().hex))


def downgrade() -> None:
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_column('uuid')
