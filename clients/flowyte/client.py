"""The async Python SDK: one grpc.aio channel to the core and its generated stubs.

Auth and deadlines are added by the channel the stubs are built on rather than by wrapping
each stub, so the stubs stay the generated ones (every RPC) and a caller can still override
the key per call: metadata it passes wins over the client's defaults. That override is what
the frontends use to pass each HTTP caller's own key through one shared channel.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import random
from collections.abc import Awaitable, Iterable
from types import TracebackType
from typing import Any

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

    def metadata(self, metadata: Any) -> grpc.aio.Metadata:
        md = _as_metadata(metadata)
        if self.api_key is not None and AUTHORIZATION not in md:
            md.add(AUTHORIZATION, f"Bearer {self.api_key}")
        return md

    def deadline(self, timeout: float | None) -> float:
        return timeout if timeout is not None else self.timeout


class _DefaultingChannel:
    """The channel as the generated stubs see it: every multicallable it hands out fills in
    the client's defaults, and unary calls retry UNAVAILABLE.

    This wraps the multicallables rather than using grpc.aio client interceptors: an
    intercepted call runs as an extra task with its own wrapper objects, about 0.3 ms per
    call on a busy loop, which a gateway pays on every request it forwards.
    """

    def __init__(self, channel: grpc.aio.Channel, defaults: _Defaults, retries: int) -> None:
        self._channel = channel
        self._defaults = defaults
        self._retries = retries

    def unary_unary(self, method: str, *args: Any, **kwargs: Any) -> _RetryingUnaryUnary:
        inner = self._channel.unary_unary(method, *args, **kwargs)
        return _RetryingUnaryUnary(inner, self._defaults, self._retries)

    def unary_stream(self, method: str, *args: Any, **kwargs: Any) -> _WithDefaults:
        return _WithDefaults(self._channel.unary_stream(method, *args, **kwargs), self._defaults)

    def stream_unary(self, method: str, *args: Any, **kwargs: Any) -> _WithDefaults:
        return _WithDefaults(self._channel.stream_unary(method, *args, **kwargs), self._defaults)

    def stream_stream(self, method: str, *args: Any, **kwargs: Any) -> _WithDefaults:
        return _WithDefaults(self._channel.stream_stream(method, *args, **kwargs), self._defaults)


class _WithDefaults:
    """A streaming multicallable with the client's key and deadline filled in."""

    def __init__(self, inner: Any, defaults: _Defaults) -> None:
        self._inner = inner
        self._defaults = defaults

    def __call__(
        self, *args: Any, timeout: float | None = None, metadata: Any = None, **kwargs: Any
    ) -> Any:
        return self._inner(
            *args,
            timeout=self._defaults.deadline(timeout),
            metadata=self._defaults.metadata(metadata),
            **kwargs,
        )


class _RetryingUnaryUnary:
    """A unary call with the client's defaults, retrying UNAVAILABLE within its one deadline.

    UNAVAILABLE means the core did not take the call (restart, connection lost), so a retry
    is safe; calls that change something also carry an idempotency key the core honours.
    """

    def __init__(self, inner: Any, defaults: _Defaults, retries: int) -> None:
        self._inner = inner
        self._defaults = defaults
        self._retries = retries

    def __call__(
        self, request: Any, *, timeout: float | None = None, metadata: Any = None, **kwargs: Any
    ) -> Awaitable[Any]:
        seconds = self._defaults.deadline(timeout)
        return self._call(request, seconds, self._defaults.metadata(metadata), kwargs)

    async def _call(
        self, request: Any, seconds: float, metadata: grpc.aio.Metadata, kwargs: dict[str, Any]
    ) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        backoff = 0.05
        attempt = 0
        while True:
            remaining = max(deadline - loop.time(), 0.001)
            try:
                return await self._inner(request, timeout=remaining, metadata=metadata, **kwargs)
            except grpc.aio.AioRpcError as error:
                if error.code() != grpc.StatusCode.UNAVAILABLE or attempt >= self._retries:
                    raise
                # Full jitter: replicas that lost the core together do not come back together.
                delay = random.uniform(0, backoff)
                if loop.time() + delay >= deadline:
                    raise
            await asyncio.sleep(delay)
            backoff = min(backoff * 2, 1.0)
            attempt += 1


# gRPC's own balancing: calls go round the cores that are up, and a core that says it is
# not serving (its health service, as it shuts down) gets none.
BALANCED = json.dumps(
    {"loadBalancingConfig": [{"round_robin": {}}], "healthCheckConfig": {"serviceName": ""}}
)


def channel_target(target: str) -> str:
    """The gRPC target for one core address (`host:port`, or a DNS name that resolves to
    several cores) or for several, comma-separated: those must be IP addresses (`10.0.0.1:
    50051,10.0.0.2:50051`, `[::1]:50051,…`), as gRPC's ipv4:/ipv6: resolvers take them."""
    addresses = [a.strip() for a in target.split(",") if a.strip()]
    if len(addresses) < 2:
        return target.strip()
    scheme = "ipv6" if all(a.startswith("[") for a in addresses) else "ipv4"
    for address in addresses:
        host = address.rsplit(":", 1)[0].strip("[]")
        try:
            ipaddress.ip_address(host)
        except ValueError:
            raise ValueError(
                f"several core addresses must be IP addresses, not {host!r}: give them as "
                "IPs, or give one DNS name that resolves to every core"
            ) from None
    return f"{scheme}:{','.join(addresses)}"


class FlowyteClient:
    """Async client of the Flowyte core.

    >>> async with FlowyteClient("127.0.0.1:50051", api_key) as fc:
    ...     agents = await fc.agents.ListAgents(agent_service_pb2.ListAgentsRequest())

    `target` may name several cores (see `channel_target`): calls are balanced round-robin
    over those that are up and serving, and a unary call that finds one gone is retried on
    another. Streaming calls get the default deadline too; pass a longer `timeout=` to
    long-lived streams such as `Converse`.
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
        self.channel = grpc.aio.insecure_channel(
            channel_target(target), options=[("grpc.service_config", BALANCED), *options]
        )
        channel: Any = _DefaultingChannel(self.channel, self._defaults, retries)
        self.agents = agent_service_pb2_grpc.AgentServiceStub(channel)
        self.skills = skill_service_pb2_grpc.SkillServiceStub(channel)
        self.guardrails = guardrail_service_pb2_grpc.GuardrailServiceStub(channel)
        self.integrations = integration_service_pb2_grpc.IntegrationServiceStub(channel)
        self.api_keys = api_key_service_pb2_grpc.ApiKeyServiceStub(channel)
        self.conversations = conversation_service_pb2_grpc.ConversationServiceStub(channel)
        self.handoffs = handoff_service_pb2_grpc.HandoffServiceStub(channel)
        self.widget = widget_service_pb2_grpc.WidgetServiceStub(channel)
        self.numbers = number_service_pb2_grpc.NumberServiceStub(channel)

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
