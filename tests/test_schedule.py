"""A year of digests on a simulated clock: restarts, crashes mid-delivery, DST — each post exactly once."""
from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections import Counter
from zoneinfo import ZoneInfo

import pytest

from bot.schedule import GRACE, Job, PostGone, Scheduler, due_at, next_due, plan
from bot.state import Subscription
from bot.state.sqlite import SqliteState

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class Crash(BaseException):
    """The process dies (not an error the scheduler may catch)."""


class Channel:
    """A fake channel: posts carry their key, as the real embed footer does."""

    def __init__(self, rng: random.Random, crash_rate: float) -> None:
        self.posts: list[tuple[int, dt.date, dt.datetime, str]] = []
        self.rng = rng
        self.crash_rate = crash_rate
        self.clock: dt.datetime = START

    async def send(self, job: Job, key: str) -> int:
        roll = self.rng.random()
        if roll < self.crash_rate / 2:
            raise Crash("died after claiming, before sending")
        self.posts.append((job.sub.id, job.local_date, self.clock, key))
        if roll < self.crash_rate:
            raise Crash("died after sending, before recording")
        return len(self.posts)

    async def find(self, job: Job, key: str) -> int | None:
        return next((i for i, p in enumerate(self.posts, 1) if p[3] == key), None)


def sub(i: int, kind: str, time: str, tz: str, weekday: int | None = None) -> Subscription:
    return Subscription(i, 1, 100 + i, kind, time, tz, weekday, None, START)


async def test_a_year_with_restarts_and_crashes(tmp_path):
    rng = random.Random(20261122)
    store = await SqliteState.connect(tmp_path / "state.db")
    await store.migrate()
    specs = [("on-this-day", "02:30", "Europe/Berlin", None), ("on-this-day", "01:30", "America/New_York", None),
             ("on-this-day", "09:00", "Asia/Tokyo", None), ("weekly", "18:00", "Europe/Berlin", 0),
             ("weekly", "08:15", "America/New_York", 4)]
    subs = [await store.add_subscription(1, 100 + i, k, t, z, w, None, START) for i, (k, t, z, w) in enumerate(specs)]
    try:
        await _simulate_year(store, subs, rng)
    finally:
        await store.close()


async def _simulate_year(store, subs, rng):
    channel = Channel(rng, crash_rate=0.03)
    end = START + dt.timedelta(days=365)
    now = START
    scheduler = Scheduler(store, channel.send, channel.find, clock=lambda: now)
    restarts = crashes = 0
    downtime: list[tuple[dt.datetime, dt.datetime]] = []
    while now < end:
        channel.clock = now
        try:
            wake = await scheduler.run_once()
        except Crash:
            crashes += 1
            wake = None
        if wake is None or rng.random() < 0.02:  # a crash, or a restart at a random moment
            restarts += 1
            gap = dt.timedelta(minutes=rng.choice([1, 5, 30, 90, 300, 420, 800]))
            downtime.append((now, now + gap))
            now += gap
            scheduler = Scheduler(store, channel.send, channel.find, clock=lambda: now)  # noqa: B023 - the clock reads the loop's now
            continue
        now = max(wake, now + dt.timedelta(seconds=1))

    per_key = Counter((p[0], p[1]) for p in channel.posts)
    duplicated = sum(n - 1 for n in per_key.values() if n > 1)
    log = await store.deliveries(START.date() - dt.timedelta(days=2), end.date() + dt.timedelta(days=8))
    missed = missing = 0
    for s in subs:
        tz = ZoneInfo(s.timezone)
        day = START.astimezone(tz).date()
        while due_at(s, day) < end - GRACE:
            if (s.kind == "weekly" and day.weekday() != s.weekday) or due_at(s, day) < START:
                day += dt.timedelta(days=1)
                continue
            record = log.get((s.id, day))
            posted = per_key.get((s.id, day), 0)
            if record is not None and record.status == "missed":
                missed += 1
                assert posted == 0
            elif posted != 1:
                missing += 1
            day += dt.timedelta(days=1)
    late = 0
    for sub_id, day, sent, _ in channel.posts:
        s = subs[sub_id - 1]
        due = due_at(s, day)
        assert dt.timedelta(0) <= sent - due <= GRACE
        if sent == due:
            local = sent.astimezone(ZoneInfo(s.timezone))
            if not (s.time == "02:30" and local.strftime("%H:%M") == "03:30"):  # the spring-forward gap
                assert local.strftime("%H:%M") == s.time
        else:
            late += 1
            assert any(a <= due <= b or a <= sent <= b for a, b in downtime) or sent - due <= dt.timedelta(minutes=5)
    print(f"\nsimulated 365 days, {len(subs)} subscriptions: {len(channel.posts)} posts, {late} late within grace, "
          f"{missed} missed (down > 6 h), {missing} missing, {duplicated} duplicated; "
          f"{restarts} restarts, {crashes} crashes")
    assert duplicated == 0 and missing == 0
    assert crashes > 5 and restarts > 20 and missed > 0


