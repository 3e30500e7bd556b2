"""The state store: guild settings, digest subscriptions and the delivery log (users' data).

One interface, two backends: SQLite (default, KURIL_STATE) and PostgreSQL (DATABASE_URL).
The SQL is written once, in the portable subset both speak (upsert with WHERE, RETURNING);
each backend only supplies a connection, its placeholders and its value conversions. The
clock is always passed in, never read from the database, so schedules can be simulated.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

Kind = Literal["on-this-day", "weekly"]  # a subscription's kind: the migrations' CHECK lists the same two
TIMEOUT = 2.0  # seconds a state call may take (a partitioned database hangs): well inside Discord's 3 s


class StateUnavailable(Exception):
    """The state store did not answer in time or refused the connection; the message names the setting."""


@dataclass(frozen=True)
class Subscription:
    id: int
    guild_id: int
    channel_id: int
    kind: Kind
    time: str  # HH:MM local
    timezone: str  # IANA name
    weekday: int | None  # 0 = Monday, weekly only
    created_by: int | None
    created_at: dt.datetime
    paused_reason: str | None = None


@dataclass(frozen=True)
class Delivery:
    subscription_id: int
    local_date: dt.date
    status: str  # claimed | sent | missed | failed
    lease_until: dt.datetime | None
    attempts: int
    sent_at: dt.datetime | None
    message_id: int | None


@dataclass(frozen=True)
class ShelfArticle:
    """One change of the shared shelf: an article's file name, metadata (catalog fields) and state
    (its text is read separately, only by a process that lacks it)."""

    name: str
    meta: dict[str, str]
    content_hash: str
    added_by: int | None
    changed_at: dt.datetime
    removed_at: dt.datetime | None


_SUB_COLS = "id, guild_id, channel_id, kind, time, timezone, weekday, created_by, created_at, paused_reason"
_DELIVERY_COLS = "subscription_id, local_date, status, lease_until, attempts, sent_at, message_id"


def migrations(dialect: str) -> list[tuple[int, str]]:
    """(version, sql) of the dialect's migration files, in order."""
    folder = resources.files("bot.state") / "migrations" / dialect
    out = []
    for f in folder.iterdir():
        m = re.match(r"V(\d+)__.*\.sql$", f.name)
        if m:
            out.append((int(m.group(1)), f.read_text(encoding="utf-8")))
    return sorted(out)


