"""Rules for connecting integrations: what each kind's credentials must hold."""

from __future__ import annotations

from dataclasses import dataclass

from . import validation
from .errors import InvalidArgument

MIN_SECRET_LENGTH = 8


@dataclass(frozen=True)
class Action:
    name: str
    description: str
    is_write: bool


SHOPIFY_ACTIONS = (
    Action(
        "lookup_order",
        "Look up an order in the store by its number, and, once the customer is verified with the "
        "order's email, phone or shipping postcode, read back its status, shipments and tracking.",
        False,
    ),
)
ACTIONS = {"shopify": SHOPIFY_ACTIONS, "openai": ()}


@dataclass(frozen=True)
class Credentials:
    shop: str
    access_token: str
    client_id: str
    client_secret: str

    @property
    def auth_method(self) -> str:
        return "client_credentials" if self.client_id else "access_token"

    @property
    def last4(self) -> str:
        return (self.client_secret or self.access_token)[-4:]


def check_credentials(kind: str, creds: Credentials) -> Credentials:
    shop = creds.shop
    if kind == "shopify":
        if not shop:
            raise InvalidArgument("is required", field="credentials.shop")
        shop = validation.shop_domain(shop, "credentials.shop")
    elif shop:
        raise InvalidArgument("only Shopify integrations have a shop", field="credentials.shop")
    if creds.client_id or creds.client_secret:
        if kind != "shopify":
            raise InvalidArgument(
                "only Shopify apps use client credentials", field="credentials.client_credentials"
            )
        _secret(creds.client_id, "credentials.client_credentials.client_id", minimum=1)
        _secret(creds.client_secret, "credentials.client_credentials.client_secret")
    else:
        _secret(creds.access_token, "credentials.access_token")
    return Credentials(
        shop, creds.access_token.strip(), creds.client_id.strip(), creds.client_secret.strip()
    )


def _secret(value: str, field: str, minimum: int = MIN_SECRET_LENGTH) -> None:
    if not value.strip():
        raise InvalidArgument("is required", field=field)
    if len(value.strip()) < minimum:
        raise InvalidArgument(f"must be at least {minimum} characters", field=field)
    if len(value) > 4096 or any(c.isspace() for c in value.strip()):
        raise InvalidArgument("is not a valid credential", field=field)
