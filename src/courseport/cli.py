"""The `courseport` command: serve, db upgrade, token create."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from courseport import migrate
from courseport.core import accounts, admin, tokens
from courseport.db import make_engine, transaction
from courseport.settings import Settings


def _settings(data_dir: str | None, database_url: str | None, **extra) -> Settings:
    return Settings.from_env(
        data_dir=Path(data_dir) if data_dir else None, database_url=database_url, **extra
    )


@click.group()
def main() -> None:
    """courseport: one course service that speaks four LMS course APIs."""


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.option("--data-dir", default=None, help="Folder for the SQLite file and blobs (default ./data).")
@click.option("--database-url", default=None, envvar="COURSEPORT_DATABASE_URL")
def db_upgrade(data_dir: str | None, database_url: str | None) -> None:
    """Apply every schema migration."""
    settings = _settings(data_dir, database_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(make_engine(settings.effective_database_url))
    click.echo("database is up to date")


@main.group()
def token() -> None:
    """API token commands."""


@token.command("create")
@click.option("--user", "login", required=True, help="Login of the user (created if missing).")
@click.option("--admin", is_flag=True, help="Make the user an administrator of the root account.")
@click.option("--data-dir", default=None)
@click.option("--database-url", default=None, envvar="COURSEPORT_DATABASE_URL")
def token_create(login: str, admin_flag: bool = False, data_dir: str | None = None,
                 database_url: str | None = None, **kw) -> None:
    """Create an API token for a user and print it."""
    settings = _settings(data_dir, database_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    migrate.upgrade(engine)
    with transaction(engine, write=True) as session:
        accounts.ensure_root(session)
        _, value = admin.create_token_for(session, login, admin=kw.get("admin", admin_flag), purpose="cli")
    click.echo(value)


def write_credentials(settings: Settings, base_url: str) -> dict:
    """Make sure the bootstrap admin exists and credentials.json holds a working token for it."""
    path = settings.data_dir / "credentials.json"
    engine = make_engine(settings.effective_database_url)
    current = json.loads(path.read_text()) if path.exists() else {}
    with transaction(engine, write=True) as session:
        accounts.ensure_root(session)
        user = admin.ensure_user(session, "admin", name="Admin", admin=True)
        token_value = current.get("canvas", {}).get("token")
        try:
            if tokens.authenticate(session, token_value).id != user.id:
                raise ValueError
        except Exception:  # noqa: BLE001 - any stale or missing token is replaced
            token_value = tokens.create_token(session, user, "credentials.json")
    creds = {**current, "base_url": base_url, "canvas": {"token": token_value}}
    path.write_text(json.dumps(creds, indent=2) + "\n")
    os.chmod(path, 0o600)
    return creds


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--data-dir", default=None, help="Folder for the SQLite file, blobs and credentials.json.")
@click.option("--database-url", default=None, envvar="COURSEPORT_DATABASE_URL",
              help="postgresql://... to use PostgreSQL instead of SQLite.")
@click.option("--workers", default=2, show_default=True, type=int, help="Server processes.")
@click.option("--job-mode", type=click.Choice(["threads", "manual"]), default="threads", show_default=True)
def serve(host: str, port: int, data_dir: str | None, database_url: str | None, workers: int, job_mode: str) -> None:
    """Start the service (SQLite and a local blob folder by default)."""
    import uvicorn

    settings = _settings(data_dir, database_url, job_mode=job_mode)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(make_engine(settings.effective_database_url))
    base_url = f"http://{host}:{port}"
    creds = write_credentials(settings, base_url)
    click.echo(f"courseport is serving at {base_url}")
    click.echo(f"credentials: {settings.data_dir / 'credentials.json'}")
    click.echo(f"  Canvas-compatible API: {base_url}/api/v1  (Bearer {creds['canvas']['token'][:6]}...)")
    click.echo(f"  python: canvasapi.Canvas({base_url!r}, <canvas.token from credentials.json>)")
    os.environ["COURSEPORT_DATA_DIR"] = str(settings.data_dir.resolve())
    os.environ["COURSEPORT_JOB_MODE"] = job_mode
    if settings.database_url:
        os.environ["COURSEPORT_DATABASE_URL"] = settings.database_url
    uvicorn.run("courseport.app:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level="warning")
