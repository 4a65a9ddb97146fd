"""Operator commands run beside the database: the first key, vault rotation, the demo."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select, update

from core.api.api_keys import insert_key
from core.config import Settings
from core.domain import scopes as scope_rules
from core.domain.errors import InvalidArgument
from core.domain.ids import new_id, now_ms
from core.runtime import Runtime
from core.store.tables import AgentRow, IdempotencyRecord, IntegrationRow, Organization
from core.vault import associated_data, ensure_demo_master_key

log = logging.getLogger(__name__)

DEMO_ORG_NAME = "Flowyte demo"


async def _create_org(runtime: Runtime, name: str) -> str:
    org = Organization(id=new_id("organization"), name=name, created_ms=now_ms())
    async with runtime.sessions() as session:
        session.add(org)
        await session.commit()
    return org.id


async def create_api_key(
    settings: Settings, scopes: list[str], name: str = "cli", org_id: str | None = None
) -> tuple[str, str]:
    """Returns (organization id, secret). Without org_id a new organization is created."""
    checked = scope_rules.validate_secret_key_scopes(scopes)
    runtime = await Runtime.open(ensure_demo_master_key(settings))
    try:
        if org_id is None:
            org_id = await _create_org(runtime, name)
        else:
            async with runtime.sessions() as session:
                if await session.get(Organization, org_id) is None:
                    raise InvalidArgument(f"no organization {org_id}", field="org")
        _, secret = await insert_key(runtime, org_id, name, checked)
        return org_id, secret
    finally:
        await runtime.close()


async def rotate_vault(settings: Settings) -> int:
    """Re-seals every sealed value under the newest master key. Each row is its own
    transaction and is skipped once it is under the newest key, so a crash half-way is
    finished by running it again."""
    runtime = await Runtime.open(ensure_demo_master_key(settings))
    sealer = runtime.sealer
    resealed = 0
    try:
        async with runtime.sessions() as session:
            integrations = [
                (r.id, r.org_id, r.sealed_credentials)
                for r in (await session.scalars(select(IntegrationRow))).all()
            ]
            records = [
                (r.org_id, r.key, r.sealed_response)
                for r in (await session.scalars(select(IdempotencyRecord))).all()
            ]
        for row_id, org_id, sealed in integrations:
            if not sealer.needs_reseal(sealed):
                continue
            aad = associated_data("integration", org_id, row_id)
            fresh = sealer.seal(sealer.open(sealed, aad), aad)
            async with runtime.sessions() as session:
                await session.execute(
                    update(IntegrationRow)
                    .where(IntegrationRow.id == row_id, IntegrationRow.sealed_credentials == sealed)
                    .values(sealed_credentials=fresh)
                )
                await session.commit()
            resealed += 1
        for org_id, key, sealed_response in records:
            if sealed_response is None or not sealer.needs_reseal(sealed_response):
                continue
            aad = associated_data("idempotency", org_id, key)
            fresh = sealer.seal(sealer.open(sealed_response, aad), aad)
            async with runtime.sessions() as session:
                await session.execute(
                    update(IdempotencyRecord)
                    .where(
                        IdempotencyRecord.org_id == org_id,
                        IdempotencyRecord.key == key,
                        IdempotencyRecord.sealed_response == sealed_response,
                    )
                    .values(sealed_response=fresh)
                )
                await session.commit()
            resealed += 1
    finally:
        await runtime.close()
    log.info(
        "vault rotate: re-sealed %d value(s) under key %s", resealed, sealer.keyring.sealing_kid
    )
    return resealed


async def setup_demo(settings: Settings) -> dict[str, Any]:
    """A demo organization with a full-scope key and an agent; reused across restarts,
    with a fresh key each start (keys are stored only as hashes, so the old one cannot be
    shown again)."""
    runtime = await Runtime.open(ensure_demo_master_key(settings))
    try:
        async with runtime.sessions() as session:
            org = await session.scalar(
                select(Organization).where(Organization.name == DEMO_ORG_NAME)
            )
            org_id = org.id if org else None
        if org_id is None:
            org_id = await _create_org(runtime, DEMO_ORG_NAME)
        _, secret = await insert_key(runtime, org_id, "demo", list(scope_rules.SECRET_KEY_SCOPES))
        async with runtime.sessions() as session:
            agent = await session.scalar(
                select(AgentRow).where(AgentRow.org_id == org_id).order_by(AgentRow.id)
            )
            if agent is None:
                stamp = now_ms()
                agent = AgentRow(
                    id=new_id("agent"),
                    org_id=org_id,
                    display_name="Order status assistant",
                    settings={
                        "persona": "A friendly order-status assistant for Example Outfitters.",
                        "greeting": "Hi! I can tell you where your order is. Your order number?",
                        "language": "en-US",
                    },
                    guardrails=[],
                    caller_verification=[],
                    published_version=0,
                    created_ms=stamp,
                    updated_ms=stamp,
                )
                session.add(agent)
                await session.commit()
        return {"apiKey": secret, "agentId": agent.id, "orgId": org_id}
    finally:
        await runtime.close()
