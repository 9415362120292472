"""Plain rows for the reads every API call makes: a select compiled once per database, run on the
DB-API cursor of the session's own transaction.

Per statement, the ORM spends ~60 µs building entities and Core ~25 µs on execution bookkeeping:
several times what SQLite needs to answer a lookup by key, and most of what a single-course GET
costs. The caller's token, the course, its enrollments and the account admins are read here
instead. Statements are still written with SQLAlchemy (one source of names and types), and values
pass through the column types' own result processors, so a row's attribute holds what the ORM
attribute would. Rows are read-only tuples with attribute access: change data through the ORM.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import msgspec
from sqlalchemy import Float, Numeric, Select, func, select
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.processors import int_to_boolean
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.sql.elements import ColumnElement, Label
from sqlalchemy.sql.sqltypes import _Binary
from sqlalchemy.sql.visitors import InternalTraversal


def entity_columns(model: type[DeclarativeBase]) -> list[Any]:
    """Every mapped column of an ORM model, labelled with its attribute name."""
    return [getattr(model, attr.key).label(attr.key) for attr in model.__mapper__.column_attrs]


class RowVersion(ColumnElement[Any]):
    """The version of a row of `table`, which every change of the row changes, whoever makes it: on PostgreSQL
    the id of the transaction that wrote the row version (`xmin`, as text: psycopg has no loader of its own for
    `xid`); on SQLite the table's `row_version`, a random 64-bit number that triggers set on every insert and
    update (migration 0066: courses only)."""

    inherit_cache = True
    _traverse_internals = [("table", InternalTraversal.dp_string)]

    def __init__(self, table: str):
        self.table = table


@compiles(RowVersion, "postgresql")
def _xmin(element: RowVersion, compiler: Any, **kw: Any) -> str:
    return f"{element.table}.xmin::text"


@compiles(RowVersion, "sqlite")
def _row_version_column(element: RowVersion, compiler: Any, **kw: Any) -> str:
    return f"{element.table}.row_version"


def _open(db: Session) -> tuple[Dialect, Any]:
    """The dialect and a DB-API cursor of the session's transaction, begun if it was not.
    Kept in `db.info` for the transaction's life: asking the session each time costs more than
    a read (a commit ends the transaction, and the next read asks again). The one cursor serves
    every read of the transaction: making a psycopg cursor costs ~15 µs, a fifth of a read."""
    held = db.info.get(_HELD)
    if held is None or (held[0] is not None and held[0] is not db.get_transaction()):
        connection = db.connection()
        db.info[_HELD] = held = [db.get_transaction(), connection.dialect, connection.connection.dbapi_connection, None]
    if held[3] is None:
        held[3] = _cursor(held[1], held[2])
    return held[1], held[3]


def _cursor(dialect: Dialect, dbapi_connection: Any) -> Any:
    """psycopg: a RawCursor, which takes the server's own `$n` placeholders as they are (the plans are
    compiled so) and a list of values: a named-parameter statement is parsed and mapped on every execute,
    ~25 µs of a ~75 µs lookup by key (measured with the single-course read)."""
    if dialect.driver != "psycopg":
        return dbapi_connection.cursor()
    if dialect.is_async:  # SQLAlchemy's adapter of an AsyncConnection, in a greenlet on the loop (loop_reads.py)
        from courseport.pg_loop_cursor import LoopCursor  # PostgreSQL only

        return LoopCursor(dbapi_connection._connection)
    from psycopg import RawCursor  # PostgreSQL only

    return RawCursor(dbapi_connection)


def hold_connection(db: Session, dialect: Dialect, dbapi_connection: Any, kept: dict | None = None) -> None:
    """Row reads of `db` run on `dbapi_connection`, whose transaction outlives the session's (db.py).
    `kept`: a dict that lives as long as the DB-API connection (its pool record's info), where the
    connection's one cursor is kept for the reads of later transactions too."""
    cursor = None
    if kept is not None:
        cursor = kept.get(_HELD)
        if cursor is None:
            cursor = kept[_HELD] = _cursor(dialect, dbapi_connection)
    db.info[_HELD] = [None, dialect, dbapi_connection, cursor]


def keep_only_held(db: Session) -> None:
    """Forget what earlier reads left in a reused session's info (db.KeptConnections), but its connection."""
    info = db.info
    if len(info) > 1:
        held = info[_HELD]
        info.clear()
        info[_HELD] = held


def _processed(n: int, processor: Callable[[Any], Any]) -> str:
    """The converter's line for column n of row `r`. A processor's call costs ~45 ns, which a page of 100
    courses paid ~2,000 times, mostly on NULLs and on SQLite's 0/1 booleans: a NULL skips a processor that
    keeps NULL as None, and int_to_boolean is written out (`v != 0` is bool(v) for an integer)."""
    if processor(None) is not None:  # a processor that gives NULL a value of its own: always called
        return f"r[{n}] = p{n}(r[{n}])"
    value = "v != 0" if processor is int_to_boolean else f"p{n}(v)"
    return f"if (v := r[{n}]) is not None: r[{n}] = {value}"


_HELD = "courseport.row_reads"
_NUMBERED: dict[type, Dialect] = {}


def _numbered(dialect: Dialect) -> Dialect:
    """The dialect plans are compiled with: psycopg's writes `$1, $2, ...` (for _cursor's RawCursor) instead
    of `%(name)s`; the others their own placeholders. Types, binds and result processors stay `dialect`'s."""
    if dialect.driver != "psycopg":
        return dialect
    numbered = _NUMBERED.get(type(dialect))
    if numbered is None:
        numbered = _NUMBERED[type(dialect)] = cast(Any, type(dialect))(paramstyle="numeric_dollar")
    return numbered


@dataclass
class _Plan:
    sql: str | bytes  # bytes for psycopg: it would encode (and hash the result for its caches) per execute
    param_order: tuple[str, ...] | None  # positional drivers (SQLite); None: named (psycopg)
    constants: dict[str, Any]  # the values written into the statement (`state IN ("a", "b")`)
    binders: dict[str, Callable[[Any], Any]]
    row_type: Any
    # A driver row to a row_type row, through each column's result processor; made on first
    # execution, because some drivers' processors depend on the type the cursor reports (PostgreSQL numerics).
    convert: Callable[[Any], Any] | None = None
    packed: _Packing | None = None  # the rows arrive packed: RowRead's `packed`


class RowRead:
    """One select, compiled on first use per dialect; `all()` / `first()` return its rows."""

    def __init__(self, statement: Select, row_name: str = "Row", *, packed: bool = False):
        self.statement = statement
        self.row_name = row_name
        self.packing = _packing(statement) if packed else None
        self._plans: dict[tuple[object, ...] | str, _Plan] = {}

    @classmethod
    def of(cls, model: type[DeclarativeBase], *where: Any) -> RowRead:
        """Whole rows of `model` (its attribute names) matching `where`."""
        return cls(select(*entity_columns(model)).where(*where), model.__name__ + "Row")

    def all(self, db: Session, **params: Any) -> list[Any]:
        """The rows for `params`; a list or tuple value fills an expanding bind (`IN :ids`)."""
        dialect, cursor = _open(db)
        lists = {name: value for name, value in params.items() if isinstance(value, (list, tuple))}
        key = (dialect.name, *(len(v) for v in lists.values())) if lists else dialect.name
        plan = self._plans.get(key) or self._compile(dialect, key, lists)
        for name, values in lists.items():
            del params[name]
            params.update((f"{name}_{n}", v) for n, v in enumerate(values, 1))
        for name, bind in plan.binders.items():
            if name in params:
                params[name] = bind(params[name])
        params.update(plan.constants)
        args = params if plan.param_order is None else [params[name] for name in plan.param_order]
        cursor.execute(plan.sql, args)
        raw = cursor.fetchall()
        if plan.packed is not None:  # one array alone (the usual): decoded here, without a call per row
            raw = [_ROW_DECODER.decode(r[0]) for r in raw] if plan.packed.alone else list(map(plan.packed.unpack, raw))
        if plan.convert is None:
            columns = self.statement.selected_columns
            description = [(c.name, None) for c in columns] if plan.packed else cursor.description
            plan.convert = self._converter(dialect, description, plan.row_type, lists=plan.packed is not None)
        return list(map(plan.convert, raw))

    def first(self, db: Session, **params: Any) -> Any | None:
        rows = self.all(db, **params)
        return rows[0] if rows else None

    def _converter(self, dialect: Dialect, description: Any, row_type: Any, *, lists: bool) -> Callable[[Any], Any]:
        """One function for the whole row, written out column by column: a loop over the columns
        per row cost more than the reads of a page (100 courses of ~50 columns). `lists`: the rows are
        lists of their own (packed), which the function changes in place and makes the row of; the
        driver's tuples are copied into one first. Only the columns with a processor are touched:
        building the row value by value cost a 100-course page ~70 µs."""
        processors = [column.type.dialect_impl(dialect).result_processor(dialect, described[1])
                      for column, described in zip(self.statement.selected_columns, description, strict=True)]
        names = {f"p{n}": f for n, f in enumerate(processors) if f is not None}
        lines = [] if lists else ["r = list(r)"]
        lines += [_processed(n, f) for n, f in enumerate(processors) if f is not None]
        scope: dict[str, Any] = {"new": tuple.__new__, "row_type": row_type, **names}
        body = "".join(f"    {line}\n" for line in [*lines, "return new(row_type, r)"])
        exec(f"def convert(r):\n{body}", scope)  # noqa: S102 - names and indexes only
        return scope["convert"]

    def _compile(self, dialect: Dialect, key: Any, lists: dict[str, Any]) -> _Plan:
        packed = self.packing if dialect.name == "sqlite" else None
        statement = _packed(self.statement, packed) if packed else self.statement
        compiled = statement.compile(dialect=_numbered(dialect))
        # The caller's parameters are the binds without a value. IN lists of constants are
        # expanded here, once; a caller's list gets a plan per length (`key`).
        asked = {bind.key for bind in compiled.binds.values() if bind.required}
        placeholders = {name: [None] * len(lists[name]) if name in lists else None for name in asked}
        expanded = compiled.construct_expanded_state(placeholders)
        asked |= {f"{name}_{n}" for name, values in lists.items() for n in range(1, len(values) + 1)}
        binders: dict[str, Callable[[Any], Any]] = {}
        for bind in compiled.binds.values():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.key in asked and processor is not None:
                binders[bind.key] = processor
        positional = _numbered(dialect).paramstyle in ("qmark", "numeric", "format", "numeric_dollar")
        sql, order = expanded.statement, tuple(expanded.positiontup or ()) if positional else None
        constants = {k: v for k, v in expanded.parameters.items() if k not in asked}
        if dialect.driver == "psycopg" and order is not None:
            sql, order = _inline_constants(sql, order, constants)
            constants = {k: v for k, v in constants.items() if k in order}
        plan = _Plan(
            sql=sql.encode() if dialect.driver == "psycopg" else sql,
            param_order=order,
            constants=constants,
            binders=binders,
            row_type=namedtuple(self.row_name, [c.name for c in self.statement.selected_columns]),
            packed=packed,
        )
        self._plans[key] = plan
        return plan


# PostgreSQL plans a statement prepared on a connection once for any values after its fifth run (its generic
# plan), and there a parameter is a guess: with the states of `state IN ('active', ...)` and `!= 'deleted'` as
# parameters it took a page of courses for one row and joined each course's enrollments by a scan of them all
# (5 ms a page instead of 1). The statements' own constants (written into them, not the caller's parameters)
# are written into the text instead, where they are plain values: integers, booleans and text of a few safe
# characters (a search term stays a parameter).
_PLACEHOLDER = re.compile(r"'(?:[^']|'')*'|\$(\d+)")  # a quoted literal (kept as it is) or a `$n`
_SAFE_TEXT = re.compile(r"[A-Za-z0-9_.:/ -]*")


def _literal(value: Any) -> str | None:
    """`value` as PostgreSQL text, or None where it is kept as a parameter."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and _SAFE_TEXT.fullmatch(value):
        return f"'{value}'"
    return None


def _inline_constants(sql: str, order: tuple[str, ...], constants: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """`sql` with the `$n` of `constants` written as literals where _literal can, the rest renumbered; and
    the names of the parameters left, in their new order."""
    numbers: dict[str, int] = {}

    def place(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return match.group(0)
        name = order[int(match.group(1)) - 1]
        if name in constants and (text := _literal(constants[name])) is not None:
            return text
        return f"${numbers.setdefault(name, len(numbers) + 1)}"

    return _PLACEHOLDER.sub(place, sql), tuple(numbers)


# SQLite hands each value of a row to Python as an object of its own (~75-140 ns a value on this project's
# machine): a page of 100 courses of 45 columns cost ~330 µs in fetching alone, the single-course GET's one
# row of 100 columns ~14 µs of its statement's ~19. A packed read has SQLite write the columns of each row
# as one JSON array, which msgspec reads in C. The values are those the driver gives (integers, text, None),
# so each column's result processor applies as before. Only columns whose values JSON keeps exactly are
# packed: a float (SQLite writes 15 digits) or bytes (JSON has none) come as plain columns beside it.
_ROW_DECODER = msgspec.json.Decoder()
_PACKING_LIMIT = 100  # SQLite's json_array takes at most SQLITE_MAX_FUNCTION_ARG (100 on older builds) values


@dataclass(frozen=True)
class _Packing:
    """How a packed statement's rows come: `arrays` JSON arrays, then the columns at positions `plain`."""

    arrays: int
    plain: tuple[int, ...]

    @property
    def alone(self) -> bool:
        return self.arrays == 1 and not self.plain

    def unpack(self, r: Any) -> list[Any]:
        """A driver row of the packed statement as the list of the statement's columns, in its order."""
        row = _ROW_DECODER.decode(r[0])
        for n in range(1, self.arrays):
            row += _ROW_DECODER.decode(r[n])
        for k, position in enumerate(self.plain, self.arrays):  # ascending: each lands where it was
            row.insert(position, r[k])
        return row


def _exact_in_json(column: Any) -> bool:
    return not issubclass(column.type._type_affinity or type(column.type), (Float, Numeric, _Binary))


def _packing(statement: Select) -> _Packing | None:
    """How `statement` is packed; None where fewer than two columns would be (nothing to gain)."""
    columns = list(statement.selected_columns)
    plain = tuple(n for n, column in enumerate(columns) if not _exact_in_json(column))
    packed = len(columns) - len(plain)
    return _Packing(-(-packed // _PACKING_LIMIT), plain) if packed >= 2 else None


def _packed(statement: Select, packing: _Packing) -> Select:
    """`statement` selecting its packable columns as JSON arrays, then the others (SQLite)."""
    columns = list(statement.selected_columns)
    values = [c.element if isinstance(c, Label) else c for n, c in enumerate(columns) if n not in packing.plain]
    arrays = [func.json_array(*values[n:n + _PACKING_LIMIT]) for n in range(0, len(values), _PACKING_LIMIT)]
    return statement.with_only_columns(*arrays, *(columns[n] for n in packing.plain))
