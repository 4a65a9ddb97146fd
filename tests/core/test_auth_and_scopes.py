"""Every RPC the core serves checks the key and the scope its contract declares."""

from __future__ import annotations

import grpc
import pytest
from google.protobuf import descriptor_pool
from google.protobuf.message_factory import GetMessageClass

import flowyte.v1.annotations_pb2 as annotations
import flowyte.v1.api_key_service_pb2 as key_pb
import flowyte.v1.api_key_service_pb2_grpc as key_grpc
from core.domain.scopes import SECRET_KEY_SCOPES
from tests.core.helpers import auth, error_reason, expect_error

SERVED = ["AgentService", "ApiKeyService", "SkillService", "GuardrailService", "IntegrationService"]


def served_methods() -> list[tuple[str, str, str]]:
    pool = descriptor_pool.Default()
    methods = []
    for service in SERVED:
        descriptor = pool.FindServiceByName(f"flowyte.v1.{service}")
        for method in descriptor.methods:
            scope = method.GetOptions().Extensions[annotations.required_scope]
            methods.append((service, method.name, scope))
    return methods


def unary(channel: grpc.aio.Channel, service: str, method: str) -> grpc.aio.UnaryUnaryMultiCallable:
    descriptor = descriptor_pool.Default().FindServiceByName(f"flowyte.v1.{service}")
    m = descriptor.methods_by_name[method]
    return channel.unary_unary(
        f"/flowyte.v1.{service}/{method}",
        request_serializer=lambda r: r.SerializeToString(),
        response_deserializer=GetMessageClass(m.output_type).FromString,
    ), GetMessageClass(m.input_type)


@pytest.mark.parametrize(("service", "method", "scope"), served_methods())
async def test_each_rpc_denies_without_its_scope_and_admits_with_it(core, service, method, scope):
    org = await core.new_org()
    without = await core.new_key(org, [s for s in SECRET_KEY_SCOPES if s != scope])
    only = await core.new_key(org, [scope])
    async with core.channel() as channel:
        call, request_type = unary(channel, service, method)
        denied = await expect_error(
            call(request_type(), metadata=auth(without)), grpc.StatusCode.PERMISSION_DENIED
        )
        assert error_reason(denied) == "MISSING_SCOPE"
        assert scope in denied.details()
        try:
            await call(request_type(), metadata=auth(only))
        except grpc.aio.AioRpcError as error:  # an empty request is usually invalid: fine
            assert error.code() not in (
                grpc.StatusCode.PERMISSION_DENIED,
                grpc.StatusCode.UNAUTHENTICATED,
            )


@pytest.mark.parametrize(
    "metadata",
    [
        (),
        (("authorization", "Bearer nope"),),
        (("authorization", "flowyte_sk_live_x"),),
        (("authorization", "Bearer flowyte_sk_live_" + "a" * 43),),
    ],
    ids=["none", "garbage", "no-scheme", "unknown-key"],
)
async def test_missing_or_unknown_key_is_unauthenticated(core, metadata):
    async with core.channel() as channel:
        stub = key_grpc.ApiKeyServiceStub(channel)
        error = await expect_error(
            stub.ListApiKeys(key_pb.ListApiKeysRequest(), metadata=metadata),
            grpc.StatusCode.UNAUTHENTICATED,
        )
        assert error_reason(error) == "UNAUTHENTICATED"


async def test_revoked_key_stops_working_on_the_next_call(core):
    org = await core.new_org()
    admin = await core.new_key(org, ["keys:write"])
    async with core.channel() as channel:
        stub = key_grpc.ApiKeyServiceStub(channel)
        created = await stub.CreateApiKey(
            key_pb.CreateApiKeyRequest(display_name="ci", scopes=["keys:write"]),
            metadata=auth(admin),
        )
        await stub.ListApiKeys(key_pb.ListApiKeysRequest(), metadata=auth(created.secret))
        await stub.RevokeApiKey(
            key_pb.RevokeApiKeyRequest(name=created.api_key.name), metadata=auth(admin)
        )
        await expect_error(
            stub.ListApiKeys(key_pb.ListApiKeysRequest(), metadata=auth(created.secret)),
            grpc.StatusCode.UNAUTHENTICATED,
        )
        # the revoking key itself still works
        await stub.ListApiKeys(key_pb.ListApiKeysRequest(), metadata=auth(admin))


async def test_health_and_reflection_answer_without_a_key(core):
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

    async with core.channel() as channel:
        health = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service="flowyte.v1.AgentService")
        )
        assert health.status == health_pb2.HealthCheckResponse.SERVING
        stream = reflection_pb2_grpc.ServerReflectionStub(channel).ServerReflectionInfo(
            iter([reflection_pb2.ServerReflectionRequest(list_services="")])
        )
        names = set()
        async for answer in stream:
            names |= {s.name for s in answer.list_services_response.service}
        assert {f"flowyte.v1.{s}" for s in SERVED} <= names
