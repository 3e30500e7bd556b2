"""PostgreSQL state backend (DATABASE_URL): an asyncpg pool shared by every bot process."""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg

from bot.state import TIMEOUT, StateStore, StateUnavailable, migrations

SHELF_CHANNEL = "kuril_shelf"  # NOTIFY channel: an article was added, changed or removed
_MIGRATION_LOCK = 0x6B7572696C  # pg_advisory_xact_lock key: one process migrates at a time


def _placeholders(sql: str) -> str:
    """The portable SQL uses '?'; asyncpg wants $1, $2, …"""
    counter = iter(range(1, 10_000))
    return re.sub(r"\?", lambda _: f"${next(counter)}", sql)


_UNREACHABLE = (OSError, TimeoutError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
                asyncpg.CannotConnectNowError)


@contextlib.asynccontextmanager
async def _answering(timeout: float) -> AsyncIterator[None]:
    """A state call that fails fast and says which setting to look at, never an asyncpg traceback."""
    try:
        async with asyncio.timeout(timeout):
            yield
    except _UNREACHABLE as e:
        raise StateUnavailable(f"the PostgreSQL server of DATABASE_URL is not answering ({type(e).__name__})") from None


class PostgresState(StateStore):
    dialect = "postgres"

    def __init__(self, pool: asyncpg.Pool, timeout: float = TIMEOUT) -> None:
        self.pool = pool
        self.timeout = timeout
        self._listener: asyncpg.Connection | None = None  # held for LISTEN while the shelf is watched
        self._sql: dict[str, str] = {}

    @classmethod
    async def connect(cls, dsn: str, schema: str | None = None, max_size: int = 10,
                      timeout: float = TIMEOUT) -> PostgresState:
        settings = {"search_path": schema} if schema else None
        try:
            async with _answering(3 * timeout):
                pool = await asyncpg.create_pool(dsn, min_size=1, max_size=max_size, server_settings=settings,
                                                 timeout=timeout, command_timeout=timeout)
        except asyncpg.PostgresError as e:  # no such database, wrong password, …
            raise StateUnavailable(f"cannot use the database of DATABASE_URL: {e}") from None
        return cls(pool, timeout)

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
        async with _answering(self.timeout):
            rows = await self.pool.fetch(self._prepare(sql), *map(self._param, args))
        return [tuple(r) for r in rows]

    async def _execute(self, sql: str, *args: Any) -> None:
        async with _answering(self.timeout):
            await self.pool.execute(self._prepare(sql), *map(self._param, args))

    async def migrate(self) -> int:
        async with _answering(3 * self.timeout), self.pool.acquire() as conn, conn.transaction():
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

    async def _shelf_changed(self) -> None:
        await self._execute(f"SELECT pg_notify('{SHELF_CHANNEL}', '')")

    async def watch_shelf(self, changed: Callable[[], None]) -> None:
        self._heard = lambda *_: changed()
        async with _answering(self.timeout):
            self._listener = await self.pool.acquire()
            await self._listener.add_listener(SHELF_CHANNEL, self._heard)

    async def close(self) -> None:
        try:
            if self._listener is not None:
                await asyncio.wait_for(self._listener.remove_listener(SHELF_CHANNEL, self._heard), self.timeout)
                await asyncio.wait_for(self.pool.release(self._listener), self.timeout)
            await asyncio.wait_for(self.pool.close(), self.timeout)
        except (TimeoutError, *_UNREACHABLE):
            self.pool.terminate()  # a database that does not answer cannot be said goodbye to
