"""PostgreSQL partitioned away (a TCP proxy cuts or blackholes it): state calls fail fast with a clear
message, reading commands answer without the state store, and the scheduler resumes with nothing
posted twice and nothing lost."""
from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from collections import Counter

import asyncpg
import pytest
import pytest_asyncio
from pydantic import SecretStr

from bot.schedule import Scheduler
from bot.state import StateUnavailable
from bot.state.postgres import PostgresState
from tests.tcp_proxy import TcpProxy
from tests.test_schedule import START, Channel

PG = "postgresql://postgres@127.0.0.1:5432/test"


@pytest_asyncio.fixture
async def proxied():
    """A fresh schema, reached through a proxy: (proxy, dsn of the proxied schema)."""
    schema = f"f_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(PG)
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        async with TcpProxy(5432) as proxy:
            yield proxy, f"postgresql://postgres@127.0.0.1:{proxy.port}/test?search_path={schema}"
    finally:
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


async def test_a_partition_fails_fast_and_the_scheduler_resumes_with_each_post_once(proxied):
    proxy, dsn = proxied
    store = await PostgresState.connect(dsn, timeout=1.0)
    await store.migrate()
    subs = [await store.add_subscription(1, 300 + i, "on-this-day", "09:00", "UTC", None, None, START)
            for i in range(3)]
    channel = Channel(random.Random(7), crash_rate=0.0)
    now = START + dt.timedelta(hours=9, minutes=1)
    scheduler = Scheduler(store, channel.send, channel.find, clock=lambda: now)
    try:
        for fault in (proxy.blackhole, proxy.cut):
            fault()
            with pytest.raises(StateUnavailable, match="DATABASE_URL"):  # not a hang: wait_for would say TimeoutError
                await asyncio.wait_for(store.subscriptions(), 10)
            with pytest.raises(StateUnavailable):
                await asyncio.wait_for(scheduler.run_once(), 10)
            proxy.restore()
            for _ in range(3):  # the pool reconnects; later passes find nothing left to post
                await asyncio.wait_for(scheduler.run_once(), 10)
            now += dt.timedelta(days=1)
            channel.clock = now
        per_day = Counter((p[0], p[1]) for p in channel.posts)
        days = (START.date(), START.date() + dt.timedelta(1))
        assert sorted(per_day) == sorted((s.id, d) for s in subs for d in days)
        assert set(per_day.values()) == {1}
    finally:
        await store.close()


async def test_reading_commands_answer_while_the_database_does_not(proxied, settings):
    from bot.client import create_bot
    from tests.test_commands import ask
    proxy, dsn = proxied
    bot = create_bot(settings.model_copy(update={"database_url": SecretStr(dsn)}))
    await bot.prepare()
    try:
        proxy.blackhole()
        today, _ = await asyncio.wait_for(ask(bot, "/kuril onthisday"), 10)
        assert not today.ephemeral and "not answering" in today.note and "UTC" in today.note
        found, _ = await asyncio.wait_for(ask(bot, "/kuril search sanctions"), 10)
        assert found.lines
        listing, _ = await asyncio.wait_for(ask(bot, "/digest list"), 10)
        assert listing.ephemeral and "not answering" in listing.content and "Traceback" not in listing.content
        proxy.restore()
        await asyncio.sleep(0.2)
        listing, _ = await asyncio.wait_for(ask(bot, "/digest list"), 10)
        assert "No digests yet" in listing.to_text()
    finally:
        proxy.restore()
        await bot.shutdown()
