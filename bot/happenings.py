"""One happening, many sources: the events of different articles that report the same thing, as one.

Two events are linked when they come from different documents, their dates are compatible (their
spans overlap — '1956' holds '19 October 1956' — or two days differ by at most DAY_SLACK, which the
answer then reports as a disagreement) and their own words say the same thing: the IDF-weighted
share of the shorter text's content terms that the other also has, names counting NAME_BOOST
times, is at least SAME_WORDS, with at least MIN_SHARED terms in common. Links are taken best first;
two groups of reports join only when they are alike on average (GROUPS_ALIKE), when every two of
their dates fit, and when no sentence would be in it twice: a sentence that names two dates names two
happenings. The thresholds were chosen on tests/merge_gold.json, a grid over SAME_WORDS 0.2-0.4,
GROUPS_ALIKE 0-0.2, MIN_SHARED 1-3, NAME_BOOST 1-2 (`make bench` prints the measurement; higher
SAME_WORDS buys precision with recall, e.g. 0.35: 0.89 / 0.57, 0.2: 0.85 / 0.70). GROUPS_ALIKE 0.1 fell
to recall 0.43 once the shelf held 72 more articles than the gold covers (two large groups of one
happening grow apart as they grow); 0.05 keeps 0.88 / 0.63 on that shelf and 0.90 / 0.63 without them.
Linking reports that name one document ('the Tokyo Declaration') outright was tried and lowered recall.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.extract import lexicon
from bot.index import EventRow
from bot.text import fold

SAME_WORDS = 0.3  # weighted share of the shorter text's terms the other must have
GROUPS_ALIKE = 0.05  # two groups of reports join only when alike on average (no one report as a bridge)
DAY_SLACK = 1  # days two day-dated reports of one happening may differ by ('24' vs '25 February')
MIN_SHARED = 2  # content terms two reports must share at least (one shared 'Tokyo' is chance)
NAME_BOOST = 1.5  # a capitalised word inside a sentence (a name) counts this many times its IDF
_SKIP = lexicon.words("function_words") | set(lexicon.table("months"))
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_GRANULARITY = {"day": 0, "month": 1, "year": 2}

Terms = dict[str, float]  # index term -> weight
BySentence = dict[tuple[int, int, str], list[EventRow]]  # (doc, paragraph, sentence) -> the dates it names


@dataclass(frozen=True)
class Happening:
    """Events that report one happening; `lead` (the most precise date, then the first source) speaks for it."""

    events: tuple[EventRow, ...]

    @property
    def lead(self) -> EventRow:
        return self.events[0]

    def date_groups(self) -> list[tuple[EventRow, list[EventRow]]]:
        """The dates its sources give that exclude each other ('24' and '25 February'), each with
        its sources, most-given first; one group when the sources agree (a year holds its days)."""
        groups: list[tuple[EventRow, list[EventRow]]] = []
        for e in self.events:
            for first, members in groups:
                if _overlap(first, e):
                    members.append(e)
                    break
            else:
                groups.append((e, [e]))
        return sorted(groups, key=lambda g: (-len(g[1]), g[0].lo))


def _overlap(a: EventRow, b: EventRow) -> bool:
    return a.lo <= b.hi and b.lo <= a.hi


def _days_apart(a: EventRow, b: EventRow) -> int:
    return abs((dt.date.fromisoformat(a.lo) - dt.date.fromisoformat(b.lo)).days)


def own_words(e: EventRow, siblings: Sequence[EventRow]) -> str:
    """The part of the sentence that belongs to this event's date: from the end of the date before it
    to the start of the date after it, when the sentence names other dates (siblings)."""
    text = e.sentence
    at = text.find(e.date_text)
    if at < 0 or not siblings:
        return text
    start, end = 0, len(text)
    for s in siblings:
        pos = text.find(s.date_text)
        if pos < 0 or s.date_text == e.date_text:
            continue
        if pos < at:
            start = max(start, pos + len(s.date_text))
        elif pos > at:
            end = min(end, pos)
    return text[start:end]


def terms(text: str, weight: Callable[[str], float | None]) -> Terms:
    """Content terms of a text with their weights (None from `weight`: not a term)."""
    out: Terms = {}
    for i, m in enumerate(_WORD.finditer(text)):
        word = m.group()
        key = fold(word)
        if key in _SKIP or len(key) < 3:
            continue
        w = weight(key)
        if w is None:
            continue
        boost = NAME_BOOST if i > 0 and word[0].isupper() else 1.0
        term = _term_key(key)
        out[term] = max(out.get(term, 0.0), w * boost)
    return out


def _term_key(key: str) -> str:
    return re.sub(r"['’-]", "", key)[:6]  # one key for 'declaration'/'declared', 'invasion'/'invaded'…


def similarity(a: Terms, b: Terms, lighter: float | None = None) -> float:
    """Weighted overlap: the share of the lighter text's weight that both texts carry (`lighter`: that
    weight, when the caller knows it)."""
    if not a or not b:
        return 0.0
    both = a.keys() & b.keys()
    if len(both) < MIN_SHARED:
        return 0.0
    return sum(min(a[t], b[t]) for t in both) / (lighter or min(sum(a.values()), sum(b.values())))


def idf_weights(df: dict[str, int], passages: int, stem: Callable[[str], str | None]) -> Callable[[str], float | None]:
    """A word's weight from the index: log(N / document frequency) of its index term."""
    def weight(word: str) -> float | None:
        term = stem(word)
        if term is None:
            return math.log(1 + passages)  # a word the index lacks is as rare as can be
        return math.log(1 + passages / max(1, df.get(term, 1)))
    return weight


