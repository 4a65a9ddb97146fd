"""Reading and validating a request before anything reaches the core.

Messages are written here from the schema keyword alone and never quote the offending
value: a request body may carry a credential, and an error must not echo it back.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import jsonschema_rs
from aiohttp import web
from jsonschema import Draft202012Validator, ValidationError

from frontends.common import FieldError, Problem
from frontends.gateway.operation import ProblemError, bad_request
from frontends.gateway.schemas import Schema

MAX_BODY = 1024 * 1024
MAX_LIMIT = 200
# Deeper than any body of ours needs (a skill's parametersSchema nests a few objects), and
# shallow enough for what it becomes: each JSON level is about three levels of protobuf
# message in a Struct, and protobuf refuses to read past 100.
MAX_DEPTH = 20
_STRING: Schema = {"type": "string"}


async def read_json(request: web.Request) -> Any:
    """The body as JSON, or None when there is none. 413 past 1 MiB, 400 when not JSON."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise _too_large()
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise _too_large() from None
    if not raw.strip():
        return None
    content_type = request.content_type
    # aiohttp reports a missing Content-Type as application/octet-stream.
    declared = "Content-Type" in request.headers
    if declared and not (content_type == "application/json" or content_type.endswith("+json")):
        raise bad_request("the body must be application/json", code="unsupported_content_type")
    try:
        value = json.loads(raw, parse_constant=_not_json, parse_float=_number)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise bad_request("the body is not valid JSON", code="invalid_json") from None
    _check_carriable(value, "", 1)
    return value


def _check_carriable(value: Any, path: str, depth: int) -> None:
    """Refuses, naming the place, what JSON can spell but nothing after the gateway can
    carry: a string holding a lone surrogate (a `\\ud800` escape is not Unicode text, and
    UTF-8 and protobuf refuse it), and nesting deeper than MAX_DEPTH."""
    if isinstance(value, str):
        if not _is_text(value):
            raise _not_text(path)
    elif isinstance(value, dict | list):
        if depth > MAX_DEPTH:
            raise bad_request(
                "the body nests too deeply",
                FieldError(path or "body", f"nests deeper than {MAX_DEPTH} levels"),
            )
        if isinstance(value, list):
            for index, item in enumerate(value):
                _check_carriable(item, f"{path}[{index}]", depth + 1)
            return
        for key, item in value.items():
            if not _is_text(key):
                raise _not_text(path)
            _check_carriable(item, f"{path}.{key}" if path else key, depth + 1)


