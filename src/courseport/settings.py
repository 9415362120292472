"""Runtime settings: one immutable object built by the CLI or by tests, never read at import time."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("./data")
    database_url: str | None = None  # None: SQLite file in data_dir
    host: str = "127.0.0.1"
    port: int = 8000
    # "threads": embedded worker threads run jobs as soon as they commit.
    # "manual": jobs wait until run on demand (tests, emulation).
    # "external": this process runs no jobs; `courseport worker` processes do (PostgreSQL scale-out).
    job_mode: str = "threads"
    job_threads: int = 2
    job_lease_seconds: float = 60.0
    max_upload_bytes: int = 2 * 1024**3
    # Packaged-course imports: limits on what a package may unpack to, and the hosts or networks
    # (names, addresses, CIDR) outbound fetches and postbacks may reach although not public.
    package_max_unpacked_bytes: int = 4 * 1024**3
    package_max_entries: int = 20_000
    package_max_ratio: int = 200
    outbound_allow: tuple[str, ...] = ()
    # Keep read results while the SQLite store is unchanged (read_cache.py); COURSEPORT_READ_CACHE=off.
    read_cache: bool = True
    # Keep a course's Canvas JSON (lists, GETs without include[]) by its row version (listed_courses.py).
    json_cache: bool = True
    # The URL clients reach this service at: every URL a response carries is built from it, never from
    # the request's Host header. None: http://<host>:<port> (127.0.0.1 for a wildcard host).
    public_url: str | None = None
    # CSP sources (https://lms.example) that may frame the preview player besides this service itself.
    frame_ancestors: tuple[str, ...] = ()
    # CSP sources (https://ajax.googleapis.com) that packaged content may load scripts, styles, images and
    # fonts from besides its own files: content that links a public library from a CDN needs one.
    content_sources: tuple[str, ...] = ()
    # Failed credential attempts one client address may make per window before it is answered 429
    # until the window ends (throttle.py); 0 turns the limit off.
    auth_failure_limit: int = 10
    auth_failure_window: float = 60.0
    # Where blobs live: None keeps them in data_dir/blobs; s3://bucket[/prefix] puts them in S3-compatible
    # object storage (blob_s3.py), with endpoint, region and credentials from the usual AWS_* variables.
    blob_url: str | None = None
    # Record every face request (bodies masked) for GET /_courseport/requests; a course hub in production may
    # turn it off (privacy; a few % of a request's CPU). COURSEPORT_REQUEST_LOG=off.
    request_log: bool = True
    # Log lines: "json" (one object a line) or "console" (readable); None: console on a terminal, else json.
    log_format: str | None = None
    # `courseport worker` serves Prometheus /metrics on this port when set (servers serve it on their own port).
    metrics_port: int | None = None
    # A bearer token /metrics asks for (servers and `worker --metrics-port` alike); None: /metrics answers anyone
    # who reaches the port. Set it from the environment (COURSEPORT_METRICS_TOKEN): a flag shows in `ps`.
    metrics_token: str | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.public_url is not None:
            parsed = urlsplit(self.public_url)
            if parsed.scheme not in ("http", "https") or not parsed.hostname or parsed.query or parsed.fragment \
                    or any(c.isspace() for c in self.public_url):
                raise ValueError(f"the public URL must be http(s)://host[:port][/path], got {self.public_url!r}")
        if self.blob_url is not None:
            parsed = urlsplit(self.blob_url)
            if parsed.scheme != "s3" or not parsed.netloc or parsed.query or parsed.fragment:
                raise ValueError(f"the blob URL must be s3://bucket[/prefix], got {self.blob_url!r}")
        if self.log_format not in (None, "json", "console"):
            raise ValueError(f"the log format must be json or console, got {self.log_format!r}")
        for name, sources in (("frame-ancestors", self.frame_ancestors), ("content", self.content_sources)):
            for source in sources:
                if not source or any(c in source for c in " \t\r\n;,'\""):
                    raise ValueError(f"not a {name} source: {source!r}")

    @property
    def base_url(self) -> str:
        """scheme://host[:port][/path] that generated URLs start with (no trailing slash)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'courseport.db').resolve()}"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    def with_changes(self, **changes) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        """Settings from COURSEPORT_* variables (the SETTINGS table), then `overrides` that are not None."""
        env: dict[str, Any] = {}
        for option in SETTINGS:
            if raw := os.environ.get(option.env, "").strip():
                env[option.field] = option.parse(raw)
        env.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**env)


