"""Responses to a request (RFC 3261 8.2.6): its Via, From, To (with our tag), Call-ID and
CSeq copied back, and the reason phrase for each status we send."""

from __future__ import annotations

from collections.abc import Iterable

from frontends.voice.sip.message import Request, Response, tag

REASONS = {
    100: "Trying",
    180: "Ringing",
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    407: "Proxy Authentication Required",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
    420: "Bad Extension",
    480: "Temporarily Unavailable",
    481: "Call/Transaction Does Not Exist",
    486: "Busy Here",
    487: "Request Terminated",
    488: "Not Acceptable Here",
    489: "Bad Event",
    491: "Request Pending",
    500: "Server Internal Error",
    501: "Not Implemented",
    503: "Service Unavailable",
}


def build_response(
    request: Request,
    status: int,
    *,
    to_tag: str = "",
    body: bytes = b"",
    content_type: str = "",
    headers: Iterable[tuple[str, str]] = (),
) -> Response:
    response = Response(status=status, reason=REASONS.get(status, "Unknown"))
    for via in request.get_all("via"):
        response.add("Via", via)
    for name in ("from", "to", "call-id", "cseq"):
        value = request.get(name)
        if value is not None:
            if name == "to" and to_tag and not tag(value) and status > 100:
                value = f"{value};tag={to_tag}"
            response.add(name, value)
    response.add("Server", "flowyte")
    for name, value in headers:
        response.add(name, value)
    if content_type:
        response.add("Content-Type", content_type)
    response.body = body
    return response
