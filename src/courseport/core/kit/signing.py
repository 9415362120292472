"""Signed tokens: a JSON payload and an HMAC-SHA256 over it, keyed by the installation secret.

Every signed thing (upload tickets, download verifiers, preview links, scoped application tokens)
goes through here, each under its own `purpose`, so a token made for one use never passes another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def mac(secret: bytes, purpose: str, payload: bytes) -> str:
    return b64(hmac.new(secret, purpose.encode() + b"\0" + payload, hashlib.sha256).digest())


def sign(secret: bytes, purpose: str, claims: dict[str, Any]) -> str:
    payload = json.dumps(claims, separators=(",", ":"), sort_keys=True).encode()
    return f"{b64(payload)}.{mac(secret, purpose, payload)}"


def unsign(secret: bytes, purpose: str, token: str) -> dict[str, Any] | None:
    """The claims of a token we signed for `purpose`; None for anything else (expiry is the caller's)."""
    try:
        encoded, given = token.split(".")
        payload = unb64(encoded)
        if not hmac.compare_digest(given, mac(secret, purpose, payload)):
            return None
        claims = json.loads(payload)
    except (ValueError, TypeError):
        return None
    return claims if isinstance(claims, dict) else None
