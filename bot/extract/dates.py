"""Date grammar for English prose: find the date expressions in a sentence and normalise them.

Rules are about the language (month names, 'from X to Y', decades, 'a year later'), never
about particular articles. A date is only produced from words in the text: a missing year
comes from the article's own context, never from today's date.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from bot.extract import lexicon

MONTHS = {word: int(n) for word, (n,) in lexicon.table("months").items()}
_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_ABBR_MONTH = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\."
# 'Mar', 'Apr', 'Jun', 'Jul' without a period are words too; before a number they are months
MONTH = rf"(?P<month>{_FULL_MONTH}|{_ABBR_MONTH}|(?:Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec)\b|(?:Mar|Apr|Jun|Jul)(?=\s+\d))"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>[12]\d{3})"
QUAL = r"(?:(?P<qual>(?i:early|mid|late|the end of|the beginning of|the start of))[\s-]+)?"
_NUMBERS = {"a": 1} | {word: int(n) for word, (n,) in lexicon.table("number_words").items()}

# Words after a four-digit number that make it a count or an amount, not a year.
_UNITS = rf"%|(?:{lexicon.alternation('amount_units')})\b"
_AMOUNT_BEFORE = re.compile(rf"(?:[$€£¥#]|\b(?i:{lexicon.alternation('number_cues')})\.?)\s*$")
_REFERENCE = re.compile(r"\b(?:accessed|retrieved|date of access(?:ion)?|copyright)\b|©", re.I)
# What a sentence must contain for each group of patterns to be worth trying (most have none).
_CUES = {
    "year": re.compile(r"[12]\d{3}"),
    "month": re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"),
    "unit": re.compile(r"\b(?:day|week|month|year)s?\b", re.I),
}
_PUBLISHED_BEFORE = re.compile(r"\b(?:published|posted|updated|modified)\s+(?:on|in)?\s*$", re.I)

_PATTERNS: list[tuple[str, str, re.Pattern[str]]] = [  # (kind, cue, pattern)
    ("iso", "year", re.compile(r"\b(?P<year>[12]\d{3})([-/])(?P<mon>[01]?\d)\2(?P<day>[0-3]?\d)\b")),
    # day.month.year, as Russian and European documents write it: 12.04.2023
    ("dmy_dots", "year", re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<mon>[01]?\d)\.(?P<year>[12]\d{3})\b(?!\.\d)")),
    ("dmy", "year", re.compile(rf"\b{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b")),
    ("mdy", "year", re.compile(rf"\b{MONTH}\s+{DAY},?\s+{YEAR}\b")),
    ("my", "year", re.compile(rf"\b{QUAL}{MONTH},?\s+(?:of\s+)?{YEAR}\b")),
    ("m_same", "month", re.compile(rf"\b{MONTH}\s+of\s+(?P<rel>the same|that|the following|the previous) year\b")),
    ("dm", "month", re.compile(rf"\b{DAY}\s+(?:of\s+)?{MONTH}\b(?!,?\s+[12]\d{{3}})")),
    ("md", "month", re.compile(rf"\b{MONTH}\s+{DAY}\b(?!\d|,?\s+[12]\d{{3}}|\s*(?:percent|%))")),
    ("m", "month", re.compile(rf"\b(?P<lead>(?i:in|by|since|until|till|from|during|on|of|early|late|mid|end of|"
                     rf"beginning of|last|this|next))\s+(?:(?P<qual>early|mid|late)[\s-]+)?{MONTH}(?!\s+\d)")),
    ("range", "year", re.compile(r"\b(?i:from|between)\s+(?P<year>[12]\d{3})\s+(?:to|until|till|through|and)\s+"
                         r"(?P<end>[12]\d{3})\b")),
    ("span", "year", re.compile(r"(?<![\w$.,-])(?P<year>[12]\d{3})\s?[-–—]\s?(?P<end>\d{2}|[12]\d{3})(?![\w%]|[.,]\d)")),
    ("decade", "year", re.compile(rf"\b{QUAL}(?:the\s+)?(?P<year>[12]\d{{2}}0)'?s\b")),
    ("relative", "unit", re.compile(r"\b(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
                            r"(?P<unit>day|week|month|year)s?\s+(?P<dir>later|after|earlier|before)\b", re.I)),
    ("from_published", "unit", re.compile(r"\b(?P<which>(?i:last|this|next))\s+(?P<unit>month|year)\b(?![’'])")),
    ("same_year", "unit", re.compile(r"\b(?i:in\s+)?(?P<rel>(?i:the same|that same|the following|the next|the previous))\s+year\b")),
    ("year", "year", re.compile(rf"(?<![\w$€£¥.,/+-]){QUAL}{YEAR}(?![\w%]|[.,]\d|-\w|\s*\+)")),
]
_REL_SHIFT = {"the same": 0, "that": 0, "that same": 0, "the following": 1, "the next": 1, "the previous": -1}


@dataclass(frozen=True)
class DateMention:
    """One normalised date expression: `date` is YYYY, YYYY-MM or YYYY-MM-DD per `granularity`."""

    start: int
    end: int
    text: str
    date: str
    granularity: str
    end_year: int | None = None
    note: str | None = None

    @property
    def year(self) -> int:
        return int(self.date[:4])


class DateContext:
    """What a reader remembers while reading an article: the last dates mentioned.

    Year-less dates ('in April', 'a year later') are resolved against it; with no context
    they are dropped rather than guessed.
    """

    def __init__(self, published: str | None = None) -> None:
        """`published`: the article's date (YYYY, YYYY-MM or YYYY-MM-DD), when known."""
        self.published = (int(published[:4]), int(published[5:7]) if len(published) >= 7 else None) \
            if published and published[:4].isdigit() else None
        self.last: DateMention | None = None
        self.month_year: int | None = self.published[0] if self.published else None
        self.year: int | None = self.month_year

    def new_paragraph(self) -> None:
        """A dated article's year-less 'on Jan. 25' means its own year unless this paragraph says
        otherwise; an undated one keeps reading from the last date mentioned."""
        if self.published:
            self.month_year = self.published[0]

    def month_year_for(self, lead: str | None, month: int) -> int | None:
        """The year of a year-less month: 'last October' counts back from the article's date."""
        if not (self.published and self.published[1]) or lead not in ("last", "next", "this"):
            return self.month_year
        year, now = self.published
        if lead == "last":
            return year - (month >= now)
        return year + (month <= now) if lead == "next" else year

    def remember(self, m: DateMention) -> None:
        self.last = m
        self.year = m.year
        if m.granularity in ("month", "day"):
            self.month_year = m.year


