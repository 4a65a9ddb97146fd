"""Who may call: trunks admitted by source IP allow-list or by digest authentication.

`TrunkAdmission` is a ready-made `admit(request, source)` for the server: an INVITE from an
allow-listed address, or one carrying valid digest credentials (RFC 2617 / RFC 8760, MD5 or
SHA-256, qop=auth), to a number the `numbers` callback knows, is accepted; an unknown number
gets 404; a caller with credentials configured but none (or a stale nonce) in the request
gets a 401 challenge; everyone else gets 403. Nonces are stateless: an HMAC of their issue
time (monotonic) under a per-process secret, valid for `nonce_seconds`. A nonce is not
bound to one use (no nc tracking), which a replay within its lifetime could exploit: keep
the lifetime short. Secrets never appear in responses or logs.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from frontends.voice.sip.message import Request, uri_of, user_of


@dataclass(frozen=True)
class Verdict:
    """accept, or a rejection: the status and any headers the response needs (a challenge)."""

    status: int  # 0 = accept
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def accepted(self) -> bool:
        return self.status == 0


ACCEPT = Verdict(0)
FORBIDDEN = Verdict(403)
NOT_FOUND = Verdict(404)

_DIGEST_PARAM = re.compile(r'([A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]+)')
_HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}


def parse_digest(value: str) -> dict[str, str]:
    scheme, _, rest = value.strip().partition(" ")
    if scheme.lower() != "digest":
        return {}
    return {m.group(1).lower(): m.group(2).strip('"') for m in _DIGEST_PARAM.finditer(rest)}


def digest_response(
    fields: dict[str, str], method: str, password: str, algorithm: str = "MD5"
) -> str:
    """The response value a client computes (RFC 2617 3.2.2), for the given fields."""
    hash_fn = _HASHES[algorithm]

    def h(text: str) -> str:
        return hash_fn(text.encode()).hexdigest()

    ha1 = h(f"{fields.get('username', '')}:{fields.get('realm', '')}:{password}")
    ha2 = h(f"{method}:{fields.get('uri', '')}")
    if fields.get("qop"):
        return h(
            f"{ha1}:{fields.get('nonce', '')}:{fields.get('nc', '')}:"
            f"{fields.get('cnonce', '')}:{fields['qop']}:{ha2}"
        )
    return h(f"{ha1}:{fields.get('nonce', '')}:{ha2}")


class TrunkAdmission:
    def __init__(
        self,
        *,
        numbers: Callable[[str], bool],
        allowed_networks: Iterable[str] = (),
        credentials: dict[str, str] | None = None,
        realm: str = "flowyte",
        nonce_seconds: float = 60.0,
    ) -> None:
        self.numbers = numbers
        self.allowed = [ipaddress.ip_network(n, strict=False) for n in allowed_networks]
        self.credentials = dict(credentials or {})
        self.realm = realm
        self.nonce_seconds = nonce_seconds
        self._secret = secrets.token_bytes(32)

    def __call__(self, request: Request, source: tuple[str, int]) -> Verdict:
        trusted = self._allow_listed(source[0]) or self._authenticated(request)
        if not trusted:
            if self.credentials:
                return self.challenge()
            return FORBIDDEN
        if not self.numbers(called_number(request)):
            return NOT_FOUND
        return ACCEPT

    def _allow_listed(self, host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.allowed)

    def challenge(self) -> Verdict:
        value = f'Digest realm="{self.realm}", nonce="{self._nonce()}", algorithm=MD5, qop="auth"'
        return Verdict(401, (("WWW-Authenticate", value),))

    def _nonce(self) -> str:
        issued = f"{time.monotonic():.3f}"
        mac = hmac.new(self._secret, issued.encode(), hashlib.sha256).hexdigest()[:32]
        return f"{issued}-{mac}"

    def _fresh(self, nonce: str) -> bool:
        issued, _, mac = nonce.partition("-")
        expected = hmac.new(self._secret, issued.encode(), hashlib.sha256).hexdigest()[:32]
        if not hmac.compare_digest(mac, expected):
            return False
        try:
            age = time.monotonic() - float(issued)
        except ValueError:
            return False
        return -0.001 <= age <= self.nonce_seconds  # issue times are rounded to the ms

    def _authenticated(self, request: Request) -> bool:
        for header in request.get_all("authorization") + request.get_all("proxy-authorization"):
            fields = parse_digest(header)
            password = self.credentials.get(fields.get("username", ""))
            algorithm = fields.get("algorithm", "MD5").upper()
            if password is None or algorithm not in _HASHES or fields.get("realm") != self.realm:
                continue
            if fields.get("qop") not in (None, "auth") or not self._fresh(fields.get("nonce", "")):
                continue
            expected = digest_response(fields, request.method, password, algorithm)
            if hmac.compare_digest(expected, fields.get("response", "").lower()):
                return True
        return False


def called_number(request: Request) -> str:
    """The number dialled: the Request-URI's user, else the To header's."""
    return user_of(request.uri) or user_of(uri_of(request.get("to") or ""))


def caller_number(request: Request) -> str:
    """Who is calling: P-Asserted-Identity when the trunk sets it, else the From user."""
    identity = request.get("p-asserted-identity")
    if identity:
        number = user_of(uri_of(identity))
        if number:
            return number
    return user_of(uri_of(request.get("from") or ""))
