"""Shopify search-syntax strings for the `query` variable, and the exact-name check.

What a customer typed only ever becomes a quoted value inside the `query` variable: quotes
and backslashes are escaped, so it cannot add terms, connectives or fields to the search. The
store's search is fuzzier than we want (`name:1001` can also find `#10010`), so results are
kept only when their own name equals the one asked for.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
MAX_VALUE_LENGTH = 200


def quoted(value: str) -> str:
    """A double-quoted search value: `\\` and `"` escaped, control characters dropped."""
    clean = _CONTROL.sub("", value)[:MAX_VALUE_LENGTH]
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"') + '"'


def order_name(value: str) -> str:
    """One leading `#`, no whitespace: "1001", "#1001" and " # 1001" all become "#1001";
    "#1001-A" stays "#1001-A"."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", value))
    text = text.lstrip("#")
    return "#" + text if text else ""


def same_order_name(store_name: str | None, asked: str) -> bool:
    """Equal after normalising the leading `#` and whitespace, ignoring case ("#1001-a" is
    "#1001-A"); every other character counts, so "#1001" is not "#1001-A" or "#10010"."""
    if not store_name:
        return False
    return order_name(store_name).casefold() == order_name(asked).casefold()


def name_query(name: str) -> str:
    return "name:" + quoted(order_name(name))
