"""Content Vault for a launch (SCORM Cloud's `launchAuth` of type "vault"): the player session a launch
link opens is bound to the browser that opened it, and the launch's files, runtime commits and navigation
are refused to any other or after the expiries the link asked for:
- `ip_address`: the IP address the link was opened from;
- `fingerprint`: that browser's user agent (kept as a hash);
- `expiry`: seconds after the launch (0: the session's own lifetime);
- `sliding_expiry`: seconds since the launch's last request (0: none; its last request is kept in
  `launch_vault_visits`, written at most every REFRESH_SHARE of the window, so a page that loads many
  files at once does not write for each).
Type "cookies", SCORM Cloud's default, binds nothing beyond the session token every file URL carries,
which only the launch's page knows.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from courseport.core.kit.errors import InvalidInput, NotAuthenticated
from courseport.schema import LaunchVaultVisit

TYPES = ("cookies", "vault")
MAX_SECONDS = 7 * 24 * 3600
REFRESH_SHARE = 0.1  # a visit is written again once this share of the sliding window has passed


@dataclass(frozen=True)
class VaultRule:
    ip_address: bool = False
    fingerprint: bool = False
    expiry: int = 0  # seconds after the launch; 0: none
    sliding_expiry: int = 0  # seconds since the last request; 0: none


@dataclass(frozen=True)
class Browser:
    """Who is asking: the request's client address and its User-Agent header."""

    ip: str
    user_agent: str


def rule_claims(kind: str | None, rule: VaultRule | None) -> dict[str, Any] | None:
    """What a launch link keeps of `launchAuth` (None: no vault), checked."""
    if kind not in (None, *TYPES):
        raise InvalidInput("launch_auth.type", f"launch_auth.type must be one of {', '.join(TYPES)}")
    if kind != "vault":
        return None
    rule = rule or VaultRule()
    for name in ("expiry", "sliding_expiry"):
        value = getattr(rule, name)
        if not 0 <= value <= MAX_SECONDS:
            raise InvalidInput(f"launch_auth.{name}", f"launch_auth.{name} must be from 0 to {MAX_SECONDS} seconds")
    return asdict(rule)


def bound(rule: dict[str, Any] | None, browser: Browser | None, now: float) -> dict[str, Any] | None:
    """The session's binding to the browser opening the link (None when the link asked for no vault)."""
    if rule is None:
        return None
    browser = browser or Browser("", "")
    return {"ip": browser.ip if rule["ip_address"] else None,
            "agent": _hash(browser.user_agent) if rule["fingerprint"] else None,
            "until": int(now + rule["expiry"]) if rule["expiry"] else None,
            "sliding": rule["sliding_expiry"] or None, "visit": str(uuid.uuid4()), "opened": int(now)}


def admit(db: Session, vault: dict[str, Any] | None, browser: Browser | None, now: float) -> None:
    """Refuse a request of a vaulted session from another browser, or after an expiry."""
    if vault is None:
        return
    browser = browser or Browser("", "")
    if vault.get("ip") is not None and browser.ip != vault["ip"]:
        raise NotAuthenticated("This launch was opened from another IP address.", invalid=True)
    if vault.get("agent") is not None and _hash(browser.user_agent) != vault["agent"]:
        raise NotAuthenticated("This launch was opened in another browser.", invalid=True)
    if vault.get("until") is not None and now > vault["until"]:
        raise NotAuthenticated("This launch has expired.", invalid=True)
    if vault.get("sliding"):
        _slide(db, vault, now)


def _slide(db: Session, vault: dict[str, Any], now: float) -> None:
    window, moment = vault["sliding"], datetime.fromtimestamp(now, UTC)
    visit = db.get(LaunchVaultVisit, vault["visit"])
    last = visit.last_seen.replace(tzinfo=UTC) if visit is not None else datetime.fromtimestamp(vault["opened"], UTC)
    if moment - last > timedelta(seconds=window):
        raise NotAuthenticated("This launch has expired: it was idle too long.", invalid=True)
    if moment - last >= timedelta(seconds=window * REFRESH_SHARE):
        if visit is None:
            db.execute(delete(LaunchVaultVisit).where(LaunchVaultVisit.last_seen < moment - timedelta(days=1)))
            db.add(LaunchVaultVisit(key=vault["visit"], last_seen=moment))
        else:
            visit.last_seen = moment
        db.flush()


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def visit_of(db: Session, key: str) -> datetime | None:
    """When a vaulted launch last made a request (for tests and diagnostics)."""
    return db.scalar(select(LaunchVaultVisit.last_seen).where(LaunchVaultVisit.key == key))