class StateStore(ABC):
    """What the bot keeps about its users; every method is one short statement or transaction."""

    dialect: str

    # --- what a backend supplies
    @abstractmethod
    async def _fetch(self, sql: str, *args: Any) -> list[tuple]: ...

    @abstractmethod
    async def _execute(self, sql: str, *args: Any) -> None: ...

    @abstractmethod
    async def migrate(self) -> int:
        """Apply pending migrations; returns the schema version."""

    @abstractmethod
    async def close(self) -> None: ...

    def _date(self, value: Any) -> dt.date:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)

    def _time(self, value: Any) -> dt.datetime | None:
        return None if value is None else self._instant(value)

    def _instant(self, value: Any) -> dt.datetime:
        return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)

    # --- settings
    async def guild_timezone(self, guild_id: int) -> str | None:
        rows = await self._fetch("SELECT timezone FROM guild_settings WHERE guild_id = ?", guild_id)
        return rows[0][0] if rows else None

    async def set_guild_timezone(self, guild_id: int, timezone: str) -> None:
        await self._execute("INSERT INTO guild_settings(guild_id, timezone) VALUES (?, ?) ON CONFLICT(guild_id)"
                            " DO UPDATE SET timezone = excluded.timezone", guild_id, timezone)

    # --- subscriptions
    def _sub(self, row: tuple) -> Subscription:
        return Subscription(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], self._instant(row[8]),
                            row[9])

    async def add_subscription(self, guild_id: int, channel_id: int, kind: Kind, time: str, timezone: str,
                               weekday: int | None, created_by: int | None, now: dt.datetime) -> Subscription:
        rows = await self._fetch(
            "INSERT INTO subscriptions(guild_id, channel_id, kind, time, timezone, weekday, created_by, created_at)"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_SUB_COLS}",
            guild_id, channel_id, kind, time, timezone, weekday, created_by, now)
        return self._sub(rows[0])

    async def subscriptions(self, guild_id: int | None = None) -> list[Subscription]:
        if guild_id is None:
            rows = await self._fetch(f"SELECT {_SUB_COLS} FROM subscriptions ORDER BY id")  # noqa: S608
        else:
            rows = await self._fetch(f"SELECT {_SUB_COLS} FROM subscriptions WHERE guild_id = ? ORDER BY id",  # noqa: S608
                                     guild_id)
        return [self._sub(r) for r in rows]

    async def remove_subscription(self, guild_id: int, subscription_id: int) -> bool:
        rows = await self._fetch("DELETE FROM subscriptions WHERE guild_id = ? AND id = ? RETURNING id",
                                 guild_id, subscription_id)
        return bool(rows)

    async def pause(self, subscription_id: int, reason: str | None) -> None:
        """Pause with a reason shown in /digest list (None resumes)."""
        await self._execute("UPDATE subscriptions SET paused_reason = ? WHERE id = ?", reason, subscription_id)

    # --- deliveries
    def _delivery(self, row: tuple) -> Delivery:
        return Delivery(row[0], self._date(row[1]), row[2], self._time(row[3]), row[4], self._time(row[5]), row[6])

    async def deliveries(self, first: dt.date, last: dt.date) -> dict[tuple[int, dt.date], Delivery]:
        """The delivery log for local dates in [first, last], keyed by (subscription, local date)."""
        rows = await self._fetch(f"SELECT {_DELIVERY_COLS} FROM deliveries WHERE local_date BETWEEN ? AND ?",  # noqa: S608
                                 first, last)
        return {(d.subscription_id, d.local_date): d for d in map(self._delivery, rows)}

    async def claim(self, subscription_id: int, local_date: dt.date, due_at: dt.datetime, holder: str,
                    now: dt.datetime, lease: dt.timedelta) -> int | None:
        """Claim a delivery in one statement: a new key, or a claim whose lease has run out.

        Returns the attempt number (1 = first try; more = a sender may have died mid-send),
        or None when someone else holds it or it is already done.
        """
        rows = await self._fetch(
            "INSERT INTO deliveries(subscription_id, local_date, status, holder, lease_until, due_at, attempts)"
            " VALUES (?, ?, 'claimed', ?, ?, ?, 1) ON CONFLICT(subscription_id, local_date) DO UPDATE SET"
            " holder = excluded.holder, lease_until = excluded.lease_until, attempts = deliveries.attempts + 1"
            " WHERE deliveries.status = 'claimed' AND deliveries.lease_until < ? RETURNING attempts",
            subscription_id, local_date, holder, now + lease, due_at, now)
        return rows[0][0] if rows else None

    async def finish(self, subscription_id: int, local_date: dt.date, holder: str, status: str, now: dt.datetime,
                     message_id: int | None = None, detail: str | None = None) -> None:
        """Record the outcome of a claim this holder owns."""
        await self._execute(
            "UPDATE deliveries SET status = ?, sent_at = ?, message_id = ?, detail = ?, lease_until = NULL"
            " WHERE subscription_id = ? AND local_date = ? AND holder = ?",
            status, now, message_id, detail, subscription_id, local_date, holder)

    async def release(self, subscription_id: int, local_date: dt.date, holder: str, retry_at: dt.datetime) -> None:
        """Give a claim back after a passing failure, so it is retried at `retry_at`."""
        await self._execute("UPDATE deliveries SET lease_until = ? WHERE subscription_id = ? AND local_date = ?"
                            " AND holder = ? AND status = 'claimed'", retry_at, subscription_id, local_date, holder)

    async def last_sent(self, subscription_id: int) -> dt.datetime | None:
        rows = await self._fetch("SELECT max(sent_at) FROM deliveries WHERE subscription_id = ? AND status = 'sent'",
                                 subscription_id)
        return self._time(rows[0][0]) if rows else None

    async def last_delivery(self) -> Delivery | None:
        rows = await self._fetch(f"SELECT {_DELIVERY_COLS} FROM deliveries WHERE status = 'sent'"  # noqa: S608
                                 " ORDER BY sent_at DESC LIMIT 1")
        return self._delivery(rows[0]) if rows else None

    # --- the shelf (articles are users' data; each process's index follows these rows)
    async def put_article(self, name: str, body: str, meta: dict[str, str], content_hash: str,
                          added_by: int | None, now: dt.datetime, original: bytes | None = None,
                          fmt: str = "text") -> None:
        """`original`: the bytes as uploaded (an HTML page, a PDF), kept beside the text read from them."""
        await self._execute(
            "INSERT INTO shelf_articles(name, body, original, format, meta, content_hash, added_by, changed_at,"
            " removed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL) ON CONFLICT(name) DO UPDATE SET"
            " body = excluded.body, original = excluded.original, format = excluded.format, meta = excluded.meta,"
            " content_hash = excluded.content_hash, changed_at = excluded.changed_at, removed_at = NULL",
            name, body, original, fmt, json.dumps(meta, sort_keys=True), content_hash, added_by, now)
        await self._shelf_changed()

    async def original(self, name: str) -> tuple[bytes | None, str] | None:
        """The article's bytes as uploaded and their format, or None if the shelf never held it."""
        rows = await self._fetch("SELECT original, format FROM shelf_articles WHERE name = ?", name)
        return (bytes(rows[0][0]) if rows[0][0] is not None else None, rows[0][1]) if rows else None

    async def remove_article(self, name: str, now: dt.datetime) -> None:
        await self._execute("UPDATE shelf_articles SET removed_at = ?, changed_at = ? WHERE name = ?", now, now, name)
        await self._shelf_changed()

    async def _shelf_changed(self) -> None:
        """Tell the other processes at once where the backend can (PostgreSQL NOTIFY); elsewhere
        they find the change on their next poll."""
        return None

    async def watch_shelf(self, changed: Callable[[], None]) -> None:
        """Call `changed` whenever another process changes the shelf (PostgreSQL LISTEN); a no-op elsewhere."""
        return None

    async def shelf_names(self) -> dict[str, str | None]:
        """name -> content hash of every article the shelf has known; None for one removed."""
        rows = await self._fetch("SELECT name, content_hash, removed_at FROM shelf_articles")
        return {name: None if removed is not None else digest for name, digest, removed in rows}

    async def shelf_changes(self, since: dt.datetime | None) -> list[ShelfArticle]:
        """Articles added, changed or removed at or after `since` (all of them for None), oldest first."""
        cols = "name, meta, content_hash, added_by, changed_at, removed_at"
        if since is None:
            rows = await self._fetch(f"SELECT {cols} FROM shelf_articles ORDER BY changed_at")  # noqa: S608
        else:
            rows = await self._fetch(f"SELECT {cols} FROM shelf_articles WHERE changed_at >= ?"  # noqa: S608
                                     " ORDER BY changed_at", since)
        return [ShelfArticle(r[0], json.loads(r[1]), r[2], r[3], self._instant(r[4]), self._time(r[5])) for r in rows]

    async def shelf_texts(self, names: list[str]) -> dict[str, str]:
        """name -> text of these articles, read in batches (a cold start asks for every one)."""
        out: dict[str, str] = {}
        for i in range(0, len(names), 500):
            batch = names[i:i + 500]
            marks = ", ".join("?" * len(batch))
            out.update(await self._fetch(f"SELECT name, body FROM shelf_articles WHERE name IN ({marks})",  # noqa: S608
                                         *batch))
        return out

    # --- featured quotes (weekly digests do not repeat one within 8 weeks)
    async def recent_features(self, channel_id: int, since: dt.date) -> set[str]:
        rows = await self._fetch("SELECT quote_key FROM featured_quotes WHERE channel_id = ? AND posted_on >= ?",
                                 channel_id, since)
        return {r[0] for r in rows}

    async def add_feature(self, channel_id: int, key: str, on: dt.date) -> None:
        await self._execute("INSERT INTO featured_quotes(channel_id, quote_key, posted_on) VALUES (?, ?, ?)"
                            " ON CONFLICT(channel_id, quote_key) DO UPDATE SET posted_on = excluded.posted_on",
                            channel_id, key, on)


async def open_state(settings) -> StateStore:
    """The configured store, migrated: PostgreSQL with DATABASE_URL, else the SQLite file."""
    if settings.database_url is not None:
        from bot.state.postgres import PostgresState

        store: StateStore = await PostgresState.connect(settings.database_url.get_secret_value())
    else:
        from bot.state.sqlite import SqliteState

        store = await SqliteState.connect(settings.kuril_state)
    await store.migrate()
    return store
