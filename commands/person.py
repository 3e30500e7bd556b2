"""The answer of /kuril person (the command sits in commands/kuril.py's group): one person across the
shelf — the roles the texts give, their latest quotes, the events they take part in, the documents
that name them — every line cited."""
from __future__ import annotations

from collections import defaultdict

from discord import app_commands

from bot.index import DocInfo, Mention
from bot.knowledge import Knowledge
from bot.names import is_short, names_in
from bot.options import clean
from bot.render import MAX_LINES, Reply, clip, plural, published_date
from bot.search import escape_markdown
from commands.quote import name_choices
from bot.text import fold

PERSON_HINT = "Type a name as printed, surname alone is fine (`Abe`, `Lavrov`); `/kuril experts` lists them."
LATEST = 3  # quotes, and the documents cited for a role
EVENTS = 10
ROLES = 5


async def person_reply(kb: Knowledge, name: str | None) -> Reply:
    typed = clean(name, "a person's name", PERSON_HINT, limit=100)
    person, chosen = await kb.person_named(typed, PERSON_HINT, noun="person")
    mentions = sorted(await kb.index.mentions_of(person.id), key=lambda m: _dated(kb.index.docs[m.doc_id]),
                      reverse=True)  # the latest first, the undated last
    quotes = await kb.index.quotes_of(person.id)
    reply = Reply(title=clip(f"{person.name} — {person.role or 'role not stated'}", 200), export=True)
    spellings = sorted({m.name for m in mentions if not is_short(m.name)} - {person.name})
    notes = [f"Closest match for “{escape_markdown(clip(typed, 40))}”."] if chosen.score < 1.0 else []
    notes.append(f"Named in {plural(len(mentions), 'document')}, quoted {plural(len(quotes), 'time')}"
                 + (f" (`/quote {escape_markdown(person.name)}` lists every quote)." if len(quotes) > LATEST else "."))
    if spellings:
        notes.append("Also written " + ", ".join(escape_markdown(s) for s in spellings[:6]) + ".")
    reply.note = " ".join(notes)

    by_role: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.role:
            by_role[fold(m.role)].append(m)
    for said in sorted(by_role.values(), key=len, reverse=True)[:ROLES]:
        latest = _when(kb.index.docs[said[0].doc_id])
        reply.add(f"**Role** {escape_markdown(said[0].role or '')} — in {plural(len(said), 'document')}"
                  + (f", latest {latest}" if latest else ""),
                  *[await kb.citation(m.doc_id, m.paragraph) for m in said[:LATEST]])

    order = {m.doc_id: i for i, m in enumerate(mentions)}
    for q in sorted(quotes, key=lambda q: (order.get(q.doc_id, len(order)), -q.paragraph))[:LATEST]:
        facts = ", ".join(filter(None, [q.role or person.role, _when(kb.index.docs[q.doc_id])]))
        reply.add(f"**Quote** “{escape_markdown(clip(q.text, 300))}”" + _dash(facts),
                  await kb.citation(q.doc_id, q.paragraph, q.text))

    events = [e for e in await kb.index.events_in(list(order)) if names_in(e.sentence, person.name)]
    happenings = kb.happenings(events)
    await kb.add_happenings(reply, happenings[-EVENTS:], EVENTS, label="**Event** ")
    if len(happenings) > EVENTS:
        reply.note += f" The latest {EVENTS} of {plural(len(happenings), 'event')} they take part in."

    room = max(0, MAX_LINES - len(reply.lines))
    if len(mentions) > room:
        reply.note += f" The latest {room} of the documents naming them."
    for m in mentions[:room]:
        doc = kb.index.docs[m.doc_id]
        facts = ", ".join(filter(None, [_when(doc), m.role and f"as {m.role}"]))
        reply.add(f"**Named in** {escape_markdown(clip(doc.title, 90))}" + _dash(facts),
                  await kb.citation(m.doc_id, m.paragraph))
    return reply


def _dated(doc: DocInfo) -> tuple[bool, str, str]:
    return doc.published is not None, doc.published or "", doc.doc


def _dash(facts: str) -> str:
    return f" — {escape_markdown(facts)}" if facts else ""


def _when(doc: DocInfo) -> str | None:
    return published_date(doc.published)


async def person_suggestions(kb: Knowledge, current: str) -> list[app_commands.Choice[str]]:
    return await name_choices(kb, current, lambda p: p.is_person)
