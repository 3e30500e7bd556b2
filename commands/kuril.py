"""/kuril: event, search, onthisday, sources, source, experts — every answer cites its sources."""
from __future__ import annotations

import asyncio
import calendar
import datetime as dt
import hashlib
import re
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot import checks
from bot.client import KurilBot
from bot.errors import BadInput
from bot.ingest.document import BadFile
from bot.ingest.build import build_index
from bot.ingest import shelf
from bot.ingest.formats import add_article, discard_unfinished
from bot.extract.dates import DateContext, DateMention, date_bounds, find_dates
from bot.cite import STYLE_NAMES, Style, reference
from bot.index import DocInfo
from bot.knowledge import Knowledge
from bot.names import speaker_kind
from bot.options import clean, visible
from bot.render import MAX_LINES, NO_MENTIONS, Reply, clip, format_date, plural, send
from bot.search import escape_markdown, highlight, query_terms, surface_word
from bot.text import fold
from bot.timeline import Point
from bot.timeline import render as render_timeline
from commands.person import person_reply, person_suggestions

EVENT_HINT = ("Try a year `2018`, a month `March 2022`, a day `24 February 2022` or `2022-02-24`, "
              "a range `2014-2018`, a decade `1990s`, keywords `sanctions`, or both `2022 sanctions`.")
_DATEISH = re.compile(r"^\s*-?\d+\s*$|\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,4}|^\s*\d{1,2}\s+[A-Za-z]+\s*$"
                      r"|^\s*[A-Za-z]+\s+\d{1,2}\s*$")
_MONTHS = ("january february march april may june july august september october november december").split()


_YEAR_SPAN = re.compile(r"^\s*(\d{4})\s*(?:[-–—]|to|until|through)\s*(\d{4})\s*$")


# the ways users write a date that articles do not (the article rules live in bot/extract/dates.py)
_SLASHED_DAY = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")  # 24/02/2022 day first; 02/24/2022 when it must be
_YEAR_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")  # 2022-03
_NAMED_DAY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})\b"  # 30 February 2022
                        r"|\b([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I)  # February 30, 2022
_MONTH_NUMBERS = {name[:n]: i for i, name in enumerate(_MONTHS, 1) for n in (3, len(name))}


def _not_a_date(text: str, year: int, month: int) -> BadInput:
    days = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
    why = f"{calendar.month_name[month]} {year} has {days} days" if days else "there are 12 months"
    return BadInput(f"`{escape_markdown(clip(text, 40))}` is not a date: {why}. {EVENT_HINT}")


def _users_date(query: str) -> DateMention | None:
    """A day or month written as users write them (`24/02/2022`, `2022-03`); BadInput for a day that does
    not exist however it is written (`30 February 2022`)."""
    m = _SLASHED_DAY.search(query)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if month > 12 >= day:
            day, month = month, day
        try:
            return DateMention(m.start(), m.end(), m[0], dt.date(year, month, day).isoformat(), "day")
        except ValueError:
            raise _not_a_date(m[0], year, month) from None
    m = _YEAR_MONTH.match(query)
    if m:
        if not 1 <= int(m[2]) <= 12:
            raise _not_a_date(m[0].strip(), int(m[1]), int(m[2]))
        return DateMention(m.start(1), m.end(2), m[0].strip(), f"{m[1]}-{int(m[2]):02d}", "month")
    for named in _NAMED_DAY.finditer(query):
        d, name, y = (named[1], named[2], named[3]) if named[1] else (named[5], named[4], named[6])
        number = _MONTH_NUMBERS.get(name.lower())
        if number and int(d) > calendar.monthrange(int(y), number)[1]:
            raise _not_a_date(named[0], int(y), number)
    return None


