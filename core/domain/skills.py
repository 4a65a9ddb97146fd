"""Rules for skills: which types run, and what each type's settings must hold."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from . import validation
from .errors import InvalidArgument, Unprocessable

RUNNABLE_TYPES = ("native_graphql", "http_webhook", "transfer", "builtin")
BUILTIN_ACTIONS = ("end_call", "take_message", "repeat")
WEBHOOK_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def normalise(definition: dict[str, Any], prefix: str = "skill") -> dict[str, Any]:
    """Checks a skill's definition (contract field names) and returns it normalised."""
    skill_type = definition.get("skill_type", "")
    if not skill_type:
        raise InvalidArgument("is required", field=f"{prefix}.skill_type")
    if not validation.skill_name_like(skill_type):
        raise InvalidArgument(
            "must be a skill type such as http_webhook", field=f"{prefix}.skill_type"
        )
    if skill_type not in RUNNABLE_TYPES:
        raise Unprocessable(
            f"skill type {skill_type!r} is not available; use one of {', '.join(RUNNABLE_TYPES)}",
            field=f"{prefix}.skill_type",
        )
    validation.text(definition.get("description", ""), f"{prefix}.description", 2000)
    schema = definition.get("parameters_schema")
    properties: dict[str, Any] = {}
    if schema is not None:
        if schema.get("type", "object") != "object" or not isinstance(
            schema.get("properties", {}), dict
        ):
            raise InvalidArgument(
                "must be a JSON Schema object with properties", field=f"{prefix}.parameters_schema"
            )
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as error:
            raise InvalidArgument(
                f"is not a valid JSON Schema: {error.message}", field=f"{prefix}.parameters_schema"
            ) from None
        properties = schema.get("properties", {})
    for index, param in enumerate(definition.get("required_params", [])):
        if param not in properties:
            raise InvalidArgument(
                "must name a property of parameters_schema",
                field=f"{prefix}.required_params[{index}]",
            )
    if int(definition.get("expected_latency_ms", 0)) < 0:
        raise InvalidArgument("must not be negative", field=f"{prefix}.expected_latency_ms")
    config = definition.get("execution_config") or {}
    _check_execution_config(skill_type, config, f"{prefix}.execution_config")
    definition.setdefault("is_enabled", True)
    return definition


def _check_execution_config(skill_type: str, config: dict[str, Any], where: str) -> None:
    if skill_type == "http_webhook":
        validation.http_url(str(config.get("url", "")), f"{where}.url")
        method = str(config.get("method", "POST")).upper()
        if method not in WEBHOOK_METHODS:
            raise InvalidArgument(
                f"must be one of {', '.join(WEBHOOK_METHODS)}", field=f"{where}.method"
            )
        config["method"] = method
        timeout = config.get("timeout_ms", 5000)
        if not isinstance(timeout, int | float) or not 1 <= timeout <= 30000:
            raise InvalidArgument("must be between 1 and 30000", field=f"{where}.timeout_ms")
        headers = config.get("headers", {})
        if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
            raise InvalidArgument("must map header names to strings", field=f"{where}.headers")
    elif skill_type == "transfer":
        config["destination"] = validation.destination(
            str(config.get("destination", "")), f"{where}.destination"
        )
        if not config["destination"]:
            raise InvalidArgument("is required", field=f"{where}.destination")
    elif skill_type == "builtin":
        if config.get("action") not in BUILTIN_ACTIONS:
            raise InvalidArgument(
                f"must be one of {', '.join(BUILTIN_ACTIONS)}", field=f"{where}.action"
            )
    elif skill_type == "native_graphql":
        if not str(config.get("integration", "")).startswith("integrations/"):
            raise InvalidArgument(
                "must name an integration, e.g. integrations/shopify", field=f"{where}.integration"
            )
        if not config.get("action"):
            raise InvalidArgument("is required", field=f"{where}.action")


# A webhook's header values (tokens, as often as not) are sealed in the vault; the skill's
# stored definition, its API answers and the published versions show this in their place.
# Sent back unchanged on an update, it keeps the sealed value.
SEALED_VALUE = "********"


def secret_headers(
    definition: dict[str, Any], kept: dict[str, str], prefix: str = "skill"
) -> dict[str, str]:
    """Takes a webhook's header values out of `definition` (masking them in place) and
    returns them: new values as given, SEALED_VALUE as the value in `kept` (the headers
    sealed so far). Other skill types have none."""
    config = definition.get("execution_config") or {}
    headers = config.get("headers") if definition.get("skill_type") == "http_webhook" else None
    if not headers:
        return {}
    values = {}
    for name, value in headers.items():
        if value == SEALED_VALUE:
            if name not in kept:
                raise InvalidArgument(
                    f"{SEALED_VALUE} stands for a stored value, and this header has none",
                    field=f"{prefix}.execution_config.headers.{name}",
                )
            value = kept[name]
        values[name] = value
        headers[name] = SEALED_VALUE
    return values