def _is_text(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_text(path: str) -> ProblemError:
    return bad_request(
        "the body holds a string that is not Unicode text",
        FieldError(path or "body", "holds a lone surrogate (half of a UTF-16 pair)"),
        code="invalid_json",
    )


def _not_json(name: str) -> Any:
    # Python's parser takes NaN and Infinity; JSON (and our replies) do not.
    raise ValueError(name)


def _number(text: str) -> float | int:
    """A number written with a fraction or an exponent. JSON has one kind of number, so 2.0
    is the integer 2, as JSON Schema's "integer" agrees, and it reaches an integer field as
    one; a number too large for a double (1e400) is refused, not made infinite."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("not a finite number")
    return int(value) if value.is_integer() else value


def _too_large() -> ProblemError:
    return ProblemError(Problem(413, "body_too_large", f"the body is larger than {MAX_BODY} bytes"))


def validate(value: Any, schema: Schema, *, where: str = "") -> None:
    """Raises a 400 naming every invalid field (REST names) when `value` breaks `schema`.

    jsonschema-rs gives the verdict for a valid body in well under a microsecond, against
    about 30 for jsonschema's walk. jsonschema stays the authority: it alone writes the
    errors, and a body jsonschema-rs doubts (or cannot read) passes if jsonschema finds
    nothing wrong."""
    if _passes_fast_check(value, schema):
        return
    errors_of = _validators_of(schema).full.iter_errors
    found = {e for error in errors_of(value) for e in _explain(error, where)}
    errors = sorted(found, key=lambda e: (e.field, e.message))
    if errors:
        raise bad_request("the request is invalid", *errors)


def page_params(query: Mapping[str, str]) -> tuple[int, str]:
    """`?limit=&cursor=` as the core's page_size/page_token."""
    raw = query.get("limit")
    limit = 0
    if raw is not None:
        try:
            limit = int(raw)
        except ValueError:
            limit = -1
        if not 1 <= limit <= MAX_LIMIT:
            raise bad_request(
                "limit is out of range",
                FieldError("limit", f"must be an integer from 1 to {MAX_LIMIT}"),
            )
    return limit, query.get("cursor", "")


def typed_params(raw: Mapping[str, str], schemas: Mapping[str, Schema]) -> dict[str, Any]:
    """Path or query parameters, converted to the schema's type and validated."""
    out: dict[str, Any] = {}
    for name, value in raw.items():
        schema = schemas.get(name, _STRING)
        typed: Any = value
        if schema.get("type") == "integer":
            # Left a string when not a number: the schema's type check then names the field.
            with contextlib.suppress(ValueError):
                typed = int(value)
        validate(typed, schema, where=name)
        out[name] = typed
    return out


class _Validators(NamedTuple):
    schema: Schema  # kept alive, so its id is not reused while cached
    full: Draft202012Validator  # the authority, and the one that explains
    fast: Any  # jsonschema_rs's validator: a verdict only


_validators: dict[int, _Validators] = {}


def _validators_of(schema: Schema) -> _Validators:
    # Schemas are module constants: keyed by identity, kept alive by the cache itself.
    cached = _validators.get(id(schema))
    if cached is None or cached.schema is not schema:
        fast = jsonschema_rs.Draft202012Validator(schema)
        cached = _Validators(schema, Draft202012Validator(schema), fast)
        _validators[id(schema)] = cached
    return cached


def _passes_fast_check(value: Any, schema: Schema) -> bool:
    try:
        return bool(_validators_of(schema).fast.is_valid(value))
    except (ValueError, TypeError, OverflowError):  # e.g. an integer past 64 bits
        return False


def _path(parts: Iterable[Any], where: str) -> str:
    text = where
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text = f"{text}.{part}" if text else str(part)
    return text


def _explain(error: ValidationError, where: str) -> list[FieldError]:
    here = _path(error.absolute_path, where)
    keyword: Any = error.validator
    expected: Any = error.validator_value
    instance: Any = error.instance
    schema: Any = error.schema
    if keyword == "required" and isinstance(instance, dict):
        return [
            FieldError(_path([*error.absolute_path, name], where), "is required")
            for name in expected
            if name not in instance
        ]
    if keyword == "additionalProperties" and isinstance(instance, dict):
        known = schema.get("properties", {})
        return [
            FieldError(_path([*error.absolute_path, name], where), "is not a known field")
            for name in instance
            if name not in known
        ]
    return [FieldError(here or "body", _message(keyword, expected, schema))]


def _message(keyword: Any, expected: Any, schema: Mapping[str, Any]) -> str:
    if keyword == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        return "must be " + " or ".join(_ARTICLE.get(str(k), str(k)) for k in kinds)
    if keyword == "minLength":
        return "must not be empty" if expected == 1 else f"must have at least {expected} characters"
    if keyword == "enum":
        return "must be one of: " + ", ".join(json.dumps(v) for v in expected)
    simple = {
        "maxLength": f"must have at most {expected} characters",
        "minimum": f"must be at least {expected}",
        "maximum": f"must be at most {expected}",
        "minItems": f"must have at least {expected} item(s)",
        "maxItems": f"must have at most {expected} item(s)",
        "minProperties": "must set at least one field",
        "const": f"must be {json.dumps(expected)}",
        "pattern": "has an invalid format",
    }
    if keyword in simple:
        return simple[keyword]
    return str(schema.get("x-message", "is invalid"))


_ARTICLE = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}
