"""Imports every module that registers a job handler, so any worker can run any job kind."""

from __future__ import annotations

import importlib

HANDLER_MODULES = ("courseport.core.batch_updates", "courseport.core.diagnostics", "courseport.core.copying",
                   "courseport.core.blueprint_sync",
                   "courseport.core.job_callbacks", "courseport.core.offering_imports",
                   "courseport.core.package_imports")


def load_handlers() -> None:
    for name in HANDLER_MODULES:
        importlib.import_module(name)
