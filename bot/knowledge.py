"""What the commands read: the index, its searcher and the name list, opened together."""
from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

from bot.index import DocInfo, Index
from bot.render import Citation
from bot.search import Names, Searcher


@dataclass
class Knowledge:
    index: Index
    searcher: Searcher
    names: Names

    @classmethod
    async def open(cls, path: Path) -> Knowledge:
        index = await Index.open(path)
        knowledge = cls(index, await Searcher.load(index), Names(await index.aliases()))
        # What is loaded lives until the next reload: moved out of the collector's generations, its
        # million objects are not rescanned by every full collection (a 20-60 ms pause at 10k docs).
        gc.freeze()
        return knowledge

    async def close(self) -> None:
        await self.index.close()

    async def citation(self, doc_id: int, paragraph: int, cited_text: str | None = None) -> Citation:
        """A citation of one paragraph, with the footnotes whose markers the cited text carries."""
        doc: DocInfo = self.index.docs[doc_id]
        if cited_text is None:
            row = await self.index.paragraph(doc_id, paragraph)
            cited_text = row[0] if row else ""
        notes = await self.index.footnotes_in(doc_id, cited_text)
        return Citation(doc.doc, paragraph, doc.title, doc.publisher, tuple(notes))
