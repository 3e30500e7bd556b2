"""One conformance suite for both state backends: SQLite and the real PostgreSQL on this machine."""
from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import asyncpg
import pytest_asyncio

from bot.state.postgres import PostgresState
from bot.state.sqlite import SqliteState

PG_DSN = "postgresql://postgres@127.0.0.1:5432/test"
T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=2)


@pytest_asyncio.fixture(params=["sqlite", "postgres"])
async def state(request, tmp_path):
    """The same store interface on each backend, freshly migrated."""
    if request.param == "sqlite":
        s = await SqliteState.connect(tmp_path / "state.db")
    else:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = await asyncpg.connect(PG_DSN)
        await admin.execute(f'CREATE SCHEMA "{schema}"')
        s = await PostgresState.connect(PG_DSN, schema=schema)
    assert await s.migrate() == 2
    assert await s.migrate() == 2  # idempotent
    try:
        yield s
    finally:
        await s.close()
        if request.param == "postgres":
            await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
            await admin.close()


async def test_guild_timezone(state):
    assert await state.guild_timezone(1) is None
    await state.set_guild_timezone(1, "Asia/Tokyo")
    await state.set_guild_timezone(1, "Europe/Berlin")
    assert await state.guild_timezone(1) == "Europe/Berlin"


async def test_subscriptions_add_list_pause_remove(state):
    a = await state.add_subscription(1, 10, "on-this-day", "09:00", "Asia/Tokyo", None, 5, T0)
    b = await state.add_subscription(1, 11, "weekly", "18:30", "Europe/Berlin", 0, 5, T0)
    await state.add_subscription(2, 20, "weekly", "07:00", "UTC", 3, 6, T0)
    assert [s.id for s in await state.subscriptions(1)] == [a.id, b.id]
    assert a.created_at == T0 and b.weekday == 0 and a.kind == "on-this-day"
    await state.pause(a.id, "channel deleted")
    assert (await state.subscriptions(1))[0].paused_reason == "channel deleted"
    assert not await state.remove_subscription(2, a.id), "another guild's id is not removable"
    assert await state.remove_subscription(1, a.id)
    assert len(await state.subscriptions()) == 2


async def test_claim_is_exclusive_until_the_lease_runs_out(state):
    day = dt.date(2026, 3, 1)
    assert await state.claim(1, day, T0, "a", T0, LEASE) == 1
    assert await state.claim(1, day, T0, "b", T0 + dt.timedelta(seconds=30), LEASE) is None
    assert await state.claim(1, day, T0, "b", T0 + LEASE + dt.timedelta(seconds=1), LEASE) == 2  # a died
    await state.finish(1, day, "a", "sent", T0, 1)  # the dead holder cannot record over b
    log = await state.deliveries(day, day)
    assert log[(1, day)].status == "claimed"
    await state.finish(1, day, "b", "sent", T0 + LEASE, message_id=99)
    log = await state.deliveries(day, day)
    assert log[(1, day)].status == "sent" and log[(1, day)].message_id == 99
    assert await state.claim(1, day, T0, "c", T0 + dt.timedelta(days=1), LEASE) is None, "sent stays sent"
    assert await state.last_sent(1) == T0 + LEASE


async def test_release_and_missed(state):
    day = dt.date(2026, 3, 2)
    assert await state.claim(2, day, T0, "a", T0, LEASE) == 1
    await state.release(2, day, "a", T0 + dt.timedelta(seconds=10))
    assert await state.claim(2, day, T0, "b", T0 + dt.timedelta(seconds=11), LEASE) == 2
    await state.finish(2, day, "b", "missed", T0, detail="bot was down")
    assert (await state.deliveries(day, day))[(2, day)].status == "missed"
    assert await state.claim(2, day, T0, "c", T0 + dt.timedelta(days=1), LEASE) is None


async def test_featured_quotes_remembered_per_channel(state):
    await state.add_feature(10, "doc:17:abc", dt.date(2026, 1, 1))
    await state.add_feature(10, "doc:18:def", dt.date(2026, 3, 1))
    assert await state.recent_features(10, dt.date(2026, 2, 1)) == {"doc:18:def"}
    assert await state.recent_features(11, dt.date(2025, 1, 1)) == set()


async def test_concurrent_claims_have_one_winner(state):
    day = dt.date(2026, 3, 3)
    results = await asyncio.gather(*(state.claim(7, day, T0, f"h{i}", T0, LEASE) for i in range(8)))
    assert sorted(r for r in results if r) == [1]


async def test_the_shelf_keeps_articles_their_changes_and_removals(state):
    t0 = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    await state.put_article("talks.txt", "Talks\nIn May 2031 …\n", {"publisher": "Example News"}, "h1", 501, t0)
    await state.put_article("notes.txt", "Notes\n…\n", {}, "h2", None, t0 + dt.timedelta(seconds=1))
    assert await state.shelf_names() == {"talks.txt": "h1", "notes.txt": "h2"}
    await state.put_article("talks.txt", "Talks\nIn June 2031 …\n", {"publisher": "Example News"}, "h3", 501,
                            t0 + dt.timedelta(seconds=2))
    await state.remove_article("notes.txt", t0 + dt.timedelta(seconds=3))
    changes = await state.shelf_changes(t0 + dt.timedelta(seconds=2))
    assert [(a.name, a.content_hash, a.removed_at is not None) for a in changes] == [
        ("talks.txt", "h3", False), ("notes.txt", "h2", True)]
    assert changes[0].meta == {"publisher": "Example News"}
    assert (await state.shelf_texts(["talks.txt", "nothing.txt"])) == {"talks.txt": "Talks\nIn June 2031 …\n"}
    assert await state.shelf_names() == {"talks.txt": "h3", "notes.txt": None}
    assert len(await state.shelf_changes(None)) == 2
    await state.put_article("page.txt", "Page\n", {}, "h4", 1, t0, b"<html>\x00</html>", "html")
    assert await state.original("page.txt") == (b"<html>\x00</html>", "html")
    assert await state.original("talks.txt") == (None, "text") and await state.original("nothing.txt") is None


async def test_a_shelf_change_on_postgres_is_announced_to_the_other_processes():
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG_DSN)
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    a, b = [await PostgresState.connect(PG_DSN, schema=schema) for _ in range(2)]
    try:
        await a.migrate()
        heard = asyncio.Event()
        await b.watch_shelf(heard.set)
        await a.put_article("talks.txt", "Talks\n", {}, "h1", None, dt.datetime.now(dt.UTC))
        await asyncio.wait_for(heard.wait(), 5)
    finally:
        for s in (a, b):
            await s.close()
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()
