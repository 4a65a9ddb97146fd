"""Who may call: allow-listed networks, digest credentials (fresh, untampered nonces only),
numbers that exist; everyone else 403, unknown numbers 404."""

from __future__ import annotations

import time

from frontends.voice.sip.admission import (
    TrunkAdmission,
    caller_number,
    digest_response,
    parse_digest,
)
from frontends.voice.sip.message import Request


def invite(number: str = "1000", *headers: tuple[str, str]) -> Request:
    request = Request(method="INVITE", uri=f"sip:{number}@pbx.example")
    request.add("From", "<sip:+15550100@carrier.example>;tag=1")
    request.add("To", f"<sip:{number}@pbx.example>")
    for name, value in headers:
        request.add(name, value)
    return request


def answer(
    admission: TrunkAdmission, password: str, algorithm: str = "MD5", **over: str
) -> Request:
    challenge = parse_digest(dict(admission.challenge().headers)["WWW-Authenticate"])
    fields = {
        "username": "trunk1",
        "realm": challenge["realm"],
        "nonce": challenge["nonce"],
        "uri": "sip:1000@pbx.example",
        "qop": "auth",
        "nc": "00000001",
        "cnonce": "abc",
        **over,
    }
    fields["response"] = digest_response(fields, "INVITE", password, algorithm)
    value = "Digest " + ", ".join(f'{k}="{v}"' for k, v in fields.items())
    return invite("1000", ("Authorization", value + f", algorithm={algorithm}"))


def trunk(**kwargs: object) -> TrunkAdmission:
    return TrunkAdmission(numbers=lambda n: n == "1000", **kwargs)  # type: ignore[arg-type]


def test_allow_listed_networks_reach_known_numbers_only() -> None:
    admission = trunk(allowed_networks=["192.0.2.0/24"])
    assert admission(invite(), ("192.0.2.7", 5060)).accepted
    assert admission(invite("2000"), ("192.0.2.7", 5060)).status == 404
    assert admission(invite(), ("198.51.100.1", 5060)).status == 403
    assert admission(invite(), ("not-an-ip", 5060)).status == 403


def test_digest_challenge_then_the_right_password_is_accepted() -> None:
    admission = trunk(credentials={"trunk1": "pw"})
    first = admission(invite(), ("198.51.100.1", 5060))
    assert first.status == 401
    assert "pw" not in str(first.headers)
    assert admission(answer(admission, "pw"), ("198.51.100.1", 5060)).accepted
    assert admission(answer(admission, "pw", "SHA-256"), ("198.51.100.1", 5060)).accepted
    assert admission(answer(admission, "wrong"), ("198.51.100.1", 5060)).status == 401


def test_a_forged_or_stale_nonce_is_challenged_again() -> None:
    admission = trunk(credentials={"trunk1": "pw"}, nonce_seconds=60)
    forged = f"{time.monotonic():.3f}-{'0' * 32}"
    assert admission(answer(admission, "pw", nonce=forged), ("198.51.100.1", 1)).status == 401
    stale = trunk(credentials={"trunk1": "pw"}, nonce_seconds=-1)
    assert stale(answer(stale, "pw"), ("198.51.100.1", 1)).status == 401
    other_realm = answer(admission, "pw", realm="elsewhere")
    assert admission(other_realm, ("198.51.100.1", 1)).status == 401


def test_the_caller_is_p_asserted_identity_when_present() -> None:
    assert caller_number(invite()) == "+15550100"
    pai = ("P-Asserted-Identity", '"Ava" <sip:+15550199@carrier.example>')
    assert caller_number(invite("1000", pai)) == "+15550199"
    assert caller_number(invite("1000", ("P-Asserted-Identity", "<tel:+15550142>"))) == "+15550142"
