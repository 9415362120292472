"""org units: one OrgUnitId namespace (D2L) over accounts, terms, course templates, courses and sections

Every existing row gets its org unit id. Courses go first and keep their own id as their org unit id
(the table is empty, so every course id is free): the Valence ids of existing offerings, which were
course ids until now, keep naming the same courses. Every other row gets the next ids of the sequence.

Revision ID: 0019_org_units
Revises: 0018_term_details
Create Date: 2026-12-03 13:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0019_org_units'
down_revision = '0018_term_details'
branch_labels = None
depends_on = None

# (mapping column, table, kind expression) for every kind after courses, in the order they are numbered.
_OTHERS = (
    ("account_id", "accounts", "CASE WHEN parent_account_id IS NULL THEN 'organization' ELSE 'department' END"),
    ("term_id", "terms", "'semester'"),
    ("course_template_id", "course_templates", "'course_template'"),
    ("section_id", "sections", "'section'"),
)


def upgrade() -> None:
    op.create_table('org_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('term_id', sa.Integer(), nullable=True),
    sa.Column('course_template_id', sa.Integer(), nullable=True),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_org_units_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_org_units_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_template_id'], ['course_templates.id'], name=op.f('fk_org_units_course_template_id_course_templates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_org_units_section_id_sections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_org_units_term_id_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_units')),
    sa.UniqueConstraint('account_id', name=op.f('uq_org_units_account_id')),
    sa.UniqueConstraint('course_id', name=op.f('uq_org_units_course_id')),
    sa.UniqueConstraint('course_template_id', name=op.f('uq_org_units_course_template_id')),
    sa.UniqueConstraint('section_id', name=op.f('uq_org_units_section_id')),
    sa.UniqueConstraint('term_id', name=op.f('uq_org_units_term_id'))
    )
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_units_kind'), ['kind'], unique=False)

    op.execute("INSERT INTO org_units (id, kind, course_id) SELECT id, 'course_offering', id FROM courses ORDER BY id")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('org_units', 'id'), "
                   "coalesce((SELECT max(id) FROM org_units), 0) + 1, false)")
    for column, table, kind in _OTHERS:
        op.execute(f"INSERT INTO org_units (kind, {column}) SELECT {kind}, id FROM {table} ORDER BY id")


def downgrade() -> None:
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_units_kind'))

    op.drop_table('org_units')
