"""The skills (actions) of an agent's draft: each a name and a definition document whose
secret headers are sealed apart from it (core/store/skill_headers.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.domain import skills as rules
from core.domain import validation
from core.domain.errors import AlreadyExists, NotFound
from core.domain.ids import new_id
from core.runtime import Runtime
from core.store import skill_headers
from core.store.repository import owned, page
from core.store.tables import AgentRow, SkillRow
from core.vault import Sealer

# A skill as the caller edits it: its display name and its definition document.
Edit = Callable[[SkillRow], tuple[str, dict[str, Any]]]


def _taken(name: str) -> AlreadyExists:
    return AlreadyExists(
        f"the agent already has a skill named {name!r}", field="skill.display_name"
    )


async def insert_skill(
    session: AsyncSession,
    sealer: Sealer,
    org_id: str,
    agent_id: str,
    display_name: str,
    document: dict[str, Any],
    at_ms: int,
) -> SkillRow:
    """Validates and adds a skill in the caller's transaction (provisioning reuses it)."""
    name = validation.skill_name(display_name, "skill.display_name")
    definition = rules.normalise(document)
    row = SkillRow(
        id=new_id("skill"),
        org_id=org_id,
        agent_id=agent_id,
        name=name,
        definition=definition,
        created_ms=at_ms,
        updated_ms=at_ms,
    )
    skill_headers.seal(sealer, row, rules.secret_headers(definition, {}))
    session.add(row)
    try:
        await session.flush()
    except IntegrityError:
        raise _taken(name) from None
    return row


async def agent_skills(session: AsyncSession, agent_id: str) -> list[SkillRow]:
    return list(
        (
            await session.scalars(
                select(SkillRow).where(SkillRow.agent_id == agent_id).order_by(SkillRow.id)
            )
        ).all()
    )


async def _owned_skill(
    session: AsyncSession, org_id: str, agent_id: str, skill_id: str
) -> SkillRow:
    row = await owned(session, SkillRow, org_id, skill_id, "skill")
    if row.agent_id != agent_id:
        raise NotFound("skill")
    return row


class Skills:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    async def create(
        self, org_id: str, agent_id: str, display_name: str, document: dict[str, Any]
    ) -> SkillRow:
        async with self.runtime.sessions() as session:
            await owned(session, AgentRow, org_id, agent_id, "agent")
            row = await insert_skill(
                session,
                self.runtime.sealer,
                org_id,
                agent_id,
                display_name,
                document,
                self.runtime.now_ms(),
            )
            await session.commit()
        return row

    async def get(self, org_id: str, agent_id: str, skill_id: str) -> SkillRow:
        async with self.runtime.sessions() as session:
            return await _owned_skill(session, org_id, agent_id, skill_id)

    async def list_page(
        self, org_id: str, agent_id: str, after: str | None, size: int
    ) -> tuple[list[SkillRow], str | None]:
        async with self.runtime.sessions() as session:
            await owned(session, AgentRow, org_id, agent_id, "agent")
            query = select(SkillRow).where(SkillRow.agent_id == agent_id)
            return await page(session, query, SkillRow.id, after, size)

    async def update(self, org_id: str, agent_id: str, skill_id: str, edit: Edit) -> SkillRow:
        """The skill as `edit` makes it from the stored one; headers it no longer names are
        forgotten, ones it keeps stay sealed."""
        async with self.runtime.sessions() as session:
            row = await _owned_skill(session, org_id, agent_id, skill_id)
            display_name, document = edit(row)
            new_name = validation.skill_name(display_name, "skill.display_name")
            definition = rules.normalise(document)
            kept = skill_headers.opened(self.runtime.sealer, row)
            skill_headers.seal(self.runtime.sealer, row, rules.secret_headers(definition, kept))
            row.definition = definition
            row.name = new_name
            row.updated_ms = self.runtime.now_ms()
            try:
                await session.commit()
            except IntegrityError:
                raise _taken(new_name) from None
        return row

    async def delete(self, org_id: str, agent_id: str, skill_id: str) -> None:
        async with self.runtime.sessions() as session:
            row = await _owned_skill(session, org_id, agent_id, skill_id)
            await session.delete(row)
            await session.commit()
