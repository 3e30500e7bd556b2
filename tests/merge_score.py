"""Merge precision and recall against tests/merge_gold.json (hand-made), for the test and the bench.

A pair of events of different documents is 'the same happening' in the gold when both are sources of one
listed happening (its doc:paragraph, its date within the happening's span, or equal to the source's @date);
every other pair is two happenings (the gold lists every happening more than one article reports).
Precision: of the pairs the merge put together, how many the gold has together; recall: the converse.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from bot.extract.dates import date_bounds
from bot.happenings import Happening
from bot.index import EventRow

GOLD = Path(__file__).resolve().parent / "merge_gold.json"
ROOT = GOLD.parent.parent


def covered() -> set[str]:
    """The documents the gold was made from (its `sets`): pairs with any other document are not scored."""
    sets = json.loads(GOLD.read_text())["sets"]
    folders = [ROOT / "seeds" if s == "seeds" else ROOT / "tests" / "fixtures" / s for s in sets]
    return {f.stem for folder in folders for f in folder.glob("*.txt")}


def _span(text: str) -> tuple[str, str]:
    """'1956' · '1945-08' · '2022-02-24' · '1700..1799' · '1875-01-01..1875-05-31' as first and last day."""
    first, _, last = text.partition("..")
    lo = date_bounds(first, ("year", "month", "day")[first.count("-")])[0]
    hi = date_bounds(last or first, ("year", "month", "day")[(last or first).count("-")])[1]
    return lo, hi


@dataclass(frozen=True)
class Source:
    doc: str
    paragraph: int
    date: str | None
    lo: str
    hi: str

    def holds(self, doc: str, e: EventRow) -> bool:
        if (doc, e.paragraph) != (self.doc, self.paragraph):
            return False
        if self.date is not None:
            return e.date == self.date
        return self.lo <= e.lo and e.hi <= self.hi  # a report of the happening is dated within its span


def gold_sources() -> list[list[Source]]:
    out = []
    for h in json.loads(GOLD.read_text())["happenings"]:
        lo, hi = _span(h["date"])
        sources = []
        for s in h["sources"]:
            where, _, date = s.partition("@")
            doc, _, n = where.rpartition(":")
            sources.append(Source(doc, int(n), date or None, lo, hi))
        out.append(sources)
    return out


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    merged_pairs: int
    gold_pairs: int
    wrong: list[tuple[int, int]]  # event ids merged that the gold keeps apart
    missed: list[tuple[int, int]]


def score(happenings: list[Happening], doc_name: dict[int, str]) -> Score:
    gold = gold_sources()
    read = covered()
    events = [e for h in happenings for e in h.events if doc_name[e.doc_id] in read]
    label = {e.id: {i for i, srcs in enumerate(gold) if any(s.holds(doc_name[e.doc_id], e) for s in srcs)}
             for e in events}
    group = {e.id: k for k, h in enumerate(happenings) for e in h.events}
    merged, same, wrong, missed = 0, 0, [], []
    hits = 0
    for a, b in combinations(events, 2):
        if a.doc_id == b.doc_id:
            continue
        together = group[a.id] == group[b.id]
        in_gold = bool(label[a.id] & label[b.id])
        merged += together
        same += in_gold
        hits += together and in_gold
        if together and not in_gold:
            wrong.append((a.id, b.id))
        if in_gold and not together:
            missed.append((a.id, b.id))
    return Score(hits / merged if merged else 1.0, hits / same if same else 1.0, merged, same, wrong, missed)
