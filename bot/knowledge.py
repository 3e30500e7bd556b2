"""What the commands read: the index, its searcher and the name list, opened together."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.happenings import Happening, TermsCache, idf_weights, merge
from bot.errors import BadInput
from bot.index import DocInfo, EventRow, Index, PersonRow
from bot.render import Citation, Reply, clip, format_date, plural
from bot.search import NameMatch, Names, Searcher, decide, escape_markdown, match_names


@dataclass
class Knowledge:
    index: Index
    searcher: Searcher
    names: Names
    passages: int = 0  # rows of the full-text index: what a word's document frequency is out of

    @classmethod
    async def open(cls, path: Path) -> Knowledge:
        index = await Index.open(path)
        names = Names(await index.aliases(), await index.full_names())
        return cls(index, await Searcher.load(index), names, await index.passage_count())

    async def close(self) -> None:
        await self.index.close()

    def __post_init__(self) -> None:
        vocab = self.searcher.vocab  # a word's weight stems it (slow in pure Python): each word once
        self.word_weight = lru_cache(maxsize=100_000)(idf_weights(vocab.df, self.passages, vocab.known))
        self._terms: TermsCache = {}  # each report's terms, kept from one answer to the next

    def happenings(self, events: Sequence[EventRow]) -> list[Happening]:
        """The events as happenings: one for all the reports of one thing (bot/happenings.py)."""
        return merge(events, self.word_weight, self._terms)

    async def add_events(self, reply: Reply, events: Sequence[EventRow], limit: int) -> int:
        """The events as lines of the reply, at most `limit`, one a happening: its date as a reader
        writes it, its summary, every source's citation; where the sources disagree on the date, each
        date with its sources. Returns how many happenings there are."""
        return await self.add_happenings(reply, self.happenings(events), limit)

    async def add_happenings(self, reply: Reply, happenings: Sequence[Happening], limit: int, label: str = "") -> int:
        for h in happenings[:limit]:
            groups = h.date_groups()
            cites = [await self.citation(e.doc_id, e.paragraph, e.sentence) for e in h.events]
            unique = list({(c.doc, c.paragraph): c for c in cites}.values())  # a paragraph with two reports, once
            line = f"{label}**{_when(h.lead)}** — {escape_markdown(h.lead.summary)}"
            if len(unique) > 1:
                line += f" · {plural(len(unique), 'source')}"
            if len(groups) > 1:
                parts = []
                for first, members in groups:
                    numbers = "".join(dict.fromkeys(f" [{reply.cite(cites[h.events.index(e)])}]" for e in members))
                    parts.append(f"{_when(first)}{numbers}")
                line += " · the sources differ on the date: " + "; ".join(parts)
            reply.add(line, *unique)
        return len(happenings)

    async def person_named(self, name: str, hint: str, noun: str = "expert") -> tuple[PersonRow, NameMatch]:
        """The person a typed name means (bot/search.py `match_names`, `decide`); BadInput with the near
        names as choices when it is not clear which, or with `hint` when none is near."""
        matches = match_names(name, self.names)
        chosen = decide(matches)
        person = await self.index.person(chosen.person_id) if chosen else None
        if chosen is None or person is None:
            near = [p.name for m in matches if m.score >= 0.5 and (p := await self.index.person(m.person_id))][:5]
            typed = escape_markdown(clip(name, 40))
            if near:
                raise BadInput(f"No {noun} is called `{typed}`. Did you mean: "
                               + ", ".join(f"**{escape_markdown(n)}**" for n in near) + "?")
            raise BadInput(f"No {noun} matches `{typed}`. {hint}")
        return person, chosen

    async def citation(self, doc_id: int, paragraph: int, cited_text: str | None = None) -> Citation:
        """A citation of one paragraph, with the footnotes whose markers the cited text carries."""
        doc: DocInfo = self.index.docs[doc_id]
        if cited_text is None:
            row = await self.index.paragraph(doc_id, paragraph)
            cited_text = row[0] if row else ""
        notes = await self.index.footnotes_in(doc_id, cited_text)
        return Citation(doc.doc, paragraph, doc.title, doc.publisher, tuple(notes), doc.author, doc.published, doc.url)


def _when(e: EventRow) -> str:
    return format_date(e.date, e.granularity, e.end_year)