def parse_event_query(query: str) -> tuple[DateMention | None, str]:
    """Split '2022 sanctions' into a date part and keywords; raise BadInput for impossible dates."""
    years = _YEAR_SPAN.match(query)
    if years and 1000 <= int(years[1]) < int(years[2]) <= 2100:  # any span of years a user may ask about
        return DateMention(0, len(query), query, years[1], "year", int(years[2])), ""
    written = _users_date(query)
    if written:
        return written, (query[:written.start] + " " + query[written.end:]).strip(" ,;-")
    mentions = [m for m in find_dates(query, DateContext()) if m.granularity in ("year", "month", "day")]
    if len(mentions) > 1:
        raise BadInput(f"Ask about one date or range at a time. {EVENT_HINT}")
    if not mentions:
        if _DATEISH.search(query) or (re.search(r"\d", query) and not query_terms(re.sub(r"\d", "", query))):
            raise BadInput(f"`{clip(query, 40)}` is not a date I can read (years run 1000-2100, and the day "
                           f"must exist in that month). {EVENT_HINT}")
        return None, query
    m = mentions[0]
    rest = (query[:m.start] + " " + query[m.end:]).strip(" ,;-")
    return m, rest


def _span(m: DateMention) -> tuple[str, str, int]:
    """(first day, last day, width in days) of what a date query asks about."""
    lo, hi = date_bounds(m.date, m.granularity, m.end_year)
    width = (dt.date.fromisoformat(hi) - dt.date.fromisoformat(lo)).days
    return lo, hi, width


async def event_reply(kb: Knowledge, query: str | None) -> Reply:
    q = clean(query, "a date or keywords", EVENT_HINT)
    date, words = parse_event_query(q)
    keywords = kb.searcher.keywords_query(words) if words else None
    events = []
    if not words or keywords:
        events = await kb.index.events(_span(date) if date else None, keywords, limit=EVENT_SCAN)
    asked = format_date(date.date, date.granularity, date.end_year) if date else ""
    label = " ".join(filter(None, [asked, f"“{words}”" if words else ""]))
    if not events:
        raise BadInput(f"No dated events match {escape_markdown(label)}. {EVENT_HINT} "
                       "For any passage, use `/kuril search`.")
    reply = Reply(title=clip(f"Events: {label}", 200), export=True)
    shown = await kb.add_events(reply, events, limit=MAX_LINES)
    reply.note = _count_note(shown, "event", more=len(events) == EVENT_SCAN)
    return reply


EVENT_SCAN = 2 * MAX_LINES  # reports read for one answer, merged into its happenings (pairs grow as its square)


def _count_note(n: int, what: str, more: bool = False) -> str:
    if n > MAX_LINES or more:
        return f"The first {min(n, MAX_LINES)} {what}s, oldest first; there are more: narrow the date or add keywords."
    return f"{plural(n, what)}, oldest first."


async def event_suggestions(kb: Knowledge, current: str) -> list[str]:
    """Years and months that have events, and topic words, that start like what is typed."""
    key = fold(current).strip()
    out = []
    for prefix, n in await kb.index.event_years():
        label = prefix if len(prefix) == 4 else format_date(prefix, "month")
        if not key or fold(label).startswith(key) or prefix.startswith(key):
            out.append((n, label))
    out.sort(key=lambda x: (-x[0], x[1]))
    words = [w for w, _ in await kb.index.topic_words() if key and w.startswith(key.split()[-1])]
    return [label for _, label in out[:20]] + words[: 25 - min(20, len(out))]


SEARCH_HINT = "Type a few words, e.g. `sanctions swift` or `salmon fishing quota`; typos are fine."


