"""Every word of the shelf is findable: generated from the seed files, not from a hand list.

A content word (4+ letters, not a stop word) that stands in at least two body paragraphs must
answer `/kuril search WORD` with a passage containing it, and `/kuril event WORD` with an event
whose sentence contains it whenever one does."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from bot.index import Index
from commands.kuril import MAX_LINES
from bot.ingest.document import parse_document, read_text
from bot.search import STOPWORDS, Searcher
from bot.text import fold
from tests.conftest import SEEDS

_WORD = re.compile(r"[a-z]{4,}")


def shelf_words() -> list[str]:
    counts: Counter[str] = Counter()
    for path in sorted(SEEDS.glob("*.txt")):
        text, sha = read_text(path)
        for p in parse_document(path.name, text, sha).paragraphs:
            if p.kind == "body":
                counts.update(set(_WORD.findall(fold(p.text))) - STOPWORDS)
    return sorted(w for w, n in counts.items() if n >= 2)


def contains(text: str, word: str) -> bool:
    return re.search(rf"\b{word}\b", fold(text)) is not None


@pytest.fixture(scope="module")
def words() -> list[str]:
    found = shelf_words()
    assert len(found) > 400  # the seeds hold about 500 such words
    return found


async def test_every_shelf_word_finds_a_passage_with_it(seed_index, words):
    index = await Index.open(seed_index)
    try:
        searcher = await Searcher.load(index)
        missing = [w for w in words if not any(contains(r.hit.text, w) for r in await searcher.search(w))]
    finally:
        await index.close()
    print(f"one-word recall {1 - len(missing) / len(words):.3f} over {len(words)} words")
    assert missing == []


async def test_every_shelf_word_in_an_event_finds_that_event(seed_index, words):
    index = await Index.open(seed_index)
    try:
        searcher = await Searcher.load(index)
        every = await index.events(None, None)
        missing = []
        for w in words:
            if any(contains(e.sentence, w) for e in every):
                query = searcher.keywords_query(w)
                found = await index.events(None, query, limit=MAX_LINES) if query else []
                if not any(contains(e.sentence, w) for e in found):
                    missing.append(w)
    finally:
        await index.close()
    assert missing == []
