"""Seal and open credentials.

A sealed value is `fv1.<kid>.<base64url(nonce | ciphertext+tag)>`. The associated data binds
it to its organization and row, so a ciphertext copied into another row, or another
organization, fails to open: the vault fails closed rather than hand out the wrong secret.
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.domain.errors import VaultError

from .keyring import Keyring

_FORMAT = "fv1"
_NONCE_BYTES = 12


def associated_data(purpose: str, org_id: str, resource_id: str) -> bytes:
    return f"flowyte/{purpose}/{org_id}/{resource_id}".encode()


def sealed_kid(sealed: str) -> str:
    return sealed.split(".", 2)[1] if sealed.count(".") >= 2 else ""


class Sealer:
    def __init__(self, keyring: Keyring):
        self.keyring = keyring

    def seal(self, plaintext: bytes, aad: bytes) -> str:
        kid = self.keyring.sealing_kid
        key = self.keyring.key(kid)
        assert key is not None
        nonce = os.urandom(_NONCE_BYTES)
        body = nonce + AESGCM(key).encrypt(nonce, plaintext, aad)
        return f"{_FORMAT}.{kid}.{base64.urlsafe_b64encode(body).decode()}"

    def open(self, sealed: str, aad: bytes) -> bytes:
        parts = sealed.split(".", 2)
        if len(parts) != 3 or parts[0] != _FORMAT:
            raise VaultError("sealed credential is malformed")
        _, kid, encoded = parts
        key = self.keyring.key(kid)
        if key is None:
            raise VaultError(f"sealed under master key {kid!r}, which FLOWYTE_MASTER_KEY lacks")
        try:
            body = base64.urlsafe_b64decode(encoded)
        except (binascii.Error, ValueError):
            raise VaultError("sealed credential is malformed") from None
        try:
            return AESGCM(key).decrypt(body[:_NONCE_BYTES], body[_NONCE_BYTES:], aad)
        except InvalidTag:
            raise VaultError(
                "sealed credential failed authentication: it was altered or moved to another row"
            ) from None

    def needs_reseal(self, sealed: str) -> bool:
        return sealed_kid(sealed) != self.keyring.sealing_kid
