"""Master keys from FLOWYTE_MASTER_KEY: `kid:base64key,kid:base64key`.

The first key seals; every key opens, so an operator rotates by putting a new key first,
running `flowyte vault rotate`, and dropping the old key once it reports nothing left.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import logging
import os
import re
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.config import Settings
from core.file_modes import tighten

log = logging.getLogger(__name__)

_KID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class KeyringError(ValueError):
    """FLOWYTE_MASTER_KEY is missing or malformed. Never includes key material."""


@dataclass(frozen=True)
class Keyring:
    keys: tuple[tuple[str, bytes], ...]

    @property
    def sealing_kid(self) -> str:
        return self.keys[0][0]

    def key(self, kid: str) -> bytes | None:
        for candidate, material in self.keys:
            if candidate == kid:
                return material
        return None

    def derived_key(self, purpose: str) -> bytes:
        """A 32-byte key of its own for `purpose` (HKDF-SHA256 from the sealing key), so a
        keyed hash made with it never uses the key that seals credentials. Rotating the
        master key changes it too."""
        return _derive(self.keys[0][1], purpose)

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        entries = [e.strip() for e in spec.split(",") if e.strip()]
        if not entries:
            raise KeyringError("FLOWYTE_MASTER_KEY is not set: the vault has no key to seal with")
        keys: list[tuple[str, bytes]] = []
        for position, entry in enumerate(entries, start=1):
            kid, sep, encoded = entry.partition(":")
            if not sep or not _KID.match(kid):
                raise KeyringError(
                    f"FLOWYTE_MASTER_KEY entry {position} must look like 'kid:base64key'"
                )
            try:
                material = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            except (binascii.Error, ValueError):
                raise KeyringError(f"FLOWYTE_MASTER_KEY key {kid!r} is not base64") from None
            if len(material) != 32:
                raise KeyringError(f"FLOWYTE_MASTER_KEY key {kid!r} must be 32 bytes (AES-256)")
            if any(existing == kid for existing, _ in keys):
                raise KeyringError(f"FLOWYTE_MASTER_KEY names key {kid!r} twice")
            keys.append((kid, material))
        return cls(tuple(keys))


@cache
def _derive(material: bytes, purpose: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"flowyte/{purpose}".encode())
    return hkdf.derive(material)


def generate_master_key_entry(kid: str) -> str:
    return f"{kid}:{base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip('=')}"


def ensure_demo_master_key(settings: Settings) -> Settings:
    """In demo mode without FLOWYTE_MASTER_KEY, keep one in the data dir (and say so)."""
    if settings.master_keys or not settings.demo:
        return settings
    path = settings.data_dir / "master.key"
    if path.exists():
        tighten(path)
        spec = path.read_text().strip()
    else:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        spec = generate_master_key_entry("demo1")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(spec + "\n")
        log.warning(
            "demo mode: no FLOWYTE_MASTER_KEY given, generated one at %s (keep it with the data)",
            path,
        )
    return dataclasses.replace(settings, master_keys=spec)
