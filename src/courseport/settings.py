"""Runtime settings: one immutable object built by the CLI or by tests, never read at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path


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
    extra: dict = field(default_factory=dict)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'courseport.db').resolve()}"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    def with_changes(self, **changes) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = {}
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
        env.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**env)
