"""Schema migrations (Alembic), run by `courseport db upgrade` and on `serve` start."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

_HERE = Path(__file__).parent / "migrations"


def alembic_config(connection) -> Config:  # noqa: ANN001
    cfg = Config()
    cfg.set_main_option("script_location", str(_HERE))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    """The newest migration's revision id."""
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(_HERE))
    return ScriptDirectory.from_config(cfg).get_current_head()


class MigrationBroke(Exception):
    """A migration left rows pointing at rows that do not exist; it was rolled back."""


def upgrade(engine: Engine, revision: str = "head") -> None:
    run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    run(engine, command.downgrade, revision)


def run(engine: Engine, step: Callable[[Config, str], None], revision: str) -> None:
    """Run an Alembic step in one transaction. On SQLite, foreign keys are off while it runs: a batch
    migration rebuilds a table by copy, drop and rename, and with foreign keys on the DROP deletes every
    row first and cascades (0014's rebuild of `sections` emptied `enrollments`). They are checked
    before the commit instead, and the whole step rolls back if any row lost its target."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection  # no transaction yet: the PRAGMA is ignored inside one
        if sqlite and raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                step(alembic_config(connection), revision)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() if sqlite else []
                if broken:
                    raise MigrationBroke(f"migrating to {revision} left rows without their targets: {broken[:5]}")
        finally:
            if sqlite and raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def autogenerate(engine: Engine, message: str) -> None:
    """Developer aid: write a new revision from the models' difference to the database."""
    with engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)
