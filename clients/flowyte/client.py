"""The async Python SDK: one grpc.aio channel to the core and its generated stubs.

Auth and deadlines are added by a client interceptor rather than by wrapping each stub, so
the stubs stay the generated ones (full typing, every RPC) and a caller can still override
the key per call: metadata it passes wins over the client's defaults. That override is what
the frontends use to pass each HTTP caller's own key through one shared channel.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Iterable
from types import TracebackType
from typing import Any, TypeAlias

import grpc
import grpc.aio

from flowyte.v1 import (
    agent_service_pb2_grpc,
    api_key_service_pb2_grpc,
    conversation_service_pb2_grpc,
    guardrail_service_pb2_grpc,
    handoff_service_pb2_grpc,
    integration_service_pb2_grpc,
    number_service_pb2_grpc,
    skill_service_pb2_grpc,
    widget_service_pb2_grpc,
)

Details: TypeAlias = grpc.aio.ClientCallDetails
Continuation = Callable[[Details, Any], Awaitable[Any]]

AUTHORIZATION = "authorization"


def call_metadata(api_key: str | None = None, **extra: str | None) -> grpc.aio.Metadata:
    """Metadata for one call: `api_key` becomes `authorization: Bearer …`.

    Keyword names are header names with `_` for `-` (`idempotency_key=` →
    `idempotency-key`); None values are left out so callers can pass optional headers as-is.
    """
    md = grpc.aio.Metadata()
    if api_key is not None:
        md.add(AUTHORIZATION, f"Bearer {api_key}")
    for key, value in extra.items():
        if value is not None:
            md.add(key.replace("_", "-").lower(), value)
    return md


def _as_metadata(metadata: Any) -> grpc.aio.Metadata:
    # Always a copy: the caller's object may be reused for its next call.
    return grpc.aio.Metadata(*(metadata or ()))


class _Defaults:
    """Fills in what a call did not set: the client's key and a deadline."""

    def __init__(self, api_key: str | None, timeout: float) -> None:
        self.api_key = api_key
        self.timeout = timeout

    def apply(self, details: grpc.aio.ClientCallDetails) -> grpc.aio.ClientCallDetails:
        md = _as_metadata(details.metadata)
        if self.api_key is not None and AUTHORIZATION not in md:
            md.add(AUTHORIZATION, f"Bearer {self.api_key}")
        timeout = details.timeout if details.timeout is not None else self.timeout
        return details._replace(metadata=md, timeout=timeout)


class _UnaryUnary(grpc.aio.UnaryUnaryClientInterceptor):
    """Defaults, plus retries of UNAVAILABLE within the call's own deadline.

    UNAVAILABLE means the core did not take the call (restart, connection lost), so a retry
    is safe; calls that change something also carry an idempotency key the core honours.
    """

    def __init__(self, defaults: _Defaults, retries: int) -> None:
        self._defaults = defaults
        self._retries = retries

    async def intercept_unary_unary(
        self, continuation: Continuation, client_call_details: Details, request: Any
    ) -> Any:
        details = self._defaults.apply(client_call_details)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + details.timeout
        backoff = 0.05
        attempt = 0
        while True:
            remaining = deadline - loop.time()
            call = await continuation(details._replace(timeout=max(remaining, 0.001)), request)
            code = await call.code()
            if code != grpc.StatusCode.UNAVAILABLE or attempt >= self._retries:
                return call
            # Full jitter: replicas that lost the core together do not come back together.
            delay = random.uniform(0, backoff)
            if loop.time() + delay >= deadline:
                return call
            await asyncio.sleep(delay)
            backoff = min(backoff * 2, 1.0)
            attempt += 1


# grpc.aio files each interceptor under the first of the four kinds it is an instance of,
# so one class cannot serve all four: hence three small pass-through ones.
class _UnaryStream(grpc.aio.UnaryStreamClientInterceptor):
    def __init__(self, defaults: _Defaults) -> None:
        self._defaults = defaults

    async def intercept_unary_stream(
        self, continuation: Continuation, client_call_details: Details, request: Any
    ) -> Any:
        return await continuation(self._defaults.apply(client_call_details), request)


class _StreamUnary(grpc.aio.StreamUnaryClientInterceptor):
    def __init__(self, defaults: _Defaults) -> None:
        self._defaults = defaults

    async def intercept_stream_unary(
        self, continuation: Continuation, client_call_details: Details, request_iterator: Any
    ) -> Any:
        return await continuation(self._defaults.apply(client_call_details), request_iterator)


class _StreamStream(grpc.aio.StreamStreamClientInterceptor):
    def __init__(self, defaults: _Defaults) -> None:
        self._defaults = defaults

    async def intercept_stream_stream(
        self, continuation: Continuation, client_call_details: Details, request_iterator: Any
    ) -> Any:
        return await continuation(self._defaults.apply(client_call_details), request_iterator)


class FlowyteClient:
    """Async client of the Flowyte core.

    >>> async with FlowyteClient("127.0.0.1:50051", api_key) as fc:
    ...     agents = await fc.agents.ListAgents(agent_service_pb2.ListAgentsRequest())

    Streaming calls get the default deadline too; pass a longer `timeout=` to long-lived
    streams such as `Converse`.
    """

    def __init__(
        self,
        target: str,
        api_key: str | None = None,
        *,
        timeout: float = 10.0,
        retries: int = 3,
        options: Iterable[tuple[str, Any]] = (),
    ) -> None:
        self.target = target
        self._defaults = _Defaults(api_key, timeout)
        interceptors: list[grpc.aio.ClientInterceptor] = [
            _UnaryUnary(self._defaults, retries),
            _UnaryStream(self._defaults),
            _StreamUnary(self._defaults),
            _StreamStream(self._defaults),
        ]
        self.channel = grpc.aio.insecure_channel(
            target, options=list(options), interceptors=interceptors
        )
        self.agents = agent_service_pb2_grpc.AgentServiceStub(self.channel)
        self.skills = skill_service_pb2_grpc.SkillServiceStub(self.channel)
        self.guardrails = guardrail_service_pb2_grpc.GuardrailServiceStub(self.channel)
        self.integrations = integration_service_pb2_grpc.IntegrationServiceStub(self.channel)
        self.api_keys = api_key_service_pb2_grpc.ApiKeyServiceStub(self.channel)
        self.conversations = conversation_service_pb2_grpc.ConversationServiceStub(self.channel)
        self.handoffs = handoff_service_pb2_grpc.HandoffServiceStub(self.channel)
        self.widget = widget_service_pb2_grpc.WidgetServiceStub(self.channel)
        self.numbers = number_service_pb2_grpc.NumberServiceStub(self.channel)

    def stub(self, service: str) -> Any:
        """The stub of a service by its proto name, e.g. "AgentService"."""
        return {
            "AgentService": self.agents,
            "SkillService": self.skills,
            "GuardrailService": self.guardrails,
            "IntegrationService": self.integrations,
            "ApiKeyService": self.api_keys,
            "ConversationService": self.conversations,
            "HandoffService": self.handoffs,
            "WidgetService": self.widget,
            "NumberService": self.numbers,
        }[service]

    @property
    def api_key(self) -> str | None:
        return self._defaults.api_key

    def metadata(self, api_key: str | None = None, **extra: str | None) -> grpc.aio.Metadata:
        """Per-call metadata; see `call_metadata`."""
        return call_metadata(api_key, **extra)

    async def close(self) -> None:
        await self.channel.close()

    async def __aenter__(self) -> FlowyteClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
