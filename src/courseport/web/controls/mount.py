"""What app.py mounts of the controls: their routes, their ASGI wrappers and the OpenAPI description."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from courseport.web.controls import faults, job_timing, request_log, seed, snapshots
from courseport.web.controls.fault_rules import FaultBook
from courseport.web.controls.openapi import CONTROLS_OPENAPI
from courseport.web.controls.request_store import store_for

ROUTES = [*job_timing.ROUTES, *faults.ROUTES, *request_log.ROUTES, *snapshots.ROUTES, *seed.ROUTES]
OPENAPI = CONTROLS_OPENAPI


def wrapped(handler: Any, services: Any, face_of: Callable[[dict], str]) -> Any:
    """The app's handler inside, from the inside out: immediate jobs run before an answer starts; injected
    faults; the request recorder (which so logs injected answers too), unless the request log is off."""
    handler = job_timing.ImmediateJobs(handler, services)
    handler = faults.Faults(handler, FaultBook(services.engine), face_of)
    if not services.settings.request_log:
        return handler
    return request_log.RequestRecorder(handler, store_for(services.engine), face_of)
