"""Finding things: typo-tolerant passage search and fuzzy name matching.

Search never scans every passage: FTS5/BM25 gives candidates for the query words, each word
widened by its nearest terms in the index vocabulary (rapidfuzz, for typos), and the few
candidates are re-ranked by coverage, proximity, BM25 and exactness. Name matching follows
'disambiguate, don't guess': answer only when the best match is exact or clearly ahead, else
offer choices.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from itertools import accumulate
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from snowballstemmer import stemmer

from bot.extract import lexicon
from bot.index import Hit, Index
from bot.names import name_key
from bot.text import fold

STOPWORDS = lexicon.words("function_words") | lexicon.words("request_words")
_WORD = re.compile(r"[a-z0-9]+")
MAX_TERMS = 10
CANDIDATES = 60
FALLBACK_POSTINGS = 20_000  # how many matches the fallback's rare words may have together
_PORTER = stemmer("porter")
# What a reader means, in Meilisearch's order: all the words, close together, the rarer words
# counting more (BM25), as typed. Tuned on the bench's MRR at 5 and 1,000 documents.
WEIGHTS = (0.3, 0.25, 0.3, 0.15)  # coverage, proximity, bm25, exactness
_KIND_WEIGHT = {"boilerplate": 0.3}  # site furniture ranks below the articles; every other kind alike


def query_terms(query: str) -> list[str]:
    """Folded content words of a user query (at most MAX_TERMS, each at most 30 letters)."""
    words = [w[:30] for w in _WORD.findall(fold(query))]
    terms = [w for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


@dataclass
class Result:
    hit: Hit
    score: float
    matched: set[str]


class Vocabulary:
    """The index's terms, bucketed by length so a typo is corrected against few candidates."""

    def __init__(self, terms: list[tuple[str, int]]) -> None:
        self.df = dict(terms)
        self.by_len: dict[int, list[str]] = defaultdict(list)
        for t in self.df:
            self.by_len[len(t)].append(t)

    def known(self, word: str) -> str | None:
        """The index term for `word` if the index has it: its Porter stem (as FTS5 stems it), or
        failing that a term that is a prefix of the word (the two stemmers differ on a few words)."""
        stem = _PORTER.stemWord(word) if len(word) > 2 else word
        if stem in self.df:
            return stem
        for cut in range(0, min(4, len(word) - 2)):
            stem = word[: len(word) - cut]
            if stem in self.df:
                return stem
        return None

    def corrections(self, word: str, limit: int = 3) -> list[str]:
        """Nearest index terms to a word the index lacks ('sanctoins' -> 'sanction')."""
        if len(word) < 4 or word.isdigit():
            return []
        pool = [t for n in range(len(word) - 2, len(word) + 3) for t in self.by_len.get(n, ())]
        found = process.extract(word, pool, scorer=fuzz.ratio, score_cutoff=75, limit=limit * 3)
        found.sort(key=lambda f: (-f[1], -self.df.get(f[0], 0)))
        return [t for t, _, _ in found[:limit]]

    def expand(self, terms: list[str]) -> list[list[str]]:
        """Per query word, the index terms that stand for it (itself, or its typo corrections)."""
        groups = []
        for w in terms:
            hit = self.known(w)
            groups.append([hit] if hit else self.corrections(w))
        return groups


_SUFFIXES = ("", "e", "s", "es", "ed", "ing", "y", "ion", "al", "ate", "ize", "ise", "ent", "ence")


def fts_form(term: str) -> str:
    """A word FTS5's Porter tokenizer turns into the index term `term` (FTS5 stems query words too,
    and a stem stemmed again can change: 'exercis' -> 'exerci'), quoted for a safe query."""
    bases = (term, term[:-1] + "y") if term.endswith("i") else (term,)  # 'countri' <- 'country'
    form = next((b + s for b in bases for s in _SUFFIXES if _PORTER.stemWord(b + s) == term), None)
    return f'"{form}"' if form else f'"{term}" *'  # no word stems to it: match it as a prefix


def fts_query(groups: list[list[str]], require_all: bool = False) -> str | None:
    """A safe FTS5 query: every term quoted; OR within a group, OR (or AND) between groups."""
    parts = ["(" + " OR ".join(fts_form(t) for t in g) + ")" for g in groups if g]
    if not parts:
        return None
    return (" AND " if require_all else " OR ").join(parts)


def _stem_prefix(term: str) -> str:
    """What a text word must start with to count as a term: 'sanction' matches 'sanctioned'."""
    return term[: max(3, len(term) - 1)]


