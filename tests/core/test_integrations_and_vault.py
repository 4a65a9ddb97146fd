"""Connecting stores: credentials sealed, never returned, bound to their row; rotation."""

from __future__ import annotations

import dataclasses
import logging

import grpc
import pytest
from sqlalchemy import select, update

import flowyte.v1.agent_service_pb2 as agent_pb
import flowyte.v1.agent_service_pb2_grpc as agent_grpc
import flowyte.v1.guardrail_service_pb2 as g_pb
import flowyte.v1.guardrail_service_pb2_grpc as g_grpc
import flowyte.v1.integration_service_pb2 as pb
import flowyte.v1.integration_service_pb2_grpc as pb_grpc
from core.admin import rotate_vault
from core.domain.errors import VaultError
from core.store.tables import IntegrationRow
from core.vault import Keyring, Sealer, associated_data, generate_master_key_entry
from core.vault.keyring import KeyringError
from tests.core.helpers import auth, error_fields, error_reason, expect_error

CANARY = "shpat_CANARY_9f8e7d6c5b4a39281706"


def connect(shop="demo-store.myshopify.com", token=CANARY, base="") -> pb.ConnectIntegrationRequest:
    return pb.ConnectIntegrationRequest(
        kind=pb.INTEGRATION_KIND_SHOPIFY,
        api_base_url=base,
        credentials=pb.IntegrationCredentials(shop=shop, access_token=token),
    )


async def test_connect_shows_last4_only_and_seals_the_token(core, caplog):
    caplog.set_level(logging.DEBUG)
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.IntegrationServiceStub(channel)
        connected = (
            await stub.ConnectIntegration(connect(base="http://127.0.0.1:9999"), metadata=auth(key))
        ).integration
        assert (
            connected.name == "integrations/shopify"
            and connected.status == pb.INTEGRATION_STATUS_CONNECTED
        )
        assert connected.token_last4 == CANARY[-4:] and connected.shop == "demo-store.myshopify.com"
        assert connected.api_base_url == "http://127.0.0.1:9999"
        responses = [
            connected,
            (
                await stub.GetIntegration(
                    pb.GetIntegrationRequest(name="integrations/shopify"), metadata=auth(key)
                )
            ).integration,
            await stub.ListIntegrations(pb.ListIntegrationsRequest(), metadata=auth(key)),
        ]
        for response in responses:
            assert (
                CANARY not in str(response) and CANARY.encode() not in response.SerializeToString()
            )
    async with core.handle.runtime.sessions() as session:
        row = await session.scalar(select(IntegrationRow))
    assert CANARY not in row.sealed_credentials
    opened = core.handle.runtime.sealer.open(
        row.sealed_credentials, associated_data("integration", row.org_id, row.id)
    )
    assert CANARY.encode() in opened
    assert CANARY not in caplog.text