def _is_citation(s: str, m: re.Match[str]) -> bool:
    """'(Stephan 1974, p. 62)', '(Hara 1998)', '(Brown and Green 2016)': a reference, not an event."""
    return bool(re.search(r"[(;]\s*(?:see\s+|cf\.\s+)?[A-Z][\w'’-]+(?:\s+(?:and|&)\s+[A-Z][\w'’-]+|\s+et al\.?)?,?\s*$",
                          s[:m.start()]) and re.match(r"[a-z]?\s*(?:[,;:][^()]{0,40})?\)", s[m.end():]))


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _month(word: str) -> int:
    return MONTHS[word.rstrip(".").lower()]


def _fmt(year: int, month: int | None = None, day: int | None = None) -> tuple[str, str]:
    if day is not None and month is not None:
        return f"{year:04d}-{month:02d}-{day:02d}", "day"
    if month is not None:
        return f"{year:04d}-{month:02d}", "month"
    return f"{year:04d}", "year"


def _plausible_year(y: int) -> bool:
    return 1000 <= y <= 2100


def _looks_like_amount(sentence: str, start: int, end: int) -> bool:
    before = sentence[max(0, start - 20):start]
    after = sentence[end:end + 16].lstrip().lower()
    return bool(_AMOUNT_BEFORE.search(before) or re.match(_UNITS, after))


def _shift(anchor: DateMention, n: int, unit: str, sign: int) -> tuple[str, str] | None:
    if unit == "year":
        return _fmt(anchor.year + sign * n)
    if unit == "month":
        if anchor.granularity == "year":
            return None
        y, m = anchor.year, int(anchor.date[5:7]) + sign * n
        y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
        return _fmt(y, m)
    if anchor.granularity != "day":
        return None
    days = n * (7 if unit == "week" else 1)
    d = dt.date.fromisoformat(anchor.date) + dt.timedelta(days=sign * days)
    return _fmt(d.year, d.month, d.day)


def find_dates(sentence: str, ctx: DateContext) -> list[DateMention]:
    """Every date expression in `sentence`, in text order, resolving year-less ones via `ctx`.

    `ctx` is updated as the sentence is read, so a following sentence sees these dates.
    """
    present = {cue for cue, rx in _CUES.items() if rx.search(sentence)}
    if not present or _REFERENCE.search(sentence):
        return []
    taken: list[tuple[int, int]] = []
    found: list[tuple[str, re.Match[str]]] = []
    for kind, cue, pattern in _PATTERNS:
        if cue not in present:
            continue
        for m in pattern.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((kind, m))
    found.sort(key=lambda km: km[1].start())
    out: list[DateMention] = []
    relatives: list[tuple[int, re.Match[str]]] = []
    for kind, m in found:
        if _PUBLISHED_BEFORE.search(sentence[max(0, m.start() - 20):m.start()]):
            continue  # when a report came out is no event
        if re.search(r"\b(?:every|each)\s+$", sentence[max(0, m.start() - 8):m.start()], re.I):
            continue  # 'every Feb. 7': a custom, not an event
        mention = _resolve(kind, m, sentence, ctx, out)
        if mention is None and kind == "relative":
            relatives.append((len(out), m))
        elif mention is not None:
            out.append(mention)
            ctx.remember(mention)
    # 'a day after the invasion on 24 February 2022': the anchor comes later in the sentence.
    for index, m in reversed(relatives):
        later = [d for d in out if d.start > m.end()]
        if later and m["dir"].lower() in ("after", "before"):
            mention = _relative(m, later[0])
            if mention:
                out.insert(index, mention)
    return out


