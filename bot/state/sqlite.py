"""SQLite state backend (the default): one file, WAL, each statement its own transaction."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import aiosqlite

from bot.state import StateStore, migrations


def _param(value: Any) -> Any:
    """Dates and times as ISO text that sorts correctly (times always in UTC)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class SqliteState(StateStore):
    dialect = "sqlite"

    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db

    @classmethod
    async def connect(cls, path: Path) -> SqliteState:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path, isolation_level=None)
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA busy_timeout = 5000")
        return cls(db)

    async def _fetch(self, sql: str, *args: Any) -> list[tuple]:
        return [tuple(r) for r in await self.db.execute_fetchall(sql, [_param(a) for a in args])]

    async def _execute(self, sql: str, *args: Any) -> None:
        await self.db.execute(sql, [_param(a) for a in args])

    async def migrate(self) -> int:
        await self.db.execute("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY,"
                              " applied_at TEXT NOT NULL)")
        await self.db.execute("BEGIN IMMEDIATE")  # one process migrates at a time
        try:
            done = {r[0] for r in await self.db.execute_fetchall("SELECT version FROM schema_migrations")}
            for version, sql in migrations(self.dialect):
                if version not in done:
                    code = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
                    for statement in filter(str.strip, code.split(";")):
                        await self.db.execute(statement)
                    await self.db.execute("INSERT INTO schema_migrations VALUES (?, ?)",
                                          (version, _param(dt.datetime.now(dt.UTC))))
            await self.db.execute("COMMIT")
        except BaseException:
            await self.db.execute("ROLLBACK")
            raise
        rows = list(await self.db.execute_fetchall("SELECT max(version) FROM schema_migrations"))
        return rows[0][0] or 0

    async def close(self) -> None:
        await self.db.close()
