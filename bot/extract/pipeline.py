"""The extraction pipeline: one Document in, its people, quotes, events and sentences out."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from sentencex import get_sentence_boundaries

from bot.extract import lexicon
from bot.extract.dates import DateContext, find_dates
from bot.ingest.document import BODY, HEADING, Document, Paragraph
from bot.extract.events import Event, described_later, sentence_events
from bot.extract.people import (Person, Registry, is_full_name, last_full_name, noun_phrase_before,
                               split_name_role, tokens)
from bot.extract.turns import (NOT_SPEAKERS, Turn, continues_turn, dash_speech, find_turns, introduces_self,
                               speaker_phrase, turn_text)
from bot.extract.quotes import (Quote, according_to, attribute, before_next_quote, document_worded, is_title,
                                quote_spans, sentence_subject, speech_subject)

_RECENT = 50  # quotes looked back over for who answers an 'A:' turn
_HEADER = re.compile(r"^([^:“”\"]{3,160}?):\s+\S")


@dataclass
class Sentence:
    paragraph: int
    start: int
    end: int
    text: str


@dataclass
class Extraction:
    document: Document
    sentences: list[Sentence] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    topics: list[tuple[str, int]] = field(default_factory=list)  # (word, count), filled by the indexer
    first_mentions: list[int] = field(default_factory=list)  # the paragraph naming each of `people` first, too

    def to_json(self) -> dict:
        d = self.document
        return {"file": d.file, "title": d.title, "publisher": d.publisher, "author": d.author,
                "people": [p.to_json() for p in self.people],
                "quotes": [q.to_json() for q in self.quotes],
                "events": [e.to_json() for e in self.events],
                "footnotes": [{"n": f.n, "text": f.text} for f in d.footnotes]}


# 'the Japan-U.' + 'S. security treaty': the segmenter cut inside an initialism
_CUT_INITIALISM = re.compile(r"(?<=[-.])[A-Z]\.$")


# 'the article “Aso, Putin ink deal“: …': an opening mark that another opens before any closes; the
# segmenter would read the rest of the paragraph as one quotation, so it sees a space there
_STRAY_OPENING = re.compile(r"“(?=[^”]*“)")


_YEAR_LABEL = re.compile(r"[12]\d{3}\.")  # a chronology entry's year, a 'sentence' of its own to the segmenter


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, white space trimmed (Wikimedia's sentencex segmenter). A cut
    before a lower-case word, inside an initialism or after a chronology's year label is no sentence end."""
    spans: list[tuple[int, int]] = []
    for b in get_sentence_boundaries("en", _STRAY_OPENING.sub(" ", text)):
        start, end = b["start_index"], b["end_index"]
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        label = spans and _YEAR_LABEL.fullmatch(text, spans[-1][0], spans[-1][1])  # '1855. Russia and Japan signed'
        if spans and (text[start].islower() or label or _CUT_INITIALISM.search(text, spans[-1][0], spans[-1][1])):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _note_speakers(sentence: str, registry: Registry) -> None:
    """Learn names and roles from the sentence: its subject and who speaks (even indirectly)."""
    registry.learn_mentions(sentence)
    subject = sentence_subject(sentence)
    if subject and subject.lower() not in NOT_SPEAKERS:  # 'Photo: AP' credits, and is no 'it'
        registry.note_subject(subject)
    before = before_next_quote(sentence)
    speaker = speech_subject(before)
    if speaker and (registry.find(speaker) or len(speaker.split()) >= 2):
        registry.add(speaker)
    source = according_to(before) if "ccording to" in before else None
    if source and is_full_name(split_name_role(source)[0]):
        registry.add(source)  # 'according to Natalya Nikonorova, …': the next 'she' is her


_OTHER_SCRIPT_DAY = re.compile(r"^[\s\d.,:()\[\]–-]*(?:[^\W\d_A-Za-z]+[\s\d.,:()\[\]–-]*)?$")  # '22 марта 2022, 11:15'


def _only_a_date(text: str) -> bool:
    """A line that is nothing but a date (and a clock time), as listings and date lines are."""
    found = find_dates(text, DateContext())
    rest = _CLOCK.sub("", text[:found[0].start] + " " + text[found[0].end:]) if len(found) == 1 else "x"
    return bool(_OTHER_SCRIPT_DAY.match(rest))


def _header_speaker(p: Paragraph, registry: Registry) -> None:
    """'Example Institute Research Fellow Dr. Kenji Tanabe: …' introduces a speaker and role."""
    m = _HEADER.match(p.text)
    if m and len(m.group(1).split()) >= 2:
        registry.add(m.group(1))


