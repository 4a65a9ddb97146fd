"""What every part of a running core shares: settings, the database and the vault."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.config import Settings
from core.store import db
from core.vault import Keyring, Sealer


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    sealer: Sealer

    @classmethod
    async def open(cls, settings: Settings) -> Runtime:
        sealer = Sealer(Keyring.parse(settings.master_keys))
        engine = db.create_engine(settings.effective_database_url)
        await db.migrate(engine)
        return cls(settings, engine, db.sessionmaker(engine), sealer)

    async def close(self) -> None:
        await self.engine.dispose()