def _relative(m: re.Match[str], anchor: DateMention) -> DateMention | None:
    n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"].lower()]
    sign = 1 if m["dir"].lower() in ("later", "after") else -1
    shifted = _shift(anchor, n, m["unit"].lower(), sign)
    if not shifted:
        return None
    return DateMention(m.start(), m.end(), m.group(0), *shifted, note=f"relative to {anchor.text}")


def _resolve(kind: str, m: re.Match[str], s: str, ctx: DateContext,
             earlier: list[DateMention]) -> DateMention | None:
    g = m.groupdict()
    text = m.group(0)
    qual = g.get("qual")
    note = f"qualifier: {qual}" if qual else None
    if kind in ("iso", "dmy_dots"):
        y, mo, d = int(g["year"]), int(g["mon"]), int(g["day"])
        return DateMention(m.start(), m.end(), text, *_fmt(y, mo, d)) if _valid_day(y, mo, d) else None
    if kind in ("dmy", "mdy"):
        y, mo, d = int(g["year"]), _month(g["month"]), int(g["day"])
        return DateMention(m.start(), m.end(), text, *_fmt(y, mo, d)) if _valid_day(y, mo, d) else None
    if kind == "my":
        return DateMention(m.start(), m.end(), text, *_fmt(int(g["year"]), _month(g["month"])), note=note)
    if kind == "m_same":
        if ctx.year is None:
            return None
        y = ctx.year + _REL_SHIFT[g["rel"].lower()]
        return DateMention(m.start(), m.end(), text, *_fmt(y, _month(g["month"])), note="year from context")
    if kind in ("dm", "md", "m"):
        if g["month"] == "May" and kind == "m" and not re.match(r"(?:in|by|since|until|early|late|mid)\b", text):
            return None
        mo = _month(g["month"])
        year = ctx.month_year_for((g.get("lead") or "").lower(), mo)
        if year is None:
            return None
        if kind == "m":
            start = m.start("month") if not qual else m.start("qual")
            return DateMention(start, m.end(), s[start:m.end()], *_fmt(year, mo), note="year from context")
        d = int(g["day"])
        if not _valid_day(year, mo, d):
            return None
        return DateMention(m.start(), m.end(), text, *_fmt(year, mo, d), note="year from context")
    if kind in ("range", "span"):
        y, end = int(g["year"]), g["end"]
        e = int(end) if len(end) == 4 else (y // 100) * 100 + int(end)
        if kind == "span" and (_looks_like_amount(s, m.start(), m.end()) or not _plausible_year(y)):
            return None
        if not (_plausible_year(y) and y < e <= y + 200):
            return None
        return DateMention(m.start(), m.end(), text, *_fmt(y), end_year=e, note=f"range {y}-{e}")
    if kind == "decade":
        y = int(g["year"])
        if not _plausible_year(y):
            return None
        return DateMention(m.start(), m.end(), text, *_fmt(y), end_year=y + 9, note=note or "decade")
    if kind == "relative":
        if m["dir"].lower() in ("later", "earlier") and ctx.last is not None:
            return _relative(m, ctx.last)
        return None
    if kind == "from_published":  # 'last month', 'next year': counted from the article's own date
        if not ctx.published:
            return None
        shift = {"last": -1, "this": 0, "next": 1}[g["which"].lower()]
        year, month = ctx.published
        if g["unit"] == "year":
            return DateMention(m.start(), m.end(), text, *_fmt(year + shift), note="from the article's date")
        if month is None:
            return None
        y, mo = divmod(year * 12 + month - 1 + shift, 12)
        return DateMention(m.start(), m.end(), text, *_fmt(y, mo + 1), note="from the article's date")
    if kind == "same_year":
        if ctx.year is None or earlier and earlier[-1].end > m.start():
            return None
        return DateMention(m.start(), m.end(), text, *_fmt(ctx.year + _REL_SHIFT[g["rel"].lower()]), note="year from context")
    if kind == "year":
        y = int(g["year"])
        if not _plausible_year(y) or _looks_like_amount(s, m.start("year"), m.end()) or _is_citation(s, m):
            return None
        return DateMention(m.start(), m.end(), text, *_fmt(y), note=note)
    return None


def date_bounds(date: str, granularity: str, end_year: int | None = None) -> tuple[str, str]:
    """First and last day a date covers, as ISO strings that sort correctly."""
    y = int(date[:4])
    if granularity == "day":
        return date, date
    if granularity == "month":
        m = int(date[5:7])
        return f"{date}-01", f"{date}-{calendar.monthrange(y, m)[1]:02d}"
    return f"{y:04d}-01-01", f"{(end_year or y):04d}-12-31"