# '4:37 p.m.', '(AM)'
_CLOCK = re.compile(r",?\s*\(?\b\d{1,2}(?::\d{2}\s*(?:[ap]\.?m\.?)?|\.\d{2}\s*[ap]\.?m\.?)\)?|\((?:AM|PM)\)", re.I)
_DATE_LINE_WORDS = re.compile(r"^(?:published|updated|posted|modified|date|dated)\b[\s:,-]*|"
                               rf"^(?:{lexicon.alternation('weekdays')}),?\s*", re.I)


_INITIALISM = re.compile(r"\b(?:[A-Z]\.){2,}")


# 'Kuril Islands Invaded - 18 Aug 1945': a chronology entry's heading, dating the paragraph under it
_DATED_ENTRY = re.compile(r"\s[-–—]\s*(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+[12]\d{3}|"
                          r"[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+[12]\d{3})$")


def _publication_line(p: Paragraph) -> str | None:
    """The date of a short line near the top that is no sentence but carries one full date
    ('February 7, 2023', 'Published: 2023-02-07', 'Example Institute | March 18, 2025')."""
    labelled = p.text.lower().startswith(("date:", "published", "posted", "updated", "modified"))
    text = _CLOCK.sub(" ", _DATE_LINE_WORDS.sub("", p.text.strip())).strip(" .")
    if p.kind not in ("heading", "body") or not labelled and (len(text) > 80 or len(text.split()) > 12):
        return None
    found = find_dates(text, DateContext())
    if len(found) == 1 and found[0].granularity == "year" and not re.search(r"[A-Za-z]{3,}", text):
        return found[0].date  # '16 Февраля 2019 06:59': a date line in another language
    if len(found) != 1 or found[0].granularity != "day":
        return None
    rest = (text[:found[0].start] + text[found[0].end:]).strip(" ,.|–—-()")
    rest = _INITIALISM.sub("", rest)  # 'The Brookings Institution Washington, D.C. Tuesday,': names, no sentence
    # no sentence, no verb, not four lower-case words ('Gessler drew my attention to a CNBC article of …')
    only_names = not re.search(r"[.!?]\s", rest) and not re.search(r"\b[a-z]+(?:ed|s)\b", rest) \
        and len(re.findall(r"\b[a-z]+\b", rest)) < 4
    entry = _DATED_ENTRY.search(p.text) and len(rest.split()) >= 3  # a chronology entry's heading, not the page's date
    return found[0].date if labelled or (only_names and not entry) else None


_WHEN = r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8}\.?)(?:,?\s+\d{4})?"
_PLACE = r"[A-Z][A-Z .'’-]{2,40}"
DATELINES = [  # the place in capitals, the agency and when the report was filed
    # 'TOKYO, March 12, 2024 (Reuters) - …', 'MOSCOW, Sept. 7 (Kyodo) --'
    re.compile(rf"^{_PLACE},(?:\s*[A-Z][a-z]+,)?\s+(?P<when>{_WHEN})\b[^A-Za-z]{{0,6}}(?:\([^)]{{1,40}}\)|/[A-Z]+/)?[\s.]*"),
    # 'SEOUL (Wire Service – 4th March, 2021) –'
    re.compile(rf"^{_PLACE}\s*\([^()–—-]{{2,40}}[–—-]\s*(?P<when>{_WHEN})\)\s*[–—-]*\s*"),
    # 'Mar 2 (Agency) –'
    re.compile(rf"^(?P<when>{_WHEN})\s*\([^()]{{1,40}}\)\s*[–—-]+\s*"),
    # 'HONG KONG (JP): …': the place and the agency, no date
    re.compile(rf"^{_PLACE}\s*\([A-Za-z]{{1,12}}\)\s*[:–—-]+\s*(?=[A-Z])"),
    # 'date 2023-03-02 Lithuanians every day …': a page's date run into its first paragraph
    re.compile(rf"^(?i:date|published|posted|updated)\b[:\s]*(?P<when>\d{{4}}-\d{{2}}-\d{{2}}|{_WHEN})\s+(?=[A-Z])"),
]


def _dateline(doc: Document) -> dict[int, int]:
    """Paragraph -> end of a news dateline near the top, and of the store's date before the text (' date
    2022-10-08 Exxon has been …', an agency's dateline may follow). Its date is when the report was filed,
    not an event; with a year it dates the article."""
    cuts: dict[int, int] = {}
    for p in doc.paragraphs[:5]:
        m = next((m for rx in DATELINES if (m := rx.match(p.text))), None)
        # 'date 2025-08-08 MOSCOW, August 8. /TASS/. …': the page's date, then the agency's dateline
        then = m and next((n for rx in DATELINES if (n := rx.match(p.text[m.end():]))), None)
        if m:
            found = find_dates(m["when"], DateContext()) if m.groupdict().get("when") else []
            if found and found[0].granularity == "day" and not doc.published:
                doc.published = found[0].date
            if m.re is DATELINES[-1] and then is None:
                if len(p.text) - m.end() >= 20:  # ' date 2023-01-23 World' is a date line of its own
                    cuts[p.n] = m.end()
                continue  # 'MOSCOW, January 23 – RIA Novosti.' may follow
            return cuts | {p.n: m.end() + (then.end() if then else 0)}
    return cuts


