"""Agents: drafts, their published versions (frozen snapshots), rollback, and what the diff
and the prepublish report read. The snapshot document's shape is the contract's
AgentSnapshot, so the gRPC layer supplies how a draft becomes one (`SnapshotOf`) and how a
snapshot becomes a draft again (`Restore`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.domain.errors import Conflict, InvalidArgument, NotFound
from core.domain.guardrails import default_policies
from core.domain.ids import new_id
from core.runtime import Runtime
from core.store.repository import org_query, owned, page
from core.store.tables import AgentRow, AgentVersionRow, IntegrationRow, SkillRow

from .skills import agent_skills

SnapshotOf = Callable[[AgentRow, list[SkillRow]], dict[str, Any]]


@dataclass(frozen=True)
class RestoredSkill:
    id: str
    display_name: str
    definition: dict[str, Any]
    created_ms: int


@dataclass(frozen=True)
class RestoredDraft:
    """A published version's snapshot as the draft it was."""

    display_name: str
    settings: dict[str, Any]
    guardrails: list[dict[str, Any]]
    caller_verification: list[dict[str, Any]]
    skills: list[RestoredSkill]


Restore = Callable[[dict[str, Any]], RestoredDraft]


@dataclass(frozen=True)
class PrepublishInputs:
    draft: dict[str, Any]  # the draft's snapshot
    latest: dict[str, Any] | None  # the published version's, if any
    connected: set[str]  # the organization's integration kinds


async def draft_snapshot(
    session: AsyncSession, row: AgentRow, snapshot_of: SnapshotOf
) -> dict[str, Any]:
    """The draft's document, as publish makes it."""
    return snapshot_of(row, await agent_skills(session, row.id))


async def _freeze(
    session: AsyncSession,
    row: AgentRow,
    note: str,
    at_ms: int,
    snapshot_of: SnapshotOf,
    rolled_back_from: int = 0,
) -> AgentVersionRow:
    """Publishes the draft as the next number; the primary key turns a race into a 409."""
    version = AgentVersionRow(
        agent_id=row.id,
        number=row.published_version + 1,
        org_id=row.org_id,
        note=note,
        snapshot=await draft_snapshot(session, row, snapshot_of),
        rolled_back_from=rolled_back_from,
        created_ms=at_ms,
    )
    session.add(version)
    row.published_version = version.number
    try:
        await session.commit()
    except IntegrityError:
        raise Conflict(
            "another publish of this agent happened at the same time; retry", "PUBLISH_RACE"
        ) from None
    return version


async def _version(session: AsyncSession, agent_id: str, number: int) -> AgentVersionRow:
    version = await session.get(AgentVersionRow, (agent_id, number))
    if version is None:
        raise NotFound("version")
    return version


