"""/quote: an expert's words with their role and citations; fuzzy, accent-insensitive names."""
from __future__ import annotations

from collections.abc import Callable

import discord
from discord import app_commands
from discord.ext import commands

from bot.client import KurilBot
from bot.errors import BadInput
from bot.index import PersonRow
from bot.knowledge import Knowledge
from bot.options import clean
from bot.render import MAX_LINES, Reply, clip, send
from bot.search import escape_markdown, match_names, query_terms

ABOUT_SCAN = 1000  # quotes of one person searched for a topic: a bound, however quoted they are
QUOTE_HINT = "Type a name as printed or without accents, surname alone is fine; `/kuril experts` lists them."


async def quote_reply(kb: Knowledge, expert: str | None, about: str | None = None) -> Reply:
    name = clean(expert, "an expert's name", QUOTE_HINT, limit=100)
    person, chosen = await kb.person_named(name, QUOTE_HINT)
    quotes = await kb.index.quotes_of(person.id, limit=ABOUT_SCAN + 1 if about else MAX_LINES + 1)
    more = len(quotes) > ABOUT_SCAN
    quotes = quotes[:ABOUT_SCAN]
    topic = ""
    if about is not None and about.strip():
        topic = clean(about, "a topic", "Type a word or two, e.g. `sanctions`.", limit=100)
        if not query_terms(topic):
            raise BadInput("That topic has no words to look for; type e.g. `sanctions` or `nuclear`.")
        on_topic = kb.searcher.about(topic, {q.id: q.text for q in quotes})
        quotes = [q for q in quotes if q.id in on_topic]
        if not quotes:
            raise BadInput(f"{escape_markdown(person.name)} is not quoted about `{escape_markdown(clip(topic, 40))}`; "
                           "try another topic or leave `about` empty.")
    if not quotes:
        raise BadInput(f"{escape_markdown(person.name)} is named in the articles but never quoted directly.")
    role = person.role or "role not stated"
    reply = Reply(title=clip(f"{person.name} — {role}", 200), export=True)
    notes = []
    if chosen.score < 1.0:
        notes.append(f"Closest match for “{escape_markdown(clip(name, 40))}”.")
    if topic:
        notes.append(f"Quotes about “{escape_markdown(topic)}”"
                     + (f" among their first {ABOUT_SCAN:,}." if more else "."))
    reply.note = " ".join(notes)
    if len(quotes) > MAX_LINES:
        reply.note += f" The first {MAX_LINES} quotes; there are more: add `about` to narrow them."
        quotes = quotes[:MAX_LINES]
    for q in quotes:
        cite = await kb.citation(q.doc_id, q.paragraph, q.text)
        reply.add(f"“{escape_markdown(q.text)}” — {escape_markdown(q.role or role)}", cite)
    return reply


async def expert_suggestions(kb: Knowledge, current: str) -> list[app_commands.Choice[str]]:
    return await name_choices(kb, current, lambda p: p.quote_count > 0)


async def name_choices(kb: Knowledge, current: str,
                       keep: Callable[[PersonRow], bool]) -> list[app_commands.Choice[str]]:
    """Autocomplete for a name option: the people the typed letters match (else the most quoted), those kept."""
    if current.strip():
        matches = [m for m in match_names(current, kb.names, limit=25) if m.score >= 0.45]
        people = [p for m in matches if (p := await kb.index.person(m.person_id)) and keep(p)]
    else:
        people = [p for p in await kb.index.people(limit=25) if keep(p)]
    return [app_commands.Choice(name=clip(f"{p.name} — {p.role or 'role not stated'}", 100), value=clip(p.name, 100))
            for p in people]


class Quote(commands.Cog):
    def __init__(self, bot: KurilBot) -> None:
        self.bot = bot

    @app_commands.command(name="quote", description="An expert's quotes, with role and citations",
                          extras={"example": "/quote Kishida"})
    @app_commands.describe(expert="Name or surname (accents optional)", about="Optional topic, e.g. sanctions")
    async def quote(self, interaction: discord.Interaction, expert: str, about: str | None = None) -> None:
        await send(interaction, await quote_reply(self.bot.knowledge, expert, about))

    @quote.autocomplete("expert")
    async def expert_complete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await expert_suggestions(self.bot.knowledge, current)


async def setup(bot: KurilBot) -> None:
    await bot.add_cog(Quote(bot))
