"""The long-lived objects one running app holds: settings, engine, blob store, job runner."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from courseport.blobs import BlobStore
from courseport.read_cache import ReadCache
from courseport.settings import Settings
from courseport.throttle import FailureThrottle


@dataclass
class Services:
    settings: Settings
    engine: Engine
    blobs: BlobStore
    jobs: object  # courseport.worker.JobRunner; typed loosely to keep this module import-light
    secret: bytes
    read_cache: ReadCache
    throttle: FailureThrottle  # failed credential attempts per client address (throttle.py)