def _words(raw: str) -> tuple[str, ...]:
    """A list given as one string: items separated by spaces or commas."""
    return tuple(raw.replace(",", " ").split())


def _switch(raw: str) -> bool:
    return raw.strip().lower() not in ("0", "off", "false", "no")


def _optional_int(raw: str) -> int | None:
    return int(raw) if raw else None


@dataclass(frozen=True)
class Option:
    """One setting as an operator spells it: the Settings field, its COURSEPORT_* variable, its flag and the
    parser both share (a flag's value is text, as a variable's is), so the two can never drift apart."""

    field: str
    parse: Callable[[str], Any]
    help: str
    choices: tuple[str, ...] = ()

    @property
    def env(self) -> str:
        return "COURSEPORT_" + self.field.upper()

    @property
    def flag(self) -> str:
        return "--" + self.field.replace("_", "-")

    def render(self, value: Any) -> str:
        """`value` as text this option parses back (what `serve` hands its server processes)."""
        if isinstance(value, tuple):
            return " ".join(value)
        if isinstance(value, bool):
            return "on" if value else "off"
        return str(value)


# Every Settings field but `extra` (tests only), in the order `--help` lists them.
SETTINGS: tuple[Option, ...] = (
    Option("data_dir", Path, "Folder for the SQLite file, blobs and credentials.json (default ./data)."),
    Option("database_url", str, "postgresql://... to use PostgreSQL instead of SQLite in the data folder."),
    Option("blob_url", str, "s3://bucket/prefix to keep blobs in S3-compatible storage (endpoint, region and "
                            "credentials from AWS_* variables) instead of DATA_DIR/blobs."),
    Option("host", str, "Address to listen on (default 127.0.0.1)."),
    Option("port", int, "Port to listen on (default 8000)."),
    Option("public_url", str, "The URL clients reach the service at; every URL in a response starts with it "
                              "(default http://HOST:PORT). Request Host headers are never used."),
    Option("job_mode", str, "threads: jobs run in the server processes; manual: only when asked; external: "
                            "`courseport worker` processes run them (default threads).",
           ("threads", "manual", "external")),
    Option("job_threads", int, "Jobs one process runs at once (default 2)."),
    Option("job_lease_seconds", float, "How long a job stays claimed without a heartbeat before another worker "
                                       "retries it (default 60)."),
    Option("max_upload_bytes", int, "Largest upload accepted, in bytes (default 2 GiB)."),
    Option("package_max_unpacked_bytes", int, "Most bytes one package may unpack to (default 4 GiB)."),
    Option("package_max_entries", int, "Most entries one package may hold (default 20000)."),
    Option("package_max_ratio", int, "Largest compression ratio of a package entry (default 200)."),
    Option("outbound_allow", _words, "Hosts, addresses or networks (CIDR) that imports, fetches and callbacks may "
                                     "reach although not public, separated by spaces or commas."),
    Option("read_cache", _switch, "on|off: keep read results while the SQLite store is unchanged (default on)."),
    Option("json_cache", _switch, "on|off: keep courses' JSON (lists, GETs without include[]) by row version "
                                  "while unchanged (default on)."),
    Option("frame_ancestors", _words, "CSP sources (https://lms.example) that may frame the preview player."),
    Option("content_sources", _words, "CSP sources (https://ajax.googleapis.com) that packaged content may load "
                                      "from besides its own files."),
    Option("auth_failure_limit", int, "Failed credential attempts per client address and window before 429 "
                                      "(default 10; 0: no limit)."),
    Option("auth_failure_window", float, "That window, in seconds (default 60)."),
    Option("request_log", _switch, "on|off: record every face request, secrets masked, for the request log "
                                   "(GET /_courseport/requests; default on)."),
    Option("log_format", str, "json|console (default: console on a terminal, json otherwise).", ("json", "console")),
    Option("metrics_port", _optional_int, "`courseport worker`: serve Prometheus /metrics on this port."),
    Option("metrics_token", str, "Bearer token GET /metrics asks for (default none: it answers anyone who reaches "
                                 "the port); prefer the variable, as a flag shows in ps."),
)
