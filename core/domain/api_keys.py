"""Secret keys: how they look, and how they are stored (a hash only)."""

from __future__ import annotations

import hashlib
import secrets

SECRET_PREFIX = "flowyte_sk_live_"
# Characters of the key kept for display ("flowyte_sk_live_" plus 4), enough to recognise
# a key in a list, far too few to guess the rest.
DISPLAY_PREFIX_LENGTH = len(SECRET_PREFIX) + 4


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    # The secret has 256 random bits, so a plain SHA-256 cannot be brute-forced; a slow
    # password hash would only slow every request down.
    return hashlib.sha256(secret.encode()).hexdigest()


def display_prefix(secret: str) -> str:
    return secret[:DISPLAY_PREFIX_LENGTH]


def looks_like_secret_key(value: str) -> bool:
    return value.startswith(SECRET_PREFIX) and len(value) > len(SECRET_PREFIX) + 16
