"""Faults the demo store can inject, to test a client against a misbehaving Shopify.

Each is a flag, a rate (0..1, drawn per request) or a count of the next requests it applies
to (counts make "fail twice, then succeed" tests deterministic). All are settable at start
and live through `PATCH /_demo/faults`.

    latencyMs        added delay before every answer
    dropRate/Next    close the connection without any response
    failRate/Next    a 5xx (failStatus: 500, 502 or 503; unset: 502 or 503 at random)
    notFound         404, as for a shop that does not exist
    locked           423, a store locked by Shopify
    paymentRequired  402, a frozen store (unpaid plan)
    forbidden        403, the app lacks the access scope
    throttled/Next   a THROTTLED GraphQL answer (HTTP 200), whatever the bucket holds
    http429/Next     HTTP 429 with Retry-After (retryAfter seconds)
    shopInactive     a SHOP_INACTIVE GraphQL answer (HTTP 200), as for a shop Shopify has
                     deactivated
    scopes           the access scopes every app has, as if the merchant had granted only
                     these (a list; null: each app's own): reading orders without read_orders
                     is ACCESS_DENIED (HTTP 200), as on Shopify
    customerDataDenied  the app is not approved for protected customer data: an order's email,
                     phone and shippingAddress come back null, each with an ACCESS_DENIED error
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass, fields
from typing import Any

FAIL_STATUSES = (500, 502, 503)
_SCOPE = re.compile(r"^[a-z_]{1,64}$")


class FaultsError(ValueError):
    pass


@dataclass
class Faults:
    latencyMs: int = 0
    dropRate: float = 0.0
    dropNext: int = 0
    failRate: float = 0.0
    failNext: int = 0
    failStatus: int | None = None
    notFound: bool = False
    locked: bool = False
    paymentRequired: bool = False
    forbidden: bool = False
    throttled: bool = False
    throttleNext: int = 0
    http429: bool = False
    http429Next: int = 0
    retryAfter: float = 2.0
    shopInactive: bool = False
    scopes: list[str] | None = None
    customerDataDenied: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def update(self, changes: dict[str, Any]) -> None:
        """Apply a partial update, checking every value before changing anything."""
        known = {f.name: f for f in fields(self)}
        staged: dict[str, Any] = {}
        for key, value in changes.items():
            if key not in known:
                raise FaultsError(f"unknown fault {key!r}; known: {', '.join(known)}")
            staged[key] = _check(key, value)
        for key, value in staged.items():
            setattr(self, key, value)

    def reset(self) -> None:
        for f in fields(self):
            setattr(self, f.name, f.default)


def _check(key: str, value: Any) -> Any:
    if key in (
        "notFound",
        "locked",
        "paymentRequired",
        "forbidden",
        "throttled",
        "http429",
        "shopInactive",
        "customerDataDenied",
    ):
        if not isinstance(value, bool):
            raise FaultsError(f"{key} must be true or false")
        return value
    if key in ("dropRate", "failRate"):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise FaultsError(f"{key} must be a number from 0 to 1")
        return float(value)
    if key in ("latencyMs", "dropNext", "failNext", "throttleNext", "http429Next"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise FaultsError(f"{key} must be a whole number, 0 or more")
        return value
    if key == "retryAfter":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise FaultsError("retryAfter must be a number of seconds, 0 or more")
        return float(value)
    if key == "scopes":
        if value is None:
            return None
        if not isinstance(value, list) or not all(
            isinstance(s, str) and _SCOPE.match(s) for s in value
        ):
            raise FaultsError("scopes must be a list of scope handles such as read_orders, or null")
        return list(value)
    if key == "failStatus":
        if value is not None and value not in FAIL_STATUSES:
            raise FaultsError(f"failStatus must be one of {FAIL_STATUSES} or null")
        return value
    raise FaultsError(f"unknown fault {key!r}")


class FaultDice:
    """Draws the per-request decisions; seeded in tests for repeatable runs."""

    def __init__(self, faults: Faults, seed: int | None = None) -> None:
        self.faults = faults
        self._random = random.Random(seed)

    def _take(self, count_field: str, rate: float) -> bool:
        count = getattr(self.faults, count_field)
        if count > 0:
            setattr(self.faults, count_field, count - 1)
            return True
        return rate > 0 and self._random.random() < rate

    def drop(self) -> bool:
        return self._take("dropNext", self.faults.dropRate)

    def fail_status(self) -> int | None:
        if not self._take("failNext", self.faults.failRate):
            return None
        return self.faults.failStatus or self._random.choice((502, 503))

    def http_429(self) -> bool:
        return self.faults.http429 or self._take("http429Next", 0.0)

    def throttled(self) -> bool:
        return self.faults.throttled or self._take("throttleNext", 0.0)