def _turn_speaker(turn: Turn, registry: Registry, quotes: list[Quote], parts: dict[str, Person],
                  intro: str) -> tuple[bool, Person | None]:
    """(whether the turn is quoted, by whom): an unnamed question is not; 'GUEST:' is, by no one,
    until the guest says who they are; an unnamed answer is the person the narration before the
    first answer (`intro`) names last, else the last one quoted."""
    if (turn.part and turn.part not in parts and (name := introduces_self(turn.text))
            and (named := registry.add(name)) is not None):
        parts[turn.part] = named
    if turn.part and turn.part in parts:
        return True, parts[turn.part]
    if turn.label:
        person = registry.add(speaker_phrase(turn.label))
        if person is not None and turn.text.rstrip().endswith("?"):
            parts.setdefault("q", person)  # 'Soichiro Takhara: … When did you meet?': the '— What …?' asker after
        return True, person
    if turn.answer and "answer" not in parts and (name := last_full_name(intro)) \
            and (interviewee := registry.add(name, speaking=False)):
        parts["answer"] = interviewee  # '… told MK Valery KISTANOV.'
    if turn.answer:
        recent = itertools.islice(reversed(quotes), _RECENT)  # the answerer is named close by, or not at all
        asker = parts.get("q")
        return True, parts.get("answer") or next((q.speaker for q in recent if q.speaker and q.speaker is not asker),
                                                 registry.last_person)
    return turn.unnamed, None


def _transcript_quote(p: Paragraph, turn: Turn | None, speaking: tuple[Turn, Person] | None, registry: Registry,
                      quotes: list[Quote], parts: dict[str, Person], intro: str) -> tuple[Turn, Person] | None:
    """Quote a transcript paragraph as its turn's speaker; returns whose turn it is after it.
    `parts`: who plays an unnamed label ('HOST: … I'm Daniel Brooks' names the host); `intro`: the
    narration since the last turn."""
    if turn is None:
        if speaking is None or p.kind != BODY or not continues_turn(p.text, speaking[0]):
            return None
        quotes.append(Quote(speaking[1], turn_text(p.text), p.n))
        return speaking
    quoted, person = _turn_speaker(turn, registry, quotes, parts, intro)
    if not quoted:
        return None  # an unnamed question
    if turn.text and turn.text[0] not in "“\"«":  # a turn in quotation marks is quoted as such
        quotes.extend(Quote(person, part, p.n) for part in dash_speech(turn.text))
    return (turn, person) if person else None


OPEN_QUOTE_REACH = 8  # paragraphs a quotation left open may run on without marks before one closes it


def continued_quotations(texts: list[str]) -> dict[int, int]:
    """Paragraphs that go on with a quotation an earlier one left open ('The Prime Minister said,' /
    '“I would like …' / 'I welcome …' / '… next week.”'), by index, with where the quotation ends in each.
    Only when a closing mark comes before any new opening one, within OPEN_QUOTE_REACH paragraphs:
    a stray opening mark quotes nothing after it."""
    out: dict[int, int] = {}
    for i, text in enumerate(texts):
        if text.rfind("“") <= text.rfind("”"):
            continue
        run: list[int] = []
        for j in range(i + 1, min(len(texts), i + 1 + OPEN_QUOTE_REACH)):
            opens, closes = texts[j].find("“"), texts[j].find("”")
            if closes >= 0 and (opens < 0 or closes < opens):
                out.update({k: len(texts[k]) for k in run})
                out[j] = closes
                break
            if opens >= 0:
                break
            run.append(j)
    return out


def _quoted_title(text: str, start: int, end: int) -> bool:
    """A heading that is only a short quoted phrase ('‘Inherent part of Japan’') titles a section;
    a quoted sentence standing as a heading is still someone's words."""
    inner = text[start:end]
    return not text[:start - 1].strip() and not text[end + 1:].strip() and len(inner.split()) <= 6 \
        and not re.search(r"[.!?…]", inner)


