"""Page tokens: opaque to clients, a position to us."""

from __future__ import annotations

import base64
import binascii
import json

from core.domain.errors import InvalidArgument

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def page_size(requested: int) -> int:
    if requested < 0:
        raise InvalidArgument("page_size must not be negative", field="page_size")
    return min(requested or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)


def decode(token: str) -> str | None:
    if not token:
        return None
    try:
        after = json.loads(base64.urlsafe_b64decode(token.encode()))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise InvalidArgument("page_token is not one this API issued", field="page_token") from None
    if not isinstance(after, str | int):
        raise InvalidArgument("page_token is not one this API issued", field="page_token")
    return str(after)


def encode(after: str | int | None) -> str:
    if after is None:
        return ""
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode()
