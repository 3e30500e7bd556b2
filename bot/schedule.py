"""Digest delivery: each post keyed by (subscription, local date), sent exactly once.

Timing is a pure function of the subscriptions, the delivery log and the clock (`plan`); the
Scheduler only acts on a plan. Delivery protocol: claim the key with a lease in the state store
→ send with a nonce derived from the key (Discord drops a repeated nonce) → record the outcome.
A sender that dies between claim and record leaves a claim whose lease runs out; the retry
first looks for the post in the channel, so a slow first send is not posted twice.
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.metrics import DELIVERIES
from bot.state import StateStore, Subscription

log = logging.getLogger("kuril.schedule")

GRACE = dt.timedelta(hours=6)
LEASE = dt.timedelta(minutes=2)
RETRY = dt.timedelta(minutes=1)
MAX_SLEEP = dt.timedelta(hours=1)  # wake at least hourly, so a changed clock or lost wake-up heals


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def due_at(sub: Subscription, local_date: dt.date) -> dt.datetime:
    """The UTC instant of HH:MM on `local_date` in the subscription's zone.

    A time that does not exist (spring forward) lands just after the gap; a time that happens
    twice (fall back) is its first occurrence. Either way one instant, so one post.
    """
    hour, minute = map(int, sub.time.split(":"))
    local = dt.datetime.combine(local_date, dt.time(hour, minute), ZoneInfo(sub.timezone))
    return local.astimezone(dt.UTC)


def delivery_key(sub_id: int, local_date: dt.date) -> str:
    """The nonce and footer mark of one post (Discord nonces are at most 25 characters)."""
    return f"kd{sub_id}-{local_date:%Y%m%d}"


def _runs_on(sub: Subscription, day: dt.date) -> bool:
    """Every day, or a weekly digest's weekday (Monday if it has none)."""
    return sub.kind != "weekly" or day.weekday() == (sub.weekday if sub.weekday is not None else 0)


@dataclass(frozen=True)
class Job:
    sub: Subscription
    local_date: dt.date
    due: dt.datetime


@dataclass
class Plan:
    send: list[Job]
    missed: list[Job]
    wake: dt.datetime | None  # next instant anything could become due


def local_dates(sub: Subscription, now: dt.datetime) -> list[dt.date]:
    """The subscription's local dates that can matter now: the grace window back, a week ahead."""
    today = now.astimezone(ZoneInfo(sub.timezone)).date()
    return [today + dt.timedelta(days=k) for k in range(-1 - GRACE.days, 8)]


def next_due(sub: Subscription, now: dt.datetime) -> dt.datetime | None:
    """When the subscription posts next after `now` (within the week ahead that plan looks at)."""
    return next((due for day in local_dates(sub, now) if _runs_on(sub, day) and (due := due_at(sub, day)) > now),
                None)


def plan(subs: list[Subscription], log_: dict, now: dt.datetime) -> Plan:
    """What to send now, what is too late to send, and when to look again."""
    out = Plan([], [], None)
    for sub in subs:
        if sub.paused_reason:
            continue
        for day in local_dates(sub, now):
            if not _runs_on(sub, day):
                continue
            due = due_at(sub, day)
            if due < sub.created_at:
                continue
            record = log_.get((sub.id, day))
            if due > now:
                out.wake = min(filter(None, [out.wake, due]))
                continue
            if record is not None and record.status != "claimed":
                continue
            if record is not None and record.lease_until and record.lease_until > now:
                out.wake = min(filter(None, [out.wake, record.lease_until]))
                continue  # someone holds it; look again when the lease runs out
            (out.send if now - due <= GRACE else out.missed).append(Job(sub, day, due))
    return out


class PostGone(Exception):
    """The channel is gone or closed to the bot: pause the subscription with this reason."""


# send(job, key) -> message id; raises PostGone, or anything else for a passing failure
Sender = Callable[[Job, str], Awaitable[int]]
# already_posted(job, key) -> message id of an earlier post of this key, if the channel has one
Finder = Callable[[Job, str], Awaitable[int | None]]


