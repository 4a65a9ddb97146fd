"""Shopify's search syntax for `orders(query:)`.

Grammar (shopify.dev, "Shopify API search syntax"): a query is terms separated by whitespace
and optional connectives `AND` / `OR` (AND implied, and binding tighter than OR); a term is an
optional modifier (`-` or `NOT`), then `field:value`, `field:<value` (comparators `<` `>` `<=`
`>=`), a bare value, or a parenthesised query. Values are names or quoted strings (single or
double quotes); `:`, `\\`, `(` and `)` are escaped with a backslash; a trailing `*` makes a
prefix query.

Search is lenient like Shopify's: a term on a field the orders index does not know is dropped
(the rest of the query still applies) and reported as a warning, which the server puts in
`extensions.search` exactly where Shopify does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Union

from demostore.store_file import Json, gid_number, order_number, parse_time

INVALID_FIELD_MESSAGE = "Invalid search field for this query."

COMPARATORS = ("<=", ">=", "<", ">")

# Filters of Shopify's orders index that this store evaluates.
SUPPORTED_FIELDS = {
    "default",
    "name",
    "email",
    "id",
    "status",
    "financial_status",
    "fulfillment_status",
    "created_at",
    "processed_at",
    "updated_at",
    "sku",
    "tag",
    "tag_not",
}

# Filters Shopify's orders index accepts that the demo data has nothing for: a term on one is
# valid (no warning) and matches no order, since no order carries such a value.
KNOWN_UNMODELLED_FIELDS = {
    "cart_token",
    "channel",
    "channel_id",
    "chargeback_status",
    "checkout_token",
    "confirmation_number",
    "credit_card_last4",
    "current_total_price",
    "customer_id",
    "delivery_method",
    "discount_code",
    "earliest_fulfill_by",
    "fraud_protection_level",
    "fulfillment_location_id",
    "gateway",
    "location_id",
    "metafields",
    "payment_id",
    "payment_provider_id",
    "po_number",
    "reference_location_id",
    "return_status",
    "risk_level",
    "sales_channel",
    "source_identifier",
    "source_name",
    "subtotal_line_items_quantity",
    "test",
    "total_weight",
}


class SearchSyntaxError(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    field: str | None  # None: a bare value, searched across the default fields
    value: str
    comparator: str | None = None  # one of COMPARATORS, or None for equality
    quoted: bool = False
    prefix: bool = False  # value ended in an unescaped `*`


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class Bool:
    op: str  # "and" | "or"
    children: tuple[Node, ...]


Node = Union[Term, Not, Bool]  # noqa: UP007 - a runtime alias for the dataclasses above


@dataclass
class ParsedQuery:
    """A query after dropping invalid terms; `root` None means "every order"."""

    text: str
    root: Node | None
    parsed: Json | None  # the query as Shopify echoes it in extensions.search[].parsed
    warnings: list[Json] = field(default_factory=list)

    def matches(self, order: Json) -> bool:
        return self.root is None or _evaluate(self.root, order)


# ---------------------------------------------------------------------------------------------
# tokens


@dataclass(frozen=True)
class _Token:
    kind: str  # "(" ")" "and" "or" "not" "term"
    term: Term | None = None
    negated: bool = False


def _read_quoted(text: str, i: int) -> tuple[str, int]:
    quote = text[i]
    i += 1
    out: list[str] = []
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch == quote:
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise SearchSyntaxError("unterminated quoted string")


def _read_name(text: str, i: int, *, stop_at_colon: bool) -> tuple[str, bool, int]:
    """Read an unquoted name; returns (value, prefix, next index)."""
    out: list[str] = []
    escaped_last = False
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            escaped_last = True
            i += 2
            continue
        if ch.isspace() or ch in "()" or (stop_at_colon and ch == ":"):
            break
        out.append(ch)
        escaped_last = False
        i += 1
    value = "".join(out)
    prefix = value.endswith("*") and not escaped_last and len(value) > 1
    return (value[:-1] if prefix else value), prefix, i


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "()":
            tokens.append(_Token(ch))
            i += 1
            continue
        negated = False
        if ch == "-" and i + 1 < len(text) and not text[i + 1].isspace():
            negated = True
            i += 1
            if text[i] == "(":
                tokens.append(_Token("not"))
                continue
        if text[i] in "\"'":
            value, i = _read_quoted(text, i)
            tokens.append(_Token("term", Term(None, value, quoted=True), negated))
            continue
        word, prefix, j = _read_name(text, i, stop_at_colon=True)
        if not negated and not prefix and word in ("AND", "OR", "NOT") and j > i:
            tokens.append(_Token(word.lower()))
            i = j
            continue
        if j < len(text) and text[j] == ":" and word:
            j += 1
            comparator = next((c for c in COMPARATORS if text.startswith(c, j)), None)
            if comparator:
                j += len(comparator)
            if j < len(text) and text[j] in "\"'":
                value, j = _read_quoted(text, j)
                term = Term(word.lower(), value, comparator, quoted=True)
            else:
                value, prefix, j = _read_name(text, j, stop_at_colon=False)
                term = Term(word.lower(), value, comparator, prefix=prefix)
            tokens.append(_Token("term", term, negated))
            i = j
            continue
        if j == i:  # a lone ':' or similar: skip it
            i += 1
            continue
        tokens.append(_Token("term", Term(None, word, prefix=prefix), negated))
        i = j
    return tokens


# ---------------------------------------------------------------------------------------------
# parsing


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse_or(self) -> Node | None:
        children = [self.parse_and()]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.pos += 1
            children.append(self.parse_and())
        return _combine("or", children)

    def parse_and(self) -> Node | None:
        children = [self.parse_unary()]
        while (tok := self.peek()) is not None and tok.kind not in ("or", ")"):
            if tok.kind == "and":
                self.pos += 1
            children.append(self.parse_unary())
        return _combine("and", children)

    def parse_unary(self) -> Node | None:
        tok = self.peek()
        if tok is None:
            return None
        self.pos += 1
        if tok.kind == "not":
            child = self.parse_unary()
            return None if child is None else Not(child)
        if tok.kind == "(":
            inner = self.parse_or()
            if (close := self.peek()) is not None and close.kind == ")":
                self.pos += 1
            return inner
        if tok.kind == "term" and tok.term is not None:
            node: Node = tok.term
            return Not(node) if tok.negated else node
        return None  # a stray ')' or connective: ignored, as Shopify's lenient parser does


def _combine(op: str, children: list[Node | None]) -> Node | None:
    kept = tuple(c for c in children if c is not None)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else Bool(op, kept)


def _drop_invalid(node: Node | None, warnings: list[Json]) -> Node | None:
    """Remove terms on fields the index does not know, warning once per field."""
    if node is None:
        return None
    if isinstance(node, Term):
        name = node.field or "default"
        if name in SUPPORTED_FIELDS or name in KNOWN_UNMODELLED_FIELDS:
            return node
        if not any(w["field"] == node.field for w in warnings):
            warnings.append(
                {"field": node.field, "message": INVALID_FIELD_MESSAGE, "code": "invalid_field"}
            )
        return None
    if isinstance(node, Not):
        child = _drop_invalid(node.child, warnings)
        return None if child is None else Not(child)
    return _combine(node.op, [_drop_invalid(c, warnings) for c in node.children])


def _parsed(node: Node | None) -> Json | None:
    if node is None:
        return None
    if isinstance(node, Term):
        out: Json = {"field": node.field or "default"}
        if node.comparator:
            key = {"<": "range_lt", ">": "range_gt", "<=": "range_lte", ">=": "range_gte"}
            out[key[node.comparator]] = node.value
        elif node.prefix:
            out["match_prefix"] = node.value
        elif node.quoted:
            out["match_phrase"] = node.value
        else:
            out["match_all"] = node.value
        return out
    if isinstance(node, Not):
        return {"not": _parsed(node.child)}
    return {node.op: [_parsed(c) for c in node.children]}


def parse_query(text: str | None) -> ParsedQuery:
    """Parse a search query; syntax Shopify would shrug at is shrugged at here too."""
    text = text or ""
    try:
        root = _Parser(_tokenize(text)).parse_or()
    except SearchSyntaxError:
        # An unterminated quote: Shopify searches the raw text as a phrase.
        root = Term(None, text.strip().strip("\"'"), quoted=True) if text.strip() else None
    warnings: list[Json] = []
    parsed = _parsed(root)
    return ParsedQuery(text, _drop_invalid(root, warnings), parsed, warnings)


# ---------------------------------------------------------------------------------------------
# matching


def _text_match(actual: str | None, term: Term) -> bool:
    if actual is None:
        return False
    have, want = actual.strip().lower(), term.value.strip().lower()
    return have.startswith(want) if term.prefix else have == want


def _compare(have: Any, want: Any, comparator: str | None) -> bool:
    if comparator is None:
        return bool(have == want)
    return {
        "<": have < want,
        ">": have > want,
        "<=": have <= want,
        ">=": have >= want,
    }[comparator]


def _match_name(order: Json, term: Term) -> bool:
    have = order_number(order["name"])
    want = order_number(term.value)
    if term.comparator:
        if have.isdigit() and want.isdigit():
            return _compare(int(have), int(want), term.comparator)
        return _compare(have, want, term.comparator)
    return have.startswith(want) if term.prefix else have == want


def _match_id(order: Json, term: Term) -> bool:
    want = term.value.strip()
    number = (
        gid_number(want) if want.startswith("gid://") else (int(want) if want.isdigit() else None)
    )
    if number is None:
        return False
    return _compare(gid_number(order["id"]), number, term.comparator)


def _match_time(value: str | None, term: Term) -> bool:
    if value is None:
        return False
    try:
        have = parse_time(value)
        want_text = term.value.strip()
        want = parse_time(want_text)
    except ValueError:
        return False
    date_only = len(want_text) == 10
    if term.comparator is None:
        return have.date() == want.date() if date_only else have == want
    if date_only and term.comparator in (">", "<="):
        # A bare date means the whole day: `>2026-11-18` starts after that day ends.
        return _compare(have.date(), want.date(), term.comparator)
    return _compare(have, want, term.comparator)


def _match_default(order: Json, term: Term) -> bool:
    if _match_name(order, Term("name", term.value, prefix=term.prefix)):
        return True
    if _text_match(order.get("email"), term):
        return True
    address = order.get("shippingAddress") or {}
    full_name = address.get("name") or ""
    if _text_match(full_name, term):
        return True
    words = term.value.lower().split()
    tokens = full_name.lower().split()
    return bool(words) and all(
        any(t.startswith(w) if term.prefix else t == w for t in tokens) for w in words
    )


_FULFILLMENT = {
    "any": None,
    "shipped": {"FULFILLED"},
    "fulfilled": {"FULFILLED"},
    "partial": {"PARTIALLY_FULFILLED"},
    "unshipped": {"UNFULFILLED"},
    "unfulfilled": {"UNFULFILLED", "PARTIALLY_FULFILLED"},
}


def _match_status(order: Json, term: Term) -> bool:
    value = term.value.strip().lower()
    cancelled = order.get("cancelledAt") is not None
    if value == "any":
        return True
    if value == "cancelled":
        return cancelled
    if value == "open":
        return not cancelled
    return False  # "closed": the demo data has no closed (archived) orders


def _match_financial(order: Json, term: Term) -> bool:
    value = term.value.strip().lower()
    if value == "any":
        return True
    return (order.get("displayFinancialStatus") or "").lower() == value


def _match_fulfillment(order: Json, term: Term) -> bool:
    value = term.value.strip().lower()
    status = order.get("displayFulfillmentStatus") or ""
    if value in _FULFILLMENT:
        allowed = _FULFILLMENT[value]
        return allowed is None or status in allowed
    return status.lower() == value


def _match_sku(order: Json, term: Term) -> bool:
    return any(_text_match(item.get("sku"), term) for item in order["lineItems"]["nodes"])


_MATCHERS: dict[str, Callable[[Json, Term], bool]] = {
    "default": _match_default,
    "name": _match_name,
    "email": lambda o, t: _text_match(o.get("email"), t),
    "id": _match_id,
    "status": _match_status,
    "financial_status": _match_financial,
    "fulfillment_status": _match_fulfillment,
    "created_at": lambda o, t: _match_time(o.get("createdAt"), t),
    "processed_at": lambda o, t: _match_time(o.get("processedAt"), t),
    "updated_at": lambda o, t: _match_time(_updated_at(o), t),
    "sku": _match_sku,
    "tag": lambda o, t: False,  # demo orders carry no tags
    "tag_not": lambda o, t: True,
}


def _updated_at(order: Json) -> str:
    """The order's last change as far as the data shows it."""
    times = [order["processedAt"], order.get("cancelledAt")]
    for fulfillment in order["fulfillments"]:
        times.append(fulfillment["createdAt"])
        times.extend(e["happenedAt"] for e in fulfillment["events"]["nodes"])
    return max((t for t in times if t), key=parse_time)


def updated_at(order: Json) -> datetime:
    return parse_time(_updated_at(order))


def _evaluate(node: Node, order: Json) -> bool:
    if isinstance(node, Term):
        matcher = _MATCHERS.get(node.field or "default")
        return matcher(order, node) if matcher else False
    if isinstance(node, Not):
        return not _evaluate(node.child, order)
    results = (_evaluate(child, order) for child in node.children)
    return any(results) if node.op == "or" else all(results)
