"""The one gate every flowyte.v1 RPC passes: key, scope, the contract's limits,
idempotency, error mapping.

The scope an RPC needs is read from its `required_scope` option in the contract; an RPC
without one is refused to everybody, so forgetting to declare a scope fails closed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import grpc
from google.protobuf import descriptor_pool
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass

from core.domain.errors import DomainError, PermissionDenied
from core.domain.scopes import PUBLIC_SCOPE
from core.runtime import Runtime
from flowyte import contract

from . import contract_limits, idempotency, principal
from .auth import authenticate
from .errors import abort_with

log = logging.getLogger(__name__)

PACKAGE = "flowyte.v1."


@dataclass(frozen=True)
class MethodPolicy:
    scope: str
    idempotent: bool
    response_type: type[Message]


def method_policy(full_method: str) -> MethodPolicy | None:
    """`/flowyte.v1.AgentService/GetAgent` → its declared scope and idempotency."""
    service_name, _, method_name = full_method.lstrip("/").partition("/")
    try:
        service = descriptor_pool.Default().FindServiceByName(service_name)
    except KeyError:
        return None
    method = service.methods_by_name.get(method_name)
    if method is None:
        return None
    return MethodPolicy(
        scope=contract.required_scope(method),
        idempotent=contract.idempotent(method),
        response_type=GetMessageClass(method.output_type),
    )


PublicAdmit = Callable[[dict[str, str]], Awaitable[principal.Principal]]


class GateInterceptor(grpc.aio.ServerInterceptor):
    def __init__(self, runtime: Runtime):
        self._runtime = runtime
        self._policies: dict[str, MethodPolicy | None] = {}
        # Admits `chat:public` calls by publishable key and origin (set by start_core);
        # without it they are refused.
        self.public_admit: PublicAdmit | None = None

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or not method.lstrip("/").startswith(PACKAGE):
            return handler  # health, reflection, or an unknown method (UNIMPLEMENTED)
        if method not in self._policies:
            self._policies[method] = method_policy(method)
        policy = self._policies[method]
        return self._wrap(handler, method, policy)

    async def _admit(
        self, context: grpc.aio.ServicerContext, policy: MethodPolicy | None
    ) -> principal.Principal:
        metadata = {
            k.lower(): v for k, v in (context.invocation_metadata() or ()) if isinstance(v, str)
        }
        if policy is not None and policy.scope == PUBLIC_SCOPE:
            # Publishable keys only: no secret key holds chat:public.
            if self.public_admit is None:
                raise PermissionDenied("public calls are off", "METHOD_NOT_ALLOWED")
            return await self.public_admit(metadata)
        who = await authenticate(self._runtime, metadata)
        if policy is None or not policy.scope:
            raise PermissionDenied("this method is not open to any key", "METHOD_NOT_ALLOWED")
        if policy.scope not in who.scopes:
            raise PermissionDenied(f"this key lacks the scope {policy.scope}")
        return who

    def _wrap(
        self, handler: grpc.RpcMethodHandler, method: str, policy: MethodPolicy | None
    ) -> grpc.RpcMethodHandler:
        runtime = self._runtime
        admit = self._admit

        if handler.unary_unary:
            inner = handler.unary_unary

            async def unary_unary(request: Message, context: grpc.aio.ServicerContext) -> Any:
                try:
                    who = await admit(context, policy)
                    contract_limits.check(request)
                    token = principal.bind(who)
                    try:
                        key = _metadata_value(context, "idempotency-key")
                        if key and policy and policy.idempotent:
                            return await idempotency.run_once(
                                runtime,
                                who,
                                key,
                                method,
                                request,
                                policy.response_type,
                                lambda: inner(request, context),
                            )
                        return await inner(request, context)
                    finally:
                        principal.unbind(token)
                except DomainError as error:
                    await abort_with(context, error)
                except Exception:
                    if context.code() is not None:  # the servicer aborted deliberately
                        raise
                    log.exception("unexpected failure in %s", method)
                    raise

            return grpc.unary_unary_rpc_method_handler(
                unary_unary, handler.request_deserializer, handler.response_serializer
            )

        streaming = handler.unary_stream or handler.stream_stream
        assert streaming is not None, f"{method}: stream-unary is not used by the contract"

        async def stream(request: Any, context: grpc.aio.ServicerContext) -> None:
            # Written with context.write rather than yielded: when the peer goes away
            # mid-stream, grpc.aio cancels this coroutine, and the servicer's generator is
            # closed here at once (its `finally` ends a dropped call's session), not whenever
            # the garbage collector finalises a generator left suspended at a yield.
            try:
                who = await admit(context, policy)
                # A single request; Converse's stream of them carries no limited field.
                if isinstance(request, Message):
                    contract_limits.check(request)
                token = principal.bind(who)
                responses = streaming(request, context)
                try:
                    async for item in responses:
                        await context.write(item)
                finally:
                    await responses.aclose()
                    principal.unbind(token)
            except DomainError as error:
                await abort_with(context, error)

        factory = (
            grpc.unary_stream_rpc_method_handler
            if handler.unary_stream
            else grpc.stream_stream_rpc_method_handler
        )
        return factory(stream, handler.request_deserializer, handler.response_serializer)


def _metadata_value(context: grpc.aio.ServicerContext, name: str) -> str:
    for key, value in context.invocation_metadata() or ():
        if key.lower() == name and isinstance(value, str):
            return value
    return ""
