"""SIP messages (RFC 3261 section 7): parsing bytes into a Request or Response and back.

No maintained Python SIP parsing library fits an asyncio server (the PyPI candidates are
unmaintained or wrap other stacks), so this is a small parser of our own, fuzzed by
tests/voice/test_fuzz.py. It accepts compact header names (`v`, `f`, `t`, `i`, `l`, …),
matches names case-insensitively, unfolds continuation lines, splits comma-joined headers
(several Vias in one line) and frames bodies by Content-Length. It does not decode
multipart bodies, S/MIME, or header parameters beyond what a UAS needs (tags, branch).
Anything it cannot read raises `SipParseError`; it never raises anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A message bigger than this is refused: TCP peers get 413 and the connection is closed.
MAX_MESSAGE_BYTES = 65536
SIP_VERSION = "SIP/2.0"

COMPACT = {
    "i": "call-id",
    "m": "contact",
    "e": "content-encoding",
    "l": "content-length",
    "c": "content-type",
    "f": "from",
    "s": "subject",
    "k": "supported",
    "t": "to",
    "v": "via",
    "o": "event",
    "r": "refer-to",
    "b": "referred-by",
    "u": "allow-events",
}
# How a header is spelled when we write it (lower-case names are the keys we store).
CANONICAL = {
    "call-id": "Call-ID",
    "cseq": "CSeq",
    "www-authenticate": "WWW-Authenticate",
    "p-asserted-identity": "P-Asserted-Identity",
}
# Headers whose comma-separated values are separate entries (RFC 3261 7.3.1).
LIST_HEADERS = {"via", "route", "record-route", "contact", "allow", "supported", "require"}

_TOKEN = re.compile(r"^[A-Za-z0-9.!%*_+`'~-]+$")


class SipParseError(ValueError):
    """The bytes are not a SIP message we can read."""


def canonical_name(lower: str) -> str:
    return CANONICAL.get(lower) or "-".join(part.capitalize() for part in lower.split("-"))


def split_list(value: str) -> list[str]:
    """Split a comma-joined header value, keeping commas inside quotes and <…>."""
    parts: list[str] = []
    depth_angle = 0
    quoted = False
    start = 0
    for i, ch in enumerate(value):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "<":
            depth_angle += 1
        elif not quoted and ch == ">":
            depth_angle = max(0, depth_angle - 1)
        elif ch == "," and not quoted and depth_angle == 0:
            parts.append(value[start:i].strip())
            start = i + 1
    parts.append(value[start:].strip())
    return [p for p in parts if p]


@dataclass
class Message:
    headers: list[tuple[str, str]] = field(default_factory=list)  # (lower-case name, value)
    body: bytes = b""

    def get(self, name: str) -> str | None:
        values = self.get_all(name)
        return values[0] if values else None

    def get_all(self, name: str) -> list[str]:
        key = name.lower()
        return [v for k, v in self.headers if k == key]

    def set(self, name: str, value: str) -> None:
        key = name.lower()
        self.headers = [(k, v) for k, v in self.headers if k != key]
        self.headers.append((key, value))

    def add(self, name: str, value: str) -> None:
        self.headers.append((name.lower(), value))

    @property
    def call_id(self) -> str:
        return self.get("call-id") or ""

    @property
    def cseq(self) -> tuple[int, str]:
        """(number, method) of the CSeq header; raises SipParseError when malformed."""
        value = self.get("cseq") or ""
        parts = value.split()
        if len(parts) != 2 or not parts[0].isdigit() or len(parts[0]) > 10:
            raise SipParseError(f"bad CSeq {value!r}")
        return int(parts[0]), parts[1].upper()

    def _lines(self, start_line: str) -> bytes:
        lines = [start_line]
        lines += [f"{canonical_name(k)}: {v}" for k, v in self.headers if k != "content-length"]
        lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


@dataclass
class Request(Message):
    method: str = ""
    uri: str = ""

    def serialise(self) -> bytes:
        return self._lines(f"{self.method} {self.uri} {SIP_VERSION}")


@dataclass
class Response(Message):
    status: int = 0
    reason: str = ""

    def serialise(self) -> bytes:
        return self._lines(f"{SIP_VERSION} {self.status} {self.reason}")


def split_head(data: bytes) -> tuple[bytes, bytes] | None:
    """(head, rest) at the first blank line, or None when the head has not ended yet."""
    for sep in (b"\r\n\r\n", b"\n\n"):
        at = data.find(sep)
        if at >= 0:
            return data[:at], data[at + len(sep) :]
    return None


def content_length(head: bytes) -> int | None:
    """The Content-Length named in a head, None when absent; SipParseError when malformed."""
    for raw in head.split(b"\n")[1:]:
        name, sep, value = raw.partition(b":")
        if sep and name.strip().lower() in (b"content-length", b"l"):
            text = value.strip()
            if not text.isdigit() or len(text) > 9:
                raise SipParseError("bad Content-Length")
            return int(text)
    return None


def parse(data: bytes, check_length: bool = True) -> Request | Response:
    """Parse one whole message (a UDP datagram, or a TCP message framed by the reader).

    With check_length=False a body shorter than its Content-Length is taken as it is: the
    server uses that to read enough of a truncated request to answer it with 400."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise SipParseError("message too large")
    data = data.lstrip(b"\r\n")
    parts = split_head(data)
    if parts is None:
        raise SipParseError("no end of headers")
    head, rest = parts
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SipParseError("headers are not UTF-8") from exc
    lines = text.replace("\r\n", "\n").split("\n")
    message = _start_line(lines[0])
    for name, value in _header_lines(lines[1:]):
        if name in LIST_HEADERS:
            for item in split_list(value):
                message.add(name, item)
        else:
            message.add(name, value)
    length = content_length(head)
    if length is None:
        length = len(rest)
    if length > len(rest) and check_length:
        raise SipParseError("body shorter than Content-Length")
    message.body = rest[:length]
    return message


