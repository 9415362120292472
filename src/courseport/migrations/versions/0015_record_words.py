"""record words: course-record options, availability and course view stored in core words, not Learn's

`learn_options` becomes `record_options` with core keys and values ({"duration": {"kind": "fixed_days",
"days": 10}}, not {"type": "FixedNumDays", "daysOfUse": 10}); `availability` keeps "disabled"/"by_term"
for "Disabled"/"Term"; `ultra_status` ("Ultrapreview") becomes `course_view` ("ultra_preview"). The word
tables are written out here, as they were at this revision: a migration never imports the code it migrates.

The `courses` table is altered in place (`recreate="never"`): on SQLite a batch recreate drops the old
table, and with foreign keys on, that DROP's implicit DELETE would cascade to every course's rows.
SQLite renames and drops columns itself since 3.35.

Revision ID: 0015_record_words
Revises: 0014_section_crosslists
Create Date: 2026-12-03 08:30:00
"""
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0015_record_words'
down_revision = '0014_section_crosslists'
branch_labels = None
depends_on = None

# Learn's stored word -> the core word, per place in the stored options.
_TOP_KEYS = {'localeForce': 'locale_force', 'copyHistory': 'copy_history'}
_DURATION_KEYS = {'type': 'kind', 'daysOfUse': 'days'}
_ENROLLMENT_KEYS = {'type': 'kind', 'accessCode': 'access_code'}
_DURATION_KINDS = {'Continuous': 'continuous', 'DateRange': 'date_range', 'FixedNumDays': 'fixed_days',
                   'UseTerm': 'use_term'}
_ENROLLMENT_KINDS = {'InstructorLed': 'instructor_led', 'SelfEnrollment': 'self_enrolled',
                     'EmailEnrollment': 'email_enrolled'}
_AVAILABILITY = {'Disabled': 'disabled', 'Term': 'by_term'}
_COURSE_VIEWS = {'Undecided': 'undecided', 'Classic': 'classic', 'Ultra': 'ultra', 'Ultrapreview': 'ultra_preview'}


def _inverse(table: dict[str, str]) -> dict[str, str]:
    return {new: old for old, new in table.items()}


def _way(table: dict[str, str], up: bool) -> dict[str, str]:
    return table if up else _inverse(table)


def _options(stored: Any, *, up: bool) -> Any:
    """One row's options in the other vocabulary; keys and values it does not know are kept."""
    if not isinstance(stored, dict):
        return stored
    kind = 'kind' if up else 'type'
    out = {_way(_TOP_KEYS, up).get(k, k): v for k, v in stored.items()}
    for part, keys, kinds in (('duration', _DURATION_KEYS, _DURATION_KINDS),
                              ('enrollment', _ENROLLMENT_KEYS, _ENROLLMENT_KINDS)):
        if isinstance(out.get(part), dict):
            renamed = {_way(keys, up).get(k, k): v for k, v in out[part].items()}
            if kind in renamed:
                renamed[kind] = _way(kinds, up).get(renamed[kind], renamed[kind])
            out[part] = renamed
    return out


def _rewrite(options_column: str, *, up: bool) -> None:
    """Each course's options and availability in the other vocabulary, row by row (JSON is rewritten
    in Python: the two databases share no JSON functions)."""
    courses = sa.table('courses', sa.column('id', sa.Integer), sa.column(options_column, sa.JSON),
                       sa.column('availability', sa.String))
    bind = op.get_bind()
    column = courses.c[options_column]
    for row_id, stored in bind.execute(sa.select(courses.c.id, column).where(column.isnot(None))).all():
        new = _options(stored, up=up)
        if new != stored:
            bind.execute(courses.update().where(courses.c.id == row_id).values({options_column: new}))
    for old, new in _way(_AVAILABILITY, up).items():
        bind.execute(courses.update().where(courses.c.availability == old).values(availability=new))


def _move_view(source: str, target: str, table: dict[str, str], default: str) -> None:
    """The course view moved into a new column in the other words (a new column, not an altered one:
    SQLite cannot change a column's default in place)."""
    with op.batch_alter_table('courses', recreate='never') as batch_op:
        batch_op.add_column(sa.Column(target, sa.String(length=16), server_default=default, nullable=False))
    courses = sa.table('courses', sa.column(source, sa.String), sa.column(target, sa.String))
    words = sa.case(*((courses.c[source] == old, new) for old, new in table.items()), else_=courses.c[source])
    op.get_bind().execute(courses.update().values({target: words}))
    with op.batch_alter_table('courses', recreate='never') as batch_op:
        batch_op.drop_column(source)


def upgrade() -> None:
    _rewrite('learn_options', up=True)
    with op.batch_alter_table('courses', recreate='never') as batch_op:
        batch_op.alter_column('learn_options', new_column_name='record_options')
    _move_view('ultra_status', 'course_view', _COURSE_VIEWS, 'undecided')


def downgrade() -> None:
    _move_view('course_view', 'ultra_status', _inverse(_COURSE_VIEWS), 'Undecided')
    with op.batch_alter_table('courses', recreate='never') as batch_op:
        batch_op.alter_column('record_options', new_column_name='learn_options')
    _rewrite('learn_options', up=False)
