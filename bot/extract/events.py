"""Dated events: the date expressions of a content sentence that date a happening it reports.

A date is not an event when one of the VETOES applies; they are named and tried in this order, so
a reader can see why a date was left out (`kuril-bot extract` keeps none of them).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.extract import lexicon
from bot.extract.dates import PLANNED, YEAR_FROM_CONTEXT, DateContext, DateMention, find_dates

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
    names: frozenset[str] = frozenset()  # the words it names a happening with ('the 1956 declaration')

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
    rx = re.compile(rf"(?:{pattern})\s*$", re.I)
    return lambda s, m: bool(rx.search(s[max(0, m.start - _BEFORE):m.start]))


def _cue_after(pattern: str) -> Callable[[str, DateMention], bool]:
    rx = re.compile(rf"\s*(?:{pattern})", re.I)
    return lambda s, m: bool(rx.match(s, m.end))


# '2016 marks the 75th anniversary of …', 'Today marks 60 years since …', 'The year 2011 is the 20th season of
# visa-free trips', 'turns 65 on October 19'
_marks = _cue_after(r",?\s*(?:marks|marked|will\s+mark|marking)\s+(?:the\s+|precisely\s+|exactly\s+)?"
                    r"(?:[\w-]+\s+){0,2}(?:anniversary|years?\s+(?:since|after))|"
                    r"\s*(?:is|was)\s+the\s+\d+(?:st|nd|rd|th)\s+(?:anniversary|season|year)\b")
_turns = _cue_before(r"\bturns?\s+\d{1,3}\s+(?:on|in)?")


def _in_source_citation(s: str, m: DateMention) -> bool:
    """'(Harbour Gazette, 3 Mar 2021)', '(Minister X, press conference, 14 July 2020)', '[Information provided by
    "The Oakland Tribune" Sept. 2-9, 1951]': where a statement was made or printed, in brackets."""
    opened = s.rfind("(", 0, m.start)
    if opened > s.rfind(")", 0, m.start) and "," in s[opened:m.start] and re.match(r"\s*[.,;]?\s*\)", s[m.end:]):
        return True
    square = s.rfind("[", 0, m.start)
    return square > s.rfind("]", 0, m.start) and bool(_CREDITED.search(s, square, m.start)) \
        and bool(re.match(r"\s*[.,;]?\s*\]", s[m.end:]))


_CREDITED = re.compile(r"\b(?i:provided\s+by|source|courtesy\s+of|from)\b")


_habitual = _cue_before(r"\b(?:every|each)(?:\s+year)?(?:\s+(?:in|at)\s+[A-Z][\w-]+)?(?:\s+(?:on|in))?|"
                        r"\bannually\s+(?:on|in)|"
                        r"\b(?:usually|normally|typically|traditionally|customarily)\s+\w+\s+(?:on|in)")
_by = _cue_before(r"\bby\s+(?:the\s+(?:end|middle|beginning|start)\s+of\s+)?(?:the\s+year\s+)?")
_TARGET = re.compile(r"\b(?:will|would|shall|should|must|to\s+be|plans?|planned|aims?|intends?|targets?|goal|deadline|"
                     r"pledged|promised|expected|vowed|requests?|requested|demands?|demanded|ordered|"
                     r"efforts?|need|strive|seek|try|tried)\b", re.I)
_TO_VERB_BEFORE = re.compile(r"\bto\s+[a-z]+\b[^.;]{0,60}\bby\s+(?:the\s+(?:end\s+of\s+)?)?(?:the\s+year\s+)?$")
_issue_year = _cue_before(r"\b(?:No|Vol|Issue)\.?\s*\d+,?\s*\(")  # a journal issue's year
_later = _cue_before(r"\blater")  # 'later this year' is ahead of the report, always
_until = _cue_before(r"\b(?:through|until|till|into)")
_FUTURE = re.compile(r"\b(?:will|would|shall|expected|likely|projected|forecasts?|predicts?|plans?|aims?)\b", re.I)
# 'In 2015, it came to 1.3 billion': a figure for a year is a statistic, no happening
_FIGURE = re.compile(r"\b(?:came|amounted|rose|rising|fell|falling|grew|growing|increased|increasing|decreased|"
                     r"decreasing|dropped|dropping|declined|declining)\s+(?:to|by)\s+"
                     r"(?:about\s+|around\s+|some\s+|nearly\s+|almost\s+|over\s+|more\s+than\s+)?[$¥€£]?\d|"
                     r"\b(?:reached|totall?ed|stood\s+at)\s+(?:about\s+|around\s+|some\s+|nearly\s+|almost\s+|over\s+|"
                     r"more\s+than\s+)?[$¥€£]?\d", re.I)
_for = _cue_before(r"\bfor(?:\s+the(?:\s+fiscal)?\s+(?:year|season))?")
_AMOUNT = re.compile(rf"\d[\d,.]*\s*(?:{lexicon.alternation('amount_units')})\b|[$¥€£]\s?\d")
_AHEAD = re.compile(r"\b(?:anticipated|upcoming|forthcoming)\s+(?:[\w-]+\s+){0,2}"
                    r"(?:trip|visit|summit|talks|meeting|tour|election)\b", re.I)
_REFERENCE_LINE = re.compile(r"\bvol(?:ume)?s?\.\s*(?:\d|[IVX]+\b)|\bibid\b|\bop\.\s*cit\b|^\s*(?:see|cf\.)\s", re.I)

VETOES: list[tuple[str, Callable[[str, DateMention], bool]]] = [
    # when a report came out: 'published on', 'a CNBC article of March 31, 2022'
    ("published", _cue_before(rf"\b(?:published|posted|updated|modified)\s+(?:on|in)?|"
                              rf"\b(?:{lexicon.alternation('report_nouns')})\s+(?:of|dated)|"
                              rf"\breporting\s+from\s+[A-Z][\w.]*\s+on(?:\s+(?:{lexicon.alternation('weekdays')}))?\s*\(?")),
    ("habitual", lambda s, m: m.granularity != "year" and _habitual(s, m)),  # 'every Feb. 7', 'each year on 7 May'
    ("anniversary", lambda s, m: _marks(s, m) or _turns(s, m)),  # the day that marks one is no happening
    ("citation", _in_source_citation),
    ("embed", _cue_before(r"\(@\w+\)")),  # '— Kyodo News (@kyodo_english) November 22, 2019': a post's credit
    ("reference", lambda s, m: bool(_REFERENCE_LINE.search(s)) or _issue_year(s, m)),  # '…, No. 2 (2021), pp. 1–9'
    # 'to be completed by 2025', 'to sign peace treaty by 2000', not 'By 2018, it had'
    ("deadline", lambda s, m: _by(s, m) and bool(_TARGET.search(s) or _TO_VERB_BEFORE.search(s, 0, m.start))),

    ("forecast", lambda s, m: m.granularity == "year" and _until(s, m) and bool(_FUTURE.search(s))),
    # 'whether Japan will go ahead with the project this year': a plan for a year is no happening yet
    ("plan", lambda s, m: m.rule == "from_published" and (m.granularity == "year" and bool(PLANNED.search(s))
                                                          or _later(s, m))),  # 'ahead of a revision later this year'
    # "Abe's anticipated trip to Moscow at the end of May 2018": a happening still ahead when written
    ("announced plan", lambda s, m: bool(_AHEAD.search(s))),
    ("comparison", _cue_before(r"\b(?:than|compared\s+(?:with|to))(?:\s+in)?|\bfor\s+the\s+first\s+time\s+since|"
                               r"\bfrom\s+(?:some\s+|about\s+|around\s+|nearly\s+|almost\s+|over\s+)?[\d,.]+\s+"
                               r"(?:[a-z]+\s+){0,2}in")),  # 'rose from 8,000 in 1943', 'down from some 7,000 in 1992'
    ("statistic", lambda s, m: bool(_FIGURE.search(s))),
    # 'a quota of 2,050 tons … for 2022', 'a development programme for 2016-2025': the period a figure or plan is for
    ("period", lambda s, m: _for(s, m) and (bool(_AMOUNT.search(s)) or m.end_year is not None)),
    ("scope", _cue_before(r"\b(?:focus(?:ing|es|ed)?\s+on|cover(?:ing|s)?|examin(?:ing|es|e))\s+(?:the\s+)?"
                          r"(?:period|years)(?:\s+(?:of|from|between))?")),  # 'focusing on the period of 2000-2013'
]


def veto(sentence: str, mention: DateMention) -> str | None:
    """The name of the first veto that keeps this date from being an event, or None."""
    return next((name for name, applies in VETOES if applies(sentence, mention)), None)


_FUNCTION_WORDS = lexicon.words("function_words")
# 'the Declaration of 1956', 'the declaration of 1956': a document's name; not 'the spring of 1956'
_NAMED_OF = re.compile(rf"\b([A-Z][\w-]+|(?i:{lexicon.alternation('document_words')}))\s+of\s+$")
_DOCUMENT_WORD = re.compile(rf"\b(?i:{lexicon.alternation('document_words')})\b")
_GENERIC_DOCUMENT = re.compile(rf"\s+(?:{lexicon.alternation('document_words')})\b")  # lower case: no name of its own
_GENERIC_DOCUMENT_OF = re.compile(rf"\bthe\s+(?:{lexicon.alternation('document_words')})\s+of\s+$")
_DETERMINED = re.compile(r"(?:\b(?i:the|a|an|its|their|this|that|his|her|our)|[A-Z][\w-]*['’]s)\s+$")


def _named_words(sentence: str, m: DateMention) -> set[str]:
    """The words a year names a happening with: 'the 1956 joint declaration' -> {joint, declaration},
    'the Declaration of 1956' -> {declaration}; empty when the year reports a happening."""
    if m.granularity != "year":
        return set()
    of = _NAMED_OF.search(sentence[:m.start])
    if of:
        return {of.group(1).lower()}
    after = re.match(r"(?:\s+[A-Za-z][\w-]*){1,3}", sentence[m.end:])
    if not (after and _DETERMINED.search(sentence[:m.start])):
        return set()
    return {w.lower() for w in after.group(0).split()}


def _names_listed(sentence: str, m: DateMention, listed: dict[tuple[str, str], str]) -> bool:
    """A later 'the 1956 declaration' names the happening already listed with that date, when the
    listed sentence has its words ('… signed the Joint Declaration in 1956'); 'the 1941 Cairo
    Declaration' after 'a 1941 neutrality pact' is another happening."""
    first = listed.get((m.date, m.granularity))
    words = _named_words(sentence, m)
    if first is None or not words:
        return False
    # 'the 1956 agreement', a document of that year named by its kind alone, after 'the Joint Declaration of 1956'
    generic = _GENERIC_DOCUMENT.match(sentence, m.end) or _GENERIC_DOCUMENT_OF.search(sentence, 0, m.start)
    return any(re.search(rf"\b{re.escape(w)}", first, re.I) for w in words) \
        or bool(generic and _DOCUMENT_WORD.search(first))


def _day_again(m: DateMention, listed: dict[tuple[str, str], str]) -> bool:
    """'on Friday (Dec 16)' after 'on Dec 16, 2016': a year-less day the article has already listed is
    that day's happening again (a full date written out again may still be another one)."""
    return m.granularity == "day" and m.note == YEAR_FROM_CONTEXT and (m.date, m.granularity) in listed


def sentence_events(sentence: str, paragraph: int, ctx: DateContext,
                    listed: dict[tuple[str, str], str] | None = None) -> list[Event]:
    """Events of one sentence; one per distinct date even when the date is repeated. With `listed`
    (the dates the article has listed so far), a later mention that only names a happening
    already listed ('the 1956 declaration' again), or a year-less day already listed, is no new event."""
    seen: set[tuple[str, str]] = set()
    out: list[Event] = []
    listed = {} if listed is None else listed
    for m in find_dates(sentence, ctx):
        key = (m.date, m.granularity)
        if key in seen or veto(sentence, m) or _names_listed(sentence, m, listed) or _day_again(m, listed):
            continue
        seen.add(key)
        listed.setdefault(key, sentence)
        names = frozenset(_named_words(sentence, m) - _FUNCTION_WORDS)
        out.append(Event(m.date, m.granularity, excerpt(sentence, m.start, m.end), paragraph, m.text,
                         m.end_year, m.note, names))
    return out


# '1855 — Treaty of Shimoda signed', 'Oct. 19, 1956 — …': a chronology's line sums up, it does not describe first
_CHRONOLOGY_ENTRY = re.compile(r"^[-–—•*\s]*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+)?[12]\d{3}\s*(?::|[-–—]\s)")


def described_later(events: list[Event]) -> list[Event]:
    """The article's events without a name that a later paragraph describes: 'the Soviet-Japanese
    declaration of 1956' in a question, then 'In 1956, the Soviet Union and Japan signed a declaration':
    the happening is listed where it is described."""
    def describes(later: Event, named: Event) -> bool:
        return later.paragraph > named.paragraph and not later.names and later.date.startswith(named.date) \
            and not _CHRONOLOGY_ENTRY.match(later.sentence) \
            and any(re.search(rf"\b{re.escape(w)}", later.sentence, re.I) for w in named.names)
    return [e for e in events if not (e.names and any(describes(f, e) for f in events))]


MAX_SENTENCE = 800  # longer 'sentences' (lists, run-on text) are kept as the part around the date


def excerpt(sentence: str, start: int, end: int) -> str:
    """The sentence, or for a very long one the words around the date: each event stores and
    indexes its text, so one long sentence of many dates must not be stored once per date."""
    if len(sentence) <= MAX_SENTENCE:
        return sentence
    half = (MAX_SENTENCE - (end - start)) // 2
    lo, hi = max(0, start - half), min(len(sentence), end + half)
    lo = sentence.find(" ", lo, start) + 1 if lo else 0
    cut = sentence.rfind(" ", end, hi) if hi < len(sentence) else -1
    hi = cut if cut > 0 else hi
    return ("…" if lo else "") + sentence[lo:hi] + ("…" if hi < len(sentence) else "")
