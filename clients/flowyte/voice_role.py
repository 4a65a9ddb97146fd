"""What `flowyte serve` needs to run the voice frontend: its own key, and the URLs it adds.

The voice frontend (`python -m frontends.voice`) calls the core on a secret key of its own
that holds `calls:caller_id` (a caller number it sends counts as the caller's identity) and
`chat:write`. No other key may hold the first, and only the server-side command can make one,
so `serve` runs `python -m core keys create` for it at each start, in the organization whose
numbers it answers, and hands it over in the role's environment: it is never printed.
Keys are stored only as hashes, so a restart makes a fresh one (the old ones stay listed,
named `voice`, and may be revoked).
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

VOICE_KEY_SCOPES = "calls:caller_id,chat:write"
DEFAULT_SIP_PORT = 5070


class VoiceKeyFailed(Exception):
    """The key could not be made; the message says why (never the key)."""


async def create_voice_key(data_dir: Path, org_id: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "core",
        "keys",
        "create",
        "--org",
        org_id,
        "--name",
        "voice",
        "--scopes",
        VOICE_KEY_SCOPES,
        "--json",
        "--data-dir",
        str(data_dir),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        problem = err.decode(errors="replace").strip().splitlines()
        raise VoiceKeyFailed(
            f"cannot make the voice frontend's key: {problem[-1] if problem else 'no reason'}"
        )
    return str(json.loads(out)["apiKey"])


def voice_urls(sip_address: str, phone_number: str | None) -> dict[str, str]:
    """`voice`: the SIP endpoint a trunk sends calls to; `sip`: the demo number on it."""
    urls = {"voice": f"sip:{sip_address}"}
    if phone_number:
        urls["sip"] = f"sip:{phone_number}@{sip_address}"
    return urls
