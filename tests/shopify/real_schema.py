"""Shopify's real Admin GraphQL schema, as the tests use it: the introspection result that
scripts/fetch_shopify_schema.py put into .cache/shopify/ (`make shopify-schema`), and the
schema graphql-core builds from it, once per test session (it is large)."""

from __future__ import annotations

import gzip
import importlib.util
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLSchema, build_client_schema, parse, validate

_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fetch_shopify_schema.py"


def _fetcher() -> Any:
    spec = importlib.util.spec_from_file_location("fetch_shopify_schema", _SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# scripts/fetch_shopify_schema.py, loaded as a module (scripts/ is no package).
FETCHER = _fetcher()
# The one place the tests find the file, and the Admin API version it describes.
SCHEMA_PATH: Path = FETCHER.TARGET
SCHEMA_VERSION: str = FETCHER.VERSION


@cache
def real_introspection() -> Mapping[str, Any]:
    """`{"__schema": …}` exactly as Shopify published it."""
    if not SCHEMA_PATH.exists():
        pytest.fail(
            f"{SCHEMA_PATH} is missing: run `make shopify-schema` (make test does it)",
            pytrace=False,
        )
    with gzip.open(SCHEMA_PATH, "rt", encoding="utf-8") as file:
        data: Mapping[str, Any] = json.load(file)["data"]
    return data


@cache
def real_schema() -> GraphQLSchema:
    return build_client_schema(_spec_deprecations(real_introspection()))  # type: ignore[arg-type]


def _spec_deprecations(introspection: Mapping[str, Any]) -> Mapping[str, Any]:
    """Shopify's schema, except where a field is deprecated on a type but not on an interface
    the type implements: graphql-core 3.3 refuses to validate against such a schema (a rule
    the GraphQL spec added after Shopify's schema was shaped; 3.2 accepted it), so those few
    implementations are un-deprecated here. Only deprecation flags change, which no validation
    of a document reads; every name, type and argument stays Shopify's."""
    types = {t["name"]: t for t in introspection["__schema"]["types"]}
    fixed = []
    for type_ in introspection["__schema"]["types"]:
        kept = {
            field["name"]
            for interface in type_.get("interfaces") or ()
            for field in types[interface["name"]].get("fields") or ()
            if not field["isDeprecated"]
        }
        if not any(f["isDeprecated"] and f["name"] in kept for f in type_.get("fields") or ()):
            fixed.append(type_)
            continue
        fields = [
            {**f, "isDeprecated": False, "deprecationReason": None}
            if f["isDeprecated"] and f["name"] in kept
            else f
            for f in type_["fields"]
        ]
        fixed.append({**type_, "fields": fields})
    return {"__schema": {**introspection["__schema"], "types": fixed}}


def problems(document: str) -> list[str]:
    """What Shopify's schema finds wrong with a GraphQL document (empty: it would run)."""
    return [error.message for error in validate(real_schema(), parse(document))]
