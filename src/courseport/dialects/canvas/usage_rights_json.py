"""Canvas UsageRights and License JSON (Files API)."""

from __future__ import annotations

from typing import Any

from courseport.core.content.usage_rights import License, UsageRights


def render_usage_rights(rights: UsageRights | None) -> dict[str, Any] | None:
    if rights is None:
        return None
    return {"legal_copyright": rights.legal_copyright, "use_justification": rights.use_justification,
            "license": rights.license, "license_name": rights.license_name}


def render_license(license: License) -> dict[str, str]:
    return {"id": license.id, "name": license.name, "url": license.url}
