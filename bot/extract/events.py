"""Dated events: every date expression in a content sentence, with the sentence it dates."""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.extract.dates import DateContext, DateMention, find_dates

_MARKER = re.compile(r"\[(\d{1,3})\]")


@dataclass
class Event:
    date: str
    granularity: str
    sentence: str
    paragraph: int
    date_text: str
    end_year: int | None = None
    note: str | None = None

    @property
    def footnotes(self) -> list[int]:
        return [int(n) for n in _MARKER.findall(self.sentence)]

    @property
    def summary(self) -> str:
        """One line: the sentence without footnote markers, cut at a word boundary."""
        text = _MARKER.sub("", self.sentence).strip()
        if len(text) <= 160:
            return text
        return text[:157].rsplit(" ", 1)[0] + "…"

    def to_json(self) -> dict:
        out = {"date": self.date, "granularity": self.granularity, "sentence": self.sentence,
               "summary": self.summary, "paragraph": self.paragraph}
        if self.end_year:
            out["end"] = str(self.end_year)
        return out


def sentence_events(sentence: str, paragraph: int, ctx: DateContext) -> list[Event]:
    """Events of one sentence; one per distinct date even when the date is repeated."""
    seen: set[tuple[str, str]] = set()
    out: list[Event] = []
    for m in find_dates(sentence, ctx):
        key = (m.date, m.granularity)
        if key in seen:
            continue
        seen.add(key)
        out.append(_event(m, sentence, paragraph))
    return out


def _event(m: DateMention, sentence: str, paragraph: int) -> Event:
    return Event(m.date, m.granularity, sentence, paragraph, m.text, m.end_year, m.note)