async def test_client_credentials_and_reconnect_replaces(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.IntegrationServiceStub(channel)
        first = (await stub.ConnectIntegration(connect(), metadata=auth(key))).integration
        second = (
            await stub.ConnectIntegration(
                pb.ConnectIntegrationRequest(
                    kind=pb.INTEGRATION_KIND_SHOPIFY,
                    credentials=pb.IntegrationCredentials(
                        shop="demo-store.myshopify.com",
                        client_credentials=pb.ClientCredentials(
                            client_id="app-client-id", client_secret="shpss_secret_value_1234"
                        ),
                    ),
                ),
                metadata=auth(key),
            )
        ).integration
        assert second.id == first.id and second.auth_method == pb.AUTH_METHOD_CLIENT_CREDENTIALS
        assert second.token_last4 == "1234"
        listed = (
            await stub.ListIntegrations(pb.ListIntegrationsRequest(), metadata=auth(key))
        ).integrations
        assert len(listed) == 1
        await stub.DisconnectIntegration(
            pb.DisconnectIntegrationRequest(name="integrations/shopify"), metadata=auth(key)
        )
        await expect_error(
            stub.GetIntegration(
                pb.GetIntegrationRequest(name="integrations/shopify"), metadata=auth(key)
            ),
            grpc.StatusCode.NOT_FOUND,
        )
        await expect_error(
            stub.DisconnectIntegration(
                pb.DisconnectIntegrationRequest(name="integrations/shopify"), metadata=auth(key)
            ),
            grpc.StatusCode.NOT_FOUND,
        )


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (connect(shop="not a shop"), "credentials.shop"),
        (connect(shop="evil.example.com"), "credentials.shop"),
        (connect(token=""), "credentials.access_token"),
        (connect(token="   "), "credentials.access_token"),
        (connect(token="short"), "credentials.access_token"),
        (connect(base="http://169.254.169.254/latest"), "api_base_url"),
        (connect(base="file:///etc/passwd"), "api_base_url"),
        (
            pb.ConnectIntegrationRequest(
                credentials=pb.IntegrationCredentials(shop="a.myshopify.com", access_token=CANARY)
            ),
            "kind",
        ),
    ],
)
async def test_bad_connect_input_names_the_field_and_stores_nothing(core, request_, field):
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.IntegrationServiceStub(channel)
        error = await expect_error(
            stub.ConnectIntegration(request_, metadata=auth(key)), grpc.StatusCode.INVALID_ARGUMENT
        )
        assert error_fields(error) == [field]
        assert CANARY not in error.details()
        assert not (
            await stub.ListIntegrations(pb.ListIntegrationsRequest(), metadata=auth(key))
        ).integrations


async def test_other_organizations_integration_is_not_found(core):
    mine, theirs = await core.new_org_key(), await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.IntegrationServiceStub(channel)
        await stub.ConnectIntegration(connect(), metadata=auth(mine))
        await expect_error(
            stub.GetIntegration(
                pb.GetIntegrationRequest(name="integrations/shopify"), metadata=auth(theirs)
            ),
            grpc.StatusCode.NOT_FOUND,
        )
        await expect_error(
            stub.DisconnectIntegration(
                pb.DisconnectIntegrationRequest(name="integrations/shopify"), metadata=auth(theirs)
            ),
            grpc.StatusCode.NOT_FOUND,
        )
        await stub.GetIntegration(
            pb.GetIntegrationRequest(name="integrations/shopify"), metadata=auth(mine)
        )


