"""Operator commands run beside the database: the first key, vault rotation, the demo."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import select, update

from core.config import Settings
from core.domain import scopes as scope_rules
from core.domain.errors import InvalidArgument
from core.domain.ids import new_id
from core.runtime import Runtime
from core.services import idempotency
from core.services.api_keys import ApiKeys
from core.store.tables import AgentRow, IdempotencyRecord, IntegrationRow, Organization, SkillRow
from core.vault import associated_data, ensure_demo_master_key

log = logging.getLogger(__name__)

DEMO_ORG_NAME = "Flowyte demo"


async def _create_org(runtime: Runtime, name: str) -> str:
    org = Organization(id=new_id("organization"), name=name, created_ms=runtime.now_ms())
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
        _, secret = await ApiKeys(runtime).create(org_id, name, checked)
        return org_id, secret
    finally:
        await runtime.close()


@dataclass(frozen=True)
class _SealedColumn:
    """A column holding vault-sealed values, and how to find each value's associated data."""

    model: Any
    column: str
    keys: tuple[str, ...]  # the row's key columns, in the order `context` takes them
    context: Callable[..., bytes]  # the associated data, from those columns' values


_SEALED_COLUMNS = (
    _SealedColumn(
        IntegrationRow,
        "sealed_credentials",
        ("org_id", "id"),
        partial(associated_data, "integration"),
    ),
    _SealedColumn(
        IdempotencyRecord,
        "sealed_response",
        ("org_id", "api_key_id", "key"),
        idempotency.sealing_context,
    ),
    _SealedColumn(
        SkillRow,
        "sealed_headers",
        ("org_id", "id"),
        partial(associated_data, "skill"),
    ),
)


async def rotate_vault(settings: Settings) -> int:
    """Re-seals every sealed value under the newest master key. Each row is its own
    transaction, guarded by the old value, and is skipped once it is under the newest key,
    so a crash half-way is finished by running it again."""
    runtime = await Runtime.open(ensure_demo_master_key(settings))
    sealer = runtime.sealer
    resealed = 0
    try:
        for target in _SEALED_COLUMNS:
            column = getattr(target.model, target.column)
            key_columns = [getattr(target.model, k) for k in target.keys]
            async with runtime.sessions() as session:
                rows = (await session.execute(select(*key_columns, column))).all()
            for *row_keys, sealed in rows:
                if sealed is None or not sealer.needs_reseal(sealed):
                    continue
                aad = target.context(*row_keys)
                fresh = sealer.seal(sealer.open(sealed, aad), aad)
                async with runtime.sessions() as session:
                    await session.execute(
                        update(target.model)
                        .where(*(c == v for c, v in zip(key_columns, row_keys, strict=True)))
                        .where(column == sealed)
                        .values({target.column: fresh})
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
    """A demo organization with a key holding every standard scope (not the voice
    frontend's calls:caller_id) and an agent; reused across restarts, with a fresh key each
    start (keys are stored only as hashes, so the old one cannot be shown again)."""
    runtime = await Runtime.open(ensure_demo_master_key(settings))
    try:
        async with runtime.sessions() as session:
            org = await session.scalar(
                select(Organization).where(Organization.name == DEMO_ORG_NAME)
            )
            org_id = org.id if org else None
        if org_id is None:
            org_id = await _create_org(runtime, DEMO_ORG_NAME)
        _, secret = await ApiKeys(runtime).create(org_id, "demo", list(scope_rules.STANDARD_SCOPES))
        async with runtime.sessions() as session:
            agent = await session.scalar(
                select(AgentRow).where(AgentRow.org_id == org_id).order_by(AgentRow.id)
            )
            if agent is None:
                stamp = runtime.now_ms()
                agent = AgentRow(
                    id=new_id("agent"),
                    org_id=org_id,
                    display_name="Order status assistant",
                    settings={
                        "persona": "A friendly order-status assistant for Example Outfitters.",
                        "greeting": "Hi! I can tell you where your order is.",
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


async def migrate(settings: Settings) -> None:
    """Brings the database to the latest schema (opening a runtime migrates it)."""
    runtime = await Runtime.open(ensure_demo_master_key(settings))
    await runtime.close()