def _start_line(line: str) -> Request | Response:
    if line.startswith(SIP_VERSION + " "):
        _, _, tail = line.partition(" ")
        code, _, reason = tail.partition(" ")
        if len(code) != 3 or not code.isdigit() or not 100 <= int(code) <= 699:
            raise SipParseError(f"bad status line {line[:80]!r}")
        return Response(status=int(code), reason=reason.strip())
    parts = line.split(" ")
    if len(parts) != 3 or parts[2] != SIP_VERSION:
        raise SipParseError(f"bad request line {line[:80]!r}")
    method, uri, _ = parts
    if not _TOKEN.match(method) or not uri or any(ch.isspace() for ch in uri):
        raise SipParseError(f"bad request line {line[:80]!r}")
    if ":" not in uri:
        raise SipParseError(f"bad Request-URI {uri[:80]!r}")
    return Request(method=method.upper(), uri=uri)


def _header_lines(lines: list[str]) -> list[tuple[str, str]]:
    unfolded: list[str] = []
    for line in lines:
        if line[:1] in (" ", "\t") and unfolded:
            unfolded[-1] += " " + line.strip()
        elif line:
            unfolded.append(line)
    out = []
    for line in unfolded:
        name, sep, value = line.partition(":")
        name = name.strip().lower()
        if not sep or not name or not _TOKEN.match(name):
            raise SipParseError(f"bad header line {line[:80]!r}")
        out.append((COMPACT.get(name, name), value.strip()))
    return out


# --- the parts of header values a UAS reads -----------------------------------------------

_PARAM = re.compile(r";\s*([A-Za-z0-9.!%*_+`'~-]+)(?:\s*=\s*(\"[^\"]*\"|[^;,\s>]*))?")


def params(value: str) -> dict[str, str]:
    """The ;name=value parameters of a header value (outside its <uri>), names lower-cased."""
    close = value.rfind(">")
    tail = value[close + 1 :] if close >= 0 else value
    return {m.group(1).lower(): (m.group(2) or "").strip('"') for m in _PARAM.finditer(tail)}


def tag(value: str | None) -> str:
    return params(value or "").get("tag", "")


def uri_of(value: str) -> str:
    """The URI inside a name-addr (`"Ann" <sip:ann@host>;tag=1`) or an addr-spec."""
    start = value.find("<")
    if start >= 0:
        end = value.find(">", start)
        return value[start + 1 : end if end > start else None].strip()
    return value.split(";", 1)[0].strip()


def user_of(uri: str) -> str:
    """The user part of a sip:/sips:/tel: URI, without parameters ('' when none)."""
    scheme, _, rest = uri.partition(":")
    if scheme.lower() == "tel":
        return rest.split(";", 1)[0]
    if "@" not in rest:
        return ""
    return rest.split("@", 1)[0].split(";", 1)[0]


def host_port(uri: str, default_port: int = 5060) -> tuple[str, int]:
    """(host, port) of a sip: URI; SipParseError when it has none we can use."""
    _, _, rest = uri.partition(":")
    hostpart = rest.split("@", 1)[-1].split(";", 1)[0].split("?", 1)[0]
    host, _, port = hostpart.rpartition(":") if hostpart.count(":") == 1 else (hostpart, "", "")
    if not host or (port and not port.isdigit()):
        raise SipParseError(f"no host in {uri[:80]!r}")
    return host, int(port) if port else default_port


def branch(via: str) -> str:
    return params(via).get("branch", "")


def stamp_via(response: Response, addr: tuple[str, int]) -> None:
    """Say in the top Via where the request really came from (RFC 3261 18.2.1 `received`,
    RFC 3581 `rport`), so a caller behind NAT knows the address we answered."""
    vias = response.get_all("via")
    if not vias:
        return
    top = vias[0]
    found = params(top)
    sent_by = top.split(";", 1)[0].split()[-1] if top.split() else ""
    host = sent_by.rsplit(":", 1)[0] if sent_by.count(":") == 1 else sent_by
    if "rport" in found and not found["rport"]:
        top = re.sub(r";\s*rport(?=;|$)", f";rport={addr[1]}", top, count=1)
    if host != addr[0] and "received" not in found:
        top += f";received={addr[0]}"
    rest = vias[1:]
    others = [(k, v) for k, v in response.headers if k != "via"]
    response.headers = [("via", top), *(("via", v) for v in rest), *others]
