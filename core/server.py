"""Starting the core: a grpc.aio server with every servicer, health and reflection."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

import flowyte.v1.agent_service_pb2 as agent_pb
import flowyte.v1.agent_service_pb2_grpc as agent_grpc
import flowyte.v1.api_key_service_pb2 as api_key_pb
import flowyte.v1.api_key_service_pb2_grpc as api_key_grpc
import flowyte.v1.conversation_service_pb2 as conversation_pb
import flowyte.v1.conversation_service_pb2_grpc as conversation_grpc
import flowyte.v1.guardrail_service_pb2 as guardrail_pb
import flowyte.v1.guardrail_service_pb2_grpc as guardrail_grpc
import flowyte.v1.handoff_service_pb2 as handoff_pb
import flowyte.v1.handoff_service_pb2_grpc as handoff_grpc
import flowyte.v1.integration_service_pb2 as integration_pb
import flowyte.v1.integration_service_pb2_grpc as integration_grpc
import flowyte.v1.number_service_pb2 as number_pb
import flowyte.v1.number_service_pb2_grpc as number_grpc
import flowyte.v1.skill_service_pb2 as skill_pb
import flowyte.v1.skill_service_pb2_grpc as skill_grpc
import flowyte.v1.widget_service_pb2 as widget_pb
import flowyte.v1.widget_service_pb2_grpc as widget_grpc
from core.api.agents import AgentServicer, snapshot_document
from core.api.api_keys import ApiKeyServicer
from core.api.conversations import ConversationServicer
from core.api.guardrails import GuardrailServicer
from core.api.handoff_watch import InboxServicer
from core.api.integrations import IntegrationServicer
from core.api.interceptor import GateInterceptor
from core.api.numbers import NumberServicer
from core.api.skills import SkillServicer
from core.api.widgets import WidgetServicer, public_admit
from core.config import Settings
from core.conversations import Conversations, Handoffs
from core.engine.redaction import redact
from core.engine.turn import Brain
from core.runtime import Runtime
from core.shopify import ClientOptions
from core.shopify.lookup import OrderLookup
from core.vault import ensure_demo_master_key
from core.widgets.config import WidgetConfigs
from core.widgets.keys import PublishableKeys
from core.widgets.public import WidgetPublic
from flowyte.clock import Clock

log = logging.getLogger(__name__)


@dataclass
class CoreHandle:
    server: grpc.aio.Server
    runtime: Runtime
    port: int
    health: health.aio.HealthServicer

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def target(self) -> str:
        return f"{self.runtime.settings.grpc_host}:{self.port}"

    async def stop(self, grace: float = 1.0) -> None:
        # Not serving first: balancing clients (frontends with several cores) stop sending
        # new calls here, while the calls under way get `grace` seconds to finish.
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace)
        await self.runtime.close()

    async def wait(self) -> None:
        await self.server.wait_for_termination()


def default_brain() -> Brain:
    from core.engine.builtin import BuiltinBrain

    return BuiltinBrain()


async def start_core(
    settings: Settings, *, brain: Brain | None = None, clock: Clock | None = None
) -> CoreHandle:
    """`brain` replaces the built-in one (tests script turns with it); `clock` the process's
    (tests pin it where a result depends on the date)."""
    settings = ensure_demo_master_key(settings)
    brain = brain or default_brain()
    runtime = await Runtime.open(settings, serving=True, clock=clock)
    gate = GateInterceptor(runtime)
    server = grpc.aio.server(interceptors=[gate])
    # One OrderLookup per runtime: it holds the per-shop budgets, circuits and tokens.
    lookup = OrderLookup(runtime, options=ClientOptions.within(settings.deadlines))
    conversations = Conversations(runtime, brain, lookup, snapshot_document, redact=redact)
    conversation_grpc.add_ConversationServiceServicer_to_server(
        ConversationServicer(conversations), server
    )
    handoff_grpc.add_HandoffServiceServicer_to_server(
        InboxServicer(Handoffs(conversations.sessions)), server
    )
    agent_grpc.add_AgentServiceServicer_to_server(AgentServicer(runtime, lookup), server)
    api_key_grpc.add_ApiKeyServiceServicer_to_server(ApiKeyServicer(runtime), server)
    skill_grpc.add_SkillServiceServicer_to_server(SkillServicer(runtime), server)
    guardrail_grpc.add_GuardrailServiceServicer_to_server(GuardrailServicer(runtime), server)
    integration_grpc.add_IntegrationServiceServicer_to_server(IntegrationServicer(runtime), server)
    number_grpc.add_NumberServiceServicer_to_server(NumberServicer(runtime), server)
    publishable_keys = PublishableKeys(runtime)
    widget_configs = WidgetConfigs(runtime, publishable_keys)
    widget_public = WidgetPublic(conversations, publishable_keys, widget_configs)
    gate.public_admit = public_admit(widget_public)
    widget_grpc.add_WidgetServiceServicer_to_server(
        WidgetServicer(publishable_keys, widget_configs, widget_public), server
    )

    services = [
        agent_pb.DESCRIPTOR.services_by_name["AgentService"].full_name,
        api_key_pb.DESCRIPTOR.services_by_name["ApiKeyService"].full_name,
        skill_pb.DESCRIPTOR.services_by_name["SkillService"].full_name,
        guardrail_pb.DESCRIPTOR.services_by_name["GuardrailService"].full_name,
        integration_pb.DESCRIPTOR.services_by_name["IntegrationService"].full_name,
        conversation_pb.DESCRIPTOR.services_by_name["ConversationService"].full_name,
        handoff_pb.DESCRIPTOR.services_by_name["HandoffService"].full_name,
        widget_pb.DESCRIPTOR.services_by_name["WidgetService"].full_name,
        number_pb.DESCRIPTOR.services_by_name["NumberService"].full_name,
    ]
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in ["", *services]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection(
        [
            *services,
            health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            reflection.SERVICE_NAME,
        ],
        server,
    )
    try:
        port = server.add_insecure_port(f"{settings.grpc_host}:{settings.grpc_port}")
    except RuntimeError:
        port = 0
    if port == 0:
        await runtime.close()
        raise OSError(f"could not listen on {settings.grpc_host}:{settings.grpc_port}")
    await server.start()
    log.info("core listening on %s:%d", settings.grpc_host, port)
    return CoreHandle(server, runtime, port, health_servicer)