class Scheduler:
    """One sleeper that wakes for the next due post (or when subscriptions change)."""

    def __init__(self, store: StateStore, send: Sender, find: Finder, *,
                 clock: Callable[[], dt.datetime] = utcnow,
                 owns: Callable[[Subscription], bool] = lambda sub: True) -> None:
        self.store = store
        self.send = send
        self.find = find
        self.clock = clock
        self.owns = owns  # sharding: each process schedules only its own guilds
        self.holder = uuid.uuid4().hex[:12]
        self.changed = asyncio.Event()

    async def run_once(self) -> dt.datetime | None:
        """Deliver everything due now; return when to wake next."""
        now = self.clock()
        subs = [s for s in await self.store.subscriptions() if self.owns(s)]
        if not subs:
            return None
        days = [d for s in subs for d in local_dates(s, now)]
        todo = plan(subs, await self.store.deliveries(min(days), max(days)), now)
        for job in todo.missed:
            await self.skip(job)
        for job in todo.send:
            await self.deliver(job)
        return todo.wake

    async def _claim(self, job: Job) -> tuple[str, bool] | None:
        """Claim the job's delivery key with a lease: the key, and whether a sender may have posted it
        already (this claim took over one whose lease ran out); None if another holds it or it is done."""
        attempt = await self.store.claim(job.sub.id, job.local_date, job.due, self.holder, self.clock(), LEASE)
        return None if attempt is None else (delivery_key(job.sub.id, job.local_date), attempt > 1)

    async def skip(self, job: Job) -> None:
        """Log a post too late to send — unless a sender that died had posted it after all."""
        claimed = await self._claim(job)
        if claimed is None:
            return
        key, retry = claimed
        message_id = await self.find(job, key) if retry else None
        status = "sent" if message_id is not None else "missed"
        DELIVERIES.labels(status).inc()
        await self.store.finish(job.sub.id, job.local_date, self.holder, status, self.clock(), message_id,
                                detail=None if message_id else f"more than {GRACE} late")
        if status == "missed":
            log.warning("digest %s for %s skipped: due %s, more than %s late", job.sub.id, job.local_date,
                        job.due.isoformat(), GRACE)

    async def deliver(self, job: Job) -> bool:
        """Claim, send, record. True if this call posted (or found its post already there)."""
        claimed = await self._claim(job)
        if claimed is None:
            return False
        key, retry = claimed
        try:
            message_id = await self.find(job, key) if retry else None
            if message_id is None:
                message_id = await self.send(job, key)
        except PostGone as gone:
            await self.store.pause(job.sub.id, str(gone))
            await self.store.finish(job.sub.id, job.local_date, self.holder, "failed", self.clock(), detail=str(gone))
            DELIVERIES.labels("paused").inc()
            log.warning("digest %s paused: %s", job.sub.id, gone)
            return False
        except Exception as e:  # a passing failure (network, 5xx): retry after a short wait
            log.warning("digest %s for %s not sent yet: %s: %s", job.sub.id, job.local_date, type(e).__name__, e)
            await self.store.release(job.sub.id, job.local_date, self.holder, self.clock() + RETRY)
            DELIVERIES.labels("retry").inc()
            return False
        await self.store.finish(job.sub.id, job.local_date, self.holder, "sent", self.clock(), message_id)
        DELIVERIES.labels("sent").inc()
        return True

    async def run_forever(self) -> None:
        while True:
            try:
                wake = await self.run_once()
            except Exception as e:  # the store was unreachable: try again shortly
                log.error("scheduler pass failed: %s: %s", type(e).__name__, e)
                wake = self.clock() + RETRY
            delay = MAX_SLEEP if wake is None else min(MAX_SLEEP, max(dt.timedelta(0), wake - self.clock()))
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), timeout=delay.total_seconds())
