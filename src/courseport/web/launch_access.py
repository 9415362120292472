"""Who may use a player session: one opened under a Content Vault (SCORM Cloud's `launchAuth` "vault",
core/packages/launch_vault.py) answers only the browser that opened it, within its expiries. The
player's files, runtime commits and navigation (and the xAPI launch's files) ask here first."""

from __future__ import annotations

import time

from litestar import Request

from courseport.core.packages import launch_vault, previews
from courseport.core.packages.launch_vault import Browser
from courseport.db import transaction
from courseport.services import Services


def browser_of(request: Request) -> Browser:
    return Browser(request.client.host if request.client else "", request.headers.get("user-agent", ""))


def admit(services: Services, session: str, browser: Browser) -> None:
    """Refuse a vaulted session's request from another browser or after an expiry (a sliding expiry
    keeps the session's last request, so that check may write)."""
    vault = previews.session_vault(services.secret, session)
    if vault is not None:
        with transaction(services.engine, write=bool(vault.get("sliding"))) as db:
            launch_vault.admit(db, vault, browser, time.time())
