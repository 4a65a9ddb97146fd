"""Error bodies as Shopify sends them.

Shopify's GraphQL layer is graphql-ruby, so a bad query gets graphql-ruby's wording and
`extensions.code` (`undefinedField`, `missingRequiredArguments`, …); this module rewrites
graphql-core's messages into that form. HTTP-level errors (401, 402, 403, 404, 423, 429, 5xx)
carry Shopify's `{"errors": "..."}` bodies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSyntaxError,
    Lexer,
    Node,
    Source,
    TokenKind,
    print_ast,
)

RATE_LIMITS_DOC = "https://shopify.dev/api/usage/rate-limits"

# ---------------------------------------------------------------------------------------------
# HTTP-level bodies

UNAUTHORIZED = {
    "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
}
PAYMENT_REQUIRED = {"errors": "Unavailable Shop"}
FORBIDDEN = {"errors": "[API] This action requires merchant approval for read_orders scope."}
NOT_FOUND = {"errors": "Not Found"}
LOCKED = {"errors": "This store is unavailable"}
TOO_MANY_REQUESTS = {
    "errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume "
    "uninterrupted service."
}
INTERNAL_ERROR = {"errors": "Internal Server Error"}
SERVICE_UNAVAILABLE = {"errors": "Service Unavailable"}
BAD_GATEWAY_HTML = (
    "<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n"
    "<body><h1>502 Bad Gateway</h1><p>The server returned an invalid or incomplete "
    "response.</p></body>\n</html>\n"
)
MISSING_QUERY = {"errors": {"query": "Required parameter missing or invalid"}}


# A GraphQL error Shopify answers with HTTP 200 for a shop it has deactivated.
SHOP_INACTIVE = {"message": "This shop is not active.", "extensions": {"code": "SHOP_INACTIVE"}}

# ---------------------------------------------------------------------------------------------
# GraphQL errors of the cost model


def throttled_error() -> dict[str, Any]:
    return {
        "message": "Throttled",
        "extensions": {"code": "THROTTLED", "documentation": RATE_LIMITS_DOC},
    }


def max_cost_error(cost: int, limit: int) -> dict[str, Any]:
    return {
        "message": (
            f"Query cost is {cost}, which exceeds the single query max cost limit ({limit}).\n\n"
            "See https://shopify.dev/concepts/about-apis/rate-limits for more information on "
            "how the\ncost of a query is calculated.\n\n"
            "To query larger amounts of data with fewer limits, bulk operations should be "
            "used instead.\n"
            "See https://shopify.dev/api/usage/bulk-operations/queries for usage details.\n"
        ),
        "extensions": {
            "code": "MAX_COST_EXCEEDED",
            "cost": cost,
            "maxCost": limit,
            "documentation": RATE_LIMITS_DOC,
        },
    }


# ---------------------------------------------------------------------------------------------
# graphql-core → graphql-ruby

_TOKEN_NAMES = {
    TokenKind.BRACE_L: "LCURLY",
    TokenKind.BRACE_R: "RCURLY",
    TokenKind.PAREN_L: "LPAREN",
    TokenKind.PAREN_R: "RPAREN",
    TokenKind.BRACKET_L: "LBRACKET",
    TokenKind.BRACKET_R: "RBRACKET",
    TokenKind.COLON: "COLON",
    TokenKind.EQUALS: "EQUALS",
    TokenKind.BANG: "BANG",
    TokenKind.DOLLAR: "VAR_SIGN",
    TokenKind.SPREAD: "ELLIPSIS",
    TokenKind.AT: "DIR_SIGN",
    TokenKind.PIPE: "PIPE",
    TokenKind.AMP: "AMP",
    TokenKind.NAME: "IDENTIFIER",
    TokenKind.INT: "INT",
    TokenKind.FLOAT: "FLOAT",
    TokenKind.STRING: "STRING",
    TokenKind.BLOCK_STRING: "STRING",
}


def _syntax_error(error: GraphQLSyntaxError) -> dict[str, Any]:
    line, column = 1, 1
    if error.locations:
        line, column = error.locations[0].line, error.locations[0].column
    message = f"Parse error at [{line}, {column}]"
    if error.source is not None and error.positions:
        position = next(iter(error.positions))
        lexer = Lexer(Source(error.source.body))
        try:
            token = lexer.advance()
            while token.kind != TokenKind.EOF and token.start < position:
                token = lexer.advance()
            if token.kind == TokenKind.EOF:
                message = f"Parse error on end of file at [{line}, {column}]"
            else:
                text = error.source.body[token.start : token.end]
                name = _TOKEN_NAMES.get(token.kind, token.kind.name)
                message = f'Parse error on "{text}" ({name}) at [{line}, {column}]'
        except GraphQLSyntaxError:  # the lexer itself failed (an unterminated string, …)
            message = f"Parse error at [{line}, {column}]"
    return {"message": message, "locations": [{"line": line, "column": column}]}


def _mismatch(match: re.Match[str]) -> dict[str, Any]:
    return {
        "code": "selectionMismatch",
        "nodeName": f"field '{match['field']}'",
        "typeName": match["type"].rstrip("!"),
    }


_RULES: list[tuple[re.Pattern[str], Any]] = [
    (
        re.compile(r"^Cannot query field '(?P<field>[^']+)' on type '(?P<type>[^']+)'\."),
        lambda m: (
            f"Field '{m['field']}' doesn't exist on type '{m['type']}'",
            {"code": "undefinedField", "typeName": m["type"], "fieldName": m["field"]},
        ),
    ),
    (
        re.compile(
            r"^(?:Argument '[^.]+\.(?P<field>\w+)\((?P<arg>\w+):\)'|"
            r"Field '(?P<field2>\w+)' argument '(?P<arg2>\w+)') of type '[^']+' is required"
        ),
        lambda m: (
            f"Field '{m['field'] or m['field2']}' is missing required arguments: "
            f"{m['arg'] or m['arg2']}",
            {
                "code": "missingRequiredArguments",
                "className": "Field",
                "name": m["field"] or m["field2"],
                "arguments": m["arg"] or m["arg2"],
            },
        ),
    ),
    (
        re.compile(r"^Unknown argument '(?P<arg>\w+)' on field '(?:\w+\.)?(?P<field>\w+)'\."),
        lambda m: (
            f"Field '{m['field']}' doesn't accept argument '{m['arg']}'",
            {
                "code": "argumentNotAccepted",
                "name": m["field"],
                "typeName": "Field",
                "argumentName": m["arg"],
            },
        ),
    ),
    (
        re.compile(r"^Field '(?P<field>\w+)' of type '(?P<type>[^']+)' must have a selection"),
        lambda m: (
            f"Field must have selections (field '{m['field']}' returns {m['type'].rstrip('!')} "
            f"but has no selections. Did you mean '{m['field']} {{ ... }}'?)",
            _mismatch(m),
        ),
    ),
    (
        re.compile(
            r"^Field '(?P<field>\w+)' must not have a selection since type '(?P<type>[^']+)'"
        ),
        lambda m: (
            f"Selections can't be made on scalars (field '{m['field']}' returns "
            f"{m['type'].rstrip('!')} but has selections [...])",
            _mismatch(m),
        ),
    ),
    (
        re.compile(r"^Variable '\$(?P<var>\w+)' is not defined(?: by operation '(?P<op>\w+)')?"),
        lambda m: (
            f"Variable ${m['var']} is used by {m['op'] or 'anonymous query'} but not declared",
            {"code": "variableNotDefined", "variableName": m["var"]},
        ),
    ),
    (
        re.compile(r"^Variable '\$(?P<var>\w+)' is never used(?: in operation '(?P<op>\w+)')?"),
        lambda m: (
            f"Variable ${m['var']} is declared by {m['op'] or 'anonymous query'} but not used",
            {"code": "variableNotUsed", "variableName": m["var"]},
        ),
    ),
    (
        re.compile(r"^Unknown type '(?P<type>\w+)'\."),
        lambda m: (
            f"{m['type']} isn't a defined input type",
            {"code": "variableRequiresValidType", "typeName": m["type"]},
        ),
    ),
    (
        re.compile(r"^Must provide operation name"),
        lambda m: ("An operation name is required", {"code": "operationNameRequired"}),
    ),
    (
        re.compile(r"^Unknown operation named '(?P<op>[^']+)'"),
        lambda m: (f'No operation named "{m["op"]}"', None),
    ),
    (
        re.compile(
            r"^(?:Schema is not configured to execute (?P<kind>\w+) operation|"
            r"The (?P<kind2>\w+) operation is not supported by the schema)"
        ),
        lambda m: (
            f"Schema is not configured for {m['kind'] or m['kind2']}s",
            {"code": "missingMutationType"},
        ),
    ),
]

# A literal of the wrong type: graphql-ruby names the argument and field, which graphql-core's
# message leaves out; they are found from the offending value node.
_LITERAL = [
    re.compile(r"^Enum '(?P<type>\w+)' cannot represent non-enum value: (?P<value>.+?)\."),
    re.compile(r"^Value '(?P<value>[^']+)' does not exist in '(?P<type>\w+)' enum"),
    re.compile(r"^(?P<type>Int|String|Boolean|ID|Float) cannot represent [^:]*: (?P<value>.+)$"),
    re.compile(r"^Expected value of type '(?P<type>[^']+)', found (?P<value>.+?)[;.]"),
]

ArgumentIndex = Mapping[int, tuple[str, str]]


def argument_index(document: DocumentNode) -> dict[int, tuple[str, str]]:
    """For every argument value node: (argument name, field name)."""
    index: dict[int, tuple[str, str]] = {}

    def visit(node: Any) -> None:
        if isinstance(node, FieldNode):
            for argument in node.arguments or ():
                index[id(argument.value)] = (argument.name.value, node.name.value)
        for key in getattr(node, "keys", ()):
            child = getattr(node, key, None)
            if isinstance(child, Node):
                visit(child)
            elif isinstance(child, tuple | list):
                for item in child:
                    if isinstance(item, Node):
                        visit(item)

    visit(document)
    return index


def _literal_error(
    error: GraphQLError, match: re.Match[str], arguments: ArgumentIndex
) -> tuple[str, dict[str, Any]] | None:
    for node in error.nodes or ():
        found = arguments.get(id(node))
        if found:
            argument, field = found
            return (
                f"Argument '{argument}' on Field '{field}' has an invalid value "
                f"({match['value']}). Expected type '{match['type']}'.",
                {
                    "code": "argumentLiteralsIncompatible",
                    "typeName": "Field",
                    "argumentName": argument,
                },
            )
    return None


_VARIABLE = re.compile(
    r"^Variable '\$(?P<var>\w+)' (?:of required type '(?P<type1>[^']+)' was not provided|"
    r"has invalid value(?P<rest>.*))"
)


def _variable_error(error: GraphQLError, match: re.Match[str]) -> dict[str, Any]:
    name = match["var"]
    type_name = match["type1"]
    rest = (match["rest"] or "").strip(" :.")
    explanation = "Expected value to not be null"
    value: Any = None
    if rest:
        nonnull = re.search(r"non-null type '([^']+)'", rest)
        if nonnull:
            type_name = nonnull.group(1)
        else:
            explanation = rest
            value_match = re.search(r"value: (.+)$", rest)
            value = value_match.group(1) if value_match else None
    if type_name is None and error.nodes:
        node = error.nodes[0]
        type_node = getattr(node, "type", None)
        if type_node is not None:
            type_name = print_ast(type_node)
    out: dict[str, Any] = {
        "message": f"Variable ${name} of type {type_name or 'unknown'} was provided invalid value",
        "extensions": {
            "value": value,
            "problems": [{"path": [], "explanation": explanation}],
        },
    }
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    return out


def shopify_error(error: GraphQLError, arguments: ArgumentIndex | None = None) -> dict[str, Any]:
    """One graphql-core error, as Shopify (graphql-ruby) would have written it.

    `arguments` (from `argument_index(document)`) lets a wrong-typed literal name its argument.
    """
    if isinstance(error, GraphQLSyntaxError):
        return _syntax_error(error)
    message = error.message
    variable = _VARIABLE.match(message)
    if variable:
        return _variable_error(error, variable)
    extensions: dict[str, Any] | None = dict(error.extensions) if error.extensions else None
    rewritten = None
    for literal in _LITERAL:
        match = literal.match(message)
        if match:
            rewritten = _literal_error(error, match, arguments or {})
            break
    if rewritten is None:
        for pattern, rewrite in _RULES:
            match = pattern.match(message)
            if match:
                rewritten = rewrite(match)
                break
    if rewritten is not None:
        message, rule_extensions = rewritten
        if rule_extensions is not None:
            extensions = {**rule_extensions, **(extensions or {})}
    out: dict[str, Any] = {"message": message}
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    if error.path is not None:
        out["path"] = list(error.path)
    if extensions:
        out["extensions"] = extensions
    return out
