"""Relay connections the way Shopify pages them: `first`/`last` required (at most 250),
opaque base64 cursors, `pageInfo` with both directions."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from graphql import GraphQLError

MAX_PAGE_SIZE = 250

T = TypeVar("T")


def bad_request(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_REQUEST"})


def encode_cursor(last_id: int, last_value: Any) -> str:
    raw = json.dumps({"last_id": last_id, "last_value": last_value}, separators=(",", ":"))
    return base64.b64encode(raw.encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        payload = json.loads(base64.b64decode(cursor.encode(), validate=True))
        last_id = payload["last_id"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise bad_request(f"Invalid cursor: {cursor!r}") from None
    if not isinstance(last_id, int):
        raise bad_request(f"Invalid cursor: {cursor!r}")
    return last_id


def page_size(args: dict[str, Any], field_name: str) -> None:
    """Shopify's checks on `first`/`last`, before anything is fetched."""
    first, last = args.get("first"), args.get("last")
    if first is None and last is None:
        raise bad_request("you must provide one of first or last")
    if first is not None and last is not None:
        raise bad_request("providing both first and last is not supported")
    for arg, value in (("first", first), ("last", last)):
        if value is None:
            continue
        if value < 0:
            raise bad_request(
                f"Argument '{arg}' on Field '{field_name}' must be greater than or equal to 0."
            )
        if value > MAX_PAGE_SIZE:
            raise bad_request(
                f"Argument '{arg}' on Field '{field_name}' must be less than or equal to "
                f"{MAX_PAGE_SIZE}."
            )


def connection(
    items: Sequence[T],
    args: dict[str, Any],
    field_name: str,
    identity: Callable[[T], tuple[int, Any]],
) -> dict[str, Any]:
    """One page of `items` (already filtered and sorted) as a connection object.

    `identity(item)` gives the (last_id, last_value) a cursor carries for that item.
    """
    page_size(args, field_name)
    ids = [identity(item)[0] for item in items]
    start, end = 0, len(items)
    if args.get("after") is not None:
        after = decode_cursor(args["after"])
        if after not in ids:
            raise bad_request(f"Invalid cursor: {args['after']!r}")
        start = ids.index(after) + 1
    if args.get("before") is not None:
        before = decode_cursor(args["before"])
        if before not in ids:
            raise bad_request(f"Invalid cursor: {args['before']!r}")
        end = ids.index(before)
    end = max(start, end)
    if args.get("first") is not None:
        end = min(end, start + args["first"])
    if args.get("last") is not None:
        start = max(start, end - args["last"])
    page = list(items[start:end])
    edges = [{"cursor": encode_cursor(*identity(item)), "node": item} for item in page]
    return {
        "edges": edges,
        "nodes": page,
        "pageInfo": {
            "hasNextPage": end < len(items),
            "hasPreviousPage": start > 0,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }
