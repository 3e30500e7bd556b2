"""Date grammar for English prose: find the date expressions in a sentence and normalise them.

Rules are about the language (month names, 'from X to Y', decades, 'a year later'), never
about particular articles. A date is only produced from words in the text: a missing year
comes from the article's own context, never from today's date.
"""
from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from bot.extract import lexicon

MONTHS = {word: int(n) for word, (n,) in lexicon.table("months").items()}
# in capitals too, as a page's first words ('IN JUNE this year'); 'MAY' alone is left out
_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
              r"JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)"
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
_RANGE_START = re.compile(r"\b(?:from|between)\s+(?:the\s+)?$", re.I)
_RANGE_END = re.compile(r"\s*(?:to|until|till|through|and|-|–|—)\s*(?:the\s+)?", re.I)

@dataclass(frozen=True)
class DateRule:
    """A named date pattern: the cue a sentence needs for it to be tried, and examples that run as tests
    (text -> the first date it yields, 'YYYY[-MM[-DD]]/granularity', or None for nothing)."""

    name: str
    cue: str
    pattern: re.Pattern[str]
    examples: tuple[tuple[str, str | None], ...] = ()


_DAY_SPAN = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|—|to|and|until|through)\s*[0-3]?\d(?:st|nd|rd|th)?"
RULES: list[DateRule] = [  # tried in this order; a later rule never takes words an earlier one took
    DateRule("iso", "year", re.compile(r"\b(?P<year>[12]\d{3})([-/])(?P<mon>[01]?\d)\2(?P<day>[0-3]?\d)\b"),
             (("The decree of 2022-02-24 applies.", "2022-02-24/day"), ("2016/12/15 Nagato summit.", "2016-12-15/day"),
              ("This 2022-02-30 is no day.", None))),
    DateRule("dmy_dots", "year",  # day.month.year, as Russian and European documents write it
             re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<mon>[01]?\d)\.(?P<year>[12]\d{3})\b(?!\.\d)"),
             (("On 12.04.2023 the deputy minister received him.", "2023-04-12/day"),)),
    # '6/8/2018' is 6 August or 8 June: the weekday before it decides ('on Monday (6/8/2018)'), or a number
    # above 12; else it is left undated
    DateRule("numeric_slashes", "year",
             re.compile(r"(?<![\d/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>[12]\d{3})\b(?!/)"),
             (("The protest was delivered on Monday (6/8/2018).", "2018-08-06/day"),
              ("The report of 2/22/2013 came out.", "2013-02-22/day"), ("Filed 6/8/2018.", None))),
    DateRule("day_range", "year",
             re.compile(rf"\b(?:(?i:between|from)\s+)?{_DAY_SPAN}\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b"),
             (("Drills ran between 13 and 17 June 2023.", "2023-06-13/day"),
              ("Talks on 2-5 May 2019 failed.", "2019-05-02/day"))),
    DateRule("month_day_range", "month", re.compile(
        rf"\b{MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|—|to|until|through)\s*[0-3]?\d(?:st|nd|rd|th)?\b"
        rf"(?:,?\s+{YEAR}\b)?(?!\s*(?:percent|%))"),
             (("The forum met Nov. 2 to 5, 2021.", "2021-11-02/day"),
              ("The forum met Sept. 3-6, 2019.", "2019-09-03/day"))),
    DateRule("cross_month_range", "year", re.compile(
        rf"\b(?i:from|between)\s+{MONTH}\s+{DAY}\s+(?:to|until|till|through|and|-|–|—)\s+"
        rf"{MONTH.replace('?P<month>', '?P<month2>')}\s+[0-3]?\d(?:st|nd|rd|th)?,?\s+{YEAR}\b"),
             (("Drills ran from March 3 to April 20, 2023.", "2023-03-03/day"),)),
    # 'February 7 (January 26, Old Style), 1855': the new calendar's date, the old one in an aside
    DateRule("old_style_aside", "year", re.compile(
        rf"\b{MONTH}\s+{DAY}\s*\((?:[A-Z][a-z]+\.?\s+)?[0-3]?\d,?\s+(?:Old\s+Style|O\.\s?S\.)\),?\s+{YEAR}\b"),
             (("It was signed on February 7 (January 26, Old Style), 1855 in Shimoda.", "1855-02-07/day"),)),
    # 'April 25 (May 7), 1875', 'August 10 (22), 1875': a Russian date in the old calendar, then the new
    DateRule("two_calendars", "year", re.compile(
        rf"\b{MONTH}\s+[0-3]?\d\s*\((?:{MONTH.replace('?P<month>', '?P<month2>')}\s+)?{DAY}\),?\s+{YEAR}\b"),
             (("On April 25 (May 7), 1875 the treaty was signed.", "1875-05-07/day"),
              ("On August 10 (22), 1875 an article was added.", "1875-08-22/day"))),
    DateRule("dmy", "year", re.compile(rf"\b{DAY}\s+(?:of\s+)?{MONTH},?\s+{YEAR}\b"),
             (("On 24 February 2022 the war began.", "2022-02-24/day"),
              ("The talks of 25th February 2022 failed.", "2022-02-25/day"),
              ("Key dates: 21 Mar 2022 — talks ended.", "2022-03-21/day"))),
    DateRule("mdy", "year", re.compile(rf"\b{MONTH},?\s+{DAY},?\s+{YEAR}\b"),
             (("Abe met Putin on Nov. 14, 2018 in Singapore.", "2018-11-14/day"),
              ("The Declaration was ratified by both States on December, 8, 1956.", "1956-12-08/day"))),
    DateRule("month_range", "year", re.compile(
        rf"\b{MONTH}\s*(?:-|–|—|to|and)\s*{MONTH.replace('?P<month>', '?P<month2>')},?\s+{YEAR}\b"),
             (("The battle was fought in August–September 1945.", "1945-08/month"),)),
    DateRule("my", "year", re.compile(rf"\b{QUAL}{MONTH},?\s+(?:of\s+)?{YEAR}\b"),
             (("In March 2022, ties became chillier.", "2022-03/month"),
              ("Japan surrendered in September 1945.", "1945-09/month"))),
    DateRule("m_same", "month",
             re.compile(rf"\b{MONTH}\s+(?:of\s+)?(?P<rel>the same|that|the following|the previous) year\b"),
             (("By September the same year, they held the islands.", None),)),  # no year before it: nothing
    DateRule("day_this_year", "month", re.compile(
        rf"\b(?:{MONTH}\s+{DAY}|{DAY.replace('?P<day>', '?P<day2>')}\s+(?:of\s+)?"
        rf"{MONTH.replace('?P<month>', '?P<month2>')}),?\s+"
        rf"(?P<which>(?i:this|last|next))\s+year\b"),
             (("Russia invaded on February 24th last year.", None),)),  # no article date: nothing to count from
    DateRule("m_this_year", "month", re.compile(
        rf"\b{MONTH}(?:\s*(?:-|–|—|to|and)\s*{MONTH.replace('?P<month>', '?P<month2>')})?\s+(?:of\s+)?"
        rf"(?P<which>(?i:this|last|next))\s+year\b"),  # 'In January and February this year': one span, by its start
             (("In March this year, Moscow retaliated.", None),)),  # no article date: nothing to count from
    DateRule("dm", "month", re.compile(rf"\b{DAY}\s+(?:of\s+)?{MONTH}\b(?!,?\s+[12]\d{{3}})")),
    DateRule("md", "month", re.compile(rf"\b{MONTH}\s+{DAY}\b(?!\d|,?\s+[12]\d{{3}}|\s*(?:percent|%))")),
    DateRule("m", "month", re.compile(rf"\b(?P<lead>(?i:in|by|since|until|till|from|during|on|of|early|late|mid|end of|"
                                      rf"beginning of|last|this|next))\s+(?:(?i:their|the|its|his|her|our)\s+)?"
                                      rf"(?:(?P<qual>early|mid|late)[\s-]+)?{MONTH}(?!\s+\d)"),
             (("Talks resumed during their September meeting.", None),)),  # no year in context: nothing
    DateRule("range", "year", re.compile(r"\b(?i:from|between)\s+(?P<year>[12]\d{3})\s+(?:to|until|till|through|and)\s+"
                                         r"(?P<end>[12]\d{3})\b"),
             (("Japan intervened from 1918 to 1922.", "1918/year"),
              ("Between 1945 and 1948, residents were deported.", "1945/year"))),
    DateRule("decade_span", "year", re.compile(rf"\b{QUAL}(?:the\s+)?(?P<year>[12]\d{{2}}0)'?s\s*(?:-|–|—|to|and)\s*"
                                               rf"(?:the\s+)?(?P<end>[12]\d{{2}}0)'?s\b"),
             (("Ties warmed in the 1980s–1990s.", "1980/year"),
              ("Between the 1970s and 1990s talks stalled.", "1970/year"))),
    DateRule("span", "year",
             re.compile(r"(?<![\w$.,-])(?P<year>[12]\d{3})\s?[-–—]\s?(?P<end>\d{2}|[12]\d{3})(?![\w%]|[.,]\d)"),
             (("Talks ran 2014-2018 without result.", "2014/year"),)),
    DateRule("decade", "year", re.compile(rf"\b(?:(?P<half>(?i:first|second|latter))\s+half\s+of\s+)?{QUAL}"
                                          rf"(?:the\s+)?(?P<year>[12]\d{{2}}0)'?s\b"),
             (("Border conflicts throughout the 1930s followed.", "1930/year"),
              ("An agreement was reached in the late 1990s.", "1990/year"),
              ("The second half of the 1950s saw more exchanges.", "1955/year"))),
    DateRule("relative", "unit",
             re.compile(r"(?<![\w-])(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
                        r"(?P<unit>day|week|month|year)s?\s+(?P<dir>later|after|earlier|before)\b", re.I),
             (("Sanctions came a day after the invasion on 24 February 2022.", "2022-02-25/day"),)),
    DateRule("from_published", "unit", re.compile(r"\b(?P<which>(?i:last|this|next))\s+(?P<unit>month|year)\b(?![’'])"),
             (("Talks stalled last year.", None),)),  # no article date: nothing to count from
    DateRule("same_year", "unit", re.compile(
        r"\b(?i:in\s+)?(?P<rel>(?i:the same|that same|the following|the next|the previous))\s+year\b")),
    DateRule("year", "year", re.compile(rf"(?<![\w$€£¥.,/+-]){QUAL}{YEAR}(?![\w%]|[.,]\d|-\w|\s*\+)"),
             (("In 1904 war broke out.", "1904/year"), ("Its 2014 invasion of Ukraine changed that.", "2014/year"),
              ("Some 2000 soldiers landed.", None), ("Resolution 2231 was cited.", None))),
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
    rule: str = ""

    @property
    def year(self) -> int:
        return int(self.date[:4])


class DateContext:
    """What a reader remembers while reading an article: the dates that govern year-less ones.

    A year-less date ('on October 3', 'in April') takes its year from its sentence or paragraph
    (a month or day with a year, or a timeline entry's '1972:'), or goes on from the day the paragraph
    before ended on ('On Aug 9, 1945, …' then 'On Aug 18, …': a chronicle), else from the article's
    date with the tense: past -> the latest such day not after publication, planned -> the next one.
    When nothing decides it, it is dropped, never guessed.
    """

    def __init__(self, published: str | None = None) -> None:
        """`published`: the article's date (YYYY, YYYY-MM or YYYY-MM-DD), when known."""
        ok = bool(published and published[:4].isdigit())
        self.published = (int(published[:4]), int(published[5:7]) if len(published) >= 7 else None) \
            if ok and published else None
        self._published_day = int(published[8:10]) if ok and published and len(published) >= 10 else None
        self.last: DateMention | None = None
        self.month_year: int | None = self.published[0] if self.published else None
        self.year: int | None = self.month_year
        self.tense = "past"  # of the sentence read now: 'past', 'planned' or 'either' ('would')

        self._governed = False  # this paragraph has said which year it is in
        self._paragraph = 0  # paragraphs read so far
        self._day_paragraph = -1  # the paragraph of the last day read
        self._opening_year: tuple[int, int] | None = None  # (paragraph, year) of an 'In 2022, …' sentence
        self._named_in: dict[int, int] = {}  # year -> the last paragraph that named it

    def new_paragraph(self, text: str = "") -> None:
        """A new paragraph is governed by its timeline label ('1972: …', '— 1972 – …'), else by the
        article's date; an undated article keeps reading from the last date mentioned."""
        self._paragraph += 1
        label = _TIMELINE_LABEL.match(text)
        self._governed = bool(label)
        if label:
            self.month_year = int(label["year"])
        elif self.published:
            self.month_year = self.published[0]

    def month_year_for(self, lead: str | None, month: int, day: int | None = None) -> int | None:
        """The year of a year-less month or day."""
        if self.published and (now := self.published[1]) and lead in ("last", "next", "this"):
            year = self.published[0]  # 'last October' counts back from the article's date
            if lead == "last":
                return year - (month >= now)
            return year + (month <= now) if lead == "next" else year
        if not self._governed and self._opening_year and self._opening_year[0] == self._paragraph:
            return self._opening_year[1]
        if self._governed:
            return self.month_year
        if not (self.published and self.published[1]):
            return self._read_on(month, day)
        if self.tense == "past" and (chronicle := self._chronicle_year(month, day)):
            return chronicle
        year, now = self.published
        # an update or a time zone can put a day a little after the article's date
        after = (month, day or 0) > (now, (self._published_day or 31) + UPDATE_DAYS)
        before = (month, day or 99) < (now, self._published_day or 0)
        if self.tense == "either":  # 'would': the occurrence nearer the article's date
            here = dt.date(year, month, min(day or 15, 28))
            then = dt.date(year - 1, month, min(day or 15, 28)) if here > self._published_date() else \
                dt.date(year + 1, month, min(day or 15, 28))
            return then.year if abs(then - self._published_date()) < abs(here - self._published_date()) else year
        if self.tense == "planned":
            return year + 1 if before else year
        return year - 1 if after else year

    def read_in_year(self, year: int) -> None:
        """'In 2022, a protest began … The next day, on February 7, …': in an article without a date, a
        sentence that opens on its year dates the year-less days that follow in its paragraph."""
        if not (self.published and self.published[1]):
            self._opening_year = (self._paragraph, year)

    def _read_on(self, month: int, day: int | None) -> int | None:
        """An undated article reads on in the year of the last month or day it named, when this one
        comes after it ('in November 2024' … 'on January 20' is no later day of 2024: left undated); and
        when another year was named since, only where this paragraph names that year too ('Aug. 15, 1945'
        … 'in 1956', then a paragraph on: 'in May' is no May of 1945)."""
        last = self.last
        moved_on = last is not None and last.granularity == "year" and last.year != self.month_year
        if moved_on and self._named_in.get(self.month_year or 0) != self._paragraph:
            return None
        if last is None or last.granularity == "year" or self.month_year != last.year:
            return self.month_year
        before = (month, day or 0) < (int(last.date[5:7]), int(last.date[8:10]) if last.granularity == "day" else 0)
        return None if before else self.month_year

    def _chronicle_year(self, month: int, day: int | None) -> int | None:
        """The year of the day the paragraph before ended on, when this day follows it closely."""
        last = self.last
        if last is None or last.granularity != "day" or self._day_paragraph != self._paragraph - 1 or day is None:
            return None
        then = dt.date.fromisoformat(last.date)
        if not _valid_day(then.year, month, day):
            return None
        return then.year if 0 <= (dt.date(then.year, month, day) - then).days <= CHRONICLE_DAYS else None

    def _published_date(self) -> dt.date:
        year, month = self.published or (1, 1)
        return dt.date(year, month or 6, self._published_day or 15)

    def remember(self, m: DateMention) -> None:
        self.last = m
        self.year = m.year
        self._named_in[m.year] = self._paragraph
        if m.granularity in ("month", "day"):
            self.month_year = m.year
            self._governed = True
        if m.granularity == "day":
            self._day_paragraph = self._paragraph


_PAST_FORMS = lexicon.words("past_forms")
_PLANNING = lexicon.words("planning_participles")
_VERB_BEFORE = re.compile(r"([A-Za-z]+)\s+(?:that\s+)?(?:on\s+|in\s+)?$")  # 'recalled that on October 16
_VERB_AFTER = re.compile(r"\s+([a-z]+)\b")


def _tense_at(sentence: str, start: int, end: int, tense: str) -> str:
    """The sentence's tense, unless a past verb right before the date reports it ('the decision,
    announced June 7 by the ministry, is expected to …') or right after it ('it will take time, after
    the meeting on Jan 22 ended with no results')."""
    before = _VERB_BEFORE.search(sentence, max(0, start - 30), start)
    after = _VERB_AFTER.match(sentence, end)
    return "past" if any(m and _is_past(m.group(1).lower()) for m in (before, after)) else tense


def _is_past(verb: str) -> bool:
    return verb in _PAST_FORMS or (verb.endswith("ed") and verb not in _PLANNING)


UPDATE_DAYS = 7
_YEAR_ADVERBIAL = re.compile(r"^\s*(?i:in|during)\s+$")  # 'In 2022, …' opens the sentence on its year
CHRONICLE_DAYS = 62  # how far a year-less day may follow the day before it and still go on from it
YEAR_FROM_CONTEXT = "year from context"
_TIMELINE_LABEL = re.compile(r"^[-–—•*\s]*(?P<year>[12]\d{3})\s*(?::|[-–—]\s)")
# 'agreed to hold talks' plans; 'agreed to the terms' reports: the 'to' must lead a verb, not a thing
_TO_VERB = rf"to\b(?!\s+(?:{lexicon.alternation('determiners')})\b)"
PLANNED = re.compile(rf"\b(?:will\b|shall\b|planned\b|scheduled\b|to\s+be\s+held\b|"
                     rf"(?:plans?|agreed|agrees?|is|are|expected|set|intends?)\s+{_TO_VERB})", re.I)
_REPORTED_FUTURE = re.compile(r"\bwould\b", re.I)  # 'said he would …': ahead of the report, or not


def _is_citation(s: str, m: re.Match[str]) -> bool:
    """'(Stephan 1974, p. 62)', '(Hara 1998)', '(Brown and Green 2016)': a reference, not an event."""
    return bool(re.search(r"[(;]\s*(?:see\s+|cf\.\s+)?[A-Z][\w'’-]+(?:\s+(?:and|&)\s+[A-Z][\w'’-]+|\s+et al\.?)?,?\s*$",
                          s[:m.start()]) and re.match(r"[a-z]?\s*(?:[,;:][^()]{0,40})?\)", s[m.end():]))


_WEEKDAY_BEFORE = re.compile(rf"\b({lexicon.alternation('weekdays')})\s*\(?\s*$", re.I)


def _slashed_day(year: int, a: int, b: int, weekday: str | None) -> tuple[int, int, int] | None:
    """(year, month, day) of 'a/b/year': day first or month first, whichever alone is a date or falls on the
    weekday the text names; None when both could be and nothing decides."""
    days = {(year, mo, d) for d, mo in ((a, b), (b, a)) if _valid_day(year, mo, d)}
    if weekday:
        days = {x for x in days if calendar.day_name[dt.date(*x).weekday()].lower() == weekday.lower()}
    return days.pop() if len(days) == 1 else None


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


MAX_DATES_PER_SENTENCE = 40


def _plausible_year(y: int) -> bool:
    return 1000 <= y <= 2100


def _looks_like_amount(sentence: str, start: int, end: int) -> bool:
    before = sentence[max(0, start - 20):start]
    after = sentence[end:end + 16].lstrip().lower()
    return bool(_AMOUNT_BEFORE.search(before) or re.match(_UNITS, after))


def _shift(anchor: DateMention, n: int, unit: str, sign: int) -> tuple[str, str] | None:
    """The anchor moved by n units, or None when that leaves the years a date can name."""
    if unit == "year":
        year = anchor.year + sign * n
        return _fmt(year) if _plausible_year(year) else None
    if unit == "month":
        if anchor.granularity == "year":
            return None
        y, m = anchor.year, int(anchor.date[5:7]) + sign * n
        y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
        return _fmt(y, m) if _plausible_year(y) else None
    if anchor.granularity != "day":
        return None
    days = n * (7 if unit == "week" else 1)
    d = dt.date.fromisoformat(anchor.date) + dt.timedelta(days=sign * days)
    return _fmt(d.year, d.month, d.day) if _plausible_year(d.year) else None


def find_dates(sentence: str, ctx: DateContext) -> list[DateMention]:
    """Every date expression in `sentence`, in text order, resolving year-less ones via `ctx`.

    `ctx` is updated as the sentence is read, so a following sentence sees these dates.
    """
    present = {cue for cue, rx in _CUES.items() if rx.search(sentence)}
    tense = "planned" if PLANNED.search(sentence) else "either" if _REPORTED_FUTURE.search(sentence) else "past"
    ctx.tense = tense
    if not present or _REFERENCE.search(sentence):
        return []
    starts: list[int] = []  # the spans taken so far, sorted and disjoint: a bisect finds any overlap
    ends: list[int] = []
    found: list[tuple[str, re.Match[str]]] = []
    for rule in RULES:
        if rule.cue not in present:
            continue
        for m in rule.pattern.finditer(sentence):
            i = bisect.bisect_left(starts, m.start())
            if (i > 0 and ends[i - 1] > m.start()) or (i < len(starts) and starts[i] < m.end()):
                continue
            starts.insert(i, m.start())
            ends.insert(i, m.end())
            found.append((rule.name, m))
    found.sort(key=lambda km: km[1].start())
    del found[MAX_DATES_PER_SENTENCE:]  # a 'sentence' of a thousand dates is a list, not prose
    out: list[DateMention] = []
    relatives: list[tuple[int, re.Match[str]]] = []
    for kind, m in found:
        ctx.tense = _tense_at(sentence, m.start(), m.end(), tense)
        mention = _resolve(kind, m, sentence, ctx, out)
        mention = mention and dataclasses.replace(mention, rule=kind)
        if mention is None and kind == "relative":
            relatives.append((len(out), m))
        elif mention is not None and out and _RANGE_END.fullmatch(sentence[out[-1].end:mention.start]) \
                and _RANGE_START.search(sentence[:out[-1].start]):
            ctx.remember(mention)  # 'from March 3 to April 20': one range, dated by its start
        elif mention is not None:
            out.append(mention)
            ctx.remember(mention)
            if kind == "year" and _YEAR_ADVERBIAL.search(sentence, 0, m.start()):
                ctx.read_in_year(mention.year)
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
    return DateMention(m.start(), m.end(), m.group(0), *shifted, note=f"relative to {anchor.text}", rule="relative")


def _resolve(kind: str, m: re.Match[str], s: str, ctx: DateContext,
             earlier: list[DateMention]) -> DateMention | None:
    g = m.groupdict()
    text = m.group(0)
    qual = g.get("qual")
    note = f"qualifier: {qual}" if qual else None
    if kind == "numeric_slashes":
        weekday = _WEEKDAY_BEFORE.search(m.string, max(0, m.start() - 16), m.start())
        found = _slashed_day(int(g["year"]), int(g["a"]), int(g["b"]), weekday and weekday[1])
        return DateMention(m.start(), m.end(), text, *_fmt(*found)) if found else None
    if kind in ("iso", "dmy_dots"):
        y, mo, d = int(g["year"]), int(g["mon"]), int(g["day"])
        return DateMention(m.start(), m.end(), text, *_fmt(y, mo, d)) if _valid_day(y, mo, d) else None
    if kind in ("day_range", "month_day_range", "cross_month_range"):
        year = int(g["year"]) if g.get("year") else ctx.month_year_for(None, _month(g["month"]), int(g["day"]))
        mo, d = _month(g["month"]), int(g["day"])
        if year is None or not _valid_day(year, mo, d):
            return None
        return DateMention(m.start(), m.end(), text, *_fmt(year, mo, d), note="day range")
    if kind in ("two_calendars", "old_style_aside"):  # the new calendar's day, the one the world dates it by
        y, mo, d = int(g["year"]), _month(g.get("month2") or g["month"]), int(g["day"])
        valid = _valid_day(y, mo, d)
        return DateMention(m.start(), m.end(), text, *_fmt(y, mo, d), note="new style") if valid else None
    if kind in ("dmy", "mdy"):
        y, mo, d = int(g["year"]), _month(g["month"]), int(g["day"])
        return DateMention(m.start(), m.end(), text, *_fmt(y, mo, d)) if _valid_day(y, mo, d) else None
    if kind == "month_range":  # 'August–September 1945': dated by its first month
        return DateMention(m.start(), m.end(), text, *_fmt(int(g["year"]), _month(g["month"])), note="month range")
    if kind == "my":
        return DateMention(m.start(), m.end(), text, *_fmt(int(g["year"]), _month(g["month"])), note=note)
    if kind == "m_same":
        if ctx.year is None:
            return None
        y = ctx.year + _REL_SHIFT[g["rel"].lower()]
        return DateMention(m.start(), m.end(), text, *_fmt(y, _month(g["month"])), note=YEAR_FROM_CONTEXT)
    if kind in ("dm", "md", "m"):
        if g["month"] == "May" and kind == "m" and not re.match(r"(?:in|by|since|until|early|late|mid)\b", text):
            return None
        mo = _month(g["month"])
        year = ctx.month_year_for((g.get("lead") or "").lower(), mo, int(g["day"]) if kind != "m" else None)
        if year is None:
            return None
        if kind == "m":
            start = m.start("month") if not qual else m.start("qual")
            return DateMention(start, m.end(), s[start:m.end()], *_fmt(year, mo), note=YEAR_FROM_CONTEXT)
        d = int(g["day"])
        if not _valid_day(year, mo, d):
            return None
        return DateMention(m.start(), m.end(), text, *_fmt(year, mo, d), note=YEAR_FROM_CONTEXT)
    if kind in ("range", "span"):
        y, end = int(g["year"]), g["end"]
        e = int(end) if len(end) == 4 else (y // 100) * 100 + int(end)
        if kind == "span" and (_looks_like_amount(s, m.start(), m.end()) or not _plausible_year(y)):
            return None
        if not (_plausible_year(y) and y < e <= y + 200):
            return None
        return DateMention(m.start(), m.end(), text, *_fmt(y), end_year=e, note=f"range {y}-{e}")
    if kind == "decade_span":
        y, e = int(g["year"]), int(g["end"]) + 9
        if not (_plausible_year(y) and y < e <= y + 200):
            return None
        return DateMention(m.start(), m.end(), text, *_fmt(y), end_year=e, note=f"range {y}-{e}")
    if kind == "decade":
        y = int(g["year"])
        if not _plausible_year(y):
            return None
        if g["half"]:  # 'the second half of the 1950s': 1955-1959
            y += 0 if g["half"].lower() == "first" else 5
            return DateMention(m.start(), m.end(), text, *_fmt(y), end_year=y + 4, note=f"range {y}-{y + 4}")
        return DateMention(m.start(), m.end(), text, *_fmt(y), end_year=y + 9, note=note or "decade")
    if kind == "relative":
        if m["dir"].lower() in ("later", "earlier") and ctx.last is not None:
            return _relative(m, ctx.last)
        return None
    if kind in ("m_this_year", "day_this_year"):  # 'in March this year', 'on February 24th last year'
        if not ctx.published:
            return None
        y = ctx.published[0] + {"last": -1, "this": 0, "next": 1}[g["which"].lower()]
        day = g.get("day") or g.get("day2")
        mo, on = _month(g.get("month") or g["month2"]), int(day) if day else None
        if on is not None and not _valid_day(y, mo, on):
            return None
        return DateMention(m.start(), m.end(), text, *_fmt(y, mo, on), note="from the article's date")
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
        year = ctx.year + _REL_SHIFT[g["rel"].lower()]
        return DateMention(m.start(), m.end(), text, *_fmt(year), note=YEAR_FROM_CONTEXT)
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