async def test_provisioning_needs_a_store_and_is_idempotent_with_secure_defaults(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.IntegrationServiceStub(channel)
        agent = (
            await agent_grpc.AgentServiceStub(channel).CreateAgent(
                agent_pb.CreateAgentRequest(agent=agent_pb.Agent(display_name="A")),
                metadata=auth(key),
            )
        ).agent
        request = pb.ProvisionIntegrationRequest(name="integrations/shopify", agent=agent.name)
        error = await expect_error(
            stub.ProvisionIntegration(request, metadata=auth(key)),
            grpc.StatusCode.FAILED_PRECONDITION,
        )
        assert error_reason(error) == "INTEGRATION_NOT_CONNECTED"
        await stub.ConnectIntegration(connect(), metadata=auth(key))
        first = (await stub.ProvisionIntegration(request, metadata=auth(key))).skills
        assert [(s.skill.display_name, s.created) for s in first] == [("lookup_order", True)]
        assert (
            first[0].skill.requires_verified_identity
            and "order_number" in first[0].skill.parameters_schema["properties"]
        )
        again = (await stub.ProvisionIntegration(request, metadata=auth(key))).skills
        assert [(s.skill.id, s.created) for s in again] == [(first[0].skill.id, False)]
        guard = g_grpc.GuardrailServiceStub(channel)
        methods = (
            await guard.GetCallerVerification(
                g_pb.GetCallerVerificationRequest(parent=agent.name), metadata=auth(key)
            )
        ).methods
        assert [(m.method, m.max_attempts, m.verifier_skill_id) for m in methods] == [
            (g_pb.VERIFICATION_METHOD_ORDER_MATCH, 3, first[0].skill.id)
        ]
        policies = (
            await guard.GetGuardrails(
                g_pb.GetGuardrailsRequest(parent=agent.name), metadata=auth(key)
            )
        ).guardrails
        (disclosure,) = [
            p for p in policies if p.policy_type == g_pb.POLICY_TYPE_VERIFY_BEFORE_DISCLOSE
        ]
        fields = disclosure.config["fields"]
        assert fields["found"] == "anyone" and fields["tracking_number"] == "verified"
        actions = (
            await stub.ListIntegrationActions(
                pb.ListIntegrationActionsRequest(name="integrations/shopify"), metadata=auth(key)
            )
        ).actions
        assert [a.name for a in actions] == ["lookup_order"]
        removed = await stub.UnprovisionIntegration(
            pb.UnprovisionIntegrationRequest(name="integrations/shopify", agent=agent.name),
            metadata=auth(key),
        )
        assert list(removed.removed_skill_ids) == [first[0].skill.id]


def test_sealed_values_fail_closed_when_altered_moved_or_keyless():
    ring = Keyring.parse(generate_master_key_entry("a"))
    sealer = Sealer(ring)
    aad = associated_data("integration", "org_1", "int_1")
    sealed = sealer.seal(b"secret", aad)
    assert sealer.open(sealed, aad) == b"secret"
    tampered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    with pytest.raises(VaultError):
        sealer.open(tampered, aad)
    with pytest.raises(VaultError):  # copied into another organization's row
        sealer.open(sealed, associated_data("integration", "org_2", "int_1"))
    with pytest.raises(VaultError, match="lacks"):
        Sealer(Keyring.parse(generate_master_key_entry("b"))).open(sealed, aad)


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "nokey",
        "a:!!!",
        "a:c2hvcnQ",
        f"{generate_master_key_entry('a')},{generate_master_key_entry('a')}",
    ],
)
def test_malformed_master_keys_are_refused_without_echoing_them(spec):
    with pytest.raises(KeyringError) as error:
        Keyring.parse(spec)
    if ":" in spec:
        assert spec.split(":", 1)[1][:20] not in str(error.value)


async def test_rotation_reseals_under_the_newest_key_and_is_safe_to_rerun(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        # with an idempotency key: its saved response is sealed too, and rotated with the rest
        await pb_grpc.IntegrationServiceStub(channel).ConnectIntegration(
            connect(), metadata=auth(key, **{"idempotency-key": "connect-1"})
        )
    old = core.settings.master_keys
    rotated = dataclasses.replace(
        core.settings, master_keys=f"{generate_master_key_entry('k2')},{old}"
    )
    assert await rotate_vault(rotated) == 2
    assert await rotate_vault(rotated) == 0  # rerun after a crash or by mistake: nothing left
    async with core.handle.runtime.sessions() as session:
        row = await session.scalar(select(IntegrationRow))
    assert row.sealed_credentials.startswith("fv1.k2.")
    only_new = Sealer(Keyring.parse(rotated.master_keys.split(",")[0]))
    assert CANARY.encode() in only_new.open(
        row.sealed_credentials, associated_data("integration", row.org_id, row.id)
    )


async def test_rotation_stops_at_a_tampered_row(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        await pb_grpc.IntegrationServiceStub(channel).ConnectIntegration(
            connect(), metadata=auth(key)
        )
    async with core.handle.runtime.sessions() as session:
        row = await session.scalar(select(IntegrationRow))
        await session.execute(
            update(IntegrationRow).values(
                sealed_credentials=row.sealed_credentials[:-8] + "AAAAAAA="
            )
        )
        await session.commit()
    rotated = dataclasses.replace(
        core.settings, master_keys=f"{generate_master_key_entry('k2')},{core.settings.master_keys}"
    )
    with pytest.raises(VaultError, match="altered or moved"):
        await rotate_vault(rotated)
