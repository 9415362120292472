"""Imports every module that registers a job handler, so any worker can run any job kind."""

from __future__ import annotations

import importlib

HANDLER_MODULES = ("courseport.core.courses.batch_updates", "courseport.core.jobs.diagnostics",
                   "courseport.core.copy.copying",
                   "courseport.core.blueprints.blueprint_sync",
                   "courseport.core.jobs.job_callbacks", "courseport.core.packages.offering_imports",
                   "courseport.core.packages.package_imports")


def load_handlers() -> None:
    for name in HANDLER_MODULES:
        importlib.import_module(name)