def _introduces(text: str, spans: list[tuple[int, int]], registry: Registry) -> Person | None:
    """'The aide-mémoire reads as follows:', 'Japan accepted, in Article 2(c) of the Treaty, the following
    provision:' at a paragraph's end: the speaker of what comes next."""
    if not spans or not text.rstrip().endswith(":"):
        return None
    s, e = spans[-1]
    last = text[s:e].rstrip(": ")
    # 'The ministry said that vice-minister Takeo Mori made the following points to the ambassador:'
    following = _MADE_THE_FOLLOWING.search(last)
    reported = _REPORTED.search(last)  # 'That article reported:' (a report's 'reported' is seldom speech elsewhere)
    phrase = (following and noun_phrase_before(tokens(following["who"]))) or speech_subject(last) \
        or document_worded(last) or (reported and noun_phrase_before(tokens(reported["who"])))
    return registry.add(phrase) if phrase else None


_REPORTED = re.compile(r"^(?P<who>[^,:;]{3,80}?)\s+reported$")
_MADE_THE_FOLLOWING = re.compile(r"(?P<who>[^,:;]{3,120}?)\s+(?:made|gave|delivered|presented|conveyed|raised)\s+"
                                 r"the\s+following\b")


def extract(doc: Document) -> Extraction:
    out = Extraction(doc)
    registry = Registry(doc.author)
    if doc.title:
        registry.learn_mentions(doc.title)  # 'Press Conference by Minister for Foreign Affairs Hirofumi Nakasone'
    date_lines = {p.n: d for p in doc.paragraphs[:4] if (d := _publication_line(p))}
    # a day dates the page; a year alone does not
    dateline = next((d for d in date_lines.values() if len(d) == 10), None)
    if dateline and not doc.published:
        doc.published = dateline
    filed = _dateline(doc)
    ctx = DateContext(doc.published)
    content = [p for p in doc.paragraphs if p.is_content and p.n not in date_lines]
    turns = find_turns([p.text[filed.get(p.n, 0):] for p in content])
    turn_of = {content[i].n: t for i, t in turns.items()}
    unmarked = {content[i].n: end for i, end in continued_quotations([p.text for p in content]).items()}
    speaking: tuple[Turn, Person] | None = None  # whose turn it is, in a transcript
    parts: dict[str, Person] = {}  # who plays each unnamed label
    listed: dict[tuple[str, str], str] = {}  # the article's event dates so far, with their first sentence
    carry: Person | None = None  # who speaks on into the next paragraph
    narration = ""  # the paragraphs since the last transcript turn
    for p in doc.paragraphs:
        spans = sentence_spans(p.text)
        out.sentences.extend(Sentence(p.n, s, e, p.text[s:e]) for s, e in spans)
        if not p.is_content or p.n in date_lines:
            continue
        ctx.new_paragraph(p.text)
        if turns:
            speaking = _transcript_quote(p, turn_of.get(p.n), speaking, registry, out.quotes, parts, narration)
            narration = "" if p.n in turn_of else f"{narration}\n{p.text}"[-2000:]
        else:
            _header_speaker(p, registry)
        quotes = quote_spans(p.text)
        date_only = len(p.text) < 40 and _only_a_date(p.text)
        continuing, carry = carry, None
        if continuing is not None and p.n in unmarked and p.n not in turn_of:  # a quotation running on unmarked
            end = unmarked[p.n]
            out.quotes.append(Quote(continuing, p.text[:end].strip(), p.n))
            carry = continuing if end == len(p.text) else None
        for s, e in spans:
            sentence = p.text[s:e]
            _note_speakers(sentence, registry)
            for qs, qe in [q for q in quotes if s <= q[0] - 1 < e or (s == 0 and q[0] == 0)]:
                if p.kind == HEADING and _quoted_title(p.text, qs, qe):
                    continue
                quote = attribute(p.text, qs, qe, s, p.n, registry, continuing)
                if quote:
                    out.quotes.append(quote)
                    continuing = quote.speaker
                    carry = quote.speaker if qe == len(p.text) else None  # left open: it goes on
            if s < filed.get(p.n, 0):
                sentence = p.text[filed[p.n]:e]  # the dateline's own date is no event
            # a section title reports no happening, nor a line that is only a date (a listing's 'Dec 2, 2020')
            if not (p.kind == HEADING and is_title(sentence) and not _DATED_ENTRY.search(sentence)) and not date_only:
                out.events.extend(sentence_events(sentence, p.n, ctx, listed))
        carry = carry or _introduces(p.text, spans, registry)
    out.events = described_later(out.events)
    quoted = {id(q.speaker) for q in out.quotes if q.speaker}
    out.people = [x for x in registry.people if id(x) in quoted or (x.is_person and x.role)]
    return out
