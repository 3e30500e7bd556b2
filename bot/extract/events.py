"""Dated events: the date expressions of a content sentence that date a happening it reports.

A date is not an event when one of the VETOES applies; they are named and tried in this order, so
a reader can see why a date was left out (`kuril-bot extract` keeps none of them).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.extract.dates import DateContext, DateMention, find_dates

_MARKER = re.compile(r"\[(\d{1,3})\]")
_BEFORE = 40  # how far back a veto looks for its cue


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


def _cue_before(pattern: str) -> Callable[[str, DateMention], bool]:
    rx = re.compile(pattern + r"\s*$", re.I)
    return lambda s, m: bool(rx.search(s[max(0, m.start - _BEFORE):m.start]))


def _in_source_citation(s: str, m: DateMention) -> bool:
    """'(Harbour Gazette, 3 Mar 2021)', '(Minister X, press conference, 14 July 2020)': where a
    statement was made or printed, given in parentheses after it."""
    opened = s.rfind("(", 0, m.start)
    return opened > s.rfind(")", 0, m.start) and "," in s[opened:m.start] \
        and bool(re.match(r"\s*[.,;]?\s*\)", s[m.end:]))


_habitual = _cue_before(r"\b(?:every|each)(?:\s+year)?(?:\s+(?:on|in))?|\bannually\s+(?:on|in)")
_by = _cue_before(r"\bby\s+(?:the\s+(?:end|middle|beginning|start)\s+of\s+)?(?:the\s+year\s+)?")
_TARGET = re.compile(r"\b(?:will|would|shall|should|must|to\s+be|plans?|planned|aims?|intends?|targets?|goal|deadline|"
                     r"pledged|promised|expected|vowed|requests?|requested|demands?|demanded|ordered)\b", re.I)
_FUTURE = re.compile(r"\b(?:will|would|shall|expected|likely|projected|forecasts?|predicts?|plans?|aims?)\b", re.I)
_REFERENCE_LINE = re.compile(r"\bvol(?:ume)?s?\.?\s*\d|\bpp?\.\s*\d|\bibid\b|\bop\.\s*cit\b|^\s*see\s", re.I)

VETOES: list[tuple[str, Callable[[str, DateMention], bool]]] = [
    ("published", _cue_before(r"\b(?:published|posted|updated|modified)\s+(?:on|in)?")),  # when a report came out
    ("habitual", lambda s, m: m.granularity != "year" and _habitual(s, m)),  # 'every Feb. 7', 'each year on 7 May'
    ("citation", _in_source_citation),
    ("reference", lambda s, m: bool(_REFERENCE_LINE.search(s))),
    ("deadline", lambda s, m: _by(s, m) and bool(_TARGET.search(s))),  # 'to be completed by 2025', not 'By 2018, it had'

    ("forecast", lambda s, m: _cue_before(r"\b(?:through|until|till|into)")(s, m) and bool(_FUTURE.search(s))),
    ("comparison", _cue_before(r"\b(?:than|compared\s+(?:with|to))(?:\s+in)?")),
]


def veto(sentence: str, mention: DateMention) -> str | None:
    """The name of the first veto that keeps this date from being an event, or None."""
    return next((name for name, applies in VETOES if applies(sentence, mention)), None)


def sentence_events(sentence: str, paragraph: int, ctx: DateContext) -> list[Event]:
    """Events of one sentence; one per distinct date even when the date is repeated."""
    seen: set[tuple[str, str]] = set()
    out: list[Event] = []
    for m in find_dates(sentence, ctx):
        key = (m.date, m.granularity)
        if key in seen or veto(sentence, m):
            continue
        seen.add(key)
        out.append(Event(m.date, m.granularity, sentence, paragraph, m.text, m.end_year, m.note))
    return out