async def search_reply(kb: Knowledge, query: str | None) -> Reply:
    q = clean(query, "search words", SEARCH_HINT)
    if not query_terms(q):
        raise BadInput(f"`{escape_markdown(clip(q, 40))}` has no words to search for. {SEARCH_HINT}")
    results = await kb.searcher.search(q)
    if not results:
        raise BadInput(f"Nothing in the articles matches `{escape_markdown(clip(q, 60))}`. {SEARCH_HINT}")
    note = f"Best {plural(len(results), 'match', 'matches')} among passages, quotes and events."
    fixed = kb.searcher.corrected(q)
    if fixed:
        texts = [r.hit.text for r in results]
        shown = " ".join(surface_word(fixed[w][0], texts) if w in fixed else w for w in query_terms(q))
        note = f"Showing results for *{escape_markdown(shown)}*. {note}"
    reply = Reply(title=clip(f"Search: {q}", 200), note=note, export=True)
    refs = [r.hit.ref for r in results if r.hit.kind == "event" and r.hit.ref is not None]
    events = {e.id: e for e in await kb.index.events_by_id(refs)}
    for r in results:
        h = r.hit
        snippet = highlight(h.text, r.matched)
        if h.kind == "quote":
            label = "Quote" if h.ref is not None else "Quote · not attributed in the article"
        elif h.kind == "event" and h.ref in events:
            e = events[h.ref]
            label = f"Event · {format_date(e.date, e.granularity, e.end_year)}"
        else:
            label = "Passage"
        reply.add(f"**{label}** · {snippet}", await kb.citation(h.doc_id, h.paragraph, h.text))
    return reply


ONTHISDAY_HINT = "Give a day and month like `24 February`, `Feb 24` or `02-24`, or leave it empty for today."


def parse_day(text: str | None, today: dt.date) -> tuple[int, int]:
    """(month, day) from a user's date; empty means today."""
    raw = visible(text)
    if not raw or raw.lower() == "today":
        return today.month, today.day
    if len(raw) > 40:
        raise BadInput(f"That date is too long. {ONTHISDAY_HINT}")
    m = re.fullmatch(r"(?:(\d{4})-)?(\d{1,2})-(\d{1,2})", raw)
    if m:
        month, day = int(m[2]), int(m[3])
    else:
        mentions = find_dates(raw, DateContext("2000"))  # a leap year: 29 February is a day
        if len(mentions) != 1 or mentions[0].granularity != "day":
            raise BadInput(f"`{escape_markdown(clip(raw, 40))}` is not a day I can read. {ONTHISDAY_HINT}")
        month, day = int(mentions[0].date[5:7]), int(mentions[0].date[8:10])
    try:
        dt.date(2000, month, day)
    except ValueError:
        raise BadInput(f"There is no day {day} in month {month}. {ONTHISDAY_HINT}") from None
    return month, day


async def onthisday_reply(kb: Knowledge, date: str | None, today: dt.date) -> Reply:
    month, day = parse_day(date, today)
    label = f"{day} {_MONTHS[month - 1].title()}"
    events = await kb.index.events_on(month, day, limit=EVENT_SCAN)
    note = f"Events on {label} in any year."
    if not events:
        events = await kb.index.events_on(month, None, limit=EVENT_SCAN)
        note = f"Nothing is dated {label}; here is what happened in {_MONTHS[month - 1].title()}."
    if not events:
        raise BadInput(f"Nothing in the articles is dated {label} or in {_MONTHS[month - 1].title()}. "
                       "Try another day, or `/kuril event` with a year.")
    reply = Reply(title=f"On this day: {label}", export=True)
    shown = await kb.add_events(reply, events, limit=MAX_LINES)
    reply.note = f"{note} {_count_note(shown, 'event', more=len(events) == EVENT_SCAN)}"
    return reply


SOURCES_MAX = 1000  # documents /kuril sources pages through; past that, /kuril source finds one by its title


async def sources_reply(kb: Knowledge) -> Reply:
    counts = await kb.index.counts()
    shown = min(len(kb.index.docs), SOURCES_MAX)
    first = f", the first {shown}" if shown < len(kb.index.docs) else ""
    reply = Reply(title="Sources",
                  note=f"{plural(len(kb.index.docs), 'document')}{first}. Open any with `/kuril source`.", export=True)
    for d in list(kb.index.docs.values())[:SOURCES_MAX]:
        c = counts[d.id]
        byline = " · ".join(filter(None, [d.publisher, d.author and f"by {d.author}"]))
        reply.add(f"**{escape_markdown(d.title)}** — {escape_markdown(byline or 'publisher unknown')} · "
                  f"`{d.doc}` · {d.paragraph_count} ¶ · {plural(c['quotes'], 'quote')} · "
                  f"{plural(c['events'], 'event')}",
                  await kb.citation(d.id, 1, ""))
    if not reply.lines:
        raise BadInput("The index is empty: an admin can add articles with `kuril-bot ingest`.")
    return reply


