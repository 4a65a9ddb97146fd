"""The vault: credentials sealed with AES-GCM under versioned master keys."""

from .keyring import Keyring, ensure_demo_master_key, generate_master_key_entry
from .sealer import Sealer, associated_data

__all__ = [
    "Keyring",
    "Sealer",
    "associated_data",
    "ensure_demo_master_key",
    "generate_master_key_entry",
]
