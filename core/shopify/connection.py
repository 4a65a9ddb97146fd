"""Where a store is and how we prove who we are to it.

The credentials class never shows its values: not in repr, str, or an exception message. Only
the HTTP layer reads them, to put them in a header or a token request body.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .queries import DEFAULT_API_VERSION


@dataclass(frozen=True, repr=False)
class StoreCredentials:
    access_token: str = field(default="", repr=False)
    client_id: str = field(default="", repr=False)
    client_secret: str = field(default="", repr=False)

    @property
    def uses_client_credentials(self) -> bool:
        return bool(self.client_id and self.client_secret)

    def __repr__(self) -> str:
        kind = "client_credentials" if self.uses_client_credentials else "access_token"
        return f"StoreCredentials({kind}, <redacted>)"

    __str__ = __repr__


@dataclass(frozen=True)
class StoreConnection:
    # What per-store state (budget, circuit, exchanged token) is kept under: the integration.
    key: str
    shop: str
    # "https://{shop}" for the real Shopify; the integration's api_base_url for the demo store.
    base_url: str
    credentials: StoreCredentials = field(repr=False)
    # Changes whenever the credentials do, so a token exchanged for old ones is not reused.
    generation: str = ""
    # The Admin API version every call asks for.
    api_version: str = DEFAULT_API_VERSION

    @classmethod
    def for_shop(
        cls,
        key: str,
        shop: str,
        credentials: StoreCredentials,
        api_base_url: str = "",
        generation: str = "",
        api_version: str = "",
    ) -> StoreConnection:
        base = (api_base_url or f"https://{shop}").rstrip("/")
        return cls(key, shop, base, credentials, generation, api_version or DEFAULT_API_VERSION)

    @property
    def graphql_url(self) -> str:
        return f"{self.base_url}/admin/api/{self.api_version}/graphql.json"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/admin/oauth/access_token"
