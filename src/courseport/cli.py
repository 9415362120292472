"""The `courseport` command: serve, worker, db upgrade, token create, blobs gc."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from courseport import cli_remote, demo, migrate
from courseport.blobs import open_blob_store
from courseport.core.identity import accounts, admin, d2l_apps, oauth_clients, tokens
from courseport.core.kit.errors import DomainError, NotAuthenticated
from courseport.db import DatabaseUnreachable, check_reachable, make_engine, transaction
from courseport.file_modes import CREDENTIALS, prepare_data_dir, write_private
from courseport.logs import configure_logging
from courseport.metrics import prepare_multiprocess_metrics, serve_metrics
from courseport.schema import User
from courseport.settings import SETTINGS, Settings


def _settings(data_dir: str | None, database_url: str | None, **extra) -> Settings:
    try:
        return Settings.from_env(data_dir=Path(data_dir) if data_dir else None, database_url=database_url, **extra)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def blob_url_option(function):  # noqa: ANN001, ANN201 - a click decorator
    return click.option("--blob-url", default=None, envvar="COURSEPORT_BLOB_URL",
                        help="s3://bucket/prefix to keep blobs in S3-compatible storage (endpoint, region and "
                             "credentials from AWS_* variables) instead of DATA_DIR/blobs.")(function)


def _migrated_engine(settings: Settings) -> Engine:
    prepare_data_dir(settings.data_dir)
    engine = _reachable(make_engine(settings.effective_database_url))
    migrate.upgrade(engine)
    if engine.dialect.name == "postgresql":
        from courseport import distributed  # procrastinate's queue tables, outside our migrations

        distributed.ensure_schema(engine)
    return engine


def _reachable(engine: Engine) -> Engine:
    """The engine, once it has connected: an unreachable database is reported as such, by every command."""
    try:
        check_reachable(engine)
    except DatabaseUnreachable as exc:
        engine.dispose()
        raise click.ClickException(str(exc)) from None
    return engine


def _require_current_schema(settings: Settings) -> None:
    engine = _reachable(make_engine(settings.effective_database_url))
    try:
        with engine.connect() as conn:
            current = conn.scalar(text("SELECT version_num FROM alembic_version")) == migrate.head_revision()
    except DBAPIError:  # reached, but no version table: not current either
        current = False
    finally:
        engine.dispose()
    if not current:
        raise click.ClickException("the database schema is not up to date: run `courseport db upgrade` first")


def _existing_data_dir(settings: Settings) -> Settings:
    """The settings with their data folder made absolute; refused if the folder does not exist, since
    a worker must read and write the blobs of the folder `serve` uses, not make a new one (unless
    blobs are in S3 and the database is a server: then the folder holds nothing shared)."""
    folder = settings.data_dir.resolve()
    if not folder.is_dir() and not (settings.blob_url and settings.database_url):
        raise click.ClickException(
            f"no data folder at {folder}: start the worker with --data-dir (or COURSEPORT_DATA_DIR) naming the "
            "folder `courseport serve` uses (its default, ./data, is relative to the current directory)")
    return settings.with_changes(data_dir=folder)


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
    _migrated_engine(_settings(data_dir, database_url)).dispose()
    click.echo("database is up to date")


@main.group()
def token() -> None:
    """API token commands."""


@token.command("create")
@click.option("--user", "login", required=True, help="Login of the user (created if missing).")
@click.option("--admin", "make_admin", is_flag=True, help="Make the user an administrator of the root account.")
@click.option("--data-dir", default=None)
@click.option("--database-url", default=None, envvar="COURSEPORT_DATABASE_URL")
def token_create(login: str, make_admin: bool, data_dir: str | None, database_url: str | None) -> None:
    """Create an API token for a user and print it."""
    engine = _migrated_engine(_settings(data_dir, database_url))
    try:
        with transaction(engine, write=True) as session:
            accounts.ensure_root(session)
            _, value = admin.create_token_for(session, login, admin=make_admin, purpose="cli")
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        engine.dispose()
    click.echo(value)


def _working_token(session: Session, user: User, current: str | None) -> str:
    """The token credentials.json already holds if it still works for `user`, else a new one."""
    try:
        if current and tokens.authenticate(session, current).id == user.id:
            return current
    except NotAuthenticated:
        pass
    return tokens.create_token(session, user, "credentials.json")


def prepare_store(settings: Settings, base_url: str, seed_demo: bool | None) -> tuple[dict, demo.DemoSummary | None]:
    """Migrate; make sure root account 1, the bootstrap admin and credentials.json exist; seed demo data.

    `seed_demo` None seeds only on the first start of an empty store, so a newcomer sees data at once;
    the bootstrap admin teaches the demo courses, so its own course list shows them.
    """
    from courseport.services import instance_secret

    path = settings.data_dir / CREDENTIALS
    current = json.loads(path.read_text()) if path.exists() else {}
    engine = _migrated_engine(settings)
    with transaction(engine, write=True) as session:
        accounts.ensure_root(session)
        first_start = admin.store_is_empty(session)
        user = admin.ensure_user(session, "admin", name="Admin", admin=True)
        token_value = _working_token(session, user, current.get("canvas", {}).get("token"))
        learn_app = current.get("blackboard", {})
        integration = admin.ensure_user(session, "blackboard-integration", name="Blackboard integration", admin=True)
        learn_key, learn_secret = oauth_clients.ensure_client(
            session, integration, "credentials.json", learn_app.get("key"), learn_app.get("secret"))
        d2l_keys = d2l_apps.ensure_credentials(session, user, current.get("d2l", {}))
        scorm_app = current.get("scorm_cloud", {})
        scorm_id, scorm_secret = oauth_clients.ensure_client(
            session, user, "SCORM Cloud application", scorm_app.get("app_id"), scorm_app.get("secret_key"))
        wanted = seed_demo if seed_demo is not None else first_start
        blobs = open_blob_store(settings, engine)
        summary = demo.seed_demo(session, user, enroll_me=True, blobs=blobs) if wanted else None
    instance_secret(engine)  # made here once, so worker processes starting together only read it
    engine.dispose()
    creds = {**current, "base_url": base_url, "canvas": {"token": token_value},
             "blackboard": {"key": learn_key, "secret": learn_secret}, "d2l": d2l_keys,
             "scorm_cloud": {"app_id": scorm_id, "secret_key": scorm_secret}}
    if summary is not None:
        creds["demo"] = {"account_id": summary.account_id, "users": {
            u.login: {"id": u.id, "name": u.name, "role": u.role, "token": u.token} for u in summary.users}}
    write_private(path, json.dumps(creds, indent=2) + "\n")
    return creds, summary


def _print_welcome(settings: Settings, base_url: str, creds: dict, summary: demo.DemoSummary | None) -> None:
    path = settings.data_dir / CREDENTIALS
    click.echo(f"courseport is serving at {base_url}")
    click.echo(f"console for course teams: {base_url}/console/  (sign in with the Canvas token below, or a login)")
    click.echo(f"credentials: {path}")
    click.echo(f"  Canvas-compatible API: {base_url}/api/v1  (Bearer {creds['canvas']['token'][:6]}...)")
    click.echo(f"  python: canvasapi.Canvas({base_url!r}, <canvas.token from credentials.json>)")
    click.echo(f"  Blackboard Learn-compatible API: {base_url}/learn/api/public  "
               f"(OAuth 2 key {creds['blackboard']['key'][:6]}..., secret in credentials.json)")
    click.echo(f"  D2L Valence-compatible API: {base_url}/d2l/api  (ID-key app {creds['d2l']['app_id'][:6]}..., "
               f"user and keys under d2l in credentials.json)")
    click.echo(f"  SCORM Cloud-compatible API: {base_url}/api/v2  "
               f"(Basic appId {creds['scorm_cloud']['app_id'][:6]}..., "
               f"secretKey under scorm_cloud in credentials.json)")
    if summary is not None:
        click.echo(f"demo data: {summary.account_name} (account {summary.account_id}), "
                   f"{len(summary.courses)} courses, {len(summary.users)} users; "
                   f"their tokens are under demo.users in credentials.json")


# Older spellings commands keep besides the table's flag.
_ALIASES = {"job_threads": ("--concurrency",), "job_lease_seconds": ("--lease-seconds",)}


def settings_options(function):  # noqa: ANN001, ANN201 - a click decorator
    """One option per Settings field (settings.SETTINGS): the flag wins over its COURSEPORT_* variable,
    which Settings.from_env reads, so a flag left out leaves the variable or the default in force."""
    for option in reversed(SETTINGS):
        kind = click.Choice(option.choices) if option.choices else None
        function = click.option(option.flag, *_ALIASES.get(option.field, ()), option.field, default=None,
                                type=kind, help=f"{option.help} [env {option.env}]")(function)
    return function


def _from_flags(flags: dict) -> Settings:
    try:
        return Settings.from_env(**{o.field: o.parse(str(flags[o.field])) for o in SETTINGS
                                    if flags.get(o.field) is not None})
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def _hand_down(settings: Settings) -> None:
    """Put every setting that differs from its default into the environment, where the server processes
    uvicorn starts read theirs (app.app_from_env)."""
    defaults = Settings()
    for option in SETTINGS:
        value = getattr(settings, option.field)
        if value != getattr(defaults, option.field) and value is not None:
            os.environ[option.env] = option.render(value)


@main.command()
@click.option("--workers", default=2, show_default=True, type=int, help="Server processes.")
@click.option("--seed-demo/--no-demo", "seed_demo", default=None,
              help="Seed demo data on start (default: only on the first start of an empty store).")
@settings_options
def serve(workers: int, seed_demo: bool | None, **flags) -> None:
    """Start the service (SQLite and a local blob folder by default)."""
    from courseport import listeners

    settings = _from_flags(flags)
    settings = settings.with_changes(data_dir=settings.data_dir.resolve(), public_url=settings.base_url)
    configure_logging(settings.log_format)
    creds, summary = prepare_store(settings, settings.base_url, seed_demo)
    _print_welcome(settings, settings.base_url, creds, summary)
    _hand_down(settings)
    os.environ["COURSEPORT_JOB_MODE"] = settings.job_mode
    prepare_multiprocess_metrics(settings.data_dir, workers)
    # No API speaks WebSocket; ws="none" also keeps uvicorn clear of whichever websockets
    # release a client library (bbrest's pyppeteer pins an old one) drags into the environment.
    listeners.run("courseport.app:app_from_env", host=settings.host, port=settings.port, workers=workers,
                  log_level="warning", ws="none")


@main.command()
@settings_options
def worker(**flags) -> None:
    """Run jobs until stopped (SIGINT/SIGTERM): any number of processes on PostgreSQL, on any machines
    sharing the data folder; on SQLite, a job process beside `serve --job-mode external` on the same machine.
    --job-threads (--concurrency) jobs run at once, each claimed for --job-lease-seconds (--lease-seconds)."""
    from courseport.worker import run_worker_process

    settings = _existing_data_dir(_from_flags(flags))
    if settings.job_threads < 1:
        raise click.BadParameter("must be at least 1", param_hint="--concurrency")
    _require_current_schema(settings)
    configure_logging(settings.log_format)
    if settings.metrics_port is not None:
        serve_metrics(settings.metrics_port, settings.metrics_token)
    run_worker_process(settings)


@main.group("blobs")
def blobs_group() -> None:
    """Blob store commands."""


@blobs_group.command("gc")
@click.option("--data-dir", default=None, help="Folder of the SQLite file and the blobs.")
@click.option("--database-url", default=None, envvar="COURSEPORT_DATABASE_URL")
@click.option("--grace-seconds", default=None, type=click.FloatRange(min=0),
              help="Keep unreferenced blobs and temp files younger than this (default: one hour). "
                   "Uploads in flight are protected by it only: keep it well above a few seconds on a live store.")
@blob_url_option
def blobs_gc(data_dir: str | None, database_url: str | None, grace_seconds: float | None, blob_url: str | None) -> None:
    """Remove blobs nothing refers to or pins (orphans of failed, killed or ended imports, deleted
    files) and temp files left by killed uploads. Safe beside running servers and workers."""
    from courseport.core.kit.blob_lifecycle import GRACE_SECONDS, collect

    settings = _settings(data_dir, database_url, blob_url=blob_url)
    _require_current_schema(settings)
    engine = make_engine(settings.effective_database_url)
    try:
        report = collect(engine, open_blob_store(settings, engine),
                         GRACE_SECONDS if grace_seconds is None else grace_seconds)
    finally:
        engine.dispose()
    if not report.ran:
        raise click.ClickException("another collection is running on this blob store; nothing done")
    click.echo(f"removed {report.blobs} unreferenced blobs and {report.temp_files} stale temp files")


@main.group("learn-app")
def learn_app() -> None:
    """Learn REST application (OAuth client) commands."""


@learn_app.command("entitlements")
@click.argument("key")
@click.argument("entitlements", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Hold every entitlement (what an application holds by default).")
@click.option("--data-dir", default=None)
@click.option("--database-url", default=None, envvar="COURSEPORT_DATABASE_URL")
def learn_app_entitlements(key: str, entitlements: tuple[str, ...], every: bool, data_dir: str | None,
                           database_url: str | None) -> None:
    """Give the application KEY exactly these entitlements (e.g. system.user.VIEW system.user.CREATE),
    or with --all every one; its tokens are refused (403) where it holds none a route asks for."""
    engine = _migrated_engine(_settings(data_dir, database_url))
    try:
        with transaction(engine, write=True) as session:
            client = oauth_clients.set_entitlements(session, key, None if every else entitlements)
            held = client.entitlements
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        engine.dispose()
    click.echo(f"{key}: {held or 'every entitlement'}")


main.add_command(cli_remote.requests_command)
main.add_command(cli_remote.seed_command)


if __name__ == "__main__":
    main()
