"""What a digest says: the same content for the scheduled post and for /digest preview."""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from bot.index import QuoteRow
from bot.knowledge import Knowledge
from bot.render import PAGE_ITEMS, Reply
from bot.schedule import delivery_key
from bot.search import escape_markdown
from bot.state import StateStore, Subscription

QUOTE_MEMORY = dt.timedelta(weeks=8)
_QUOTE_SCAN = 200
_EVENT_SCAN = 4 * PAGE_ITEMS  # reports read for a digest's lines: one line a happening


@dataclass
class Digest:
    reply: Reply
    featured_quote: str | None = None  # remembered once posted, so it is not repeated for 8 weeks


def quote_key(kb: Knowledge, q: QuoteRow) -> str:
    """Stable across re-ingests (quote ids are not): document, paragraph and the words."""
    return f"{kb.index.docs[q.doc_id].doc}:{q.paragraph}:{hashlib.sha1(q.text.encode()).hexdigest()[:10]}"


async def on_this_day(kb: Knowledge, day: dt.date, reply: Reply) -> None:
    """This day in any year; else this month, saying so; else one fact from the archive."""
    label = f"{day.day} {day:%B}"
    events = await kb.index.events_on(day.month, day.day, limit=_EVENT_SCAN)
    reply.note = f"On {label} in history."
    if not events:
        events = await kb.index.events_on(day.month, None, limit=_EVENT_SCAN)
        reply.note = f"Nothing is dated {label}; from {day:%B} in other years:"
    if not events:
        fact = await kb.index.event_near(day.toordinal())
        events = [fact] if fact else []
        reply.note = f"Nothing is dated in {day:%B}; a fact from the archive:"
    await kb.add_events(reply, events, limit=PAGE_ITEMS)


async def weekly(kb: Knowledge, store: StateStore, sub: Subscription, day: dt.date, reply: Reply) -> str | None:
    """The week ahead in history, one expert quote not featured here lately, and new documents."""
    days = [day + dt.timedelta(days=k) for k in range(7)]
    events = await kb.index.events_on_days([(d.month, d.day) for d in days], limit=_EVENT_SCAN)
    reply.note = f"The week ahead in history ({days[0].day} {days[0]:%B} – {days[-1].day} {days[-1]:%B})."
    await kb.add_events(reply, events, limit=PAGE_ITEMS - 2)
    if not events:
        reply.note += " Nothing in the articles falls in these days."
    recent = await store.recent_features(sub.channel_id, day - QUOTE_MEMORY)
    total = await kb.index.quote_count()
    featured = None
    if total:
        start = day.toordinal() % total
        candidates = await kb.index.quotes_page(start, _QUOTE_SCAN) + await kb.index.quotes_page(0, _QUOTE_SCAN)
        q = next((q for q in candidates if quote_key(kb, q) not in recent), None)
        if q is not None:
            person = await kb.index.person(q.person_id)
            who = person.name if person else "?"
            reply.add(f"**Quote of the week** · {escape_markdown(who)}: “{escape_markdown(q.text)}”",
                      await kb.citation(q.doc_id, q.paragraph, q.text))
            featured = quote_key(kb, q)
    since = await store.last_sent(sub.id)
    new_docs = [d for d in kb.index.docs.values() if since and dt.datetime.fromisoformat(d.added_at) > since]
    if new_docs:
        names = ", ".join(escape_markdown(d.title) for d in new_docs[:5])
        reply.add(f"**New on the shelf** · {names}" + (f" and {len(new_docs) - 5} more" if len(new_docs) > 5 else ""),
                  await kb.citation(new_docs[0].id, 1, ""))
    return featured


async def build_digest(kb: Knowledge, store: StateStore, sub: Subscription, day: dt.date) -> Digest:
    """The post for `sub` on its local date `day`; the footer carries the delivery key."""
    title = "On this day" if sub.kind == "on-this-day" else "This week in history"
    reply = Reply(title=f"{title} — {day.day} {day:%B %Y}", footer=f"Digest #{sub.id} · {delivery_key(sub.id, day)}")
    if sub.kind == "on-this-day":
        await on_this_day(kb, day, reply)
        return Digest(reply)
    return Digest(reply, await weekly(kb, store, sub, day, reply))
