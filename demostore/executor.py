"""One GraphQL request, start to finish, the way Shopify runs it: parse and validate, compute
the requested cost, admit it against the app's bucket (or refuse: MAX_COST_EXCEEDED,
THROTTLED), execute, charge the actual cost, and answer with `extensions.cost`."""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLError,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    execute_sync,
    get_operation_ast,
    parse,
    validate,
)

from demostore.cost import LeakyBucket, actual_cost, requested_cost
from demostore.errors import (
    argument_index,
    max_cost_error,
    shopify_error,
    throttled_error,
)
from demostore.state import DemoStore
from demostore.store_file import Json


def _cost(requested: int, actual: int | None, bucket: LeakyBucket) -> Json:
    return {
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": bucket.status(),
        }
    }


def _refused(errors: list[Json], requested: int, bucket: LeakyBucket) -> Json:
    return {"errors": errors, "extensions": _cost(requested, None, bucket)}


def _invalid(errors: list[Json], bucket: LeakyBucket) -> Json:
    # Nothing ran and nothing was charged.
    return {"errors": errors, "extensions": _cost(0, 0, bucket)}


def _pick_operation(document: Any, operation_name: str | None) -> OperationDefinitionNode | Json:
    operation = get_operation_ast(document, operation_name)
    if operation is not None:
        return operation
    if operation_name:
        return {"message": f'No operation named "{operation_name}"'}
    return {
        "message": "An operation name is required",
        "extensions": {"code": "operationNameRequired"},
    }


def run_graphql(
    store: DemoStore,
    app: str,
    query: str,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
    *,
    force_throttle: bool = False,
) -> Json:
    bucket = store.buckets.get(app)
    schema = store.schema()
    try:
        document = parse(query)
    except GraphQLSyntaxError as exc:
        return _invalid([shopify_error(exc)], bucket)
    arguments = argument_index(document)
    problems = validate(schema, document)
    if problems:
        return _invalid([shopify_error(e, arguments) for e in problems], bucket)
    operation = _pick_operation(document, operation_name)
    if isinstance(operation, dict):
        return _invalid([operation], bucket)

    requested = requested_cost(schema, document, operation, variables)
    limit = store.buckets.single_query_limit
    if requested > limit:
        return _refused([max_cost_error(requested, limit)], requested, bucket)
    if force_throttle or not bucket.try_take(requested):
        return _refused([throttled_error()], requested, bucket)

    context: dict[str, Any] = {"store": store.data, "search": [], "access": store.access_for(app)}
    try:
        result = execute_sync(
            schema,
            document,
            context_value=context,
            variable_values=variables,
            operation_name=operation_name,
        )
    except Exception:
        bucket.give_back(requested)
        raise
    actual = actual_cost(schema, document, operation, variables, result.data)
    bucket.give_back(requested - actual)

    body: Json = {}
    errors = list(result.errors or ())
    if errors:
        body["errors"] = [shopify_error(e, arguments) for e in errors]
    # Errors before execution (bad variables) leave no `data` key, as graphql-ruby does.
    if not errors or result.data is not None or any(_has_path(e) for e in errors):
        body["data"] = result.data
    extensions = _cost(requested, actual, bucket)
    if context["search"]:
        extensions["search"] = context["search"]
    body["extensions"] = extensions
    return body


def _has_path(error: GraphQLError) -> bool:
    return error.path is not None