@pytest.mark.parametrize("tz, day, time, expected_utc", [
    ("Europe/Berlin", dt.date(2026, 3, 29), "02:30", dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)),  # gap
    ("America/New_York", dt.date(2026, 11, 1), "01:30", dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)),  # twice
    ("Asia/Tokyo", dt.date(2026, 6, 1), "09:00", dt.datetime(2026, 6, 1, 0, 0, tzinfo=dt.UTC)),
])
def test_local_time_across_dst(tz, day, time, expected_utc):
    assert due_at(sub(1, "on-this-day", time, tz), day) == expected_utc


def test_plan_sends_due_skips_too_late_and_wakes_for_next():
    now = dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC)
    s = Subscription(1, 1, 1, "on-this-day", "09:00", "UTC", None, None, now - dt.timedelta(hours=1))
    p = plan([s], {}, now)
    assert [j.local_date for j in p.send] == [dt.date(2026, 1, 10)]
    assert p.missed == [] and p.wake == dt.datetime(2026, 1, 11, 9, 0, tzinfo=dt.UTC)
    p = plan([s], {}, now + dt.timedelta(hours=7))
    assert [j.local_date for j in p.missed] == [dt.date(2026, 1, 10)] and not p.send
    paused = Subscription(2, 1, 1, "on-this-day", "09:00", "UTC", None, None, START, "channel deleted")
    assert plan([paused], {}, now).send == []


async def test_lost_channel_pauses_the_subscription(tmp_path):
    store = await SqliteState.connect(tmp_path / "state.db")
    await store.migrate()
    s = await store.add_subscription(1, 5, "on-this-day", "09:00", "UTC", None, None, START)
    now = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)

    async def gone(job, key):
        raise PostGone("channel deleted or access lost (Missing Access)")

    scheduler = Scheduler(store, gone, gone, clock=lambda: now)
    try:
        await scheduler.run_once()
        assert (await store.subscriptions())[0].paused_reason.startswith("channel deleted")
        assert (await store.deliveries(now.date(), now.date()))[(s.id, now.date())].status == "failed"
    finally:
        await store.close()


async def test_two_schedulers_on_one_postgres_race_for_a_month():
    """Two bot processes share PostgreSQL: every due post is claimed and sent by exactly one."""
    import uuid

    import asyncpg

    from bot.state.postgres import PostgresState

    dsn = "postgresql://postgres@127.0.0.1:5432/test"
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(dsn)
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    stores = [await PostgresState.connect(dsn, schema=schema) for _ in range(2)]
    try:
        await asyncio.gather(*(s.migrate() for s in stores))
        for i, (tz, time) in enumerate([("Europe/Berlin", "07:00"), ("America/New_York", "21:45"),
                                        ("Asia/Tokyo", "09:00")]):
            await stores[0].add_subscription(1, 200 + i, "on-this-day", time, tz, None, None, START)
        channel = Channel(random.Random(1), crash_rate=0.0)
        now = START
        racers = [Scheduler(s, channel.send, channel.find, clock=lambda: now) for s in stores]
        end = START + dt.timedelta(days=30)
        while now < end:
            channel.clock = now
            wakes = await asyncio.gather(*(r.run_once() for r in racers))
            now = max(min(w for w in wakes if w), now + dt.timedelta(seconds=1))
        per_key = Counter((p[0], p[1]) for p in channel.posts)
        print(f"\ntwo schedulers, one PostgreSQL, 30 days: {len(channel.posts)} posts, "
              f"{sum(n - 1 for n in per_key.values())} duplicated")
        assert len(channel.posts) >= 3 * 29 and all(n == 1 for n in per_key.values())
    finally:
        for s in stores:
            await s.close()
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


@pytest.mark.parametrize("weekday", [None, 0, 4])
def test_the_next_post_a_reply_announces_is_the_one_the_plan_sends(weekday):
    """/digest add says when the next post comes by the scheduler's own rule (a weekly digest with no
    weekday posts on Mondays), so the announcement and the post cannot disagree."""
    now = dt.datetime(2024, 3, 6, 12, 0, tzinfo=dt.UTC)  # a Wednesday
    sub = Subscription(1, 10, 20, "weekly", "09:00", "Asia/Tokyo", weekday, None, now)
    nxt = next_due(sub, now)
    assert nxt is not None and nxt > now
    assert nxt.astimezone(ZoneInfo("Asia/Tokyo")).weekday() == (weekday or 0)
    sent = plan([sub], {}, nxt).send
    assert [job.due for job in sent] == [nxt]
