"""PostgreSQL state backend (DATABASE_URL): an asyncpg pool shared by every bot process."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import asyncpg

from bot.state import StateStore, migrations

_MIGRATION_LOCK = 0x6B7572696C  # pg_advisory_xact_lock key: one process migrates at a time


def _placeholders(sql: str) -> str:
    """The portable SQL uses '?'; asyncpg wants $1, $2, …"""
    counter = iter(range(1, 10_000))
    return re.sub(r"\?", lambda _: f"${next(counter)}", sql)


class PostgresState(StateStore):
    dialect = "postgres"

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self._sql: dict[str, str] = {}

    @classmethod
    async def connect(cls, dsn: str, schema: str | None = None, max_size: int = 10) -> PostgresState:
        settings = {"search_path": schema} if schema else None
        pool = await asyncpg.create_pool(dsn, min_size=1, max_size=max_size, server_settings=settings)
        return cls(pool)

    def _prepare(self, sql: str) -> str:
        if sql not in self._sql:
            self._sql[sql] = _placeholders(sql)
        return self._sql[sql]

    @staticmethod
    def _param(value: Any) -> Any:
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            raise ValueError("naive datetime passed to the state store")
        return value

    async def _fetch(self, sql: str, *args: Any) -> list[tuple]:
        rows = await self.pool.fetch(self._prepare(sql), *map(self._param, args))
        return [tuple(r) for r in rows]

    async def _execute(self, sql: str, *args: Any) -> None:
        await self.pool.execute(self._prepare(sql), *map(self._param, args))

    async def migrate(self) -> int:
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
            await conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY,"
                               " applied_at TIMESTAMPTZ NOT NULL)")
            done = {r[0] for r in await conn.fetch("SELECT version FROM schema_migrations")}
            for version, sql in migrations(self.dialect):
                if version not in done:
                    await conn.execute(sql)
                    await conn.execute("INSERT INTO schema_migrations VALUES ($1, $2)", version,
                                       dt.datetime.now(dt.UTC))
            return await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_migrations")

    async def close(self) -> None:
        await self.pool.close()