SOURCE_HINT = "Pick a document from the suggestions (see `/kuril sources`) and a paragraph number."


def doc_choices(kb: Knowledge, current: str) -> list[app_commands.Choice[str]]:
    """Documents whose id or title holds what is typed, for autocomplete."""
    key = fold(current)
    docs = [d for d in kb.index.docs.values() if key in fold(d.doc) or key in fold(d.title)]
    return [app_commands.Choice(name=clip(f"{d.title} ({d.doc})", 100), value=d.doc) for d in docs[:25]]


def find_document(kb: Knowledge, doc: str) -> DocInfo | None:
    """A document by id, id prefix or title words."""
    key = fold(doc)
    if key in kb.index.docs_by_name:
        return kb.index.docs_by_name[key]
    matches = [d for d in kb.index.docs.values() if len(key) >= 3 and (fold(d.doc).startswith(key)
                                                                       or key in fold(d.title))]
    return matches[0] if len(matches) == 1 else None


_TRAILING_PARAGRAPH = re.compile(r"^(.+?)[\s,]+(?:¶|para(?:graph)?\.?|p\.)?\s*(\d{1,6})$", re.I)


def find_cited(kb: Knowledge, doc: str | None, paragraph: int | None, hint: str) -> tuple[DocInfo, int | None]:
    """A document and paragraph as a user names them: the document by id, id prefix or title words, the
    paragraph as its own option or after the document as a citation prints it (`001 18`, `001 ¶18`)."""
    name = clean(doc, "a document", hint, limit=300)
    d = find_document(kb, name)
    split = _TRAILING_PARAGRAPH.match(name)
    if d is None and split:
        d = find_document(kb, split[1])
        paragraph = paragraph if paragraph is not None else int(split[2])
    if d is None:
        raise BadInput(f"I have no document `{escape_markdown(clip(name, 60))}`. {hint}")
    if paragraph is not None and not 1 <= paragraph <= d.paragraph_count:
        raise BadInput(f"`{d.doc}` has paragraphs 1 to {d.paragraph_count}; pick one of those.")
    return d, paragraph


async def source_reply(kb: Knowledge, doc: str | None, paragraph: int | None) -> Reply:
    d, asked = find_cited(kb, doc, paragraph, SOURCE_HINT)
    n = asked or 1
    text, kind = await kb.index.paragraph(d.id, n) or ("", "body")
    neighbours = " · ".join([f"previous ¶{n - 1}"] * (n > 1) + [f"next ¶{n + 1}"] * (n < d.paragraph_count))
    kind_note = "" if kind in ("body", "heading", "title") else f" ({kind})"
    reply = Reply(title=clip(f"{d.title} — ¶{n}", 200),
                  note=f"¶{n} of {d.paragraph_count}{kind_note} · {neighbours}")
    cite = await kb.citation(d.id, n, text)
    for part in _chunks(escape_markdown(text), 1300):
        reply.add(part, cite)
    for k, note in cite.footnotes:  # in full here, where the sources field has room for a glimpse only
        for part in _chunks(escape_markdown(note), 1300):
            reply.add(f"**Footnote {k}** · {part}", cite)
    return reply


CITE_HINT = ("Name the document as `/kuril sources` lists it (its id, its first digits, or title words) and a "
             "style; add the paragraph to cite one: `/kuril cite doc:001 style:apa paragraph:18`.")


async def cite_reply(kb: Knowledge, doc: str | None, style: Style, paragraph: int | None = None) -> Reply:
    """A reference to paste, in one style, with the in-text citation of the paragraph when one is named."""
    d, n = find_cited(kb, doc, paragraph, CITE_HINT)
    ref = reference(d, style, n)
    reply = Reply(title=clip(f"Cite ({STYLE_NAMES[style]}): {d.title}", 200),
                  note=f"`{d.doc}`" + (f", ¶{n}" if n else "") + ". Copy the reference; the link opens the source.")
    reply.add(ref.markdown or f"```\n{ref.entry}\n```")
    reply.add(f"In the text: `{ref.in_text}`" if ref.in_text else "The document as a whole",
              await kb.citation(d.id, n or 1, None if n else ""))
    return reply


