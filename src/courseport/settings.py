"""Runtime settings: one immutable object built by the CLI or by tests, never read at import time."""

from __future__ import annotations

import os
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
    # The URL clients reach this service at: every URL a response carries is built from it, never from
    # the request's Host header. None: http://<host>:<port> (127.0.0.1 for a wildcard host).
    public_url: str | None = None
    # CSP sources (https://lms.example) that may frame the preview player besides this service itself.
    frame_ancestors: tuple[str, ...] = ()
    # Failed credential attempts one client address may make per window before it is answered 429
    # until the window ends (throttle.py); 0 turns the limit off.
    auth_failure_limit: int = 10
    auth_failure_window: float = 60.0
    # Where blobs live: None keeps them in data_dir/blobs; s3://bucket[/prefix] puts them in S3-compatible
    # object storage (blob_s3.py), with endpoint, region and credentials from the usual AWS_* variables.
    blob_url: str | None = None
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
        for source in self.frame_ancestors:
            if not source or any(c in source for c in " \t\r\n;,'\""):
                raise ValueError(f"not a frame-ancestors source: {source!r}")

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
        env: dict[str, Any] = {}
        if os.environ.get("COURSEPORT_DATABASE_URL"):
            env["database_url"] = os.environ["COURSEPORT_DATABASE_URL"]
        if os.environ.get("COURSEPORT_DATA_DIR"):
            env["data_dir"] = Path(os.environ["COURSEPORT_DATA_DIR"])
        if os.environ.get("COURSEPORT_JOB_MODE"):
            env["job_mode"] = os.environ["COURSEPORT_JOB_MODE"]
        if os.environ.get("COURSEPORT_JOB_LEASE_SECONDS"):
            env["job_lease_seconds"] = float(os.environ["COURSEPORT_JOB_LEASE_SECONDS"])
        if os.environ.get("COURSEPORT_READ_CACHE"):
            env["read_cache"] = os.environ["COURSEPORT_READ_CACHE"].strip().lower() not in ("0", "off", "false", "no")
        if os.environ.get("COURSEPORT_PUBLIC_URL"):
            env["public_url"] = os.environ["COURSEPORT_PUBLIC_URL"]
        if os.environ.get("COURSEPORT_FRAME_ANCESTORS"):
            env["frame_ancestors"] = tuple(os.environ["COURSEPORT_FRAME_ANCESTORS"].split())
        if os.environ.get("COURSEPORT_AUTH_FAILURE_LIMIT"):
            env["auth_failure_limit"] = int(os.environ["COURSEPORT_AUTH_FAILURE_LIMIT"])
        if os.environ.get("COURSEPORT_AUTH_FAILURE_WINDOW"):
            env["auth_failure_window"] = float(os.environ["COURSEPORT_AUTH_FAILURE_WINDOW"])
        if os.environ.get("COURSEPORT_BLOB_URL"):
            env["blob_url"] = os.environ["COURSEPORT_BLOB_URL"]
        env.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**env)