def proximity(groups: list[list[str]], folded_text: str) -> float:
    """How close together the query's words stand: (words found) / (shortest run of text words that
    holds one of each), 1.0 when they stand side by side, 0 when fewer than two are found."""
    words = _WORD.findall(folded_text)
    prefixes = [tuple(_stem_prefix(t) for t in g) for g in groups if g]
    last: dict[int, int] = {}
    best = 0.0
    for pos, w in enumerate(words):
        for k, pre in enumerate(prefixes):
            if w.startswith(pre):
                last[k] = pos
        if len(last) >= 2:
            span = pos - min(last.values()) + 1
            best = max(best, len(last) / span * len(last) / len(prefixes))
    return best


def _matched(groups: list[list[str]], folded_text: str) -> set[str]:
    """The query terms that start a word of the (folded) text."""
    return {t for g in groups for t in g if re.search(rf"\b{re.escape(_stem_prefix(t))}", folded_text)}


def _rarer_words(groups: list[list[str]], df: dict[str, int]) -> list[list[str]]:
    """The query's rarest words, at most half of them and FALLBACK_POSTINGS matches together (always
    the rarest one): a paraphrase misses a word or two, and its rare words still find it cheaply,
    where an OR of common words would have FTS5 rank much of the shelf."""
    by_rarity = sorted(((sum(df.get(t, 0) for t in g), g) for g in groups), key=lambda x: x[0])
    out: list[list[str]] = []
    total = 0
    for n, g in by_rarity[:max(1, len(groups) // 2)]:
        if out and total + n > FALLBACK_POSTINGS:
            break
        out.append(g)
        total += n
    return out


class Searcher:
    def __init__(self, index: Index, vocabulary: Vocabulary) -> None:
        self.index = index
        self.vocab = vocabulary

    @classmethod
    async def load(cls, index: Index) -> Searcher:
        return cls(index, Vocabulary(await index.vocabulary()))

    async def search(self, query: str, limit: int = 10) -> list[Result]:
        """Best passages for a query: BM25 candidates re-ranked by coverage and fuzzy similarity."""
        terms = query_terms(query)
        groups = [g for g in self.vocab.expand(terms) if g]
        if not groups:
            return []
        # the best passages with every word, and, when they are few, the best with any (a paraphrase
        # may miss a word; ranking every match of a common word costs time in proportion to the shelf)
        hits = await self.index.match(fts_query(groups, require_all=True) or "", CANDIDATES)
        if len(groups) > 1 and len(hits) < CANDIDATES:
            have = {(h.kind, h.ref, h.doc_id, h.paragraph) for h in hits}
            more = await self.index.match(fts_query(_rarer_words(groups, self.vocab.df)) or "",
                                          CANDIDATES)
            hits += [h for h in more if (h.kind, h.ref, h.doc_id, h.paragraph) not in have]
        if not hits:
            return []
        best_rank = min(h.rank for h in hits) or -1.0
        as_typed = [re.compile(rf"\b{re.escape(t)}\b") for t in terms]
        results = []
        for h in hits:
            folded = fold(h.text)
            matched = _matched(groups, folded)
            coverage = len(matched) / max(1, len(groups))
            bm25 = h.rank / best_rank if best_rank else 0.0
            exact = sum(1 for rx in as_typed if rx.search(folded)) / len(terms)
            near = proximity(groups, folded) if len(groups) > 1 else coverage
            score = sum(w * x for w, x in zip(WEIGHTS, (coverage, near, bm25, exact), strict=True))
            score *= _KIND_WEIGHT.get(h.kind, 1.0)
            results.append(Result(h, score, matched))
        results.sort(key=lambda r: -r.score)
        out, seen = [], set()
        for r in results:
            key = (r.hit.doc_id, r.hit.paragraph)  # a paragraph once, as its best-ranked quote, event or passage
            if key in seen:
                continue
            seen.add(key)
            out.append(r)
            if len(out) == limit:
                break
        return out

    def corrected(self, query: str) -> dict[str, list[str]]:
        """The query words the index lacks, each with the terms searched instead ('sanctoins' -> ['sanction'])."""
        return {w: fixes for w in query_terms(query)
                if not self.vocab.known(w) and (fixes := self.vocab.corrections(w))}

    def about(self, query: str, texts: dict[int, str]) -> set[int]:
        """Which of a few texts (say, one person's quotes) are about the query: those with every
        (typo-corrected) word, else those with any. Not an index query: a word common on the shelf
        would make FTS5 rank all of its matches to find these few."""
        groups = [g for g in self.vocab.expand(query_terms(query)) if g]
        if not groups:
            return set()
        found = {}
        for i, text in texts.items():
            matched = _matched(groups, fold(text))
            found[i] = sum(1 for g in groups if matched.intersection(g))
        want = len(groups) if len(groups) in found.values() else 1
        return {i for i, n in found.items() if n >= want}

    def keywords_query(self, query: str) -> str | None:
        """An FTS5 query requiring every (typo-corrected) keyword, or None if one is unknown."""
        groups = self.vocab.expand(query_terms(query))
        if not groups or not all(groups):
            return None
        return fts_query(groups, require_all=True)


def surface_word(term: str, texts: list[str]) -> str:
    """How the texts write an index term ('sanction' -> 'sanctions'), to show what was searched."""
    stem = re.escape(_stem_prefix(term))
    for text in texts:
        m = re.search(rf"\b{stem}\w*", fold(text))
        if m:
            return m.group(0)
    return term


def highlight(text: str, matched: set[str], width: int = 240) -> str:
    """A snippet around the first matched word, matched words in bold (Markdown)."""
    words = list(re.finditer(r"\w[\w’'-]*", text))

    def is_match(w: str) -> bool:
        f = fold(w)
        return any(f.startswith(_stem_prefix(t)) for t in matched)

    first = next((m.start() for m in words if is_match(m.group())), 0)
    start = max(0, first - width // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + width)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    snippet = escape_markdown(text[start:end])
    for t in sorted(matched, key=len, reverse=True):
        stem = re.escape(_stem_prefix(t))
        snippet = re.sub(rf"(?<![\w*])({stem}\w*)", r"**\1**", snippet, flags=re.I)
    return ("…" if start else "") + snippet + ("…" if end < len(text) else "")


def escape_markdown(text: str) -> str:
    return re.sub(r"([*_`~|>\\])", r"\\\1", text)


@dataclass(frozen=True)
class NameMatch:
    person_id: int
    alias: str
    score: float


class Names:
    """Every alias key of every person, laid out for exact, word-prefix and fuzzy lookups that stay in C
    however many people the shelf names; and whose own full name each key is (an alias of one person may be
    another's name: 'James D.J. Brown' misread as 'D.J. Brown', role 'James')."""

    def __init__(self, aliases: list[tuple[str, int]], full_names: Iterable[tuple[str, int]] = ()) -> None:
        self.aliases = aliases
        self.full_names = dict(full_names)
        self.choices = [a for a, _ in aliases]
        self.exact: dict[str, list[int]] = defaultdict(list)
        for alias, pid in aliases:
            self.exact[alias].append(pid)
        self.blob = "".join(f"\n{a}" for a in self.choices)  # one string: a regex finds word prefixes
        self.starts = list(accumulate((len(a) + 1 for a in self.choices), initial=0))[:-1]

    def word_prefixed(self, q: str, limit: int) -> list[int]:
        """Indexes of aliases with a word starting with `q` ('tana' in 'kenji tanabe')."""
        out: list[int] = []
        for m in re.finditer(rf"[\n ]{re.escape(q)}", self.blob):
            i = bisect_right(self.starts, m.start()) - 1
            if not out or out[-1] != i:
                out.append(i)
            if len(out) == limit:
                break
        return out


def match_names(query: str, names: Names, limit: int = 5) -> list[NameMatch]:
    """People ranked by how well `query` matches any alias, both as name keys (bot/names.py: accents,
    spellings, word order and initials do not matter).

    Optimal string alignment counts a swap of two letters as one edit, so 'tanbae' finds 'tanabe'.
    """
    q = name_key(query)
    if not q:
        return []
    if q in names.exact:
        own = names.full_names.get(q)
        return sorted((NameMatch(pid, q, 1.0 if own in (None, pid) else 0.95) for pid in sorted(set(names.exact[q]))),
                      key=lambda m: -m.score)[:limit]
    found = process.extract(q, names.choices, scorer=OSA.normalized_similarity, score_cutoff=0.4,
                            limit=limit * 8)
    if len(q) >= 3:
        found += [(names.choices[i], 0.9, i) for i in names.word_prefixed(q, limit * 8)]
    best: dict[int, NameMatch] = {}
    for alias, score, i in found:
        pid = names.aliases[i][1]
        score = 1.0 if alias == q else score
        if pid not in best or score > best[pid].score:
            best[pid] = NameMatch(pid, alias, score)
    return sorted(best.values(), key=lambda m: -m.score)[:limit]


def decide(matches: list[NameMatch], sure: float = 0.78, lead: float = 0.08) -> NameMatch | None:
    """The match to answer with directly: exact, or clearly ahead of the next person (two people exactly
    matched, as two of one surname are, is a choice to offer)."""
    if not matches:
        return None
    top = matches[0]
    second = matches[1].score if len(matches) > 1 else 0.0
    if top.score == 1.0:
        return top if second < 1.0 else None
    return top if top.score >= sure and top.score - second >= lead else None
