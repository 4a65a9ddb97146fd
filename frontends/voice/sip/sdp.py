"""SDP offer/answer (RFC 3264, RFC 4566) for one audio stream: PCMU, PCMA, telephone-event.

The answer keeps the caller's payload type numbers (a caller that offers telephone-event as
96 gets 96 back) and the caller's codec preference order; its c= line is our address. An
offer without an audio stream we can use raises SdpError(status=488), which the server
sends back; an unreadable one SdpError(status=400). An INVITE without an offer (late offer)
gets ours in the 200 (PCMU, PCMA, telephone-event 101) and its ACK must answer it.
Not supported: several audio streams (only the first is used), video, SRTP (RTP/SAVP),
ICE, IPv6 addresses in c=, and bodies that are not application/sdp.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

STATIC_PAYLOADS = {0: "PCMU", 8: "PCMA"}
CODECS = ("PCMU", "PCMA")
LATE_OFFER_DTMF = 101  # our telephone-event number when the offer is ours


class SdpError(ValueError):
    """The body is not an SDP we can read (400), or offers nothing we can use (488)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Offer:
    address: str
    port: int
    payloads: tuple[int, ...]  # in the caller's order
    rtpmap: dict[int, str]  # payload type -> encoding name, upper case ("PCMU", …)
    direction: str  # sendrecv / sendonly / recvonly / inactive


@dataclass(frozen=True)
class MediaPlan:
    """What both sides agreed: the codec and the numbers the caller uses for it."""

    codec: str
    payload_type: int
    dtmf_payload_type: int | None
    remote_address: str
    remote_port: int
    on_hold: bool


def parse_offer(body: bytes) -> Offer:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SdpError("SDP is not UTF-8") from exc
    session_c = ""
    media_c = ""
    media: list[str] | None = None
    rtpmap: dict[int, str] = {}
    direction = "sendrecv"
    in_audio = False
    for raw in text.splitlines():
        line = raw.strip()
        if len(line) < 2 or line[1] != "=":
            if line:
                raise SdpError(f"bad SDP line {line[:60]!r}")
            continue
        kind, value = line[0], line[2:]
        if kind == "m":
            in_audio = media is None and value.startswith("audio ")
            if in_audio:
                media = value.split()
        elif kind == "c":
            if media is None:
                session_c = value
            elif in_audio:
                media_c = value
        elif kind == "a" and (media is None or in_audio):
            name, _, rest = value.partition(":")
            if name == "rtpmap" and in_audio:
                pt, _, encoding = rest.partition(" ")
                if pt.isdigit():
                    rtpmap[int(pt)] = encoding.split("/", 1)[0].upper()
            elif name in ("sendrecv", "sendonly", "recvonly", "inactive"):
                direction = name
    if media is None:
        raise SdpError("no audio stream in the offer", 488)
    if len(media) < 4 or not media[1].isdigit() or int(media[1]) > 65535:
        raise SdpError("bad m=audio line")
    if media[2] != "RTP/AVP":
        raise SdpError(f"transport {media[2][:20]} not supported", 488)
    if not all(pt.isdigit() and int(pt) < 128 for pt in media[3:]):
        raise SdpError("bad payload types")
    address = _address(media_c or session_c)
    return Offer(
        address=address,
        port=int(media[1]),
        payloads=tuple(int(pt) for pt in media[3:]),
        rtpmap=rtpmap,
        direction=direction,
    )


def _address(c_line: str) -> str:
    parts = c_line.split()
    if len(parts) != 3 or parts[0] != "IN":
        raise SdpError("missing or bad c= line")
    if parts[1] != "IP4":
        raise SdpError("only IPv4 media addresses are supported", 488)
    octets = parts[2].split("/")[0].split(".")
    if len(octets) != 4 or not all(o.isdigit() and int(o) < 256 for o in octets):
        raise SdpError("bad c= address")
    return parts[2].split("/")[0]


def choose(offer: Offer) -> MediaPlan:
    """The first codec of the caller's list we speak, and their telephone-event number."""
    codec = None
    for pt in offer.payloads:
        name = offer.rtpmap.get(pt) or STATIC_PAYLOADS.get(pt)
        if name in CODECS:
            codec = (name, pt)
            break
    if codec is None:
        raise SdpError("no codec in common (PCMU, PCMA)", 488)
    dtmf = next((pt for pt in offer.payloads if offer.rtpmap.get(pt) == "TELEPHONE-EVENT"), None)
    return MediaPlan(
        codec=codec[0],
        payload_type=codec[1],
        dtmf_payload_type=dtmf,
        remote_address=offer.address,
        remote_port=offer.port,
        on_hold=offer.direction in ("sendonly", "inactive") or offer.address == "0.0.0.0",
    )


# Until the ACK of a late offer answers it: PCMU, no address to send to (port 0).
LATE_OFFER_PLAN = MediaPlan("PCMU", 0, LATE_OFFER_DTMF, "0.0.0.0", 0, False)

_ANSWER_DIRECTION = {
    "sendrecv": "sendrecv",
    "sendonly": "recvonly",
    "recvonly": "sendonly",
    "inactive": "inactive",
}


@dataclass
class LocalSession:
    """Our side of the session description: its o= line version grows with each one sent."""

    address: str
    session_id: int = 0
    version: int = 0

    def answer(self, plan: MediaPlan, port: int, offer_direction: str = "sendrecv") -> bytes:
        direction = _ANSWER_DIRECTION.get(offer_direction, "sendrecv")
        codecs = [(plan.payload_type, plan.codec)]
        return self._describe(port, codecs, plan.dtmf_payload_type, direction)

    def offer(self, port: int) -> bytes:
        """Our offer, for an INVITE that came without one (late offer: the ACK answers)."""
        return self._describe(port, [(0, "PCMU"), (8, "PCMA")], LATE_OFFER_DTMF, "sendrecv")

    def _describe(
        self, port: int, codecs: list[tuple[int, str]], dtmf: int | None, direction: str
    ) -> bytes:
        if not self.session_id:
            self.session_id = secrets.randbelow(2**31) + 1
        self.version += 1
        payloads = [pt for pt, _ in codecs] + ([dtmf] if dtmf is not None else [])
        lines = [
            "v=0",
            f"o=flowyte {self.session_id} {self.version} IN IP4 {self.address}",
            "s=flowyte",
            f"c=IN IP4 {self.address}",
            "t=0 0",
            f"m=audio {port} RTP/AVP {' '.join(map(str, payloads))}",
        ]
        lines += [f"a=rtpmap:{pt} {name}/8000" for pt, name in codecs]
        if dtmf is not None:
            lines += [f"a=rtpmap:{dtmf} telephone-event/8000", f"a=fmtp:{dtmf} 0-16"]
        lines += ["a=ptime:20", f"a={direction}"]
        return ("\r\n".join(lines) + "\r\n").encode()
