"""What the commands read: the index, its searcher and the name list, opened together."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.index import DocInfo, EventRow, Index
from bot.render import Citation, Reply, format_date
from bot.search import Names, Searcher, escape_markdown


@dataclass
class Knowledge:
    index: Index
    searcher: Searcher
    names: Names

    @classmethod
    async def open(cls, path: Path) -> Knowledge:
        index = await Index.open(path)
        return cls(index, await Searcher.load(index), Names(await index.aliases()))

    async def close(self) -> None:
        await self.index.close()

    async def add_events(self, reply: Reply, events: Iterable[EventRow]) -> None:
        """Each event as a line of the reply: its date as a reader writes it, its summary, its citation."""
        for e in events:
            cite = await self.citation(e.doc_id, e.paragraph, e.sentence)
            reply.add(f"**{format_date(e.date, e.granularity, e.end_year)}** — {escape_markdown(e.summary)}", cite)

    async def citation(self, doc_id: int, paragraph: int, cited_text: str | None = None) -> Citation:
        """A citation of one paragraph, with the footnotes whose markers the cited text carries."""
        doc: DocInfo = self.index.docs[doc_id]
        if cited_text is None:
            row = await self.index.paragraph(doc_id, paragraph)
            cited_text = row[0] if row else ""
        notes = await self.index.footnotes_in(doc_id, cited_text)
        return Citation(doc.doc, paragraph, doc.title, doc.publisher, tuple(notes), doc.author, doc.published, doc.url)
