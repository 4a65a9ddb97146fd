"""Field rules shared by the resources: names, phone destinations, shops, URLs."""

from __future__ import annotations

import ipaddress
import re

from yarl import URL

from .errors import InvalidArgument

_SHOP = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}\.myshopify\.com$")
_SKILL_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_SIP_URI = re.compile(r"^sips?:[^@\s]+@[^\s]+$")
_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
# Parsers disagree about these (WHATWG parsers such as httpx's read a backslash as "/",
# yarl refuses it, urlsplit keeps it in the user name; some strip spaces, tabs and newlines,
# some keep them), so a URL holding one may name one host when checked and another when
# called. None belongs in a URL we call.
_NOT_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\\]")


# An Idempotency-Key as the API accepts it, for any request or turn.
MAX_IDEMPOTENCY_KEY = 255


def idempotency_key(value: str) -> str:
    if len(value) > MAX_IDEMPOTENCY_KEY:
        raise InvalidArgument(
            f"idempotency key longer than {MAX_IDEMPOTENCY_KEY}", field="idempotency_key"
        )
    return value


def display_name(value: str, field: str, max_length: int = 200) -> str:
    value = value.strip()
    if not value:
        raise InvalidArgument("is required", field=field)
    if len(value) > max_length:
        raise InvalidArgument(f"must be at most {max_length} characters", field=field)
    return value


def text(value: str, field: str, max_length: int) -> str:
    if len(value) > max_length:
        raise InvalidArgument(f"must be at most {max_length} characters", field=field)
    return value


def language(value: str, field: str) -> str:
    if value and not _LANGUAGE.match(value):
        raise InvalidArgument("must be a BCP 47 language tag such as en-US", field=field)
    return value


def destination(value: str, field: str) -> str:
    """E.164 or a SIP URI; US 10-digit numbers (any punctuation) become +1XXXXXXXXXX."""
    value = value.strip()
    if not value:
        return value
    if _SIP_URI.match(value):
        return value
    digits = re.sub(r"[\s().-]", "", value)
    if re.fullmatch(r"[2-9][0-9]{9}", digits):
        return "+1" + digits
    if re.fullmatch(r"1[2-9][0-9]{9}", digits):
        return "+" + digits
    if _E164.match(digits):
        return digits
    raise InvalidArgument("must be an E.164 number (+15035550100) or a SIP URI", field=field)


def phone_number(value: str, field: str) -> str:
    """A required E.164 number (a phone number, never a SIP URI), normalised as
    `destination` does: US 10-digit numbers become +1XXXXXXXXXX."""
    if not value.strip():
        raise InvalidArgument("is required", field=field)
    number = destination(value, field)
    if not _E164.match(number):
        raise InvalidArgument("must be an E.164 number such as +15035550100", field=field)
    return number


def shop_domain(value: str, field: str) -> str:
    value = value.strip().lower()
    if not _SHOP.match(value):
        raise InvalidArgument("must be a shop domain like your-store.myshopify.com", field=field)
    return value


def skill_name(value: str, field: str) -> str:
    if not _SKILL_NAME.match(value):
        raise InvalidArgument(
            "must start with a letter and hold only a-z, 0-9 and _ (at most 64)", field=field
        )
    return value


def api_base_url(
    value: str, field: str, allowed_hosts: tuple[str, ...], allow_loopback: bool
) -> str:
    """Only hosts the operator allowed (and loopback in demo mode): a merchant must not make
    the core send a store credential to a host of their choosing. A base URL, so nothing
    after the path (the client appends to it) and no user name or password in it. What is
    returned is the URL as the HTTP client will read it."""
    url = _http_url(value, field)
    if url.user is not None or url.password is not None:
        raise InvalidArgument("must not hold a user name or password", field=field)
    if url.query_string or url.fragment or "?" in value or "#" in value:
        raise InvalidArgument("must not have a query or a fragment", field=field)
    host = (url.host or "").lower()
    base = str(url).rstrip("/")
    if host in allowed_hosts:
        return base
    if allow_loopback:
        try:
            if host == "localhost" or ipaddress.ip_address(host).is_loopback:
                return base
        except ValueError:
            pass
    raise InvalidArgument("this server does not allow that host", field=field)


def _http_url(value: str, field: str) -> URL:
    """`value` parsed by yarl, as aiohttp will parse it when calling it, after refusing
    what parsers read differently."""
    if _NOT_IN_URL.search(value) or any(c.isspace() for c in value):
        raise InvalidArgument(
            "must not contain spaces, control characters or backslashes", field=field
        )
    try:
        url = URL(value)
        port = url.port  # yarl checks the port only when asked
    except (ValueError, TypeError):
        raise InvalidArgument("must be an http(s) URL", field=field) from None
    if url.scheme not in ("http", "https") or not url.host or port is None:
        raise InvalidArgument("must be an http(s) URL", field=field)
    return url


def skill_name_like(value: str) -> bool:
    return bool(_SKILL_NAME.match(value))


def http_url(value: str, field: str) -> str:
    _http_url(value, field)
    return value