class Agents:
    def __init__(self, runtime: Runtime, snapshot_of: SnapshotOf):
        self.runtime = runtime
        self.snapshot_of = snapshot_of

    async def create(self, org_id: str, display_name: str, settings: dict[str, Any]) -> AgentRow:
        """A new draft (display name and settings already checked), secure by default."""
        stamp = self.runtime.now_ms()
        row = AgentRow(
            id=new_id("agent"),
            org_id=org_id,
            display_name=display_name,
            settings=settings,
            guardrails=default_policies(),
            caller_verification=[],
            published_version=0,
            created_ms=stamp,
            updated_ms=stamp,
        )
        async with self.runtime.sessions() as session:
            session.add(row)
            await session.commit()
        return row

    async def encoded(
        self, org_id: str, agent_id: str, encode: Callable[[AgentRow], bytes]
    ) -> bytes:
        """The agent as `encode` writes it, through the read cache where it is on."""

        async def load() -> tuple[str, bytes]:
            async with self.runtime.sessions() as session:
                row = await owned(session, AgentRow, org_id, agent_id, "agent")
            return row.org_id, encode(row)

        cached = await self.runtime.cache.get_or_load("agent", agent_id, load)
        assert cached is not None
        owner, agent = cached
        if owner != org_id:
            raise NotFound("agent")
        return bytes(agent)

    async def list_page(
        self, org_id: str, published_only: bool, after: str | None, size: int
    ) -> tuple[list[AgentRow], str | None]:
        query = org_query(AgentRow, org_id)
        if published_only:
            query = query.where(AgentRow.published_version > 0)
        async with self.runtime.sessions() as session:
            return await page(session, query, AgentRow.id, after, size)

    async def update(
        self, org_id: str, agent_id: str, edit: Callable[[AgentRow], None]
    ) -> AgentRow:
        """The draft as `edit` changes it (its display name and settings)."""
        async with self.runtime.sessions() as session:
            row = await owned(session, AgentRow, org_id, agent_id, "agent")
            edit(row)
            row.updated_ms = self.runtime.now_ms()
            await session.commit()
        return row

    async def delete(self, org_id: str, agent_id: str) -> None:
        async with self.runtime.sessions() as session:
            row = await owned(session, AgentRow, org_id, agent_id, "agent")
            await session.delete(row)
            await session.commit()

    async def publish(self, org_id: str, agent_id: str, note: str) -> AgentVersionRow:
        async with self.runtime.sessions() as session:
            row = await owned(session, AgentRow, org_id, agent_id, "agent")
            return await _freeze(session, row, note, self.runtime.now_ms(), self.snapshot_of)

    async def versions(
        self, org_id: str, agent_id: str, before: str | None, size: int
    ) -> tuple[list[AgentVersionRow], int | None]:
        """Newest first; `before` is a page token (a version number)."""
        async with self.runtime.sessions() as session:
            await owned(session, AgentRow, org_id, agent_id, "agent")
            if before is not None and not before.isdigit():
                raise InvalidArgument("page_token is not one this API issued", field="page_token")
            return await page(
                session,
                select(AgentVersionRow).where(AgentVersionRow.agent_id == agent_id),
                AgentVersionRow.number,
                int(before) if before is not None else None,
                size,
                descending=True,
            )

    async def rollback(
        self, org_id: str, agent_id: str, number: int, restore: Restore
    ) -> AgentVersionRow:
        """The draft becomes version `number` again, published as the next version."""
        async with self.runtime.sessions() as session:
            row = await owned(session, AgentRow, org_id, agent_id, "agent")
            target = await _version(session, agent_id, number)
            restored = restore(target.snapshot)
            row.display_name = restored.display_name
            row.settings = restored.settings
            row.guardrails = restored.guardrails
            row.caller_verification = restored.caller_verification
            # The widget config travels with the version (core/widgets/config.py reads it back).
            row.widget = dict(target.snapshot.get("widget", {}))
            row.updated_ms = self.runtime.now_ms()
            # The draft's skills become the version's skills again, under their old ids, so
            # references such as a verifier_skill_id keep pointing at the right skill.
            await session.execute(delete(SkillRow).where(SkillRow.agent_id == agent_id))
            for skill in restored.skills:
                session.add(
                    SkillRow(
                        id=skill.id,
                        org_id=row.org_id,
                        agent_id=agent_id,
                        name=skill.display_name,
                        definition=skill.definition,
                        created_ms=skill.created_ms,
                        updated_ms=row.updated_ms,
                    )
                )
            await session.flush()
            return await _freeze(
                session,
                row,
                f"rollback to version {number}",
                row.updated_ms,
                self.snapshot_of,
                number,
            )

    async def snapshots(
        self, org_id: str, agent_id: str, number: int, against: int
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The snapshots of versions `number` and `against` (0: nothing, an empty one)."""
        async with self.runtime.sessions() as session:
            await owned(session, AgentRow, org_id, agent_id, "agent")
            newer = await _version(session, agent_id, number)
            older = (await _version(session, agent_id, against)).snapshot if against else {}
        return newer.snapshot, older

    async def prepublish_inputs(self, org_id: str, agent_id: str) -> PrepublishInputs:
        async with self.runtime.sessions() as session:
            row = await owned(session, AgentRow, org_id, agent_id, "agent")
            draft = await draft_snapshot(session, row, self.snapshot_of)
            latest = await session.get(AgentVersionRow, (agent_id, row.published_version))
            connected = set(
                (
                    await session.scalars(
                        select(IntegrationRow.kind).where(IntegrationRow.org_id == org_id)
                    )
                ).all()
            )
        return PrepublishInputs(draft, None if latest is None else latest.snapshot, connected)
