"""Rules for connecting integrations: what each kind's credentials must hold."""

from __future__ import annotations

import re
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


# Shopify releases an Admin API version each quarter, named by its first month.
_SHOPIFY_API_VERSION = re.compile(r"^20\d\d-(01|04|07|10)$")


def check_api_version(kind: str, version: str) -> str:
    """The Admin API version a Shopify integration asks for: a quarterly `YYYY-MM`, or ""
    for the version Flowyte is built for. Whether Shopify still supports it is Shopify's to
    say: the version it answered in is recorded, and the prepublish report compares them."""
    version = version.strip()
    if not version:
        return ""
    if kind != "shopify":
        raise InvalidArgument("only Shopify integrations have an API version", field="api_version")
    if not _SHOPIFY_API_VERSION.match(version):
        raise InvalidArgument(
            "must be a Shopify Admin API version such as 2026-10 (a year and 01, 04, 07 or 10)",
            field="api_version",
        )
    return version


def _secret(value: str, field: str, minimum: int = MIN_SECRET_LENGTH) -> None:
    if not value.strip():
        raise InvalidArgument("is required", field=field)
    if len(value.strip()) < minimum:
        raise InvalidArgument(f"must be at least {minimum} characters", field=field)
    if len(value) > 4096 or any(c.isspace() for c in value.strip()):
        raise InvalidArgument("is not a valid credential", field=field)