TermsCache = dict[tuple[int, frozenset[int]], Terms]  # (event id, the ids of its sentence's other dates) -> terms
TERMS_CACHED = 50_000  # reports whose terms a cache keeps before it starts afresh


def merge(events: Sequence[EventRow], weight: Callable[[str], float | None],
          cache: TermsCache | None = None) -> list[Happening]:
    """The happenings that `events` report, oldest first (by their lead's first day).

    Pairs are linked best first, and a link is refused when the happening it would make holds two
    dates that cannot be one (a year's mentions may join 8 or 9 August, never both 9 and 15 August)
    or two dates of one sentence. `cache` keeps each report's terms from one answer to the next."""
    by_sentence: BySentence = {}
    for e in events:
        by_sentence.setdefault(_sentence(e), []).append(e)
    cache = {} if cache is None else cache
    if len(cache) > TERMS_CACHED:
        cache.clear()
    words = {}
    for e in events:
        siblings = [s for s in by_sentence[_sentence(e)] if s.id != e.id]
        key = (e.id, frozenset(s.id for s in siblings))
        if key not in cache:
            cache[key] = terms(own_words(e, siblings), weight)
        words[e.id] = cache[key]
    total = {i: sum(w.values()) for i, w in words.items()}
    links = []
    ordered = sorted(events, key=lambda e: e.lo)
    for i, a in enumerate(ordered):
        last_day = _slack_end(a)
        for b in ordered[i + 1:]:
            if b.lo > last_day:
                break  # sorted by first day: nothing later can meet a
            if a.doc_id == b.doc_id:
                continue
            score = similarity(words[a.id], words[b.id], min(total[a.id], total[b.id]))  # cheaper than dates
            if score >= SAME_WORDS and _dates_fit(a, b, by_sentence):
                links.append((score, a, b))
    pair = {(a.id, b.id): score for score, a, b in links} | {(b.id, a.id): score for score, a, b in links}
    group = {e.id: [e] for e in events}
    for _, a, b in sorted(links, key=lambda x: -x[0]):
        ga, gb = group[a.id], group[b.id]
        if ga is gb or not _one_happening(ga, gb, by_sentence):
            continue
        # average link: the two groups as a whole say the same (pairs of one document count as alike)
        cross = [pair.get((x.id, y.id), 0.0) if x.doc_id != y.doc_id else 1.0 for x in ga for y in gb]
        if len(ga) > 1 and len(gb) > 1 and sum(cross) / len(cross) < GROUPS_ALIKE:
            continue
        ga += gb
        for e in gb:
            group[e.id] = ga
    unique = {id(g): g for g in group.values()}.values()
    def lead_first(e: EventRow) -> tuple[int, int, str, int, int]:
        """The most precise date first, then a sentence that names no other date (it reads as this one)."""
        precision = _GRANULARITY.get(e.granularity, 3) + (e.end_year is not None)
        return (precision, len(by_sentence[_sentence(e)]), e.lo, e.doc_id, e.paragraph)

    out = [Happening(tuple(sorted(g, key=lead_first))) for g in unique]
    return sorted(out, key=lambda h: (h.lead.lo, h.lead.doc_id, h.lead.paragraph))


def _sentence(e: EventRow) -> tuple[int, int, str]:
    return (e.doc_id, e.paragraph, e.sentence)


def _one_happening(a: list[EventRow], b: list[EventRow], by_sentence: BySentence) -> bool:
    """Whether two groups of reports can be one happening: every two dates fit, no sentence twice."""
    sentences = {_sentence(e) for e in a}
    if any(_sentence(e) in sentences for e in b):
        return False
    return all(_dates_fit(x, y, by_sentence) for x in _kinds_of_date(a) for y in _kinds_of_date(b))


def _kinds_of_date(group: list[EventRow]) -> list[EventRow]:
    """One report of each year, month or range a group holds, and each of its days: a year or month fits
    another date by its span alone, so one report stands for all of that span (a 1956 happening told by
    forty articles checks once); two days also look at their sentences, so every day counts."""
    spans = {_span_key(e): e for e in group if e.granularity != "day"}
    return [*spans.values(), *(e for e in group if e.granularity == "day")]


def _span_key(e: EventRow) -> tuple[str, str, str, int | None]:
    return (e.lo, e.hi, e.granularity, e.end_year)


def _slack_end(e: EventRow) -> str:
    if e.granularity != "day":
        return e.hi
    return (dt.date.fromisoformat(e.hi) + dt.timedelta(days=DAY_SLACK)).isoformat()


def _dates_fit(a: EventRow, b: EventRow, by_sentence: BySentence) -> bool:
    """Overlapping spans; or two days at most DAY_SLACK apart, unless a sentence of the one also names
    the other's day (then the two days are two things that sentence tells apart)."""
    if _overlap(a, b):  # a period of years ('1904-1905', 'the 2010s') is one happening with itself only
        return (a.end_year is None and b.end_year is None) or (a.lo, a.hi) == (b.lo, b.hi)
    if a.granularity != "day" or b.granularity != "day" or _days_apart(a, b) > DAY_SLACK:
        return False
    for x, y in ((a, b), (b, a)):
        if any(s.lo == y.lo for s in by_sentence[(x.doc_id, x.paragraph, x.sentence)]):
            return False
    return True