def _chunks(text: str, size: int) -> list[str]:
    out = []
    while len(text) > size:
        cut = text.rfind(" ", 0, size)
        cut = cut if cut > 0 else size
        out.append(text[:cut])
        text = text[cut:].lstrip()
    return out + [text]


async def experts_reply(kb: Knowledge) -> Reply:
    """The most quoted people, then institutions; documents and nouns that name no one ('Russian media')
    are speakers but not experts (bot/names.py `speaker_kind`)."""
    quoted = [p for p in await kb.index.people() if p.quote_count]
    kinds = {p.id: speaker_kind(p.name, p.is_person) for p in quoted}
    people = [p for p in quoted if kinds[p.id] == "person"][:MAX_LINES * 3 // 4]
    bodies = [p for p in quoted if kinds[p.id] == "institution"][:MAX_LINES - len(people)]
    if not people and not bodies:
        raise BadInput("No quoted experts in the index yet.")
    reply = Reply(title="Experts quoted", export=True,
                  note=f"The {plural(len(people), 'most quoted person', 'most quoted people')}, then "
                       f"{plural(len(bodies), 'institution')}. `/quote <name>` shows their words, "
                       "`/kuril person <name>` all the shelf says of them.")
    first = await kb.index.first_quotes([p.id for p in people + bodies])
    for label, group in (("Person", people), ("Institution", bodies)):
        for p in group:
            q = first[p.id]
            role = f" — {escape_markdown(p.role)}" if p.role else ""
            reply.add(f"{label}: **{escape_markdown(p.name)}**{role} · {plural(p.quote_count, 'quote')}",
                      await kb.citation(q.doc_id, q.paragraph, q.text))
    return reply


async def status_reply(bot: KurilBot) -> Reply:
    """Health for server managers: index, state backend, shards, latency, last delivery."""
    kb = bot.knowledge
    meta = await kb.index.meta()
    counts = await kb.index.counts()
    quotes = sum(c["quotes"] for c in counts.values())
    events = sum(c["events"] for c in counts.values())
    state = bot.state
    last = await state.last_delivery()
    settings = bot.settings
    shards = f"{settings.shard_ids or 'all'} of {settings.shard_count}" if settings.shard_count else "single process"
    latency = f"{bot.latency * 1000:.0f} ms" if bot.latency == bot.latency and bot.latency != float("inf") else "n/a"
    lines = [
        f"Index: schema v{meta.get('schema_version')}, built {meta.get('built_at')} · "
        f"{plural(len(kb.index.docs), 'document')},"
        f" {plural(quotes, 'quote')}, {plural(events, 'event')}",
        f"State: {state.dialect}",
        f"Shards: {shards} · gateway latency {latency}",
        "Last delivery: " + (f"digest #{last.subscription_id} for {last.local_date} "
                             f"at {last.sent_at:%Y-%m-%d %H:%M} UTC" if last and last.sent_at else "none yet"),
    ]
    return Reply(content="\n".join(lines), ephemeral=True)


TIMELINE_LIMIT = 200


async def timeline_reply(kb: Knowledge, query: str | None) -> Reply:
    q = clean(query, "a date or keywords", EVENT_HINT)
    date, words = parse_event_query(q)
    keywords = kb.searcher.keywords_query(words) if words else None
    events = await kb.index.events(_span(date) if date else None, keywords, limit=TIMELINE_LIMIT) \
        if (not words or keywords) else []
    if not events:
        raise BadInput(f"No dated events match `{escape_markdown(clip(q, 60))}` to draw. {EVENT_HINT}")
    happenings = kb.happenings(events)
    reply = Reply(title=clip(f"Timeline: {q}", 200),
                  note=f"{len(happenings)} event(s)" + (" (from the first 200 reports)"
                                                        if len(events) == TIMELINE_LIMIT else "") + ".")
    await kb.add_happenings(reply, happenings, limit=MAX_LINES)
    # the picture numbers a happening by the sources its answer line cites; those past the list get none
    points = [Point.of(h.lead, tuple(reply.line_cites[i]) if i < MAX_LINES else ()) for i, h in enumerate(happenings)]
    # more reports than were read: the picture counts every one of them, so a wide span is drawn whole
    years = await kb.index.first_years(_span(date) if date else None, keywords) if len(events) == TIMELINE_LIMIT \
        else None
    png = await asyncio.to_thread(render_timeline, points, q, len(reply.citations), years)
    reply.image = (f"timeline-{hashlib.sha1(q.encode()).hexdigest()[:8]}.png", png)
    return reply


ADD_HINT = "Attach a plain text, Markdown, HTML or PDF article (at most {mb:g} MB)."


async def add_reply(bot: KurilBot, file: discord.Attachment, overrides: dict[str, str | None],
                    by: int | None = None) -> Reply:
    """Put an uploaded article on the shelf and into the index, without a restart."""
    settings = bot.settings
    limit = int(settings.kuril_max_upload_mb * 1024 * 1024)
    hint = ADD_HINT.format(mb=settings.kuril_max_upload_mb)
    if file.size > limit:
        raise BadInput(f"`{escape_markdown(clip(file.filename, 60))}` is {file.size / 1048576:.1f} MB. {hint}")
    meta = {k: clean(v, k, "Keep it short.", limit=300) for k, v in overrides.items() if v and v.strip()}
    raw = await file.read()
    async with bot.shelf_lock:
        try:
            added = await bot.reader.run(add_article, settings.kuril_seeds, settings.kuril_index, raw,
                                         file.filename, meta, limit)
        except BadFile as e:
            if await asyncio.to_thread(discard_unfinished, settings.kuril_seeds):  # the reader was stopped mid-add
                await asyncio.to_thread(build_index, [settings.kuril_seeds], settings.kuril_index, sync=True)
                await bot.reload_knowledge()
            raise BadInput(f"I could not add `{escape_markdown(clip(file.filename, 60))}`: {e}. {hint}") from None
        if added.new:
            await shelf.publish(bot.state, settings.kuril_seeds, [added.path.name], by=by,
                                sources={added.path.name: (raw, added.kind)})
            await bot.reload_knowledge()
    kb = bot.knowledge
    doc = kb.index.docs_by_name.get(fold(added.doc))
    if doc is None:
        raise BadInput(f"`{added.doc}` is on the shelf but not in the index yet; try again in a minute.")
    if not added.new:
        return Reply(content=f"Already have it as `{doc.doc}` — {escape_markdown(doc.title)}.", ephemeral=True)
    counts = (await kb.index.counts())[doc.id]
    speakers = await kb.index.speaker_count(doc.id)
    reply = Reply(title=clip(f"Added: {doc.title}", 200),
                  note=f"Document `{doc.doc}` — {plural(doc.paragraph_count, 'paragraph')}, "
                       f"{plural(counts['events'], 'event')}, "
                       f"{plural(counts['quotes'], 'quote')} from {plural(speakers, 'speaker')}. "
                       f"Try `/kuril source {doc.doc}`.")
    reply.add(escape_markdown(clip(doc.title, 300)), await kb.citation(doc.id, 1, ""))
    return reply


UNDO_SECONDS = 600


class ShelfChange(discord.ui.View):
    """A button for the manager who asked (checked again when pressed): remove, or undo a removal."""

    def __init__(self, bot: KurilBot, owner_id: int, doc: str, undo: bool) -> None:
        super().__init__(timeout=UNDO_SECONDS if undo else 120)
        self.bot, self.owner_id, self.doc, self.undo = bot, owner_id, doc, undo
        self.act.label, self.act.style = ("Undo", discord.ButtonStyle.secondary) if undo else \
            ("Remove", discord.ButtonStyle.danger)
        if undo:
            self.remove_item(self.cancel)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id or not checks.manages_server(interaction):
            await interaction.response.send_message("Only the manager who asked can do this.", ephemeral=True,
                                                    allowed_mentions=NO_MENTIONS)
            return False
        return True

    @discord.ui.button(label="Remove", style=discord.ButtonStyle.danger)
    async def act(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        settings = self.bot.settings
        where = (self.bot.state, settings.kuril_seeds, settings.kuril_index, self.doc)
        async with self.bot.shelf_lock:
            try:
                await (shelf.put_back(*where, by=interaction.user.id) if self.undo else shelf.take_off(*where))
            except BadFile as e:
                await interaction.response.edit_message(content=f"Nothing changed: {e}.", view=None,
                                                        allowed_mentions=NO_MENTIONS)
                return
            await self.bot.reload_knowledge()
        self.stop()
        if self.undo:
            await interaction.response.edit_message(content=f"Restored `{self.doc}`: it is answered again.",
                                                    view=None, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.edit_message(
                content=f"Removed `{self.doc}` from the shelf for everyone. Undo within {UNDO_SECONDS // 60} "
                        f"minutes, or later with `kuril-bot shelf restore {self.doc}`.",
                view=ShelfChange(self.bot, self.owner_id, self.doc, undo=True), allowed_mentions=NO_MENTIONS)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(content=f"Kept `{self.doc}`.", view=None, allowed_mentions=NO_MENTIONS)


def remove_reply(bot: KurilBot, doc: str | None, owner_id: int) -> Reply:
    kb = bot.knowledge
    key = clean(doc, "a document id", "Pick one from the list, e.g. `002_7f7b37a8c87dad85`.", limit=100)
    found = kb.index.docs_by_name.get(fold(key))
    if found is None:
        raise BadInput(f"No document `{escape_markdown(clip(key, 60))}` on the shelf; `/kuril sources` lists them.")
    return Reply(content=f"Remove `{found.doc}` — {escape_markdown(clip(found.title, 120))} — from the shelf for "
                         "everyone? Its text is kept, so it can be restored.",
                 ephemeral=True, view=ShelfChange(bot, owner_id, found.doc, undo=False))


class Kuril(commands.GroupCog, group_name="kuril", group_description="Look up the Kuril Islands articles"):
    def __init__(self, bot: KurilBot) -> None:
        self.bot = bot
        super().__init__()

    @property
    def kb(self) -> Knowledge:
        return self.bot.knowledge

    @app_commands.command(name="event", description="Dated events by year, month, day, range, decade or keyword",
                          extras={"example": "/kuril event 24 February 2022"})
    @app_commands.describe(query="2018 · March 2022 · 24 February 2022 · 2014-2018 · 1990s · sanctions")
    async def event(self, interaction: discord.Interaction, query: str) -> None:
        await send(interaction, await event_reply(self.kb, query))

    @event.autocomplete("query")
    async def event_complete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=s, value=s) for s in await event_suggestions(self.kb, current)]

    @app_commands.command(name="search", description="Typo-tolerant search over passages, quotes and events",
                          extras={"example": "/kuril search salmon fishing quota"})
    @app_commands.describe(query="A few words, e.g. sanctions swift")
    async def search(self, interaction: discord.Interaction, query: str) -> None:
        await send(interaction, await search_reply(self.kb, query))

    @app_commands.command(name="onthisday", description="Events on this day and month in any year",
                          extras={"example": "/kuril onthisday 24 February"})
    @app_commands.describe(date="A day like 24 February (default: today)")
    async def onthisday(self, interaction: discord.Interaction, date: str | None = None) -> None:
        zone, caveat = await self.bot.guild_timezone(interaction.guild_id)
        reply = await onthisday_reply(self.kb, date, dt.datetime.now(ZoneInfo(zone)).date())
        reply.note = f"{reply.note} {caveat}".strip()
        await send(interaction, reply)

    @app_commands.command(name="sources", description="The documents in the index",
                          extras={"example": "/kuril sources"})
    async def sources(self, interaction: discord.Interaction) -> None:
        await send(interaction, await sources_reply(self.kb))

    @app_commands.command(name="source", description="Show a cited paragraph in full",
                          extras={"example": "/kuril source doc:001 paragraph:8"})
    @app_commands.describe(doc="Document id or title", paragraph="Paragraph number (from a citation's ¶)")
    async def source(self, interaction: discord.Interaction, doc: str,
                     paragraph: app_commands.Range[int, 1, 100000] | None = None) -> None:
        await send(interaction, await source_reply(self.kb, doc, paragraph))

    @app_commands.command(name="cite", description="A ready reference: APA, Chicago, MLA, Harvard, BibTeX or RIS",
                          extras={"example": "/kuril cite doc:001 style:apa paragraph:8"})
    @app_commands.describe(doc="Document id or title", style="Reference style",
                           paragraph="Paragraph number, to cite one passage (from a citation's ¶)")
    async def cite(self, interaction: discord.Interaction, doc: str, style: Style,
                   paragraph: app_commands.Range[int, 1, 100000] | None = None) -> None:
        await send(interaction, await cite_reply(self.kb, doc, style, paragraph))

    @source.autocomplete("doc")
    @cite.autocomplete("doc")
    async def doc_complete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return doc_choices(self.kb, current)

    @app_commands.command(name="status", description="Bot health: index, state, shards, deliveries (managers)",
                          extras={"example": "/kuril status"})
    @checks.manager_only()
    async def status(self, interaction: discord.Interaction) -> None:
        await send(interaction, await status_reply(self.bot))

    @app_commands.command(name="add", description="Add an article: text, Markdown, HTML or PDF (managers)",
                          extras={"example": "/kuril add file:article.pdf publisher:Nikkei Asia"})
    @app_commands.describe(file="The article", title="Title, if the file lacks it", publisher="Publisher",
                           author="Author", url="Where it was published")
    @checks.manager_only()
    async def add(self, interaction: discord.Interaction, file: discord.Attachment, title: str | None = None,
                  publisher: str | None = None, author: str | None = None, url: str | None = None) -> None:
        if not interaction.response.is_done():
            await interaction.response.defer(thinking=True)
        meta = {"title": title, "publisher": publisher, "author": author, "url": url}
        await send(interaction, await add_reply(self.bot, file, meta, by=interaction.user.id))

    @app_commands.command(name="remove", description="Take an article off the shelf, with undo (managers)",
                          extras={"example": "/kuril remove doc:002_7f7b37a8c87dad85"})
    @app_commands.describe(doc="Document id or title")
    @checks.manager_only()
    async def remove(self, interaction: discord.Interaction, doc: str) -> None:
        await send(interaction, remove_reply(self.bot, doc, interaction.user.id))

    @remove.autocomplete("doc")
    async def remove_complete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return doc_choices(self.kb, current)

    @app_commands.command(name="timeline", description="A picture of the events on a time axis",
                          extras={"example": "/kuril timeline 2014-2022"})
    @app_commands.describe(query="Like /kuril event: 2014-2022, 1990s, sanctions …")
    async def timeline(self, interaction: discord.Interaction, query: str) -> None:
        await send(interaction, await timeline_reply(self.kb, query))

    @app_commands.command(name="person", description="One person across the articles: roles, quotes, events",
                          extras={"example": "/kuril person Kishida"})
    @app_commands.describe(name="Name or surname (accents optional), e.g. Abe or Sergey Lavrov")
    async def person(self, interaction: discord.Interaction, name: str) -> None:
        await send(interaction, await person_reply(self.kb, name))

    @person.autocomplete("name")
    async def person_complete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await person_suggestions(self.kb, current)

    @app_commands.command(name="experts", description="People quoted, with role and number of quotes",
                          extras={"example": "/kuril experts"})
    async def experts(self, interaction: discord.Interaction) -> None:
        await send(interaction, await experts_reply(self.kb))


async def setup(bot: KurilBot) -> None:
    await bot.add_cog(Kuril(bot))
