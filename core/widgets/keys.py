"""Publishable keys: the organization's side (create, list, get, update, rotate, delete) and
the public side (resolving a key sent by a storefront, with its grace window)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from core.domain import validation
from core.domain import widgets as rules
from core.domain.errors import InvalidArgument, NotFound
from core.domain.ids import new_id
from core.runtime import Runtime
from core.store.repository import owned, page
from core.store.tables import AgentRow, PublishableKeyRow


@dataclass(frozen=True)
class KeySettings:
    """What a person sets on a key; None leaves a field unchanged on update."""

    name: str | None = None
    allowed_origins: list[str] | None = None
    rate_limit_rpm: int | None = None


class PublishableKeys:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    async def create(self, org_id: str, agent_id: str, settings: KeySettings) -> PublishableKeyRow:
        row = PublishableKeyRow(
            id=new_id("publishable_key"),
            org_id=org_id,
            agent_id=agent_id,
            name=validation.display_name(settings.name or "", "display_name"),
            allowed_origins=rules.origins(settings.allowed_origins or [], "allowed_origins"),
            rate_limit_rpm=rules.rate_limit(settings.rate_limit_rpm or 0, "rate_limit_rpm"),
            key_public=rules.new_publishable_key(),
            created_ms=self.runtime.now_ms(),
        )
        async with self.runtime.sessions() as session:
            await owned(session, AgentRow, org_id, agent_id, "agent")
            session.add(row)
            try:
                await session.commit()
            except IntegrityError:  # pragma: no cover - a 192-bit collision
                raise InvalidArgument("could not mint a key; retry") from None
        return row

    async def get(self, org_id: str, agent_id: str, key_id: str) -> PublishableKeyRow:
        async with self.runtime.sessions() as session:
            return await self._owned(session, org_id, agent_id, key_id)

    async def list(
        self, org_id: str, agent_id: str, after: str | None, size: int
    ) -> tuple[list[PublishableKeyRow], str | None]:
        async with self.runtime.sessions() as session:
            await owned(session, AgentRow, org_id, agent_id, "agent")
            query = select(PublishableKeyRow).where(
                PublishableKeyRow.org_id == org_id, PublishableKeyRow.agent_id == agent_id
            )
            rows, last = await page(session, query, PublishableKeyRow.id, after, size)
        return rows, last

    async def update(
        self, org_id: str, agent_id: str, key_id: str, settings: KeySettings
    ) -> PublishableKeyRow:
        # Validated before anything is read: a bad field changes nothing.
        name = (
            validation.display_name(settings.name, "display_name")
            if settings.name is not None
            else None
        )
        found = (
            rules.origins(settings.allowed_origins, "allowed_origins")
            if settings.allowed_origins is not None
            else None
        )
        rpm = (
            rules.rate_limit(settings.rate_limit_rpm, "rate_limit_rpm")
            if settings.rate_limit_rpm is not None
            else None
        )
        async with self.runtime.sessions() as session:
            row = await self._owned(session, org_id, agent_id, key_id)
            if name is not None:
                row.name = name
            if found is not None:
                row.allowed_origins = found
            if rpm is not None:
                row.rate_limit_rpm = rpm
            await session.commit()
        return row

    async def rotate(self, org_id: str, agent_id: str, key_id: str) -> PublishableKeyRow:
        """A new value; the old one works for ROTATION_GRACE_MS more. A value rotated out
        before that (a second rotation) stops at once: only one grace window at a time."""
        async with self.runtime.sessions() as session:
            row = await self._owned(session, org_id, agent_id, key_id)
            row.previous_key = row.key_public
            row.previous_until_ms = self.runtime.now_ms() + rules.ROTATION_GRACE_MS
            row.key_public = rules.new_publishable_key()
            await session.commit()
        return row

    async def delete(self, org_id: str, agent_id: str, key_id: str) -> None:
        async with self.runtime.sessions() as session:
            row = await self._owned(session, org_id, agent_id, key_id)
            await session.delete(row)
            await session.commit()

    async def resolve(self, key: str) -> PublishableKeyRow | None:
        """The key a storefront sent, or None when it is unknown, deleted, or rotated out
        with its grace window over. Read from the database on every call."""
        if not rules.looks_like_publishable_key(key):
            return None
        async with self.runtime.sessions() as session:
            row = (
                await session.scalars(
                    select(PublishableKeyRow).where(
                        or_(
                            PublishableKeyRow.key_public == key,
                            PublishableKeyRow.previous_key == key,
                        )
                    )
                )
            ).first()
        if row is None:
            return None
        if row.key_public != key and (row.previous_until_ms or 0) <= self.runtime.now_ms():
            return None
        return row

    @staticmethod
    async def _owned(session: object, org_id: str, agent_id: str, key_id: str) -> PublishableKeyRow:
        row = await owned(session, PublishableKeyRow, org_id, key_id, "publishable key")  # type: ignore[arg-type]
        if row.agent_id != agent_id:
            raise NotFound("publishable key")
        return row
