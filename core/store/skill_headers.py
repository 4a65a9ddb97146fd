"""A webhook skill's header values, sealed in the vault (skills.sealed_headers).

They are often the merchant's tokens: the skill's definition, its API answers and published
versions only ever hold core.domain.skills.SEALED_VALUE in their place.
"""

from __future__ import annotations

import json

from core.vault import Sealer, associated_data

from .tables import SkillRow


def _aad(row: SkillRow) -> bytes:
    return associated_data("skill", row.org_id, row.id)


def seal(sealer: Sealer, row: SkillRow, headers: dict[str, str]) -> None:
    row.sealed_headers = sealer.seal(json.dumps(headers).encode(), _aad(row)) if headers else None


def opened(sealer: Sealer, row: SkillRow) -> dict[str, str]:
    """The header values, for the code that calls the webhook (and nothing else)."""
    if not row.sealed_headers:
        return {}
    values: dict[str, str] = json.loads(sealer.open(row.sealed_headers, _aad(row)))
    return values
